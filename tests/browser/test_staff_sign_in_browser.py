"""A reviewer signs in to the admin in a real (headless) browser: the
password, then the set-up of an authenticator from the page's QR code and
key, the recovery codes; next time a recovery code. Screenshots go to
test-results/."""

import os
import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from .pages import new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def code_for(key_text):
    """The six digits an authenticator app shows for the key as printed."""
    secret = key_text.replace(" ", "")
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(page, base_url, username, password):
    page.goto(base_url + "/admin/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", password)
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")


def test_a_reviewer_sets_up_two_factor_sign_in_and_later_uses_a_recovery_code(
        live_server, make_org, make_staff, chromium, results_dir):
    org = make_org("traffic")
    make_staff("chief", org, "reviewer")
    context, page, problems = new_page(chromium(), live_server)

    sign_in(page, live_server.url, "chief", "pw-chief")
    assert "/admin/two-factor/setup/" in page.url
    assert page.locator("#two-factor-required").is_visible()
    assert page.locator("main").count() == 1  # the icons are icons, not this page again
    qr = page.locator(".two-factor-qr svg")
    box = qr.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    page.screenshot(path=str(results_dir / "two-factor-setup.png"), full_page=True)

    page.fill("input[name='code']", code_for(page.locator("#two-factor-secret").inner_text()))
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    codes = [c.strip() for c in page.locator("#recovery-codes li").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8,16}", c) for c in codes)
    with page.expect_navigation():
        page.click("text=我已保存，继续")
    assert page.url.rstrip("/").endswith("/admin")
    assert page.locator("#wagtail-sidebar").count() == 1

    # Next time: the password, then a recovery code.
    context.clear_cookies()
    sign_in(page, live_server.url, "chief", "pw-chief")
    assert "/admin/two-factor/verify/" in page.url
    page.fill("input[name='code']", codes[0])
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    assert page.url.rstrip("/").endswith("/admin")
    assert "还剩 9 个" in page.content()
    page.screenshot(path=str(results_dir / "two-factor-recovery-code.png"), full_page=True)
    assert problems == []
    context.close()
