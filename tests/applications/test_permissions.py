"""Who may do what with applications: the policy walked for every kind the
room registers (decision for one object = filter for a list), the admin
queue per organisation, the data-use log shown to the citizen."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from civichall.accounts.models import PersonalDataAccess
from civichall.accounts.policy import SYSTEM
from civichall.applications import actions
from civichall.applications.models import ApplicationDefinition, Case, CasePart, RatingFollowUp
from tests.accounts.policy_walk import assert_decision_and_filter_agree

from .conftest import pdf_bytes, png_bytes
from .documents import GOOD_DATA

pytestmark = pytest.mark.django_db


def _file(citizen, definition, key):
    user = citizen.user
    actions.do_add_material(user, "separation_proof", SimpleUploadedFile("a.pdf", pdf_bytes()), definition=definition)
    actions.do_add_material(user, "id_card", SimpleUploadedFile("b.png", png_bytes()), definition=definition)
    return actions.do_submit(user, definition, GOOD_DATA, idempotency_key=key)[0]


def test_the_policy_walk_agrees_for_every_applications_kind(unemployment, newborn, applicant, other_applicant,
                                                          staff, superuser):
    case = _file(applicant, unemployment, "a")
    actions.do_submit(other_applicant.user, newborn, {"baby_name": "王小禾", "birth_date": "2026-11-01",
                                                      "hukou_choice": "father"}, idempotency_key="b")
    for officer in ("officer", "officer2"):
        staff[officer]
    for event in ("accept", "start_review", "approve", "complete"):
        case = actions.do_transition(staff["officer"], case, event)
    actions.do_rate(applicant.user, case, 1, ["办理超时"])
    ApplicationDefinition.objects.filter(code="newborn_bundle").update(status="retired")
    actors = [*(staff[name] for name in ("liaison", "officer", "editor", "hrss_admin", "police_officer",
                                          "medical_officer", "health_officer", "health_liaison")),
              applicant.user, other_applicant.user, AnonymousUser(), superuser, SYSTEM]
    walked = assert_decision_and_filter_agree(actors, {
        "application_definition": ApplicationDefinition.objects.all,
        "case": Case.objects.all,
        "case_part": CasePart.objects.all,
        "rating_follow_up": RatingFollowUp.objects.all,
    })
    assert walked == 13 * (2 + 4 + 2 + 1)


def test_the_admin_queue_shows_only_the_organisations_cases(client, unemployment, newborn, applicant, staff):
    case = _file(applicant, unemployment, "a")
    bundle, _ = actions.do_submit(applicant.user, newborn, {"baby_name": "陈小满", "birth_date": "2026-11-20",
                                                            "hukou_choice": "mother"}, idempotency_key="nb")
    client.force_login(staff["officer"])
    queue = client.get("/admin/applications/cases/").content.decode()
    assert case.number in queue and bundle.number not in queue
    client.force_login(staff["police_officer"])
    queue = client.get("/admin/applications/cases/").content.decode()
    assert bundle.number in queue and case.number not in queue  # a part of theirs, not the other case
    assert client.get(f"/admin/applications/cases/{case.number}/").status_code == 404
    client.force_login(staff["editor"])
    refused = client.get("/admin/applications/cases/")  # the admin's way of saying no
    assert refused.status_code == 302 and refused.url == "/admin/"


def test_the_officer_sees_sources_and_corrections_and_the_citizen_sees_the_reading(
        client, unemployment, applicant, staff, departments):
    user = applicant.user
    actions.do_give_consent(user, unemployment, ["social_security", "licences"])
    actions.do_prefill(user, unemployment)
    actions.do_add_material(user, "separation_proof", SimpleUploadedFile("a.pdf", pdf_bytes()), definition=unemployment)
    case, _ = actions.do_submit(user, unemployment, {**GOOD_DATA, "contribution_months": "40"}, idempotency_key="c")
    client.force_login(staff["officer"])
    page = client.get(f"/admin/applications/cases/{case.number}/").content.decode()
    assert "来自市人社局" in page and "上海浦江软件有限公司" in page
    assert "市人社局提供的是“38”" in page  # the correction, with what the department said
    response = client.post(f"/admin/applications/cases/{case.number}/", {"action": "accept"})
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).state == "accepted"
    client.post(f"/admin/applications/cases/{case.number}/", {"action": "reject", "reason": "x"})
    assert Case.objects.get(pk=case.pk).state == "accepted"  # refused: not in review, no reason
    access = PersonalDataAccess.objects.get(citizen=applicant)
    assert access.what == "application_case" and access.reference == case.number
    client.force_login(user)
    data_use = client.get("/citizen/data-use/").content.decode()
    assert "市人社局" in data_use and "缴费月数、工作单位" in data_use and "用于申请：失业保险金申领" in data_use
    assert "电子证照库" in data_use


def test_a_liaison_edits_and_previews_a_definition_in_the_admin(client, unemployment, staff):
    import json

    from .documents import doc

    client.force_login(staff["liaison"])
    listing = client.get("/admin/applications/definitions/?code=unemployment_insurance").content.decode()
    assert "失业保险金申领" in listing
    changed = json.dumps(doc(time_limit_days=12), ensure_ascii=False)
    preview = client.post("/admin/applications/definitions/", {"document": changed, "preview": "1"})
    assert "离职原因" in preview.content.decode() and "劳动合同期满终止" in preview.content.decode()
    assert client.post("/admin/applications/definitions/", {"document": "{不是 JSON"}).status_code == 422
    saved = client.post("/admin/applications/definitions/", {"document": changed})
    assert saved.status_code == 302
    assert ApplicationDefinition.objects.get(code="unemployment_insurance").current.number == 2
    client.force_login(staff["health_liaison"])
    client.post("/admin/applications/definitions/", {"document": json.dumps(doc(time_limit_days=3))})
    assert ApplicationDefinition.objects.get(code="unemployment_insurance").current.number == 2


def test_the_queue_filter_is_the_policys_for_every_staff_member(client, unemployment, newborn, applicant, staff,
                                                              superuser):
    """``cases_for_staff`` filters by organisation ids (and a bundle's parts
    only where an organisation has any): the same cases as the policy's own
    filter for ``case`` or ``case_part``, whoever asks."""
    from django.db.models import Q

    from civichall.accounts import policy
    from civichall.applications.permissions import cases_for_staff

    case = _file(applicant, unemployment, "a")
    bundle, _ = actions.do_submit(applicant.user, newborn, {"baby_name": "陈小满", "birth_date": "2026-11-20",
                                                            "hukou_choice": "mother"}, idempotency_key="nb")
    for name in ("officer", "editor", "police_officer", "medical_officer", "health_officer", "health_liaison"):
        user = staff[name]
        expected = set(Case.objects.filter(
            Q(pk__in=policy.filter_allowed(user, "case", "view", Case.objects.all()).values("pk"))
            | Q(pk__in=policy.filter_allowed(user, "case_part", "handle", CasePart.objects.all()).values("case_id"))
        ).values_list("pk", flat=True))
        assert set(cases_for_staff(user, Case.objects.all()).values_list("pk", flat=True)) == expected, name
    assert set(cases_for_staff(superuser, Case.objects.all())) == {case, bundle}
    assert set(cases_for_staff(applicant.user, Case.objects.all())) == {case, bundle}  # their own, as a citizen
    # A part's officer finds the bundle, and its application in the filter; another organisation's gets 404.
    client.force_login(staff["medical_officer"])
    queue = client.get("/admin/applications/cases/").content.decode()
    assert bundle.number in queue and 'value="newborn_bundle"' in queue and 'value="unemployment_insurance"' not in queue
    assert client.get(f"/admin/applications/cases/{bundle.number}/").status_code == 200
    assert client.get(f"/admin/applications/cases/{case.number}/").status_code == 404
    client.force_login(staff["officer"])
    assert client.get(f"/admin/applications/cases/{bundle.number}/").status_code == 404
    queue = client.get("/admin/applications/cases/").content.decode()
    assert 'value="unemployment_insurance"' in queue and 'value="newborn_bundle"' not in queue
    # The application filter: by the definition's id, still only the organisation's own cases.
    assert case.number in client.get("/admin/applications/cases/?application=unemployment_insurance").content.decode()
    for other in ("newborn_bundle", "no_such_application"):
        assert case.number not in client.get(f"/admin/applications/cases/?application={other}").content.decode()
    client.force_login(staff["medical_officer"])
    assert bundle.number in client.get("/admin/applications/cases/?application=newborn_bundle").content.decode()
