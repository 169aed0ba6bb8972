"""Language choice and elder-friendly mode: what a visitor switches and
what the site remembers for them."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 3600
CJK = re.compile(r"[\u4e00-\u9fff]")


class Chrome(HTMLParser):
    """<html lang>, <body class> and the elder-mode form of a page."""

    def __init__(self, html):
        super().__init__()
        self.lang = None
        self.body_class = []
        self.inputs = {}
        self.switch = None
        self.form_action = None
        self.form_method = None
        self._in_switch = False
        self.switch_text = ""
        self.has_form_token = "csrfmiddlewaretoken" in html
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "body":
            self.body_class = (attrs.get("class") or "").split()
        elif tag == "form" and attrs.get("action") == "/preferences/elder-mode/":
            self.form_action = attrs["action"]
            self.form_method = attrs.get("method")
        elif tag == "input" and self.form_action and attrs.get("name"):
            self.inputs.setdefault(attrs["name"], attrs.get("value"))
        elif tag == "button" and attrs.get("id") == "elder-switch":
            self.switch = attrs
            self._in_switch = True

    def handle_endtag(self, tag):
        if tag == "button":
            self._in_switch = False

    def handle_data(self, data):
        if self._in_switch:
            self.switch_text += data.strip()


def chrome(response):
    assert response.status_code == 200
    return Chrome(response.content.decode())


@pytest.fixture
def site(make_org, make_article, topic):
    org = make_org("metro", name_zh="上海地铁")
    return make_article(org, title="轨道交通恢复运营", slug="metro", publish=True, topics=[topic])


# --- language ----------------------------------------------------------------------


def test_chinese_by_default(client, site):
    response = client.get("/")
    page = chrome(response)
    assert page.lang == "zh-Hans"
    assert response["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert "长辈模式" in page.switch_text
    menu = html[html.index('<nav class="bottom-nav"'):]
    menu = menu[:menu.index("</nav>")]
    assert CJK.search(re.sub(r"<[^>]+>", "", menu))
    assert 'id="lang-switch"' in html and 'href="?lang=en"' in html and ">English<" in html
    assert "Elder mode" not in html and ">Home<" not in html


def test_lang_switch_is_remembered_in_a_cookie(client, site):
    response = client.get("/?lang=en")
    page = chrome(response)
    assert page.lang == "en"
    assert page.switch_text == "Elder mode"
    cookie = response.cookies["civichall_language"]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == ONE_YEAR
    assert cookie["samesite"] == "Lax"
    # No parameter any more: the cookie keeps English, on every page.
    for url in ("/", "/topics/", site.url):
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, url
        assert "Elder mode" in html and ">中文<" in html, url
    # and the switch back to Chinese is remembered too
    response = client.get("/topics/?lang=zh-hans")
    assert chrome(response).lang == "zh-Hans"
    assert response.cookies["civichall_language"].value == "zh-hans"
    assert chrome(client.get("/")).lang == "zh-Hans"


def test_accept_language_english_gets_english(client, site):
    for header in ("en", "en-US,en;q=0.9", "en-GB"):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
        assert chrome(response).lang == "en", header
        assert response["Content-Language"] == "en"
        assert "civichall_language" not in response.cookies  # only an explicit switch is remembered


@pytest.mark.parametrize("header", ["zh-CN,zh;q=0.9", "zh-TW", "fr-FR", "ja", "", "*"])
def test_other_languages_get_chinese(client, site, header):
    assert chrome(client.get("/", HTTP_ACCEPT_LANGUAGE=header)).lang == "zh-Hans"


def test_cookie_beats_accept_language_and_parameter_beats_cookie(client, site):
    client.cookies["civichall_language"] = "zh-hans"
    assert chrome(client.get("/", HTTP_ACCEPT_LANGUAGE="en")).lang == "zh-Hans"
    assert chrome(client.get("/?lang=en")).lang == "en"


@pytest.mark.parametrize("value", ["xx", "", "<script>", "fr"])
def test_unknown_lang_parameter_is_ignored(client, site, value):
    response = client.get("/", {"lang": value})
    assert chrome(response).lang == "zh-Hans"
    assert "civichall_language" not in response.cookies


def test_a_nul_lang_parameter_is_refused_in_chinese(client, site):
    response = client.get("/", {"lang": "\x00"})
    assert response.status_code == 400
    assert "无法处理的字符" in response.content.decode()
    assert "civichall_language" not in response.cookies


def test_responses_vary_on_language_inputs(client, site):
    vary = client.get("/")["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


# --- elder mode --------------------------------------------------------------------


def test_pages_offer_the_elder_switch_as_a_plain_form(client, site):
    # Asked by GET like the language switch: no form token in the page
    # chrome, so the page is the same for every reader (the page cache keeps it).
    page = chrome(client.get("/topics/?page=1"))
    assert page.form_action == "/preferences/elder-mode/" and page.form_method == "get"
    assert page.inputs["on"] == "1"
    assert page.inputs["next"] == "/topics/?page=1"
    assert not page.has_form_token
    assert page.switch["type"] == "submit" and page.switch["aria-pressed"] == "false"
    assert "elder" not in page.body_class


def test_switching_elder_mode_on_and_off(client, site):
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": site.url})
    assert response.status_code == 302
    assert response["Location"] == site.url
    cookie = response.cookies["civichall_elder"]
    assert cookie.value == "1"
    assert int(cookie["max-age"]) == ONE_YEAR
    assert cookie["samesite"] == "Lax"

    page = chrome(client.get(site.url))
    assert "elder" in page.body_class and "article" in page.body_class
    assert page.switch["aria-pressed"] == "true"
    assert page.switch_text == "标准模式"
    assert page.inputs["on"] == "0"
    assert "elder" in chrome(client.get("/")).body_class  # remembered on every page

    response = client.post("/preferences/elder-mode/", {"on": "0", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["civichall_elder"].value == ""
    assert int(response.cookies["civichall_elder"]["max-age"]) == 0
    page = chrome(client.get("/"))
    assert "elder" not in page.body_class
    assert page.switch_text == "长辈模式"


def test_elder_switch_works_like_a_browser_without_javascript(site):
    browser = Client(enforce_csrf_checks=True)
    page = chrome(browser.get("/topics/"))
    response = browser.get(page.form_action, page.inputs)  # exactly what the form sends
    assert response.status_code == 302 and response["Location"] == "/topics/"
    assert "elder" in chrome(browser.get("/topics/")).body_class
    back = chrome(browser.get("/topics/"))
    assert back.inputs["on"] == "0"
    browser.get(back.form_action, back.inputs)
    assert "elder" not in chrome(browser.get("/topics/")).body_class
    # A form post (older pages, other clients) still needs its token.
    stranger = Client(enforce_csrf_checks=True)
    assert stranger.post("/preferences/elder-mode/", {"on": "1", "next": "/"}).status_code == 403


def test_elder_mode_in_english(client, site):
    client.post("/preferences/elder-mode/", {"on": "1", "next": "/"})
    page = chrome(client.get("/?lang=en"))
    assert "elder" in page.body_class and page.switch_text == "Standard mode"


@pytest.mark.parametrize("target", [
    "https://evil.example/phish",
    "//evil.example/",
    "http://evil.example",
    "javascript:alert(1)",
    "https://testserver.evil.example/",
    "\\\\evil.example",
    "",
])
def test_unsafe_next_is_not_followed(client, site, target):
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["civichall_elder"].value == "1"


def test_next_on_this_site_is_followed(client, site):
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": "http://testserver/accounts/"})
    assert response["Location"] == "http://testserver/accounts/"
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": "/topics/traffic/?page=2"})
    assert response["Location"] == "/topics/traffic/?page=2"


def test_elder_switch_also_works_as_a_link(client, site):
    response = client.get("/preferences/elder-mode/", {"on": "1", "next": "/topics/"})
    assert response.status_code == 302 and response["Location"] == "/topics/"
    assert response.cookies["civichall_elder"].value == "1"
    assert client.put("/preferences/elder-mode/").status_code == 405
