"""Every link of the demo account menu leads to a page that exists."""

from urllib.parse import urlsplit

from civichall.channels.wechat import menu
from civichall.contrib.demo import departments as demo_departments
from civichall.contrib.demo.catalog import demo_menu
from tests.services.django_fixtures import *  # noqa: F401,F403


def test_every_demo_menu_link_answers(svc, client):
    site = "https://civichall.example.org"
    parsed = menu.parse_wechat_menu(demo_menu(site))
    links = [item.url for column in parsed.columns for item in getattr(column, "items", [column])
             if getattr(item, "url", None)]
    assert len(links) >= 8
    for url in links:
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == site
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 302:  # e.g. "my account" asks to sign in first
            assert response["Location"].startswith("/citizen/sign-in/"), url
    assert demo_departments.DEMO_API_KEY not in str(demo_menu(site))
