"""Headers and defaults: a Content-Security-Policy on every page with no
inline script or style in the public site, the API docs from our own
files, cookies marked Secure over HTTPS, personal answers never stored,
and the site's own 404 page in the demo (DEBUG on)."""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import SAMPLE_BODY

pytestmark = pytest.mark.django_db

CHART = {"type": "chart", "value": {
    "title": "地铁客流", "chart_type": "line", "unit": "万人次", "source": "",
    "table": {"data": [["月份", "工作日", "周末"], ["5月", "100", "60"], ["6月", "120", "80"]]},
}}


class InlineCode(HTMLParser):
    """Inline scripts, event-handler attributes and style attributes of a page."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self._script = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            self._script = attrs

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        # A script element with code in it (JSON data blocks are not run).
        if self._script is not None and data.strip() and "src" not in self._script \
                and self._script.get("type") not in ("application/json", "application/ld+json"):
            self.found.append(f"<script>{data.strip()[:40]}")


def policy(response):
    header = response.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    return dict((part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in header.split(";")) if part)


@pytest.fixture
def pages(make_org, make_article, topic, make_citizen):
    from civichall.services.models import Service, ServiceKind

    org = make_org("metro", name_zh="上海地铁")
    article = make_article(org, title="轨道交通恢复运营", slug="metro-open", publish=True,
                           body=SAMPLE_BODY + [CHART], topics=[topic])
    Service.objects.create(code="residence-permit", kind=ServiceKind.APPLICATION, organisation=org,
                           name_zh="居住登记", name_en="Residence registration")
    return {"article": article.url, "service": "/services/residence-permit/"}


def test_public_pages_have_a_strict_policy_and_no_inline_code(client, pages, make_citizen):
    citizen = make_citizen("13900000081")
    paths = ["/", pages["article"], pages["service"], "/services/", "/citizen/sign-in/", "/no-such-page/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        directives = policy(response)
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", path
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'self'"
        assert InlineCode(response.content.decode()).found == [], path
    assert "<svg class=\"swatch\"" in client.get(pages["article"]).content.decode()  # the chart legend
    client.force_login(citizen.user)
    for path in ("/citizen/", "/citizen/notifications/"):
        response = client.get(path)
        assert response.status_code == 200
        assert InlineCode(response.content.decode()).found == [], path
        assert "script-src" in policy(response)


def test_api_answers_and_the_admin_have_a_policy_too(client, superuser):
    assert policy(client.get("/api/v1/articles"))["default-src"] == "'self'"
    login = client.get("/admin/login/")
    directives = policy(login)
    # Wagtail's admin has inline scripts of its own: allowed there only.
    assert "'unsafe-inline'" in directives["script-src"]


def test_api_docs_use_swagger_ui_files_of_our_own(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources and "/static/ninja/swagger-ui.css" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert InlineCode(html).found == []
    bundle = client.get("/static/ninja/swagger-ui-bundle.js")
    assert bundle.status_code == 200


@pytest.mark.parametrize("secure", [True, False])
def test_preference_cookies_are_secure_over_https(client, secure):
    language = client.get("/", {"lang": "en"}, secure=secure).cookies["civichall_language"]
    elder = client.post("/preferences/elder-mode/", {"on": "1", "next": "/"}, secure=secure).cookies["civichall_elder"]
    assert bool(language["secure"]) is secure and bool(elder["secure"]) is secure
    assert language["samesite"] == elder["samesite"] == "Lax"


def test_personal_answers_are_never_stored(client, pages, make_citizen):
    home = client.get("/")
    assert "no-store" not in home.get("Cache-Control", "")
    citizen = make_citizen("13900000082")
    client.force_login(citizen.user)
    for path in ("/citizen/", "/citizen/notifications/"):
        assert "no-store" in client.get(path)["Cache-Control"], path
    query = client.post("/api/v1/services/residence-permit/query", {}, content_type="application/json")
    assert "no-store" in query["Cache-Control"]
    token = client.post("/api/v1/citizen/me", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert "no-store" in token["Cache-Control"] and "private" in token["Cache-Control"]


def test_demo_404_is_the_sites_own_page(client, settings, pages):
    settings.DEBUG = True  # as `make demo` runs
    for path in ("/no-such-page/", "/no-such-file.txt", "/services/no-such-service/"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.content.decode()
        assert "页面未找到" in html and 'class="site-header"' in html, path
        assert "DEBUG = True" not in html and "Using the URLconf" not in html
        assert "script-src" in policy(response)
    api = client.get("/api/v2/nothing")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
