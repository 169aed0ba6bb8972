"""The page cache is never stale: after each change a reader relies on, the
next anonymous request shows it; and nothing personal is ever kept.

Every test first makes the page a cache hit (the second anonymous request is
answered from the cache), then changes something through the product's own
action, then asks once more."""

import pytest
from django.test import Client
from wagtail.models import Site

from civichall.accounts.actions import do_save_organisation
from civichall.accounts.policy import SYSTEM
from civichall.content import actions as content_actions
from civichall.content.models import SupplementPage
from civichall.core.site_actions import do_save_site_profile
from civichall.interaction import actions
from civichall.services.actions import do_import_menu, do_save_hub, do_save_service

pytestmark = pytest.mark.django_db

ANSWER = "您好，末班车延长至23:30，各站时间以车站公告为准。"


def cached(path, **headers):
    """The page at ``path`` for an anonymous reader, asked until it is a cache hit."""
    reader = Client()
    first = reader.get(path, **headers)
    assert first.status_code == 200, path
    second = reader.get(path, **headers)
    assert second["X-Page-Cache"] == "hit", path
    return second.content.decode()


def fresh(path, **headers):
    response = Client().get(path, **headers)
    return response.status_code, response.content.decode()


def approve_all(page, reviewer):
    for _ in range(5):
        if content_actions.current_task_state(page) is None:
            return
        content_actions.do_review(page, reviewer, approve=True)


@pytest.fixture
def listing_paths(article):
    section = article.get_parent()
    return ["/", "/articles/", section.url, "/topics/traffic/"]


# --- content ---------------------------------------------------------------------


def test_publishing_an_article_shows_it_on_every_listing(city, make_article, article, listing_paths, topic):
    for path in listing_paths:
        assert "延长末班车" not in cached(path)
    make_article(city, title="地铁延长末班车时间", publish=True, topics=[topic])
    for path in listing_paths:
        status, page = fresh(path)
        assert status == 200 and "延长末班车" in page, path


def test_a_published_supplement_shows_on_its_article(article, staff):
    assert "末班车时间调整" not in cached(article.url)
    supplement = content_actions.do_add_supplement(
        staff["editor"], article, title="补充说明：末班车时间调整", text="<p>延长至23:30。</p>",
        kind="update", slug="late-trains")
    assert "末班车时间调整" not in fresh(article.url)[1]  # in review: not yet
    approve_all(supplement, staff["reviewer"])
    assert SupplementPage.objects.get(pk=supplement.pk).live
    assert "末班车时间调整" in fresh(article.url)[1]


def test_withdrawal_shows_its_banner_and_leaves_the_listings(article, staff, listing_paths):
    for path in [article.url, *listing_paths]:
        assert article.title in cached(path)
    content_actions.do_withdraw(article, staff["reviewer"], "信息已过时，以新发布为准。")
    status, page = fresh(article.url)
    assert status == 200 and "信息已过时" in page
    for path in listing_paths:
        assert article.title not in fresh(path)[1], path


def test_unpublishing_takes_the_article_away(article, listing_paths):
    cached(article.url)
    for path in listing_paths:
        cached(path)
    article.unpublish()
    assert fresh(article.url)[0] == 404
    for path in listing_paths:
        assert article.title not in fresh(path)[1], path


# --- the comment area -----------------------------------------------------------------


def test_an_approved_comment_appears(article, post, staff):
    held = post("末班车能不能再晚一点？听说有人卖冰毒")  # held for a person to decide
    assert "末班车能不能再晚一点" not in cached(article.url)
    actions.do_moderate(staff["editor"], held, approve=True)
    assert "末班车能不能再晚一点" in fresh(article.url)[1]


def test_a_comment_that_passes_the_check_appears(article, post):
    cached(article.url)
    post("地铁工作人员辛苦了！")
    assert "地铁工作人员辛苦了" in fresh(article.url)[1]


def test_a_hidden_comment_disappears(article, post, staff):
    comment = post("末班车太早了，希望延长")
    assert "末班车太早了" in cached(article.url)
    actions.do_hide(staff["editor"], comment, "与本文无关，已隐藏。")
    assert "末班车太早了" not in fresh(article.url)[1]


