"""Every kind of public and citizen page, on the loaded demo, in a real
(headless) Chromium on a phone-sized screen:

* axe-core (the engine shipped by ``axe-playwright-python``) finds no
  violation of the WCAG 2.1 A/AA rules;
* the layout a newcomer complained about stays fixed: round avatars, the
  article heading where every page has its heading, Q&A answers beside
  their badge.
"""

from pathlib import Path

import axe_playwright_python
import pytest

from civichall.content.models import Topic
from tests.demo_loading import load_demo_completely
from tests.identity import RESIDENTS

from .pages import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
METRO_ARTICLE = "/accounts/shanghai/metro-resumes-basic-operation/"

PUBLIC_PAGES = {
    "home": "/",
    "all articles": "/articles/",
    "article with comments": METRO_ARTICLE,
    "topic index": "/topics/",
    "directory": "/accounts/",
    "organisation": "/accounts/shanghai-metro/",
    "services": "/services/",
    "hub": "/services/hub/municipal-hall/",
    "service": "/services/garbage_sorting/?item=电池",
    "service search": "/services/search/?q=公积金",
    "sign-in": "/citizen/sign-in/",
    "not found": "/no-such-page/",
}


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page, as readable lines."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
        for v in result["violations"] for node in v["nodes"]
    ]


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state()
    return response.status


def test_every_page_kind_has_no_wcag_violation(live_server, media_cleanup, chromium, sms_outbox):
    chromium.require()
    load_demo_completely()
    topic = f"/topics/{Topic.objects.first().slug}/"
    browser = chromium()
    # The site's Content-Security-Policy forbids inline scripts; axe is injected by the test.
    context, page, problems = new_page(browser, live_server, bypass_csp=True)
    found = {}
    for name, path in {**PUBLIC_PAGES, "topic": topic}.items():
        status = visit(page, live_server.url + path)
        assert status == (404 if name == "not found" else 200), (name, status)
        found[name] = axe_violations(page)
        visit(page, live_server.url + path + ("&" if "?" in path else "?") + "lang=en")
        found[name + " (English)"] = axe_violations(page)

    # The citizen's own pages: the code page, "my account", the notifications.
    resident = RESIDENTS[0]
    visit(page, live_server.url + "/citizen/sign-in/?lang=zh-hans")
    page.fill("input[name=mobile]", resident["mobile"])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    found["code"] = axe_violations(page)
    code = [text for mobile, text in sms_outbox if mobile == resident["mobile"]][-1]
    page.fill("input[name=code]", "".join(ch for ch in code if ch.isdigit())[:6])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/citizen/")
    found["my account"] = axe_violations(page)
    visit(page, live_server.url + "/citizen/notifications/")
    found["notifications"] = axe_violations(page)
    visit(page, live_server.url + METRO_ARTICLE)
    found["article, signed in"] = axe_violations(page)
    context.close()

    assert {name: lines for name, lines in found.items() if lines} == {}
    assert [p for p in problems if "/no-such-page/" not in p] == []  # that one is meant to be 404


def test_layout_a_newcomer_complained_about(live_server, media_cleanup, chromium):
    chromium.require()
    load_demo_completely()
    browser = chromium()
    context, page, _problems = new_page(browser, live_server)

    # Organisation avatars are round, not stretched.
    visit(page, live_server.url + "/accounts/")
    sizes = page.eval_on_selector_all(".avatar", "els => els.map(e => [e.getBoundingClientRect().width, "
                                                  "e.getBoundingClientRect().height])")
    assert len(sizes) == 96
    assert all(abs(w - h) < 1 for w, h in sizes), sizes[:5]
    visit(page, live_server.url + "/accounts/shanghai-metro/")
    box = page.locator(".avatar.large").bounding_box()
    assert abs(box["width"] - box["height"]) < 1

    # The article heading starts where the other pages' headings start.
    visit(page, live_server.url + "/topics/")
    topic_left = page.locator("main h1").bounding_box()["x"]
    visit(page, live_server.url + METRO_ARTICLE)
    assert abs(page.locator("main h1").bounding_box()["x"] - topic_left) < 1

    # Q&A: on a phone every answer starts beside its badge, never under it.
    visit(page, live_server.url + "/articles/")
    qa_article = page.evaluate("""async () => {
        for (const a of document.querySelectorAll('.card a')) {
            const html = await (await fetch(a.href)).text();
            if (html.includes('class="qa"')) return a.getAttribute('href');
        }
        return null;
    }""")
    assert qa_article
    visit(page, live_server.url + qa_article)
    pairs = page.eval_on_selector_all(".qa dd", """dds => dds.map(dd => {
        const badge = dd.querySelector('.a').getBoundingClientRect();
        const answer = dd.querySelector('.answer').getBoundingClientRect();
        return [badge.right, answer.left, badge.top, answer.top];
    })""")
    assert pairs
    for badge_right, answer_left, badge_top, answer_top in pairs:
        assert answer_left >= badge_right  # beside the badge
        assert abs(answer_top - badge_top) < 20  # on its line
    context.close()
