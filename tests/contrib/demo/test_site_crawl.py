"""What a newcomer meets in the browser, checked over the whole demo site:

* every internal link (``href``) and picture (``src``) reachable from the
  home page and the service menus leads somewhere, in Chinese and English;
* every public and citizen page rendered in Chinese asks the catalogue only
  for messages it has (no English left on the Chinese site).

The demo is loaded once for the module, inside a transaction rolled back at
the end; the crawl is bounded by a number of pages far above the demo's.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client, override_settings

from civichall.contrib.demo.identity import DEMO_RESIDENTS
from civichall.services import runtime
from tests.catalogue_spy import missing_messages
from tests.conftest import last_code
from tests.demo_loading import load_demo_completely
from tests.services.django_fixtures import department  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

MAX_PAGES = 4000  # the demo has about a thousand pages per language
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/api/")
SEEDS = ["/", "/services/"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, department, tmp_path_factory):
    """The whole demo, its query services answered by the fake department."""
    media = tmp_path_factory.mktemp("crawl-media")
    var = tmp_path_factory.mktemp("crawl-var")
    with override_settings(MEDIA_ROOT=str(media), VAR_DIR=var, CIVICHALL_DEMO_DEPARTMENT_URL=department), \
            django_db_blocker.unblock():
        cache.clear()
        runtime.forget_connectors()
        with transaction.atomic():
            load_demo_completely()
            yield media
            transaction.set_rollback(True)
        runtime.forget_connectors()
        cache.clear()


@pytest.fixture
def media(demo, settings):
    settings.MEDIA_ROOT = str(demo)
    return demo


# --- reading pages ------------------------------------------------------------------


class Links(HTMLParser):
    """The ``href`` of links and ``src`` of pictures in a page."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link", "area") and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag in ("img", "script", "source", "video") and attrs.get("src"):
            self.found.append(attrs["src"])


def internal(base, href):
    """The site path (with query, without fragment and language switch) of
    ``href``, or None for what the crawl does not follow."""
    if href.startswith(("mailto:", "tel:", "javascript:", "data:", "weixin:")):
        return None
    parts = urlsplit(urljoin(base, href.strip()))
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"])
    return urlunsplit(("", "", parts.path, query, ""))


def file_exists(path):
    """Static files and uploads are served by the web server, not Django."""
    from django.conf import settings

    if path.startswith(settings.STATIC_URL):
        return finders.find(path[len(settings.STATIC_URL):]) is not None
    if path.startswith(settings.MEDIA_URL):
        return default_storage.exists(path[len(settings.MEDIA_URL):])
    return None


def crawl(client, seeds, on_page=None):
    """Breadth-first over internal links; returns (pages visited, broken
    links as (target, status, page that links to it))."""
    queue = deque((seed, "(start)") for seed in seeds)
    seen = set(seeds)
    broken, visited = [], 0
    while queue:
        path, source = queue.popleft()
        exists = file_exists(path)
        if exists is not None:
            if not exists:
                broken.append((path, "missing file", source))
            continue
        visited += 1
        assert visited <= MAX_PAGES, "the crawl went beyond its bound; a link must be generating pages"
        response = client.get(path)
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response["Location"]]
        elif response.status_code == 200:
            if on_page:
                on_page(path, response)
            if not response["Content-Type"].startswith("text/html"):
                continue
            parser = Links()
            parser.feed(response.content.decode())
            targets = parser.found
        else:
            broken.append((path, response.status_code, source))
            continue
        for href in targets:
            target = internal(path, href)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append((target, path))
    return visited, broken


# --- the tests -----------------------------------------------------------------------


def test_no_broken_internal_link_in_chinese(media):
    client = Client()
    with missing_messages() as missing:
        visited, broken = crawl(client, SEEDS)
    assert visited > 300
    assert broken == []
    assert sorted(missing) == [], "not in the catalogue:\n" + "\n".join(sorted(missing))


def repeated_ids(html):
    """The ``id`` values used more than once in ``html`` (a label, a skip
    link or an anchor then points at the wrong element)."""
    ids = re.findall(r'\sid="([^"]+)"', html)
    return sorted({i for i in ids if ids.count(i) > 1})


def test_no_broken_internal_link_in_english(media):
    client = Client()
    assert client.get("/?lang=en").status_code == 200
    repeated = []

    def check_ids(path, response):
        if response["Content-Type"].startswith("text/html"):
            found = repeated_ids(response.content.decode())
            if found:
                repeated.append((path, found))

    visited, broken = crawl(client, SEEDS, on_page=check_ids)
    assert visited > 300
    assert broken == []
    assert repeated == [], sorted({i for _p, ids in repeated for i in ids})


def test_links_of_the_chinese_crawl_include_every_service_card(media):
    """The demo articles' cards are part of what is crawled, and lead to service pages."""
    client = Client()
    cards = []

    def on_page(path, response):
        cards.extend(re.findall(r'class="service-card" href="([^"]+)"', response.content.decode()))

    crawl(client, SEEDS, on_page)
    assert len(set(cards)) >= 15
    assert all(client.get(card).status_code == 200 for card in set(cards))


def test_citizen_pages_speak_chinese(media, sms_outbox):
    resident = DEMO_RESIDENTS[4]  # the demo leaves 刘浩然 unverified (the others have applications)
    client = Client()
    with missing_messages() as missing:
        pages = [
            client.get("/citizen/sign-in/"),
            client.post("/citizen/sign-in/", {"mobile": "123"}),
            client.post("/citizen/sign-in/", {"mobile": resident["mobile"]}),
            client.post("/citizen/sign-in/", {"mobile": resident["mobile"], "code": "000000x"}),
        ]
        code = last_code(sms_outbox, resident["mobile"])
        signed_in = client.post("/citizen/sign-in/", {"mobile": resident["mobile"], "code": code})
        pages += [
            client.get("/citizen/"),
            client.post("/citizen/", {"name": resident["name"], "id_number": "310101198803120000"}),
            client.post("/citizen/", {"name": resident["name"], "id_number": resident["id_number"]}, follow=True),
            client.get("/citizen/devices/"),
            client.get("/citizen/notifications/"),
        ]
    assert signed_in.status_code == 302
    assert [p.status_code for p in pages] == [200, 400, 200, 400, 200, 400, 200, 200, 200]
    sign_in, bad_mobile, code_page, bad_code = (p.content.decode() for p in pages[:4])
    assert "登录" in sign_in and "手机号" in sign_in
    assert "验证码" in code_page and "代码" not in code_page.replace("验证码", "")
    assert "验证码" in bad_code
    assert "实名" in pages[4].content.decode()
    sms = [text for mobile, text in sms_outbox if mobile == resident["mobile"]][-1]
    assert "验证码" in sms and code in sms
    assert sorted(missing) == [], "not in the catalogue:\n" + "\n".join(sorted(missing))