def test_a_comment_hidden_by_reports_disappears(article, post, make_citizen, org_settings, city):
    org_settings(city, report_threshold=2)
    comment = post("末班车太早了，希望延长")
    assert "末班车太早了" in cached(article.url)
    for mobile in ("13900000201", "13900000202"):
        actions.do_report(make_citizen(mobile), comment, "spam")
    assert "末班车太早了" not in fresh(article.url)[1]


def test_an_official_reply_appears(article, post, staff):
    comment = post("请问末班车几点？")
    assert ANSWER not in cached(article.url)
    actions.do_reply(staff["editor"], comment, ANSWER)
    assert ANSWER in fresh(article.url)[1]


def test_a_like_is_counted_at_once(article, post, other_citizen):
    comment = post("感谢地铁工作人员")
    assert "赞 0" in cached(article.url)
    actions.do_like(other_citizen, comment)
    assert "赞 1" in fresh(article.url)[1]


# --- what every page shows ---------------------------------------------------------------


@pytest.fixture
def hub(city):
    service = do_save_service(SYSTEM, None, code="bus_arrival", kind="link", organisation=city,
                              name_zh="实时公交", name_en="Bus arrivals", link_url="https://example.org/bus")
    return do_save_hub(SYSTEM, None, services=[service], slug="hall", organisation=city,
                       name_zh="市政大厅", name_en="Municipal Hall"), service


def test_a_renamed_service_shows_its_new_name_on_the_hub(hub):
    hall, service = hub
    assert "实时公交" in cached("/services/hub/hall/")
    do_save_service(SYSTEM, service, name_zh="公交到站查询")
    assert "公交到站查询" in fresh("/services/hub/hall/")[1]


def test_a_changed_hub_shows_the_change(hub):
    hall, _service = hub
    assert "市政大厅" in cached("/services/hub/hall/")
    do_save_hub(SYSTEM, hall, name_zh="市民大厅")
    assert "市民大厅" in fresh("/services/hub/hall/")[1]


def test_a_changed_menu_shows_on_every_page(article, city):
    menu = {"button": [{"name": "办事", "sub_button": [{"type": "view", "name": "社保卡办理",
                                                        "url": "https://example.org/card"}]}]}
    before = cached(article.url)
    do_import_menu(city, menu, SYSTEM)
    after = fresh(article.url)[1]
    assert "社保卡办理" in after and after != before


def test_a_renamed_account_shows_on_its_articles_and_in_the_directory(article, city):
    cached(article.url)
    cached("/accounts/")
    do_save_organisation(SYSTEM, city, account_name_zh="上海政务新账号")
    assert "上海政务新账号" in fresh(article.url)[1]
    assert "上海政务新账号" in fresh("/accounts/")[1]


def test_a_changed_site_profile_shows_on_every_page(article):
    assert "杭州发布" not in cached(article.url)
    do_save_site_profile(SYSTEM, Site.objects.get(is_default_site=True), account_name_zh="杭州发布",
                         hotline="0571-12345")
    page = fresh(article.url)[1]
    assert "杭州发布" in page and "0571-12345" in page


# --- nothing personal in the shared cache ---------------------------------------------------


def test_no_personal_data_ever_reaches_another_reader(article, post, citizen, other_citizen):
    post("我的问题：末班车几点？我的电话13912345678", who=citizen)
    held = post("网络赌场，点我", who=citizen)  # pending: shown to its author only
    alice, bob = Client(), Client()
    alice.force_login(citizen.user)
    bob.force_login(other_citizen.user)
    for reader in (alice, bob, alice, bob):
        response = reader.get(article.url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    alice_page = alice.get(article.url).content.decode()
    assert 'id="my-pending"' in alice_page and 'id="comment-form"' in alice_page
    anonymous = cached(article.url)
    assert 'id="my-pending"' not in anonymous and 'id="comment-form"' not in anonymous
    assert "网络赌场" not in anonymous and f"comment-{held.pk}" not in anonymous
    assert "13912345678" not in anonymous  # masked for the public
    assert "csrfmiddlewaretoken" not in anonymous
    assert 'id="sign-in-to-comment"' in anonymous
    # And the signed-in readers still get their own page, not the cached one.
    assert 'id="my-pending"' in alice.get(article.url).content.decode()
    assert 'id="my-pending"' not in bob.get(article.url).content.decode()
