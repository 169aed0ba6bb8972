"""A signed-in citizen is answered from the cached article with only their
own parts rendered for them (core/personal_parts.py): their comment form,
their comments not shown publicly, their likes, their account links -- and
nobody else's; staff, a pending message and a page not in the cache get the
page rendered in full."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from civichall.core import personal_parts
from civichall.interaction import actions

pytestmark = pytest.mark.django_db


def warm(path):
    """Make ``path`` a page-cache hit for anonymous readers."""
    reader = Client()
    reader.get(path)
    assert reader.get(path)["X-Page-Cache"] == "hit"


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_each_citizen_gets_the_cached_page_with_their_own_parts(article, post, citizen, other_citizen):
    held = post("网络赌场，点我", who=citizen)  # pending: its author alone sees it
    visible = post("请问末班车几点？", who=other_citizen)
    actions.do_like(citizen, visible, True)
    warm(article.url)

    alice = signed_in(citizen.user).get(article.url)
    bob = signed_in(other_citizen.user).get(article.url)
    anonymous = Client().get(article.url)

    assert alice["X-Page-Cache"] == bob["X-Page-Cache"] == "personal"
    assert "private" in alice["Cache-Control"] and "no-store" in alice["Cache-Control"]
    alice_page, bob_page, public = (r.content.decode() for r in (alice, bob, anonymous))
    assert article.title in alice_page and article.title in bob_page
    for page in (alice_page, bob_page):
        assert 'id="comment-form"' in page and "csrfmiddlewaretoken" in page and 'id="my-account"' in page
        assert 'id="sign-in-to-comment"' not in page
    assert "网络赌场" in alice_page and f"comment-{held.pk}" in alice_page
    assert "网络赌场" not in bob_page and f"comment-{held.pk}" not in bob_page
    assert 'aria-pressed="true"' in alice_page and 'aria-pressed="true"' not in bob_page
    # the anonymous page in the cache is untouched
    assert anonymous["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in public and "网络赌场" not in public and 'id="my-account"' not in public
    assert 'id="sign-in-to-comment"' in public


def _repeated_ids(html):
    ids = re.findall(r'\sid="([^"]+)"', html)
    return sorted({i for i in ids if ids.count(i) > 1})


def test_every_id_on_the_article_is_used_once_for_every_reader(article, post, citizen, other_citizen):
    """The header and the comment area are rendered by different rooms: a
    signed-in citizen's page (spliced or rendered in full) must still name
    each element once, or links and labels point at the wrong one."""
    post("请问末班车几点？", who=other_citizen)
    post("网络赌场，点我", who=citizen)  # pending: shown to its author only
    full = signed_in(citizen.user).get(article.url)
    warm(article.url)
    spliced = signed_in(citizen.user).get(article.url)
    assert spliced["X-Page-Cache"] == "personal"
    for page in (full, spliced, Client().get(article.url)):
        assert _repeated_ids(page.content.decode()) == []


def test_the_form_on_a_spliced_page_posts(article, citizen):
    warm(article.url)
    client = signed_in(citizen.user, enforce_csrf_checks=True)
    page = client.get(article.url)
    assert page["X-Page-Cache"] == "personal"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    answer = client.post(reverse("interaction:post", args=[article.pk]),
                         {"text": "请问地铁首班车几点开？", "client_key": "k1", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert citizen.comments.filter(text="请问地铁首班车几点开？").exists()
    # after posting, the notice is shown: the page is rendered in full for it
    after = client.get(article.url)
    assert after.get("X-Page-Cache") != "personal"
    assert "请问地铁首班车几点开？" in after.content.decode()


def _spliced_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path)["X-Page-Cache"] == "personal"
    return len(queries)


def _comments(post, article, n, citizen, other_citizen):
    """``n`` comments of someone else's (the citizen likes the last) and one of the citizen's."""
    for i in range(n):
        liked = post(f"第{i}条：地铁恢复运营了吗？", who=other_citizen)
    actions.do_like(citizen, liked, True)
    return post(f"请问首班车几点？（{n}）", who=citizen)


def test_the_spliced_page_asks_few_queries_however_many_comments(article, post, citizen, other_citizen):
    client = signed_in(citizen.user)
    post("请问末班车几点？", who=other_citizen)
    warm(article.url)
    # the session, the user and citizen, the unread count, the article's
    # state, the citizen's comments not shown, the comments' actions (the
    # comments, the citizen's likes) and the threads they started: the page
    # around them comes from the cache
    assert _spliced_queries(client, article.url) <= 10
    own = _comments(post, article, 3, citizen, other_citizen)
    warm(article.url)
    html = client.get(article.url).content.decode()
    assert 'aria-pressed="true"' in html and f'href="/comments/{own.pk}/delete/"' in html
    few = _spliced_queries(client, article.url)
    _comments(post, article, 12, citizen, other_citizen)
    warm(article.url)
    assert _spliced_queries(client, article.url) == few


def test_staff_and_pages_not_in_the_cache_are_rendered_in_full(article, citizen, staff):
    editor = signed_in(staff["editor"]).get(article.url)
    assert editor.status_code == 200 and editor.get("X-Page-Cache") != "personal"
    # nothing cached yet: the citizen gets the page rendered for them
    first = signed_in(citizen.user).get(article.url)
    assert first.get("X-Page-Cache") != "personal" and 'id="comment-form"' in first.content.decode()
    # a query string is never answered from the cache
    warm(article.url)
    paged = signed_in(citizen.user).get(article.url + "?comments_page=1")
    assert paged.get("X-Page-Cache") != "personal"


def test_the_cache_switched_off_renders_in_full(article, citizen, settings):
    warm(article.url)
    settings.CIVICHALL_PAGE_CACHE = False
    assert signed_in(citizen.user).get(article.url).get("X-Page-Cache") != "personal"


def test_a_frame_is_only_a_known_part_with_a_plain_key():
    with pytest.raises(ValueError):
        personal_parts.frame("comment_area", "1--><script>", "")
    with pytest.raises(ValueError):
        personal_parts.frame("no_such_part", "1", "")
    assert personal_parts.splice(b"<p><!--personal:no_such_part:1-->x<!--/personal--></p>", None) is None
