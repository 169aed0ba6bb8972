"""Citizens' own comments: edits are rate-limited (the sixth in a window is
refused with a clear message), the history of earlier texts is bounded, and
nobody likes their own comment."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from civichall.interaction import actions
from civichall.interaction.models import Comment

pytestmark = pytest.mark.django_db

START = timezone.datetime(2026, 6, 1, 10, 0, 5, tzinfo=timezone.get_fixed_timezone(8 * 60))


@pytest.fixture(autouse=True)
def edit_limits(settings):
    settings.CIVICHALL_COMMENT_EDITS_PER_WINDOW = 5
    settings.CIVICHALL_COMMENT_EDIT_WINDOW_SECONDS = 600


@pytest.fixture
def auth(citizen):
    from civichall.accounts.citizen_sessions import do_issue_token

    return {"HTTP_AUTHORIZATION": f"Bearer {do_issue_token(citizen)[0]}"}


def edit(client, comment, text, auth, **extra):
    return client.patch(f"/api/v1/comments/{comment.pk}", {"text": text}, content_type="application/json",
                        **auth, **extra)


def test_the_sixth_edit_in_a_window_is_refused(client, post, auth):
    with time_machine.travel(START, tick=False):
        comment = post("地铁几点开始运营？")
        for n in range(5):
            assert edit(client, comment, f"地铁几点开始运营？补充{n}", auth).status_code == 200
        refused = edit(client, comment, "地铁几点开始运营？第六次", auth)
        assert refused.status_code == 429
        assert refused.json()["error"] == {
            "code": "rate_limited", "message": "您修改得太频繁了：10 分钟内最多修改 5 次，请稍后再改。"}
        english = edit(client, comment, "地铁几点开始运营？第六次", auth, HTTP_ACCEPT_LANGUAGE="en")
        assert "at most 5 edits in 10 minutes" in english.json()["error"]["message"]
        stored = Comment.objects.get(pk=comment.pk)
        assert stored.text == "地铁几点开始运营？补充4" and len(stored.history) == 5
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        assert edit(client, comment, "地铁几点开始运营？第六次", auth).status_code == 200


def test_refused_and_unchanged_edits_do_not_count(client, post, auth):
    with time_machine.travel(START, tick=False):
        comment = post("公交卡在哪里充值？")
        for _n in range(8):
            assert edit(client, comment, "公交卡在哪里充值？", auth).status_code == 200  # same text
            assert edit(client, comment, "", auth).status_code == 422
        for n in range(5):
            assert edit(client, comment, f"公交卡在哪里充值？{n}", auth).status_code == 200


def test_the_history_keeps_the_original_and_the_latest_texts(post, citizen, settings):
    settings.CIVICHALL_COMMENT_EDITS_PER_WINDOW = 100
    comment = post("原始文本：第0版")
    for n in range(1, 31):
        comment = actions.do_edit_comment(citizen, comment, f"原始文本：第{n}版")
    history = Comment.objects.get(pk=comment.pk).history
    assert len(history) == actions.MAX_HISTORY
    assert history[0]["text"] == "原始文本：第0版"
    assert [h["text"] for h in history[1:]] == [f"原始文本：第{n}版" for n in range(21, 30)]


def test_nobody_likes_their_own_comment(client, post, auth, other_citizen):
    comment = post("点赞测试")
    refused = client.post(f"/api/v1/comments/{comment.pk}/like", **auth)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert Comment.objects.get(pk=comment.pk).likes_count == 0
    assert actions.do_like(other_citizen, comment) == 1


def test_the_edit_page_says_why_the_sixth_edit_is_refused(client, post, citizen):
    client.force_login(citizen.user)
    with time_machine.travel(START, tick=False):
        comment = post("末班车几点？")
        for n in range(5):
            assert client.post(f"/comments/{comment.pk}/edit/", {"text": f"末班车几点？{n}"}).status_code == 302
        refused = client.post(f"/comments/{comment.pk}/edit/", {"text": "末班车几点？第六次"})
        assert refused.status_code == 429
        assert "10 分钟内最多修改 5 次" in refused.content.decode()
    assert Comment.objects.get(pk=comment.pk).text == "末班车几点？4"
