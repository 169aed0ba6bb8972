"""A citizen uses the service matrix in a real (headless) browser on a
phone-sized screen: the Municipal Hall, the bottom menu, the garbage lookup,
a bus query; then the department system behind the bus service goes down,
and that one service says so kindly while the rest of the hall keeps
working. Screenshots go to test-results/."""

import os
import time
from urllib.parse import parse_qs, urlparse

import pytest

from civichall.contrib.demo import fake_department
from civichall.services import runtime

from .pages import PHONE, new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def department():
    """The fake department system on a free port, for this test only."""
    fake_department.set_mode("ok")
    server, base_url = fake_department.start(port=0)
    state = {"server": server, "url": base_url}
    yield state
    fake_department.set_mode("ok")
    if state["server"] is not None:
        fake_department.stop(state["server"])


@pytest.fixture
def service_matrix(department, settings, tmp_path, media_cleanup):
    """The demo organisations and service matrix, wired to the department above."""
    from django.core.cache import cache

    from civichall.contrib.demo import load_accounts as accounts_demo
    from civichall.contrib.demo import load_services as services_demo

    settings.VAR_DIR = tmp_path  # the demo connectors' files
    cache.clear()
    runtime.forget_connectors()
    accounts_demo.load_organisations()
    services_demo.load_services(department["url"])
    yield
    runtime.forget_connectors()
    cache.clear()


