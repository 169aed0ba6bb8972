"""The API's contract: definitions with their schema, drafts, prefill with
consent, idempotent submit, the citizen's cases, the staff queue; JSON errors;
another citizen's or organisation's case is a 404 like a missing one."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import APIToken

from civichall.accounts.citizen_sessions import do_issue_token
from civichall.applications import actions
from civichall.applications.models import Case

from .conftest import pdf_bytes, png_bytes
from .documents import GOOD_DATA

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def citizen_auth(citizen):
    return bearer(do_issue_token(citizen)[0])


def staff_auth(user):
    return bearer(APIToken.create_token(user=user, name="test")[1])


def post_json(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_the_public_definition_carries_its_schema_and_materials(client, unemployment):
    listing = client.get(f"{API}/applications").json()
    assert listing["count"] == 1 and listing["results"][0]["code"] == "unemployment_insurance"
    detail = client.get(f"{API}/applications/unemployment_insurance").json()
    assert detail["schema"]["properties"]["bank_account"]["title"] == "本人银行账号"
    assert [m["code"] for m in detail["materials"]] == ["separation_proof", "id_card"]
    assert {"source": "social_security", "consent": "用于本次申请，从市人社局获取您的参保记录。"} in detail["prefill"]
    missing = client.get(f"{API}/applications/nothing_here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_draft_prefill_upload_and_an_idempotent_submit(client, unemployment, applicant, departments):
    auth = citizen_auth(applicant)
    assert client.get(f"{API}/applications/unemployment_insurance/draft").status_code == 401
    saved = client.put(f"{API}/applications/unemployment_insurance/draft",
                       json.dumps({"data": {"bank_account": "12"}}), content_type="application/json", **auth).json()
    assert saved["data"] == {"bank_account": "12"} and "本人银行账号" in saved["errors"]["bank_account"]
    filled = post_json(client, f"{API}/applications/unemployment_insurance/prefill",
                       {"sources": ["identity", "social_security", "licences"]}, **auth).json()
    assert filled["sources"]["social_security"] == "ok"
    uses = client.get(f"{API}/citizen/application-data-use", **auth).json()["results"]
    assert {(u["holder"], u["application"], u["ok"]) for u in uses} >= {("市人社局", "unemployment_insurance", True)}
    assert filled["draft"]["data"]["last_employer"] == "上海浦江软件有限公司"
    bad = client.post(f"{API}/applications/unemployment_insurance/materials",
                      {"material": "separation_proof", "file": SimpleUploadedFile("a.pdf", b"GIF89a")}, **auth)
    assert bad.status_code == 422 and "只能上传" in bad.json()["error"]["fields"]["file"]
    good = client.post(f"{API}/applications/unemployment_insurance/materials",
                       {"material": "separation_proof", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}, **auth)
    assert good.status_code == 201
    body = {"data": GOOD_DATA, "materials": [good.json()["id"]]}
    first = post_json(client, f"{API}/applications/unemployment_insurance/submit", body,
                      HTTP_IDEMPOTENCY_KEY="3f0c-retry", **auth)
    assert first.status_code == 201, first.json()
    number = first.json()["case"]["number"]
    assert first.json()["case"] == {"number": number, "state": "submitted"}
    retry = post_json(client, f"{API}/applications/unemployment_insurance/submit", body,
                      HTTP_IDEMPOTENCY_KEY="3f0c-retry", **auth)
    assert retry.status_code == 200 and retry.json()["case"]["number"] == number
    assert Case.objects.count() == 1
    mine = client.get(f"{API}/citizen/cases", **auth).json()
    assert mine["results"][0]["number"] == number and mine["results"][0]["state_label"] == "已提交"
    detail = client.get(f"{API}/cases/{number}", **auth).json()
    assert [e["event"] for e in detail["timeline"]] == ["submit"]
    assert "data" not in detail  # the staff view only


def test_a_submit_with_errors_answers_422_per_field(client, unemployment, applicant):
    auth = citizen_auth(applicant)
    response = post_json(client, f"{API}/applications/unemployment_insurance/submit",
                         {"data": {**GOOD_DATA, "separation_date": "昨天"}}, HTTP_IDEMPOTENCY_KEY="k", **auth)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["separation_date"] == "离职日期应为日期，例如 2026-05-01。"
    assert fields["materials.id_card"] == "请上传居民身份证。"
    unknown = post_json(client, f"{API}/applications/unemployment_insurance/submit", {"data": {}, "extra": 1}, **auth)
    assert unknown.status_code == 422


def _filed(applicant, unemployment):
    user = applicant.user
    actions.do_add_material(user, "separation_proof", SimpleUploadedFile("a.pdf", pdf_bytes()), definition=unemployment)
    actions.do_add_material(user, "id_card", SimpleUploadedFile("b.png", png_bytes()), definition=unemployment)
    return actions.do_submit(user, unemployment, GOOD_DATA, idempotency_key="filed")[0]


def test_cases_of_others_are_missing_and_the_staff_queue_is_per_organisation(
        client, unemployment, applicant, other_applicant, staff):
    case = _filed(applicant, unemployment)
    other = client.get(f"{API}/cases/{case.number}", **citizen_auth(other_applicant))
    missing = client.get(f"{API}/cases/SQ-20990101-000009", **citizen_auth(other_applicant))
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    officer = staff_auth(staff["officer"])
    queue = client.get(f"{API}/staff/cases?state=submitted", **officer).json()
    assert [c["number"] for c in queue["results"]] == [case.number]
    assert queue["results"][0]["data"]["bank_account"] == GOOD_DATA["bank_account"]
    police = staff_auth(staff["police_officer"])
    assert client.get(f"{API}/staff/cases", **police).json()["count"] == 0
    assert client.get(f"{API}/staff/cases?application=unemployment_insurance", **officer).json()["count"] == 1
    assert client.get(f"{API}/staff/cases?application=unemployment_insurance", **police).json()["count"] == 0
    assert client.get(f"{API}/staff/cases?application=no_such_application", **officer).json()["count"] == 0
    assert client.get(f"{API}/staff/cases/{case.number}", **police).status_code == 404
    assert post_json(client, f"{API}/staff/cases/{case.number}/transitions", {"event": "accept"},
                     **police).status_code == 404
    assert client.get(f"{API}/staff/cases", **citizen_auth(applicant)).status_code == 403
    accepted = post_json(client, f"{API}/staff/cases/{case.number}/transitions", {"event": "accept"}, **officer)
    assert accepted.json()["state"] == "accepted" and accepted.json()["due_on"]
    again = post_json(client, f"{API}/staff/cases/{case.number}/transitions", {"event": "accept"}, **officer)
    assert again.status_code == 409 and again.json()["error"]["message"] == "只有新提交的办件才能受理。"
    asked = post_json(client, f"{API}/staff/cases/{case.number}/transitions", {"event": "ask_material"}, **officer)
    assert asked.status_code == 422 and "reason" in asked.json()["error"]["fields"]
    assert post_json(client, f"{API}/staff/cases/{case.number}/notes", {"text": "已核实。"}, **officer).status_code == 201
    timeline = client.get(f"{API}/cases/{case.number}", **citizen_auth(applicant)).json()["timeline"]
    assert "note" not in [e["event"] for e in timeline]  # internal notes stay with the staff
