"""The named actions: definitions with versions, drafts, consent and
prefill, materials, idempotent submit, the lifecycle on a case, bundles,
ratings and their follow-ups."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from civichall.accounts.models import PersonalDataAccess
from civichall.applications import actions, lifecycle
from civichall.applications.models import Case, CaseEvent, DataUse, Draft, PrefillCorrection, RatingFollowUp
from civichall.core.errors import Refusal
from civichall.notify.models import Notification

from .conftest import pdf_bytes, png_bytes
from .documents import GOOD_DATA, UNEMPLOYMENT, doc

pytestmark = pytest.mark.django_db


def upload(name, content):
    return SimpleUploadedFile(name, content)


def file_everything(user, definition, key="k-1", data=GOOD_DATA):
    actions.do_add_material(user, "separation_proof", upload("证明.pdf", pdf_bytes()), definition=definition)
    actions.do_add_material(user, "id_card", upload("身份证.png", png_bytes()), definition=definition)
    return actions.do_submit(user, definition, data, idempotency_key=key)


def test_a_change_makes_a_new_version_and_a_filed_case_keeps_its_own(staff, unemployment, applicant):
    case, _ = file_everything(applicant.user, unemployment)
    changed = doc(time_limit_days=15)
    version = actions.do_save_definition(staff["liaison"], changed)
    assert version.number == 2
    unemployment.refresh_from_db()
    assert unemployment.current == version
    case.refresh_from_db()
    assert case.version.number == 1 and case.version.document["time_limit_days"] == 10
    # Saving the same document again makes no new version.
    assert actions.do_save_definition(staff["liaison"], changed).number == 2
    assert ModelLogEntry.objects.filter(action="civichall.applications.definition.save").count() == 2


def test_only_the_owning_organisations_liaison_edits_a_definition(staff, unemployment):
    for who in ("officer", "editor", "health_liaison", "police_officer"):
        with pytest.raises(PermissionDenied):
            actions.do_save_definition(staff[who], doc(title="失业保险金申领（新）"))
    with pytest.raises(Refusal) as caught:
        actions.do_save_definition(staff["liaison"], doc(layout={"steps": []}))
    assert caught.value.status == 422 and "layout 至少需要一个步骤。" in caught.value.fields["document"]


def test_consent_then_prefill_fills_the_draft_and_logs_each_fetch(unemployment, applicant, departments):
    user = applicant.user
    draft, outcome = actions.do_prefill(user, unemployment)
    assert set(outcome.values()) == {"no_consent"} and draft.data == {}
    assert not DataUse.objects.exists()
    actions.do_give_consent(user, unemployment, ["identity", "social_security", "licences"])
    draft, outcome = actions.do_prefill(user, unemployment)
    assert outcome == {"identity": "ok", "social_security": "ok", "licences": "ok"}
    assert draft.data["last_employer"] == "上海浦江软件有限公司"
    assert draft.data["contribution_months"] == 38
    assert draft.data["phone"] == "13800000001"
    assert draft.prefilled["last_employer"]["source"] == "social_security"
    uses = DataUse.objects.filter(citizen=applicant)
    assert {u.holder for u in uses} == {"市人社局", "电子证照库", "实名认证信息"}
    assert uses.get(source="social_security").fields == ["contribution_months", "employer"]


def test_a_department_that_knows_nothing_is_logged_and_the_citizen_types(unemployment, other_applicant, departments):
    actions.do_give_consent(other_applicant.user, unemployment, ["licences"])
    _draft, outcome = actions.do_prefill(other_applicant.user, unemployment)
    assert outcome["licences"] == "unavailable"
    assert DataUse.objects.get(citizen=other_applicant, source="licences").ok is False


def test_a_consent_to_a_source_the_application_does_not_use_is_refused(unemployment, applicant):
    with pytest.raises(Refusal) as caught:
        actions.do_give_consent(applicant.user, unemployment, ["medical_insurance"])
    assert caught.value.status == 422


def test_what_is_typed_is_stored_even_when_wrong(unemployment, applicant):
    draft, errors = actions.do_save_draft(applicant.user, unemployment, {"bank_account": "62220abc", "name": "陈晓雯"})
    assert errors["bank_account"].zh.startswith("本人银行账号的格式不正确")
    assert Draft.objects.get(pk=draft.pk).data == {"bank_account": "62220abc", "name": "陈晓雯"}


def test_the_same_key_gives_the_same_case(unemployment, applicant):
    first, created = file_everything(applicant.user, unemployment, key="double-click")
    again, created_again = actions.do_submit(applicant.user, unemployment, GOOD_DATA, idempotency_key="double-click")
    assert created and not created_again and first.pk == again.pk
    assert Case.objects.count() == 1
    assert first.number.startswith("SQ-") and len(first.number) == len("SQ-20261130-000123")
    assert first.materials.count() == 2 and first.state == lifecycle.SUBMITTED
    assert Notification.objects.filter(citizen=applicant, kind="case").count() == 1


def test_a_submission_with_errors_names_them_and_keeps_the_draft(unemployment, applicant):
    with pytest.raises(Refusal) as caught:
        actions.do_submit(applicant.user, unemployment, {**GOOD_DATA, "separation_reason": "other"},
                          idempotency_key="k")
    fields = caught.value.fields
    assert fields["separation_reason_other"] == "请填写其他原因说明。"
    assert fields["materials.separation_proof"] == "请上传解除或终止劳动合同证明。"
    assert Draft.objects.get(citizen=applicant).data["separation_reason"] == "other"
    assert not Case.objects.exists()
    with pytest.raises(Refusal):
        actions.do_submit(applicant.user, unemployment, GOOD_DATA, idempotency_key="bad key\n")


def test_an_e_licence_replaces_its_upload_and_a_corrected_value_is_recorded(unemployment, applicant, departments):
    user = applicant.user
    actions.do_give_consent(user, unemployment, ["identity", "social_security", "licences"])
    actions.do_prefill(user, unemployment)
    actions.do_add_material(user, "separation_proof", upload("证明.pdf", pdf_bytes()), definition=unemployment)
    case, _ = actions.do_submit(user, unemployment, {**GOOD_DATA, "last_employer": "上海浦江软件股份有限公司"},
                                idempotency_key="k")
    correction = PrefillCorrection.objects.get(case=case)
    assert (correction.field, correction.fetched, correction.entered) == (
        "last_employer", "上海浦江软件有限公司", "上海浦江软件股份有限公司")
    assert case.materials.count() == 1


@pytest.mark.parametrize("name,content,message", [
    ("证明.pdf", b"", "文件是空的"),
    ("证明.pdf", b"<html><script>alert(1)</script></html>", "只能上传 PDF、JPG、PNG 格式的文件"),
    ("证明.pdf", b"MZ\x90\x00" + b"\x00" * 200, "只能上传 PDF、JPG、PNG 格式的文件"),
    ("证明.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "图片无法打开"),
    ("证明.pdf", b"%PDF-1.4\n" + b"x" * 2 * 1024 * 1024, "文件超过 1 MB"),
    ("证明.pdf", b"%PDF-1.4\n1 0 obj\n", "PDF 文件不完整"),
])
def test_a_bad_file_is_refused_with_a_clear_reason_and_the_draft_is_kept(unemployment, applicant, name, content,
                                                                          message):
    actions.do_save_draft(applicant.user, unemployment, {"name": "陈晓雯"})
    with pytest.raises(Refusal) as caught:
        actions.do_add_material(applicant.user, "separation_proof", upload(name, content), definition=unemployment)
    assert caught.value.status == 422 and message in str(caught.value.message)
    assert Draft.objects.get(citizen=applicant).data == {"name": "陈晓雯"}


def test_an_image_is_re_encoded(unemployment, applicant):
    from PIL import Image
    import io

    original = io.BytesIO()
    picture = Image.new("RGB", (20, 20))
    exif = picture.getexif()
    exif[0x010F] = "SecretCam"
    picture.save(original, "JPEG", exif=exif)
    material = actions.do_add_material(applicant.user, "id_card", upload("x.jpg", original.getvalue()),
                                       definition=unemployment)
    from civichall.applications.uploads import path_of

    kept = path_of(material.stored_as).read_bytes()
    assert b"SecretCam" in original.getvalue() and b"SecretCam" not in kept
    assert material.content_type == "image/jpeg"


def _decided(case, officer, event="approve"):
    actions.do_transition(officer, case, "accept")
    actions.do_transition(officer, case, "start_review")
    if event == "approve":
        return actions.do_transition(officer, case, "approve")
    return actions.do_transition(officer, case, "reject", reason="累计缴费不满12个月",
                                 appeal="可在60日内向市人民政府申请行政复议")


def test_the_lifecycle_on_a_case_with_the_clock_paused(unemployment, applicant, staff, time_machine):
    time_machine.move_to("2026-09-29 10:00 +08:00", tick=False)
    case, _ = file_everything(applicant.user, unemployment)
    officer = staff["officer"]
    case = actions.do_transition(officer, case, "accept")
    assert case.accepted_on == date(2026, 9, 29) and case.due_on == date(2026, 10, 19)
    case = actions.do_transition(officer, case, "ask_material", reason="请补交离职证明原件扫描件")
    time_machine.move_to("2026-10-12 10:00 +08:00", tick=False)  # waited over the holiday
    actions.do_add_material(applicant.user, "separation_proof", upload("原件.pdf", pdf_bytes()), case=case)
    case = actions.do_transition(applicant.user, case, "supplement")
    # Waited 9/30, 10/8, 10/9, 10/10 (an adjusted Saturday) and 10/12: five working days.
    assert case.state == lifecycle.IN_REVIEW and case.paused_days == 5
    assert case.due_on == date(2026, 10, 26)
    case = actions.do_transition(officer, case, "approve")
    case = actions.do_transition(officer, case, "complete")
    events = list(CaseEvent.objects.filter(case=case).values_list("event", flat=True))
    assert events == ["submit", "accept", "ask_material", "supplement", "approve", "complete"]
    assert Notification.objects.filter(citizen=applicant, kind="case").count() == 6
    assert case.materials.filter(supplement=True).count() == 1


def test_transitions_refused_by_the_table_or_the_policy(unemployment, applicant, other_applicant, staff):
    case, _ = file_everything(applicant.user, unemployment)
    with pytest.raises(Refusal) as caught:
        actions.do_transition(staff["officer"], case, "approve")
    assert caught.value.status == 409
    with pytest.raises(Refusal) as caught:
        actions.do_transition(staff["officer"], case, "not_accept", reason="短")
    assert caught.value.status == 422 and "reason" in caught.value.fields
    from django.http import Http404

    for who in (staff["police_officer"], staff["liaison"]):
        with pytest.raises(Http404):  # another organisation's case, or not a case officer: as if missing
            actions.do_transition(who, case, "accept")
    with pytest.raises(PermissionDenied):
        actions.do_transition(applicant.user, case, "accept")
    with pytest.raises(Http404):
        actions.do_transition(other_applicant.user, case, "supplement")
    with pytest.raises(Refusal) as caught:
        actions.do_transition(applicant.user, case, "supplement")
    assert caught.value.status == 409


def test_a_bundle_is_one_case_with_parts_done_by_each_organisation(newborn, applicant, staff):
    case, _ = actions.do_submit(applicant.user, newborn, {"baby_name": "陈小满", "birth_date": "2026-11-20",
                                                          "hukou_choice": "mother", "insure": True},
                                idempotency_key="nb")
    parts = {p.organisation.slug: p for p in case.parts.all()}
    assert set(parts) == {"police", "medical"}
    actions.do_transition(staff["health_officer"], case, "accept")
    actions.do_transition(staff["health_officer"], case, "start_review")
    with pytest.raises(PermissionDenied):
        actions.do_complete_part(staff["medical_officer"], parts["police"])
    actions.do_complete_part(staff["police_officer"], parts["police"])
    with pytest.raises(Refusal) as caught:
        actions.do_transition(staff["health_officer"], case, "approve")
    assert caught.value.code == "parts_open"
    actions.do_complete_part(staff["medical_officer"], parts["medical"])
    assert actions.do_transition(staff["health_officer"], case, "approve").state == lifecycle.APPROVED


def test_claim_assign_and_notes_stay_inside_the_organisation(unemployment, applicant, staff):
    case, _ = file_everything(applicant.user, unemployment)
    actions.do_claim_case(staff["officer"], case)
    assert case.assignee == staff["officer"]
    actions.do_assign_case(staff["officer"], case, staff["officer2"])
    with pytest.raises(PermissionDenied):
        actions.do_assign_case(staff["officer"], case, staff["police_officer"])
    note = actions.do_add_note(staff["officer2"], case, "已电话核实离职时间。")
    assert note.internal
    from django.http import Http404

    with pytest.raises(Http404):
        actions.do_add_note(staff["police_officer"], case, "看看")


def test_a_bad_rating_opens_a_follow_up_the_organisation_answers(unemployment, applicant, staff):
    case, _ = file_everything(applicant.user, unemployment)
    with pytest.raises(Refusal):
        actions.do_rate(applicant.user, case, 5)
    case = _decided(case, staff["officer"], "reject")
    case = actions.do_transition(staff["officer"], case, "complete")
    with pytest.raises(Refusal) as caught:
        actions.do_rate(applicant.user, case, 9)
    assert caught.value.fields["score"] == "请选择 1 到 5 星。"
    rating = actions.do_rate(applicant.user, case, 2, ["办理超时", "不存在的理由"], "等了很久")
    assert rating.reasons == ["办理超时"]
    follow_up = RatingFollowUp.objects.get(rating=rating)
    with pytest.raises(Refusal):
        actions.do_rate(applicant.user, case, 4)
    with pytest.raises(PermissionDenied):
        actions.do_answer_follow_up(staff["police_officer"], follow_up, "我们会改进。")
    actions.do_answer_follow_up(staff["officer"], follow_up, "已核查，本件因材料不全延误，已改进审核流程。")
    follow_up.refresh_from_db()
    assert follow_up.state == "answered"
    assert Notification.objects.filter(citizen=applicant, text__contains="关于您的评价").exists()
    assert not PersonalDataAccess.objects.exists()


def test_an_overdue_case_is_escalated_once(unemployment, applicant, staff, time_machine):
    time_machine.move_to("2026-11-02 10:00 +08:00", tick=False)
    case, _ = file_everything(applicant.user, unemployment)
    case = actions.do_transition(staff["officer"], case, "accept")
    assert case.due_on == date(2026, 11, 16)
    assert actions.escalate_overdue_cases(date(2026, 11, 17)) == 0  # overdue, not yet escalated
    assert actions.escalate_overdue_cases(date(2026, 11, 19)) == 1
    assert actions.escalate_overdue_cases(date(2026, 11, 20)) == 0
    assert CaseEvent.objects.get(case=case, event="escalate").internal


def test_a_material_an_e_licence_can_replace_is_fetched_even_without_a_field_for_it(staff, applicant, departments):
    from civichall.applications.actions.drafts import licences_fetched, sources_of

    document = doc(prefill=[{"source": "identity", "fields": {"name": "name"}}])
    assert sources_of(document) == ["identity", "licences"]
    actions.do_save_definition(staff["liaison"], document)
    definition = unemployment_definition()
    actions.do_give_consent(applicant.user, definition, ["identity", "licences"])
    draft, outcome = actions.do_prefill(applicant.user, definition)
    assert outcome == {"identity": "ok", "licences": "ok"}
    assert licences_fetched(draft) == {"id_card"} and "_licence:id_card" not in draft.data
    assert DataUse.objects.get(citizen=applicant, source="licences").fields == ["id_card"]


def unemployment_definition():
    from civichall.applications.models import ApplicationDefinition

    return ApplicationDefinition.objects.get(code="unemployment_insurance")
