"""Queries per public page when the page cache misses.

A page the cache cannot answer (just published, just purged) is rendered for
the crowd's first reader; its cost must not grow with the comments, the
articles or the services on it. Every page stays within 10 queries; the
budgets are today's counts, so that a change that adds a query per comment,
per article or per level of the page tree fails here. What keeps them low:
the levels of a path in one query and the article with its account,
section, withdrawal and review state in one more (content/routing.py), the
comments with their questions, the site profile, whether any page is
restricted and the topic index's address kept in the shared cache until
they change (core/memo.py, content/restrictions.py).
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civichall.accounts.policy import SYSTEM
from civichall.core.page_cache import GENERATION_KEY, _move_on
from civichall.interaction import actions
from civichall.services.actions import do_save_hub, do_save_service

pytestmark = pytest.mark.django_db

BUDGETS = {"home": 7, "article": 10, "account": 10, "topic": 8, "hub": 3, "directory": 8}


@pytest.fixture
def busy_site(make_org, make_article, make_staff, topic, make_citizen):
    """An account and a bureau with 12 articles, 22 comments (questions, one
    answered) on the newest, and a hub of 20 services from both."""
    from civichall.accounts.models import Role

    city = make_org("shanghai", kind="municipal")
    bureau = make_org("transport", parent=city)
    articles = [make_article(city if i % 2 else bureau, title=f"民生文章{i}", publish=True, topics=[topic])
                for i in range(12)]
    article = articles[-1]
    citizens = [make_citizen(f"139000001{i:02d}") for i in range(5)]
    comments = [actions.do_post_comment(citizens[i % 5], article, f"第{i}条：末班车几点？", rate_limit=False)
                for i in range(22)]
    editor = make_staff("city_editor", city, Role.EDITOR)
    actions.do_reply(editor, comments[0], "您好，末班车时间以车站公告为准，谢谢关注。")
    services = [do_save_service(SYSTEM, None, code=f"service-{i}", kind="link", organisation=city if i % 2 else bureau,
                                name_zh=f"服务{i}", link_url="https://example.org/") for i in range(20)]
    do_save_hub(SYSTEM, None, services=services, slug="hall", organisation=city, name_zh="市政大厅", show_linked=True)
    return {
        "home": "/", "article": article.url, "account": article.get_parent().url, "topic": "/topics/traffic/",
        "hub": "/services/hub/hall/", "directory": "/accounts/",
    }


@pytest.mark.parametrize("page", list(BUDGETS))
def test_a_page_the_cache_misses_stays_within_its_query_budget(busy_site, page):
    reader = Client()
    assert reader.get(busy_site[page]).status_code == 200  # warms what every request shares
    _move_on(GENERATION_KEY)  # the page cache misses, as after a purge
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(busy_site[page])
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    assert len(queries) <= BUDGETS[page], "\n".join(q["sql"][:160] for q in queries.captured_queries)


def test_a_restricted_page_is_still_refused_and_leaves_the_cache(busy_site):
    """Wagtail's view restrictions are skipped only while there are none:
    restricting a cached page takes it away from anonymous readers at once."""
    from wagtail.models import Page, PageViewRestriction

    path = busy_site["article"]
    reader = Client()
    reader.get(path)
    assert reader.get(path)["X-Page-Cache"] == "hit"
    page = Page.objects.get(url_path__endswith=path.rstrip("/").rsplit("/", 1)[-1] + "/")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    answer = Client().get(path)
    assert answer.status_code == 302, answer.status_code  # to the sign-in page, not the article
    assert "X-Page-Cache" not in answer and path not in answer["Location"].split("?")[0]
