"""Bulk decisions in the officers' queue: one action on several cases, each
through its own named action (permission check, audit entry, notice); a
case that refuses is reported by number with the action's own message, the
others go ahead. The admin's two steps without JavaScript, the staff API,
CSRF, and bad input."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.models import ModelLogEntry

from civichall.applications import actions
from civichall.applications.models import Case
from civichall.core.errors import Refusal

from .conftest import pdf_bytes, png_bytes
from .documents import GOOD_DATA
from .test_api import API, post_json, staff_auth

pytestmark = pytest.mark.django_db

QUEUE = "/admin/applications/cases/"


def _file(citizen, definition, key):
    user = citizen.user
    actions.do_add_material(user, "separation_proof", SimpleUploadedFile("a.pdf", pdf_bytes()), definition=definition)
    actions.do_add_material(user, "id_card", SimpleUploadedFile("b.png", png_bytes()), definition=definition)
    return actions.do_submit(user, definition, GOOD_DATA, idempotency_key=key)[0]


@pytest.fixture
def cases(unemployment, newborn, applicant, other_applicant, staff):
    """Three of the unemployment office's cases (one already accepted) and
    a newborn bundle of the health commission (nothing of the office's)."""
    first, second, third = (_file(applicant, unemployment, key) for key in ("b1", "b2", "b3"))
    third = actions.do_transition(staff["officer"], third, "accept")
    bundle, _ = actions.do_submit(other_applicant.user, newborn, {
        "baby_name": "王小禾", "birth_date": "2026-11-01", "hukou_choice": "father"}, idempotency_key="nb")
    return first, second, third, bundle


def _transitions(case):
    return ModelLogEntry.objects.filter(object_id=str(case.pk), action="civichall.applications.case.transition")


def test_each_case_goes_through_its_own_action_and_refusals_are_named(cases, staff):
    first, second, third, bundle = cases
    outcome = actions.do_bulk_cases(staff["officer"], "accept",
                                    [first.number, third.number, bundle.number, "SQ-20990101-999999", second.number])
    assert outcome.done == [first.number, second.number]
    refused = {number: (code, message) for number, code, message in outcome.refused}
    assert refused[third.number] == ("not_submitted", "只有新提交的办件才能受理。")
    # Another organisation's case and an unknown number answer alike: nothing is revealed.
    assert refused[bundle.number] == refused["SQ-20990101-999999"] == ("not_found", "您可查看的办件中没有这个编号。")
    assert [Case.objects.get(pk=c.pk).state for c in cases] == ["accepted", "accepted", "accepted", "submitted"]
    assert _transitions(first).count() == _transitions(second).count() == 1  # one audit entry per case
    assert _transitions(third).count() == 1 and not _transitions(bundle).exists()  # only its own earlier accept


def test_a_bundle_parts_officer_sees_it_but_may_not_decide_it(cases, staff):
    *_, bundle = cases
    outcome = actions.do_bulk_cases(staff["police_officer"], "accept", [bundle.number])
    assert outcome.done == [] and outcome.refused[0][:2] == (bundle.number, "forbidden")
    assert actions.do_bulk_cases(staff["health_officer"], "accept", [bundle.number]).done == [bundle.number]


def test_one_reason_for_all_and_assigning_inside_the_organisation(cases, staff):
    first, second, third, bundle = cases
    with pytest.raises(Refusal) as caught:
        actions.do_bulk_cases(staff["officer"], "not_accept", [first.number, second.number], reason="不行")
    assert caught.value.status == 422 and "reason" in caught.value.fields
    assert Case.objects.get(pk=first.pk).state == "submitted"  # nothing was touched
    outcome = actions.do_bulk_cases(staff["officer"], "not_accept", [first.number, third.number],
                                    reason="申请人不在本市参保，请向参保地申请。")
    assert outcome.done == [first.number]
    assert Case.objects.get(pk=first.pk).reason == "申请人不在本市参保，请向参保地申请。"
    outcome = actions.do_bulk_cases(staff["officer"], "assign", [second.number, third.number], officer=staff["officer2"])
    assert outcome.done == [second.number, third.number]
    assert {c.assignee for c in Case.objects.filter(pk__in=[second.pk, third.pk])} == {staff["officer2"]}
    refused = actions.do_bulk_cases(staff["officer"], "assign", [second.number], officer=staff["police_officer"])
    assert refused.done == [] and refused.refused[0][1] == "forbidden"
    with pytest.raises(Refusal) as caught:
        actions.do_bulk_cases(staff["officer"], "assign", [second.number])
    assert caught.value.fields == {"officer": "请选择办件人员。"}


def test_the_admin_confirms_first_then_reports_each_refusal(client, cases, staff):
    first, second, third, bundle = cases
    client.force_login(staff["officer"])
    queue = client.get(QUEUE).content.decode()
    assert 'name="bulk"' in queue and "下一步：确认" in queue
    chosen = {"bulk": "accept", "case": [first.number, third.number, bundle.number]}
    confirm = client.post(QUEUE, chosen)
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "确认：受理" in page and 'name="confirm"' in page
    assert first.number in page and bundle.number in page and "您可查看的办件中没有这个编号。" in page
    assert "新生儿" not in page  # the other organisation's case is not shown, only its number echoed
    assert Case.objects.get(pk=first.pk).state == "submitted"  # nothing happens before confirming
    done = client.post(QUEUE, {**chosen, "confirm": "1", "seen-" + first.number: "submitted:"}, follow=True)
    text = done.content.decode()
    assert done.redirect_chain[-1][0].startswith(QUEUE)
    assert f"已处理 1 个办件：{first.number}" in text
    assert f"{third.number}：只有新提交的办件才能受理。" in text
    assert f"{bundle.number}：您可查看的办件中没有这个编号。" in text
    assert Case.objects.get(pk=first.pk).state == "accepted"


def test_a_case_changed_after_it_was_chosen_is_not_touched(client, cases, staff):
    first, second, *_ = cases
    client.force_login(staff["officer"])
    confirm = client.post(QUEUE, {"bulk": "claim", "case": [first.number, second.number]}).content.decode()
    assert f'name="seen-{first.number}" value="submitted:"' in confirm
    actions.do_claim_case(staff["officer2"], first)  # a colleague took it meanwhile
    done = client.post(QUEUE, {"bulk": "claim", "case": [first.number, second.number], "confirm": "1",
                               f"seen-{first.number}": "submitted:", f"seen-{second.number}": "submitted:"},
                       follow=True).content.decode()
    assert f"{first.number}：您选择此办件后它已有变化，请打开办件重新查看。" in done
    assert Case.objects.get(pk=first.pk).assignee == staff["officer2"]
    assert Case.objects.get(pk=second.pk).assignee == staff["officer"]


def test_bad_bulk_input_in_the_admin_gets_a_clear_answer(client, cases, staff):
    first, *_ = cases
    client.force_login(staff["officer"])
    empty = client.post(QUEUE, {"bulk": "accept"})
    assert empty.status_code == 422 and "请至少选择一个办件。" in empty.content.decode()
    unknown = client.post(QUEUE, {"bulk": "delete_everything", "case": [first.number]})
    assert unknown.status_code == 422 and "请选择要对所选办件执行的操作。" in unknown.content.decode()
    no_reason = client.post(QUEUE, {"bulk": "reject", "case": [first.number], "confirm": "1", "reason": ""})
    assert no_reason.status_code == 422 and 'name="reason"' in no_reason.content.decode()
    too_many = client.post(QUEUE, {"bulk": "claim", "case": [f"SQ-{i}" for i in range(101)]})
    assert too_many.status_code == 422 and "一次最多选择 100 个办件。" in too_many.content.decode()
    assert Case.objects.get(pk=first.pk).state == "submitted"


def test_the_bulk_form_needs_the_csrf_token(cases, staff):
    first, *_ = cases
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["officer"])
    refused = client.post(QUEUE, {"bulk": "accept", "case": [first.number], "confirm": "1"})
    assert refused.status_code == 403 and Case.objects.get(pk=first.pk).state == "submitted"


