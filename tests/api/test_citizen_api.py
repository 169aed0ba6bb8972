"""Citizen API: code, token, me, verify; bad input and wrong tokens answered in JSON."""

import pytest
import time_machine
from wagtail.models import APIToken

from tests.conftest import last_code
from tests.identity import RESIDENTS

pytestmark = pytest.mark.django_db


def _token(client, sms_outbox, mobile="13900000021"):
    assert client.post("/api/v1/citizen/code", {"mobile": mobile}, content_type="application/json").status_code == 200
    response = client.post("/api/v1/citizen/token", {"mobile": mobile, "code": last_code(sms_outbox, mobile)},
                           content_type="application/json")
    assert response.status_code == 200
    return response.json()["token"]


def test_sign_in_and_verify_through_the_api(client, sms_outbox):
    token = _token(client, sms_outbox)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    me = client.get("/api/v1/citizen/me", **auth).json()
    assert me == {"public_name": "139****0021", "mobile_masked": "139****0021", "verified": False,
                  "verified_name": None}
    resident = RESIDENTS[3]
    bad = client.post("/api/v1/citizen/verify", {"name": resident["name"], "id_number": "x"},
                      content_type="application/json", **auth)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    ok = client.post("/api/v1/citizen/verify", {"name": resident["name"], "id_number": resident["id_number"]},
                     content_type="application/json", **auth)
    assert ok.status_code == 200 and ok.json()["verified"] is True


@time_machine.travel("2026-06-01 10:00:05 +08:00", tick=False)  # one rate-limit window
def test_wrong_code_and_bad_mobile_are_json_errors(client, sms_outbox):
    bad = client.post("/api/v1/citizen/code", {"mobile": "12"}, content_type="application/json")
    assert bad.status_code == 422 and "11" in bad.json()["error"]["message"]
    client.post("/api/v1/citizen/code", {"mobile": "13900000022"}, content_type="application/json")
    again = client.post("/api/v1/citizen/code", {"mobile": "13900000022"}, content_type="application/json")
    assert again.status_code == 429 and again.json()["error"]["code"] == "rate_limited"
    wrong = client.post("/api/v1/citizen/token", {"mobile": "13900000022", "code": "000"},
                        content_type="application/json")
    assert wrong.status_code == 422
    missing = client.post("/api/v1/citizen/token", {}, content_type="application/json")
    assert missing.status_code == 422 and "mobile" in missing.json()["error"]["fields"]
    english = client.post("/api/v1/citizen/code", {"mobile": "12"}, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert "mobile" in english.json()["error"]["message"].lower()


def test_me_needs_a_citizen_token(client, sms_outbox, make_staff):
    assert client.get("/api/v1/citizen/me").status_code == 401
    assert client.get("/api/v1/citizen/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    staff = make_staff("editor")
    _instance, staff_token = APIToken.create_token(user=staff, name="t")
    refused = client.get("/api/v1/citizen/me", HTTP_AUTHORIZATION=f"Bearer {staff_token}")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    token = _token(client, sms_outbox, "13900000023")
    APIToken.objects.filter(user__citizen__mobile="13900000023").get().revoke()
    assert client.get("/api/v1/citizen/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
