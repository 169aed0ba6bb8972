"""Citizens sign in with a mobile number and a one-time code, and verify
their real name through the identity provider."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from civichall.accounts import citizens
from civichall.accounts.identity import id_check_digit
from civichall.accounts.models import Citizen, OneTimeCode
from tests.conftest import last_code
from tests.identity import RESIDENTS, ResidentsProvider

pytestmark = pytest.mark.django_db


def test_sign_in_creates_the_citizen_once(sms_outbox):
    citizens.do_request_code("139 0000 0001")
    code = last_code(sms_outbox, "13900000001")
    first = citizens.do_sign_in_with_code("13900000001", code)
    assert first.mobile == "13900000001"
    assert first.public_name == "139****0001"
    assert OneTimeCode.objects.get().code_hash != code  # only a digest is stored
    with pytest.raises(ValidationError):
        citizens.do_sign_in_with_code("13900000001", code)  # a code works once


@pytest.mark.parametrize("bad", ["", "123", "2390000000a", "12345678901", "1390000000", "139000000011", None])
def test_bad_mobile_numbers_are_refused_clearly(bad):
    with pytest.raises(ValidationError) as error:
        citizens.do_request_code(bad)
    assert "11" in " ".join(error.value.messages)


def test_wrong_code_counts_attempts_and_locks(sms_outbox):
    citizens.do_request_code("13900000002")
    right = last_code(sms_outbox, "13900000002")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(citizens.MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            citizens.do_sign_in_with_code("13900000002", wrong)
    with pytest.raises(ValidationError):  # locked even with the right code now
        citizens.do_sign_in_with_code("13900000002", right)
    assert not Citizen.objects.exists()


# Rate limits count in fixed windows: freeze the clock inside one window.
IN_ONE_WINDOW = time_machine.travel("2026-06-01 10:00:05 +08:00", tick=False)


@IN_ONE_WINDOW
def test_codes_are_rate_limited_per_number(sms_outbox):
    citizens.do_request_code("13900000003")
    with pytest.raises(citizens.RateLimited):
        citizens.do_request_code("13900000003")
    assert len(sms_outbox) == 1


def test_the_configured_provider_verifies_its_residents_only():
    provider = ResidentsProvider()
    resident = RESIDENTS[0]
    assert provider.verify(resident["name"], resident["id_number"].lower()) == resident["subject"]
    assert provider.verify("别人", resident["id_number"]) is None
    assert provider.verify(resident["name"], resident["id_number"][:-1] + "0") is None
    for r in RESIDENTS:
        assert id_check_digit(r["id_number"][:17]) == r["id_number"][17]


def test_without_an_identity_provider_verification_is_refused_clearly(make_citizen, settings):
    """A deployment that has not configured its identity service refuses
    verification with a message, not an error page; no attempt is counted."""
    settings.CIVICHALL_IDENTITY_PROVIDER = ""
    citizen = make_citizen("13900000009")
    resident = RESIDENTS[0]
    with pytest.raises(ValidationError) as refused:
        citizens.do_verify_identity(citizen, resident["name"], resident["id_number"])
    assert "本站尚未配置实名核验服务" in " ".join(refused.value.messages)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        citizens.do_verify_identity(citizen, resident["name"], resident["id_number"])
    assert "no identity service is configured" in " ".join(refused.value.messages)
    for _ in range(6):  # more than the attempts an hour allows: none was counted
        with pytest.raises(ValidationError):
            citizens.do_verify_identity(citizen, resident["name"], resident["id_number"])
    citizen.refresh_from_db()
    assert not citizen.is_verified


def test_without_an_identity_provider_the_profile_page_says_so(client, make_citizen, settings):
    settings.CIVICHALL_IDENTITY_PROVIDER = ""
    citizen = make_citizen("13900000013")
    client.force_login(citizen.user)
    resident = RESIDENTS[0]
    page = client.post("/citizen/", {"name": resident["name"], "id_number": resident["id_number"]})
    assert page.status_code == 400
    assert "本站尚未配置实名核验服务" in page.content.decode()


def test_verification_binds_one_identity_to_one_citizen(make_citizen):
    first = make_citizen("13900000004", verify_as="R0001")
    assert first.is_verified and first.verified_subject == "R0001"
    assert first.verified_name_masked == "陈**"
    second = make_citizen("13900000005")
    resident = RESIDENTS[0]
    with pytest.raises(ValidationError):
        citizens.do_verify_identity(second, resident["name"], resident["id_number"])
    with pytest.raises(ValidationError):
        citizens.do_verify_identity(second, "", "")


def test_only_the_citizen_sees_their_record(make_citizen, make_staff, superuser):
    me = make_citizen("13900000006")
    other = make_citizen("13900000007")
    assert citizens.access_citizen(me.user, me) == me
    with pytest.raises(PermissionDenied):
        citizens.access_citizen(other.user, me)
    staff = make_staff("editor")
    with pytest.raises(PermissionDenied):
        citizens.access_citizen(staff, me, "view_personal")
    from wagtail.models import ModelLogEntry

    citizens.access_citizen(superuser, me, "view_personal")
    assert ModelLogEntry.objects.filter(action="civichall.citizen.personal_data_viewed").count() == 1
    from civichall.accounts.personal_data import accesses_for

    seen = list(accesses_for(me))
    assert [(a.staff, a.what) for a in seen] == [(superuser, "identity")]  # the citizen sees who looked
    assert not list(accesses_for(other))


def test_require_verified(make_citizen):
    plain = make_citizen("13900000008")
    with pytest.raises(PermissionDenied):
        citizens.require_verified(plain.user)
    verified = make_citizen("13900000009", verify_as="R0002")
    assert citizens.require_verified(verified.user) == verified


def test_wechat_identity_links_to_the_same_citizen(make_citizen):
    by_mobile = make_citizen("13900000010")
    citizens.do_link_wechat(by_mobile, "oWECHAT123")
    assert citizens.do_sign_in_with_wechat("oWECHAT123") == by_mobile
    stranger = citizens.do_sign_in_with_wechat("oOTHER")
    with pytest.raises(ValidationError):
        citizens.do_link_wechat(stranger, "oWECHAT123")


@IN_ONE_WINDOW
def test_sign_in_pages_without_javascript(client, sms_outbox):
    page = client.get("/citizen/sign-in/")
    assert page.status_code == 200
    bad = client.post("/citizen/sign-in/", {"mobile": "abc"})
    assert bad.status_code == 400
    sent = client.post("/citizen/sign-in/", {"mobile": "13900000011"})
    assert sent.status_code == 200 and 'name="code"' in sent.content.decode()
    again = client.post("/citizen/sign-in/", {"mobile": "13900000011"})
    assert again.status_code == 429
    wrong = client.post("/citizen/sign-in/", {"mobile": "13900000011", "code": "x"})
    assert wrong.status_code == 400
    code = last_code(sms_outbox, "13900000011")
    done = client.post("/citizen/sign-in/", {"mobile": "13900000011", "code": code, "next": "/citizen/"})
    assert done.status_code == 302
    profile = client.get("/citizen/")
    assert profile.status_code == 200 and "139****0011" in profile.content.decode()
    resident = RESIDENTS[2]
    failed = client.post("/citizen/", {"name": resident["name"], "id_number": "310101199001011234"})
    assert failed.status_code == 400
    ok = client.post("/citizen/", {"name": resident["name"], "id_number": resident["id_number"]})
    assert ok.status_code == 302
    assert 'id="verified"' in client.get("/citizen/").content.decode()


def test_profile_needs_sign_in(client):
    response = client.get("/citizen/")
    assert response.status_code == 302 and "/citizen/sign-in/" in response["Location"]


def test_unsafe_next_is_not_followed(client, sms_outbox):
    client.post("/citizen/sign-in/", {"mobile": "13900000012"})
    code = last_code(sms_outbox, "13900000012")
    done = client.post("/citizen/sign-in/", {"mobile": "13900000012", "code": code, "next": "https://evil.example/"})
    assert done["Location"] == "/citizen/"