def test_the_staff_api_bulk(client, cases, staff):
    first, second, third, bundle = cases
    officer, _colleague = staff_auth(staff["officer"]), staff["officer2"]
    answer = post_json(client, f"{API}/staff/cases/bulk", {
        "action": "accept", "cases": [first.number, third.number, bundle.number, "SQ-20990101-999999"]}, **officer)
    assert answer.status_code == 200
    body = answer.json()
    assert body["done"] == [first.number]
    assert {r["number"]: r["code"] for r in body["refused"]} == {
        third.number: "not_submitted", bundle.number: "not_found", "SQ-20990101-999999": "not_found"}
    assigned = post_json(client, f"{API}/staff/cases/bulk",
                         {"action": "assign", "cases": [second.number], "officer": "officer2"}, **officer).json()
    assert assigned["done"] == [second.number] and Case.objects.get(pk=second.pk).assignee == staff["officer2"]
    for bad, field in (({"action": "assign", "cases": [second.number], "officer": "nobody"}, "officer"),
                       ({"action": "reject", "cases": [second.number]}, "reason"),
                       ({"action": "explode", "cases": [second.number]}, None),
                       ({"action": "claim", "cases": []}, None),
                       ({"action": "claim"}, None)):
        refused = post_json(client, f"{API}/staff/cases/bulk", bad, **officer)
        assert refused.status_code == 422, bad
        assert refused.json()["error"]["code"] == "invalid", bad
        if field:
            assert field in refused.json()["error"]["fields"], bad
    garbage = client.post(f"{API}/staff/cases/bulk", "{not json", content_type="application/json", **officer)
    assert garbage.status_code in (400, 422)
    assert post_json(client, f"{API}/staff/cases/bulk", {"action": "claim", "cases": [first.number]}).status_code == 401
    schema = json.loads(client.get(f"{API}/openapi.json").content)
    assert "/api/v1/staff/cases/bulk" in schema["paths"]
