"""The Content-Security-Policy seen by a real browser: the public pages and
the API docs load without a single violation (no inline script or style
refused, no request to another origin), and the API docs' Swagger UI runs
from our own static files."""

import pytest

from tests.conftest import SAMPLE_BODY

from .pages import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHART = {"type": "chart", "value": {
    "title": "地铁客流", "chart_type": "bar", "unit": "万人次", "source": "",
    "table": {"data": [["月份", "工作日", "周末"], ["5月", "100", "60"], ["6月", "120", "80"]]},
}}


def test_public_pages_and_api_docs_load_without_policy_violations(
        live_server, chromium, make_org, make_article, topic):
    from civichall.services.models import Service, ServiceKind

    org = make_org("metro", name_zh="上海地铁")
    article = make_article(org, title="轨道交通恢复运营", slug="metro-open", publish=True,
                           body=SAMPLE_BODY + [CHART], topics=[topic])
    Service.objects.create(code="residence-permit", kind=ServiceKind.APPLICATION, organisation=org,
                           name_zh="居住登记", name_en="Residence registration")
    browser = chromium()
    context, page, problems = new_page(browser, live_server)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))

    for path in ("/", article.url, "/services/", "/services/residence-permit/", "/citizen/sign-in/",
                 "/no-such-page/"):
        response = page.goto(live_server.url + path)
        assert response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
    # The chart's legend draws its colours without style attributes.
    page.goto(live_server.url + article.url)
    assert page.locator("figure.chart svg.chart-svg rect").count() >= 4

    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector("#swagger-ui .swagger-ui", timeout=20000)  # the bundle ran
    assert violations == []
    assert [p for p in problems if "no-such-page" not in p] == []
    context.close()
