"""Staff sign-in to the admin: wrong passwords lock the (account, address)
pair for a cool-off; administrators, reviewers and superusers must pass a
second factor (authenticator code or one-time recovery code); others may
turn it on. Everything goes through the real sign-in and code pages."""

import io
import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from civichall.accounts import twofactor

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.CIVICHALL_STAFF_TWO_FACTOR = True


@pytest.fixture
def org(make_org):
    return make_org("traffic")


def sign_in(browser, username, password=None, **extra):
    return browser.post("/admin/login/", {"username": username, "password": password or f"pw-{username}",
                                          "next": "/admin/"}, **extra)


def code_now(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def enrol(browser, user):
    """Set up an authenticator through the pages; returns (device, recovery codes)."""
    page = browser.get("/admin/two-factor/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = browser.post("/admin/two-factor/setup/", {"code": code_now(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8,16})</li>", done.content.decode())
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


# --- lockout -------------------------------------------------------------------------


def test_wrong_passwords_lock_the_account_from_that_address_even_for_the_right_one(make_staff, org):
    make_staff("editor", org, "editor")
    browser = Client(REMOTE_ADDR="203.0.113.10")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _n in range(LIMIT - 1):
            wrong = sign_in(browser, "editor", "guess")
            assert wrong.status_code == 200 and "_auth_user_id" not in browser.session
        locked = sign_in(browser, "editor", "guess")
        assert locked.status_code == 429
        right = sign_in(browser, "editor")
        assert right.status_code == 429
        html = right.content.decode()
        assert "登录已被锁定" in html and "15 分钟后再试" in html
        assert "_auth_user_id" not in browser.session
        english = sign_in(browser, "editor", HTTP_ACCEPT_LANGUAGE="en", QUERY_STRING="lang=en")
        assert english.status_code == 429
        assert "Please try again in 15 minutes." in browser.post(
            "/admin/login/?lang=en", {"username": "editor", "password": "pw-editor"}).content.decode()
        # Another address may still sign in to the same account.
        elsewhere = sign_in(Client(REMOTE_ADDR="198.51.100.20"), "editor")
        assert elsewhere.status_code == 302
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        after = sign_in(browser, "editor")
        assert after.status_code == 302 and browser.get("/admin/").status_code == 200


def test_a_forged_forwarded_address_does_not_escape_the_lockout(make_staff, org, settings):
    settings.CIVICHALL_TRUSTED_PROXIES = 1
    make_staff("editor", org, "editor")
    browser = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(LIMIT):
        sign_in(browser, "editor", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.10")
    refused = sign_in(browser, "editor", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.10")
    assert refused.status_code == 429


def test_lockout_can_be_lifted_by_an_operator(make_staff, org):
    make_staff("editor", org, "editor")
    browser = Client(REMOTE_ADDR="203.0.113.11")
    for _n in range(LIMIT):
        sign_in(browser, "editor", "guess")
    assert sign_in(browser, "editor").status_code == 429
    call_command("axes_reset_username", "editor", stdout=io.StringIO())
    assert sign_in(browser, "editor").status_code == 302


# --- two factors ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["administrator", "reviewer"])
def test_administrators_and_reviewers_must_set_up_an_authenticator(make_staff, org, role):
    user = make_staff("chief", org, role)
    browser = Client()
    signed_in = sign_in(browser, "chief")
    assert signed_in.status_code == 302
    for path in ("/admin/", "/admin/pages/", "/admin/reports/site-history/", "/admin/two-factor/"):
        sent = browser.get(path)
        assert sent.status_code == 302, path
        assert sent["Location"].startswith("/admin/two-factor/setup/?next="), path
    # The set-up page's icons and interface translations still load.
    assert browser.get("/admin/sprite/").status_code == 200
    assert browser.get("/admin/jsi18n/").status_code == 200
    page = browser.get("/admin/two-factor/setup/")
    html = page.content.decode()
    assert "<svg" in html and "管理员和审核人必须先设置两步验证" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert twofactor.secret_text(device) in html
    wrong = browser.post("/admin/two-factor/setup/", {"code": "12345x"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert browser.get("/admin/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        device, codes = enrol(browser, user)
        assert len(codes) == twofactor.RECOVERY_CODE_COUNT == len(set(codes))
        assert browser.get("/admin/").status_code == 200
    # The codes were shown once: the settings page only counts them.
    settings_page = browser.get("/admin/two-factor/").content.decode()
    assert "还剩 10 个恢复码" in settings_page and codes[0] not in settings_page
    assert ModelLogEntry.objects.filter(action="civichall.twofactor.enabled", object_id=str(user.pk)).exists()


def test_superusers_must_use_two_factors(superuser):
    browser = Client()
    assert sign_in(browser, "root").status_code == 302
    assert browser.get("/admin/")["Location"].startswith("/admin/two-factor/setup/")


def test_with_an_authenticator_a_code_is_needed_after_the_password(make_staff, org):
    user = make_staff("chief", org, "reviewer")
    first = Client()
    sign_in(first, "chief")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        device, _codes = enrol(first, user)

    browser = Client()
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert sign_in(browser, "chief").status_code == 302
        sent = browser.get("/admin/pages/")
        assert sent.status_code == 302
        assert sent["Location"] == "/admin/two-factor/verify/?next=%2Fadmin%2Fpages%2F"
        # The set-up page cannot be used to replace the authenticator without it.
        assert browser.get("/admin/two-factor/setup/")["Location"].startswith("/admin/two-factor/verify/")
        assert browser.post("/admin/two-factor/setup/", {"code": "000000"}).status_code == 302
        wrong_code = "000000" if code_now(device) != "000000" else "111111"
        wrong = browser.post("/admin/two-factor/verify/", {"code": wrong_code, "next": "/admin/pages/"})
        assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
        too_soon = browser.post("/admin/two-factor/verify/", {"code": code_now(device)})
        assert too_soon.status_code == 400 and "错误次数过多" in too_soon.content.decode()
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        passed = browser.post("/admin/two-factor/verify/", {"code": code_now(device), "next": "/admin/pages/"})
        assert passed.status_code == 302 and passed["Location"] == "/admin/pages/"
        assert browser.get("/admin/").status_code == 200
        # The same code cannot be used twice.
        again = Client()
        sign_in(again, "chief")
        assert again.post("/admin/two-factor/verify/", {"code": code_now(device)}).status_code == 400


def test_recovery_codes_work_once_each(make_staff, org):
    user = make_staff("chief", org, "administrator")
    browser = Client()
    sign_in(browser, "chief")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _device, codes = enrol(browser, user)
    first = Client()
    sign_in(first, "chief")
    used = first.post("/admin/two-factor/verify/", {"code": codes[0].upper(), "next": "/admin/"}, follow=True)
    assert used.status_code == 200 and used.redirect_chain[-1][0] == "/admin/"
    assert "还剩 9 个" in used.content.decode()

    second = Client()
    sign_in(second, "chief")
    refused = second.post("/admin/two-factor/verify/", {"code": codes[0]})
    assert refused.status_code == 400 and "恢复码已被使用" in refused.content.decode()
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert second.post("/admin/two-factor/verify/", {"code": codes[1]}).status_code == 302
        assert second.get("/admin/").status_code == 200
    assert twofactor.recovery_codes_left(user) == twofactor.RECOVERY_CODE_COUNT - 2


def test_new_recovery_codes_replace_the_old_ones(make_staff, org):
    user = make_staff("chief", org, "administrator")
    browser = Client()
    sign_in(browser, "chief")
    _device, old = enrol(browser, user)
    page = browser.post("/admin/two-factor/recovery-codes/")
    new = re.findall(r"<li>([a-z2-7]{8,16})</li>", page.content.decode())
    assert len(new) == twofactor.RECOVERY_CODE_COUNT and not set(new) & set(old)
    other = Client()
    sign_in(other, "chief")
    assert other.post("/admin/two-factor/verify/", {"code": old[2]}).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert other.post("/admin/two-factor/verify/", {"code": new[2]}).status_code == 302


def test_editors_may_turn_two_factors_on_and_are_then_asked(make_staff, org):
    user = make_staff("writer", org, "editor")
    browser = Client()
    sign_in(browser, "writer")
    assert browser.get("/admin/").status_code == 200  # optional for editors
    assert "两步验证未开启" in browser.get("/admin/two-factor/").content.decode()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        device, _codes = enrol(browser, user)
    later = Client()
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        sign_in(later, "writer")
        assert later.get("/admin/")["Location"].startswith("/admin/two-factor/verify/")
        assert later.post("/admin/two-factor/verify/", {"code": code_now(device)}).status_code == 302
        off = later.post("/admin/two-factor/off/", follow=True)
        assert "两步验证已关闭" in off.content.decode()
    assert not twofactor.is_enrolled(user)


def test_reviewers_cannot_turn_two_factors_off(make_staff, org):
    user = make_staff("chief", org, "reviewer")
    browser = Client()
    sign_in(browser, "chief")
    enrol(browser, user)
    refused = browser.post("/admin/two-factor/off/", follow=True)
    assert "必须保持开启两步验证" in refused.content.decode()
    assert twofactor.is_enrolled(user)


def test_the_operator_console_resets_and_issues_codes(make_staff, org):
    user = make_staff("chief", org, "reviewer")
    browser = Client()
    sign_in(browser, "chief")
    enrol(browser, user)
    out = io.StringIO()
    call_command("otp", "status", "chief", stdout=out)
    assert out.getvalue().strip() == "chief: two-factor on; required; 10 recovery codes left"
    out = io.StringIO()
    call_command("otp", "recovery-codes", "chief", stdout=out)
    printed = re.findall(r"^  ([a-z2-7]+)$", out.getvalue(), re.M)
    assert len(printed) == twofactor.RECOVERY_CODE_COUNT
    helped = Client()
    sign_in(helped, "chief")
    assert helped.post("/admin/two-factor/verify/", {"code": printed[0]}).status_code == 302

    call_command("otp", "reset", "chief", stdout=io.StringIO())
    lost_phone = Client()
    sign_in(lost_phone, "chief")
    assert lost_phone.get("/admin/")["Location"].startswith("/admin/two-factor/setup/")


def test_the_public_site_and_api_do_not_ask_for_a_second_factor(make_staff, org):
    make_staff("chief", org, "reviewer")
    browser = Client()
    sign_in(browser, "chief")
    assert browser.get("/api/v1/organisations").status_code == 200
    assert browser.get("/citizen/sign-in/").status_code == 200


def test_the_account_page_leads_to_the_two_factor_settings(make_staff, org):
    make_staff("writer", org, "editor")
    browser = Client()
    sign_in(browser, "writer")
    html = browser.get("/admin/account/").content.decode()
    assert 'href="/admin/two-factor/"' in html and "两步验证" in html
