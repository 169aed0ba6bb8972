"""The demo comment threads, and the newcomer's walk through the loop."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from civichall.content.models import ArticlePage
from civichall.interaction import actions
from civichall.interaction.models import Comment, OfficialReply, Question
from civichall.notify.models import Notification
from tests.demo_loading import load_demo_completely

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    var = tmp_path_factory.mktemp("demo-var")  # files the demo writes, apart from other workers'
    with override_settings(MEDIA_ROOT=str(media), VAR_DIR=var), django_db_blocker.unblock():
        cache.clear()
        with transaction.atomic():
            load_demo_completely()
            yield media
            transaction.set_rollback(True)
        cache.clear()


def test_metro_article_has_22_comments_and_6_answered_questions(demo, client):
    metro = ArticlePage.objects.get(slug="metro-resumes-basic-operation")
    comments = Comment.objects.filter(article=metro)
    assert comments.count() == 22 and set(comments.values_list("status", flat=True)) == {"visible"}
    questions = Question.objects.filter(comment__article=metro)
    assert questions.count() == 6 and set(questions.values_list("state", flat=True)) == {"answered"}
    assert {q.answer.organisation.slug for q in questions} == {"shanghai"}
    for q in questions:
        assert q.first_answer_at > q.asked_at and q.first_answer_at.year == 2022
    pages = [client.get(metro.url).content.decode(), client.get(metro.url + "?comments_page=2").content.decode()]
    assert sum(html.count('class="official-reply"') for html in pages) == 6


def test_heartlee_asks_three_questions_in_a_row(demo):
    industrial = ArticlePage.objects.get(slug="industrial-resumption-guideline-poster")
    asked = Comment.objects.filter(article=industrial, citizen__display_name="Heartlee")
    assert asked.count() == 3
    assert [q.state for q in Question.objects.filter(comment__in=asked)] == ["answered"] * 3


def test_follow_up_thread_duplicate_and_out_of_scope(demo):
    follow = Comment.objects.get(client_key="demo-comic-1")
    assert follow.parent.client_key == "demo-comic-0"
    assert follow.question.follows == follow.parent.question and follow.question.state == "answered"
    dup = Question.objects.get(comment__client_key="demo-gaokao-1")
    assert dup.state == "closed_duplicate" and dup.duplicate_of.comment.client_key == "demo-gaokao-0"
    assert Question.objects.get(comment__client_key="demo-garbage-0").state == "closed_out_of_scope"


def test_open_questions_in_every_sla_state(demo):
    states = {q.comment.client_key: (q.organisation.slug, q.sla_state(), bool(q.escalated_at))
              for q in Question.objects.filter(state="open")}
    assert states == {
        "demo-open-0": ("transport-commission", "ok", False),
        "demo-open-1": ("health-commission", "ok", False),
        "demo-open-2": ("health-commission", "due_soon", False),
        "demo-open-3": ("transport-commission", "overdue", True),
    }


def test_second_run_changes_nothing(demo):
    def counts():
        return (Comment.objects.count(), Question.objects.count(), OfficialReply.objects.count(),
                Notification.objects.count(), list(Question.objects.values_list("state", "escalated_at")))

    before = counts()
    load_demo_completely()
    assert counts() == before


def test_a_newcomer_walks_the_loop(demo, client, make_citizen):
    """Post a question on a demo article, watch it land in the right bureau's
    queue with a running clock, answer it as that bureau's liaison, see the
    answer under the article and in the asker's notifications."""
    metro = ArticlePage.objects.get(slug="metro-resumes-basic-operation")
    newcomer = make_citizen("13900000777")
    client.force_login(newcomer.user)
    client.post(f"/comments/articles/{metro.pk}/", {"text": "请问11号线昆山段什么时候恢复运营？"})
    question = Question.objects.get(comment__citizen=newcomer)
    assert question.organisation.slug == "transport-commission" and question.sla_state() == "ok"

    liaison = get_user_model().objects.get(username="transport_liaison")
    client.force_login(liaison)
    queue = client.get("/admin/interaction/questions/").content.decode()
    assert f"/admin/interaction/questions/{question.pk}/" in queue
    client.post(f"/admin/interaction/questions/{question.pk}/", {
        "action": "reply",
        "text": "您好，11号线昆山段将于6月下旬恢复运营，具体时间以“上海地铁”官方发布为准，如有疑问可拨打12345。"})
    question.refresh_from_db()
    assert question.state == "answered"

    client.force_login(newcomer.user)
    assert "11号线昆山段将于6月下旬恢复运营" in client.get(metro.url).content.decode()
    assert "11号线昆山段将于6月下旬恢复运营" in client.get("/citizen/notifications/").content.decode()
    assert actions.comments_are_open(metro)
