"""What every public page offers a newcomer: a way to sign in from the
header, then "my account" and the notifications (with the unread count); a
favicon; and from the home page, a way to every article."""

import re

import pytest
from django.contrib.staticfiles import finders

from civichall.notify.services import notify_citizen

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def header(page):
    return page[page.index('<header class="site-header">'):page.index("</header>")]


def test_anonymous_visitor_can_sign_in_from_the_header_and_come_back(client):
    top = header(html(client.get("/topics/?page=1")))
    link = re.search(r'<a class="switch" id="sign-in" href="([^"]+)">登录</a>', top)
    assert link, top
    assert link.group(1) == "/citizen/sign-in/?next=/topics/%3Fpage%3D1"
    assert client.get(link.group(1).replace("&amp;", "&")).status_code == 200
    assert 'id="my-account"' not in top
    english = header(html(client.get("/?lang=en")))
    assert '>Sign in</a>' in english


def test_signed_in_citizen_reaches_account_and_notifications(client, make_citizen):
    citizen = make_citizen("13900000077")
    client.force_login(citizen.user)
    top = header(html(client.get("/")))
    assert 'id="sign-in"' not in top
    assert '<a class="switch" id="my-account" href="/citizen/">我的账户</a>' in top
    assert re.search(r'id="my-notifications" href="/citizen/notifications/">消息通知</a>', top)

    notify_citizen(citizen, "answer", "您的问题已有答复。")
    notify_citizen(citizen, "answer", "您的另一个问题已有答复。")
    top = header(html(client.get("/")))
    assert re.search(r'id="my-notifications" href="/citizen/notifications/">消息通知 '
                     r'<span class="count" aria-hidden="true">2</span><span class="visually-hidden">2 条未读</span></a>',
                     top), top
    assert html(client.get("/citizen/notifications/"))

    account = html(client.get("/citizen/"))
    assert 'id="notifications-link" href="/citizen/notifications/"' in account


def test_every_page_names_a_favicon_that_exists(client):
    page = html(client.get("/"))
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', page)
    assert icon and finders.find(icon.group(1))


def test_home_leads_to_all_articles_page_by_page(client, make_org, make_article):
    org = make_org("metro", name_zh="上海地铁")
    for number in range(25):
        make_article(org, title=f"第{number + 1}篇通知", slug=f"notice-{number + 1}", publish=True)
    home = html(client.get("/"))
    link = re.search(r'<a class="more" id="all-articles" href="([^"]+)">全部文章 →</a>', home)
    assert link and link.group(1) == "/articles/"
    first = html(client.get("/articles/"))
    assert "<h1>全部文章</h1>" in first
    assert first.count('class="card') >= 1
    pages = re.search(r"第 1 页，共 (\d+) 页", first)
    assert pages, first[first.index("<main"):][:2000]
    titles = set()
    for number in range(1, int(pages.group(1)) + 1):
        titles |= set(re.findall(r"第\d+篇通知", html(client.get(f"/articles/?page={number}"))))
    assert titles == {f"第{n}篇通知" for n in range(1, 26)}
    assert "All articles" in html(client.get("/articles/?lang=en"))