def ask(page, field_values):
    """Fill the query form and send it, as a person would."""
    for name, value in field_values.items():
        page.fill(f"form.query-form [name='{name}']", value)
    with page.expect_navigation():
        page.click("form.query-form button[type=submit]")


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_hall_garbage_bus_and_a_department_going_down(live_server, media_cleanup, chromium, results_dir,
                                                     department, service_matrix, buses_running):
    chromium.require()
    context, page, problems = new_page(chromium(), live_server)

    # The Municipal Hall: at least 20 services as tiles, grouped by account.
    page.goto(live_server.url + "/services/hub/municipal-hall/")
    assert page.locator("h1").inner_text() == "市民大厅"
    assert page.locator(".tile a").count() >= 20
    assert page.locator(".hub-section h2").count() >= 2
    assert fits_the_phone(page)
    page.screenshot(path=str(results_dir / "services-hub.png"), full_page=True)

    # The account's menu at the bottom opens without JavaScript's help.
    column = page.locator(".bottom-nav details").first
    column.locator("summary").click()
    assert column.locator(".menu-items").is_visible()
    assert column.locator(".menu-items li").count() <= 5
    assert column.locator("a[href='/services/garbage_sorting/']").is_visible()
    page.screenshot(path=str(results_dir / "services-menu.png"))
    column.locator("summary").click()

    # Garbage sorting: 奶茶杯 goes in the dry waste bin.
    with page.expect_navigation():
        page.click(".tile a[data-service='garbage_sorting']")
    assert page.locator("h1").inner_text() == "垃圾分类查询"
    assert page.locator("label[for='field-item']").inner_text().startswith("物品名称")
    ask(page, {"item": "奶茶杯"})
    card = page.locator(".garbage-card")
    assert card.is_visible()
    assert "garbage-dry" in card.get_attribute("class")
    assert "干垃圾" in card.locator(".garbage-category").inner_text()
    assert page.locator("[name='item']").input_value() == "奶茶杯"
    # The answer has its own address: a public lookup can be bookmarked.
    assert parse_qs(urlparse(page.url).query)["item"] == ["奶茶杯"]
    assert fits_the_phone(page)
    page.screenshot(path=str(results_dir / "services-garbage.png"), full_page=True)

    # Real-time bus at 人民广场: the next buses in minutes.
    page.goto(live_server.url + "/services/hub/municipal-hall/")
    with page.expect_navigation():
        page.click(".tile a[data-service='bus_realtime']")
    ask(page, {"stop": "人民广场"})
    arrivals = page.locator(".arrival")
    assert arrivals.count() >= 1
    assert any(word in arrivals.first.locator(".minutes").inner_text() for word in ("分钟", "即将进站"))
    assert page.locator(".notice-box.unavailable").count() == 0
    assert fits_the_phone(page)
    page.screenshot(path=str(results_dir / "services-bus.png"), full_page=True)

    # The department system stops. Its last real-time feed is kept for 15 s;
    # drop it rather than wait, and ask about another stop than the cached one.
    fake_department.stop(department["server"])
    department["server"] = None
    runtime.forget_connectors()
    started = time.monotonic()
    page.goto(live_server.url + "/services/bus_realtime/?stop=" + "徐家汇")
    assert time.monotonic() - started < 3
    box = page.locator(".notice-box.unavailable")
    assert box.is_visible()
    assert "暂时无法查询" in box.inner_text()
    assert "12345" in box.inner_text()  # the alternative: the hotline and the stop's signs
    assert page.locator("[name='stop']").input_value() == "徐家汇"  # try again later from here
    assert page.locator(".arrival").count() == 0
    page.screenshot(path=str(results_dir / "services-bus-down.png"), full_page=True)

    # The rest of the hall keeps working: the hub, and the garbage lookup (local data).
    with page.expect_navigation():
        page.click("text=返回全部服务")
    page.goto(live_server.url + "/services/hub/municipal-hall/")
    assert page.locator(".tile a").count() >= 20
    with page.expect_navigation():
        page.click(".tile a[data-service='garbage_sorting']")
    ask(page, {"item": "用过的纸巾"})
    assert "干垃圾" in page.locator(".garbage-card .garbage-category").inner_text()
    same_name = page.goto(live_server.url + "/services/same_name/?name=王伟")
    assert same_name.status == 200 and page.locator(".big-figure").inner_text() == "9522"

    # Elder mode: bigger type, two tiles a row, still readable on the phone.
    page.goto(live_server.url + "/services/garbage_sorting/?item=过期药品")
    standard = page.eval_on_selector(".garbage-category", "e => parseFloat(getComputedStyle(e).fontSize)")
    with page.expect_navigation():
        page.click("#elder-switch")
    assert "elder" in page.locator("body").get_attribute("class").split()
    assert "garbage-hazardous" in page.locator(".garbage-card").get_attribute("class")
    elder = page.eval_on_selector(".garbage-category", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert elder >= standard * 1.2
    assert fits_the_phone(page)
    page.screenshot(path=str(results_dir / "services-garbage-elder.png"), full_page=True)
    page.goto(live_server.url + "/services/hub/municipal-hall/")
    columns = page.evaluate("getComputedStyle(document.querySelector('.tiles')).gridTemplateColumns.split(' ').length")
    assert columns == 2
    page.screenshot(path=str(results_dir / "services-hub-elder.png"))
    context.close()
    assert problems == []


def test_search_and_a_personal_service_without_javascript(live_server, media_cleanup, chromium, results_dir,
                                                          service_matrix):
    chromium.require()
    context, page, problems = new_page(chromium(), live_server, java_script_enabled=False)

    # One window from the home page.
    page.goto(live_server.url + "/")
    assert page.locator(".services-slot .tile a").count() >= 1
    page.fill("#home-q", "社保卡办好了没")
    with page.expect_navigation():
        page.click(".services-slot form.service-search button")
    assert "/assistant/" in page.url  # the home page's box asks the smart assistant
    assert page.locator(".answer-list a[href='/services/social_security_card/']").first.is_visible()
    page.screenshot(path=str(results_dir / "services-search.png"), full_page=True)

    page.goto(live_server.url + "/services/search/?q=量子纠缠")
    assert "12345" in page.locator("#search-message").inner_text()

    # A personal service asks who you are before anything else.
    page.goto(live_server.url + "/services/hospital_reports/")
    link = page.locator(".notice-box.sign-in a.button")
    assert link.is_visible()
    with page.expect_navigation():
        link.click()
    assert urlparse(page.url).path == "/citizen/sign-in/"
    assert parse_qs(urlparse(page.url).query)["next"] == ["/services/hospital_reports/"]
    context.close()
    assert problems == []
