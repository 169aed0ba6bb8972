"""Citizen sign-ins: app tokens expire and can be ended, browser sessions
are listed with them, and "sign out everywhere" ends them all."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from civichall.accounts.models import CitizenSession
from tests.conftest import last_code

pytestmark = pytest.mark.django_db

PHONE_APP = "CivicHallApp/2.1 (Android 14)"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0) Chrome/140"


def api_token(client, outbox, mobile, agent=PHONE_APP, address="198.51.100.1"):
    extra = {"HTTP_USER_AGENT": agent, "REMOTE_ADDR": address}
    assert client.post("/api/v1/citizen/code", {"mobile": mobile}, content_type="application/json",
                       **extra).status_code == 200
    response = client.post("/api/v1/citizen/token", {"mobile": mobile, "code": last_code(outbox, mobile)},
                           content_type="application/json", **extra)
    assert response.status_code == 200
    return response.json()


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def web_sign_in(outbox, mobile, agent=DESKTOP, address="198.51.100.2"):
    browser = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    browser.post("/citizen/sign-in/", {"mobile": mobile})
    response = browser.post("/citizen/sign-in/", {"mobile": mobile, "code": last_code(outbox, mobile)})
    assert response.status_code == 302
    assert browser.get("/citizen/").status_code == 200
    return browser


def test_a_token_expires_after_its_lifetime(client, sms_outbox, settings):
    settings.CIVICHALL_CITIZEN_TOKEN_DAYS = 30
    body = api_token(client, sms_outbox, "13900000101")
    expires = timezone.datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=29, hours=23) < expires - timezone.now() <= timedelta(days=30)
    assert client.get("/api/v1/citizen/me", **bearer(body["token"])).status_code == 200
    with time_machine.travel(expires + timedelta(seconds=1)):
        expired = client.get("/api/v1/citizen/me", **bearer(body["token"]))
        assert expired.status_code == 401
        assert expired.json() == {"error": {"code": "unauthorized", "message": "您的登录已过期，请重新登录。"}}
        english = client.get("/api/v1/citizen/me", HTTP_ACCEPT_LANGUAGE="en", **bearer(body["token"]))
        assert english.json()["error"]["message"] == "Your sign-in has expired. Please sign in again."
        # Public endpoints that tell citizens more treat it as nobody, not as an error.
        assert client.get("/api/v1/organisations", **bearer(body["token"])).status_code == 200


def test_ending_one_sign_in_leaves_the_others(client, sms_outbox):
    first = api_token(client, sms_outbox, "13900000102")["token"]
    sms_outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        second = api_token(client, sms_outbox, "13900000102", agent="Other phone")["token"]
    listed = client.get("/api/v1/citizen/sessions", **bearer(first)).json()["results"]
    assert [s["device"] for s in listed] == ["Other phone", PHONE_APP]
    assert [s["current"] for s in listed] == [False, True]
    assert all(s["kind"] == "api" and s["expires_at"] for s in listed)
    ended = client.post(f"/api/v1/citizen/sessions/{listed[0]['id']}/end", **bearer(first))
    assert ended.status_code == 200
    refused = client.get("/api/v1/citizen/me", **bearer(second))
    assert refused.status_code == 401
    assert refused.json()["error"] == {"code": "unauthorized", "message": "此次登录已结束，请重新登录。"}
    assert client.get("/api/v1/citizen/me", **bearer(first)).status_code == 200
    assert len(client.get("/api/v1/citizen/sessions", **bearer(first)).json()["results"]) == 1


def test_a_citizen_cannot_end_anothers_sign_in(client, sms_outbox):
    mine = api_token(client, sms_outbox, "13900000103")["token"]
    theirs = api_token(client, sms_outbox, "13900000104", address="198.51.100.9")["token"]
    their_id = client.get("/api/v1/citizen/sessions", **bearer(theirs)).json()["results"][0]["id"]
    refused = client.post(f"/api/v1/citizen/sessions/{their_id}/end", **bearer(mine))
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/citizen/me", **bearer(theirs)).status_code == 200


def test_signing_out_ends_this_token_only(client, sms_outbox):
    token = api_token(client, sms_outbox, "13900000105")["token"]
    sms_outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        browser = web_sign_in(sms_outbox, "13900000105")
    assert client.post("/api/v1/citizen/sign-out", **bearer(token)).status_code == 200
    assert client.get("/api/v1/citizen/me", **bearer(token)).status_code == 401
    assert browser.get("/citizen/").status_code == 200


def test_sign_out_everywhere_ends_every_token_and_browser_session(client, sms_outbox):
    mobile = "13900000106"
    phone = api_token(client, sms_outbox, mobile)["token"]
    sms_outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        tablet = api_token(client, sms_outbox, mobile, agent="Tablet")["token"]
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        browser = web_sign_in(sms_outbox, mobile)
    listed = client.get("/api/v1/citizen/sessions", **bearer(phone)).json()["results"]
    assert sorted(s["kind"] for s in listed) == ["api", "api", "web"]
    assert DESKTOP in [s["device"] for s in listed]

    everywhere = client.post("/api/v1/citizen/sign-out-everywhere", **bearer(tablet))
    assert everywhere.status_code == 200 and everywhere.json() == {"ended": 3}
    for token in (phone, tablet):
        assert client.get("/api/v1/citizen/me", **bearer(token)).status_code == 401
    page = browser.get("/citizen/")
    assert page.status_code == 302 and page["Location"].startswith("/citizen/sign-in/")
    assert not CitizenSession.objects.filter(ended_at__isnull=True).exists()


def test_the_devices_page_lists_and_ends_sign_ins(client, sms_outbox):
    mobile = "13900000107"
    token = api_token(client, sms_outbox, mobile)["token"]
    sms_outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        browser = web_sign_in(sms_outbox, mobile)
    page = browser.get("/citizen/devices/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "已登录的设备" in html and PHONE_APP in html and DESKTOP in html and "本设备" in html
    app_session = CitizenSession.objects.get(kind="api")
    ended = browser.post(f"/citizen/devices/{app_session.pk}/end/", follow=True)
    assert "该登录已结束" in ended.content.decode()
    assert client.get("/api/v1/citizen/me", **bearer(token)).status_code == 401
    assert PHONE_APP not in browser.get("/citizen/devices/").content.decode()

    english = browser.get("/citizen/devices/?lang=en").content.decode()
    assert "Signed-in devices" in english and "This device" in english


def test_sign_out_everywhere_from_the_web(client, sms_outbox):
    mobile = "13900000108"
    token = api_token(client, sms_outbox, mobile)["token"]
    sms_outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        other_browser = web_sign_in(sms_outbox, mobile, agent="Firefox")
    sms_outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        browser = web_sign_in(sms_outbox, mobile)
    response = browser.post("/citizen/devices/sign-out-everywhere/", follow=True)
    assert "您已在所有设备上退出登录" in response.content.decode()
    assert client.get("/api/v1/citizen/me", **bearer(token)).status_code == 401
    for b in (browser, other_browser):
        assert b.get("/citizen/").status_code == 302


def test_the_web_sign_out_ends_the_recorded_session(sms_outbox):
    browser = web_sign_in(sms_outbox, "13900000109")
    assert CitizenSession.objects.get().ended_at is None
    browser.post("/citizen/sign-out/")
    assert CitizenSession.objects.get().ended_at is not None


def test_someone_else_cannot_end_a_browser_sign_in(sms_outbox):
    victim = web_sign_in(sms_outbox, "13900000110")
    other = web_sign_in(sms_outbox, "13900000111", address="198.51.100.3")
    record = CitizenSession.objects.get(citizen__mobile="13900000110")
    assert other.post(f"/citizen/devices/{record.pk}/end/").status_code == 404
    assert victim.get("/citizen/").status_code == 200


def test_old_sign_ins_are_forgotten_by_the_worker(client, sms_outbox):
    from wagtail.models import APIToken

    from civichall.core.periodic import run_periodic_jobs

    old = api_token(client, sms_outbox, "13900000112")["token"]
    client.post("/api/v1/citizen/sign-out", **bearer(old))
    sms_outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        fresh = api_token(client, sms_outbox, "13900000112")["token"]
        assert run_periodic_jobs()["forget_old_citizen_sign_ins"] == "ok"
        assert CitizenSession.objects.count() == 1 and APIToken.objects.count() == 1
        assert client.get("/api/v1/citizen/me", **bearer(fresh)).status_code == 200
