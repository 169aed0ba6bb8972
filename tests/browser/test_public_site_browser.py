"""A reader's visit in a real (headless) browser on a phone-sized screen:
the home page, the article that uses every block type, and elder mode
switched on and remembered. Screenshots go to test-results/."""


import pytest

from tests.demo_loading import load_demo_completely

from .pages import PHONE, new_page

BLOCK_TYPES = ["rich_text", "heading", "image", "image_sequence", "video", "chart", "poster",
               "qa_list", "key_points", "step_guide", "extra_reading", "service_card"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def images_loaded(page, selector):
    """Scroll every shown (lazy) picture into view; True for each that loaded."""
    return page.evaluate("""async (selector) => {
        const shown = [...document.querySelectorAll(selector)].filter(i => i.getClientRects().length);
        for (const img of shown) {
            img.scrollIntoView();
            if (!img.complete) {
                await Promise.race([
                    new Promise(done => { img.onload = img.onerror = done; }),
                    new Promise(done => setTimeout(done, 10000)),
                ]);
            }
        }
        window.scrollTo(0, 0);
        return shown.map(img => img.complete && img.naturalWidth > 0);
    }""", selector)


def font_size(page, selector):
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def colour(page, selector):
    return page.eval_on_selector(selector, "e => getComputedStyle(e).color")


def screenshot(page, path):
    """A full-page screenshot with every lazy picture loaded first."""
    images_loaded(page, "img")
    page.screenshot(path=str(path), full_page=True)


def test_reader_visit_with_elder_mode(live_server, media_cleanup, chromium, results_dir):
    chromium.require()  # before the slow part
    load_demo_completely()
    browser = chromium()
    context, page, problems = new_page(browser, live_server)

    # Home: the latest articles, topics and the service slot, in Chinese.
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "上海发布" in page.title()
    assert page.locator(".card").count() == 10
    assert page.locator("#topics-heading").is_visible()
    assert page.locator("#services-heading").is_visible()
    assert page.locator("#elder-switch").inner_text().strip() == "长辈模式"
    assert all(images_loaded(page, ".card img"))
    standard = {sel: font_size(page, sel) for sel in ("body", "#latest-heading", ".card-title", ".card-summary")}
    screenshot(page, results_dir / "home.png")

    # The article with every block type, reached from the home page.
    page.click("a[href$='/all-blocks-showcase/']")
    page.wait_for_load_state()
    assert page.url.endswith("/all-blocks-showcase/")
    assert page.locator("h1").inner_text() == "夏季防汛防台安全指南"
    for block_type in BLOCK_TYPES:
        block = page.locator(f".block-{block_type}").first
        assert block.is_visible(), block_type
        assert block.bounding_box()["height"] > 10, block_type
    assert page.locator(".block-chart svg.chart-svg").is_visible()
    assert page.locator(".block-chart svg rect").count() >= 4
    assert page.locator(".block-chart details.chart-data table").count() == 1
    assert page.locator(".block-poster details[open]").is_visible()
    assert "暴雨预警信号分为四级" in page.locator(".block-poster").inner_text()
    assert page.locator(".block-image_sequence .frames li").count() == 3
    assert page.locator(".block-service_card a.service-card").is_visible()
    body_images = images_loaded(page, "main img")
    assert body_images and all(body_images), body_images
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    standard_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    screenshot(page, results_dir / "article.png")

    # Elder mode: one press, and it is remembered after a reload.
    with page.expect_navigation():
        page.click("#elder-switch")
    assert page.url.endswith("/all-blocks-showcase/")
    assert "elder" in page.locator("body").get_attribute("class").split()
    page.reload()
    assert "elder" in page.locator("body").get_attribute("class").split()
    assert page.locator("#elder-switch").inner_text().strip() == "标准模式"
    assert page.locator("#elder-switch").get_attribute("aria-pressed") == "true"
    elder_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert elder_size >= standard_size * 1.2
    cookie = next(c for c in context.cookies() if c["name"] == "civichall_elder")
    assert cookie["value"] == "1" and cookie["expires"] > 0  # kept across browser restarts
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, results_dir / "article-elder.png")
    page.goto(live_server.url + "/")
    assert "elder" in page.locator("body").get_attribute("class").split()
    # Everything grows, headings stay bigger than text, the header stays readable.
    for selector, size in standard.items():
        assert font_size(page, selector) >= size * 1.2, selector
    assert font_size(page, "#latest-heading") > font_size(page, "body")
    for selector in (".brand", "#elder-switch", "#lang-switch"):
        assert colour(page, selector) == "rgb(255, 255, 255)", selector
    screenshot(page, results_dir / "home-elder.png")
    context.close()
    assert problems == []

    # Without JavaScript the article still shows everything and the switch still works.
    context, page, problems = new_page(browser, live_server, java_script_enabled=False)
    page.goto(live_server.url + "/accounts/water-authority/all-blocks-showcase/")
    for block_type in BLOCK_TYPES:
        assert page.locator(f".block-{block_type}").first.is_visible(), block_type
    page.click("#elder-switch")
    page.wait_for_load_state()
    assert "elder" in page.locator("body").get_attribute("class").split()
    context.close()
    assert problems == []
