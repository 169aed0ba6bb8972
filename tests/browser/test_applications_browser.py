"""The whole loop of an online application in a real (headless) browser on
a phone-sized screen: a demo resident signs in, verifies their real name,
agrees to the prefill, finds the unemployment benefit form filled from the
department systems, types the rest, uploads a material, confirms the
declaration and gets a tracking number; the case officer accepts and asks
for more material (through the named actions); the resident supplements;
the officer approves; the resident downloads the decision letter, opens its
verification page and rates the service. Screenshots go to test-results/."""

import os
import re

import pytest

from civichall.applications import actions
from civichall.applications.letter import verify_token
from civichall.applications.models import Case
from civichall.contrib.demo import fake_department
from civichall.contrib.demo.identity import DEMO_RESIDENTS
from civichall.services import runtime
from tests.applications.conftest import pdf_bytes
from tests.conftest import last_code

from .pages import PHONE, new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: What the resident types where the city holds nothing.
TYPED = {"separation_date": "2026-10-30", "job_intent": "软件测试工程师", "bank_name": "中国工商银行上海市分行",
         "bank_account": "6222021001112223334"}


@pytest.fixture
def demo_applications(settings, tmp_path, sms_outbox, media_cleanup):
    from django.core.cache import cache

    from civichall.contrib.demo import load_accounts, load_applications

    settings.CIVICHALL_IDENTITY_PROVIDER = "civichall.contrib.demo.identity.DemoIdentityProvider"
    settings.VAR_DIR = tmp_path  # uploads and letters of this test only
    fake_department.set_mode("ok")
    server, base_url = fake_department.start(port=0)
    cache.clear()
    runtime.forget_connectors()
    load_accounts.load_organisations()
    load_applications.load_prefill_sources(base_url)
    load_applications.load_definitions()
    load_applications.load_officers()
    yield sms_outbox
    runtime.forget_connectors()
    fake_department.stop(server)


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_a_resident_applies_without_typing_what_the_city_holds(live_server, chromium, results_dir, tmp_path,
                                                               demo_applications):
    from django.contrib.auth import get_user_model

    chromium.require()
    resident = next(r for r in DEMO_RESIDENTS if r["mobile"] == "13800000001")
    context, page, problems = new_page(chromium(), live_server, accept_downloads=True)
    base = live_server.url
    page.goto(base + "/applications/unemployment_insurance/")
    assert "失业保险金" in page.locator("h1").inner_text()

    # Sign in with the code sent by SMS, then verify the real name once.
    click_and_wait(page, "#sign-in-to-apply")
    page.fill("[name=mobile]", resident["mobile"])
    click_and_wait(page, "form.stack button[type=submit]")
    page.fill("[name=code]", last_code(demo_applications, resident["mobile"]))
    click_and_wait(page, "form.stack button[type=submit]")
    click_and_wait(page, "#verify")
    page.fill("[name=name]", resident["name"])
    page.fill("[name=id_number]", resident["id_number"])
    click_and_wait(page, "form.stack button[type=submit]")
    assert page.url.endswith("/applications/unemployment_insurance/")

    # Consent, in plain words, per source.
    click_and_wait(page, "#apply")
    assert "用于本次申请，从市人社局获取您的参保记录。" in page.content()
    page.screenshot(path=str(results_dir / "applications-consent.png"), full_page=True)
    click_and_wait(page, "#consent-continue")

    # The steps: what the city holds is there already; the rest is typed.
    typed = []
    for _ in range(8):
        if "/step/" not in page.url:
            break
        assert fits_the_phone(page)
        for name, value in TYPED.items():
            field = page.locator(f"input[name={name}]")
            if field.count() and not field.input_value():
                field.fill(value)
                typed.append(name)
        for group in page.locator("[role=radiogroup]").all():
            if not group.locator("input:checked").count():
                group.locator("input").first.check()
        click_and_wait(page, "#next")
    assert "/materials/" in page.url
    assert set(typed) <= set(TYPED)
    assert "已从电子证照库获取，无需上传。" in page.content()
    proof = tmp_path / "离职证明.pdf"
    proof.write_bytes(pdf_bytes())
    page.set_input_files("#file-separation_proof", str(proof))
    click_and_wait(page, "#file-separation_proof ~ button")
    click_and_wait(page, "#to-review")
    assert "上海浦江软件科技有限公司" in page.content()  # fetched, not typed
    page.check("#declare")
    click_and_wait(page, "#submit")
    number = page.locator("#case-number").inner_text()
    assert re.fullmatch(r"SQ-\d{8}-\d{6}", number)
    page.screenshot(path=str(results_dir / "applications-submitted.png"), full_page=True)

    # The officer accepts and asks for more material.
    officer = get_user_model().objects.get(username="hrss_officer")
    case = Case.objects.get(number=number)
    actions.do_transition(officer, case, "accept")
    actions.do_transition(officer, case, "ask_material", reason="请补交原单位加盖公章的离职证明。")
    page.reload()
    assert "请补交原单位加盖公章的离职证明。" in page.content()
    page.select_option("#supplement-code", "separation_proof")
    page.set_input_files("form[enctype] input[type=file]", str(proof))
    click_and_wait(page, "form[enctype] button[type=submit]")
    click_and_wait(page, "#supplement-done")
    assert page.locator("#case-state").inner_text() == "审核中"

    # Approved and completed: the letter, its verification, the rating.
    case.refresh_from_db()
    actions.do_transition(officer, case, "approve")
    case = actions.do_transition(officer, case, "complete")
    page.reload()
    with page.expect_download() as download:
        page.click("#letter")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    page.goto(base + f"/applications/verify/{verify_token(case)}/")
    assert page.locator("#verified").inner_text() == "该决定书真实有效。"
    page.goto(base + f"/applications/cases/{number}/")
    page.check("input[name=score][value='5']")
    page.check("input[name=reason][value='材料简化']")
    click_and_wait(page, "#rate")
    assert "5 / 5" in page.content()
    page.screenshot(path=str(results_dir / "applications-completed.png"), full_page=True)
    assert not problems, problems
