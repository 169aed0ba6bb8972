"""Admin screens: queues per organisation, the question screen with the tone
check's reasons, closing, reassigning, notes, moderation, routing rules,
settings, no deleting commented articles (the dashboard and the home page's
panel are analytics', see tests/analytics)."""

import pytest
from wagtail.models import ModelLogEntry

from civichall.interaction import actions
from civichall.interaction.models import (
    Comment,
    OrganisationInteractionSettings,
    Question,
    RoutingRule,
)

pytestmark = pytest.mark.django_db

ANSWER = "您好，首班车时间不变，各站首末班车时间以车站公告为准，如有疑问可拨打12345。"


def refused(response):
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def metro_question(post, metro_rule):
    return Question.objects.get(comment=post("请问地铁首班车几点？"))


def test_queue_shows_own_organisation_only_oldest_first(client, staff, metro_question, post):
    later = Question.objects.get(comment=post("地铁末班车几点？"))
    page = login(client, staff["transport_liaison"]).get("/admin/interaction/questions/").content.decode()
    assert page.index(f"/admin/interaction/questions/{metro_question.pk}/") < page.index(
        f"/admin/interaction/questions/{later.pk}/")
    assert "ch-sla--ok" in page
    other = login(client, staff["health_liaison"]).get("/admin/interaction/questions/").content.decode()
    assert 'id="no-questions"' in other
    assert refused(client.get(f"/admin/interaction/questions/{metro_question.pk}/"))


def test_answer_through_the_question_screen(client, staff, metro_question, citizen):
    c = login(client, staff["transport_liaison"])
    page = c.get(f"/admin/interaction/questions/{metro_question.pk}/").content.decode()
    assert 'id="reply-form"' in page and 'id="notes"' in page
    response = c.post(f"/admin/interaction/questions/{metro_question.pk}/",
                      {"action": "reply", "text": "不满意就换工作，又没人逼你。"}, follow=True)
    page = response.content.decode()
    assert "tone-reasons" in page
    assert Question.objects.get(pk=metro_question.pk).state == "open"
    reply = metro_question.comment.official_replies.get()
    c.post(f"/admin/interaction/questions/{metro_question.pk}/",
           {"action": "revise", "reply": reply.pk, "text": ANSWER})
    assert Question.objects.get(pk=metro_question.pk).state == "answered"
    assert citizen.notifications.filter(kind="answer").exists()


def test_close_reassign_note_and_unmark_forms(client, staff, post, transport, health):
    question = Question.objects.get(comment=post("我家楼下噪音怎么办？"))
    c = login(client, staff["editor"])
    url = f"/admin/interaction/questions/{question.pk}/"
    c.post(url, {"action": "note", "text": "属地问题"})
    assert question.notes.filter(text="属地问题").exists()
    bad = c.post(url, {"action": "close", "kind": "out_of_scope", "where_to_go": ""}, follow=True)
    assert Question.objects.get(pk=question.pk).state == "open" and "error" in bad.content.decode()
    c.post(url, {"action": "assign", "organisation": health.pk, "note": "噪音影响健康，请卫健委答复"})
    assert Question.objects.get(pk=question.pk).organisation == health
    page = c.get(url).content.decode()  # the city still sees it, without the notes
    assert 'id="notes"' not in page and 'id="reply-form"' not in page
    h = login(client, staff["health_liaison"])
    assert 'id="notes"' in h.get(url).content.decode()
    h.post(url, {"action": "close", "kind": "out_of_scope", "where_to_go": "请拨打12345市民服务热线"})
    assert Question.objects.get(pk=question.pk).state == "closed_out_of_scope"


def test_unmark_and_promote_on_the_question_screen(client, staff, post):
    question = Question.objects.get(comment=post("太好了？"))
    c = login(client, staff["editor"])
    c.post(f"/admin/interaction/questions/{question.pk}/", {"action": "unmark", "reason": "只是感叹，不是提问"})
    assert Question.objects.get(pk=question.pk).state == "unmarked"
    answered = Question.objects.get(comment=post("首班车几点？"))
    reply = actions.do_reply(staff["editor"], answered.comment, ANSWER)
    c.post(f"/admin/interaction/questions/{answered.pk}/", {"action": "promote", "reply": reply.pk})
    reply.refresh_from_db()
    assert reply.supplement_id and reply.supplement.source_url.endswith(f"#comment-{answered.comment_id}")


def test_moderation_screen(client, staff, post, monkeypatch):
    flagged = post("有人卖冰毒")
    monkeypatch.setattr("civichall.safety.services.check_content", lambda *a, **k: 1 / 0)
    unchecked = post("首班车几点？")
    monkeypatch.undo()
    c = login(client, staff["editor"])
    page = c.get("/admin/interaction/moderation/").content.decode()
    assert f'id="c{flagged.pk}"' in page and f'id="c{unchecked.pk}"' in page
    c.post("/admin/interaction/moderation/", {"action": "block", "comment": flagged.pk, "note": "涉毒信息"})
    c.post("/admin/interaction/moderation/", {"action": "approve", "comment": unchecked.pk})
    assert Comment.objects.get(pk=flagged.pk).status == "blocked"
    assert Comment.objects.get(pk=unchecked.pk).status == "visible"
    assert login(client, staff["transport_liaison"]).get("/admin/interaction/moderation/").status_code == 200
    assert 'id="moderation-empty"' in client.get("/admin/interaction/moderation/").content.decode()


def test_reply_approval_on_the_moderation_screen(client, staff, post, city, org_settings):
    org_settings(city, replies_need_approval=True)
    reply = actions.do_reply(staff["editor"], post("首班车几点？"), ANSWER)
    c = login(client, staff["reviewer"])
    assert f'id="reply-{reply.pk}"' in c.get("/admin/interaction/moderation/").content.decode()
    c.post("/admin/interaction/moderation/", {"action": "approve_reply", "reply": reply.pk})
    reply.refresh_from_db()
    assert reply.status == "published" and reply.approved_by == staff["reviewer"]


def test_article_comments_screen(client, staff, post, article):
    comment = post("感谢辛苦付出")
    c = login(client, staff["editor"])
    assert f'id="c{comment.pk}"' in c.get(f"/admin/interaction/articles/{article.pk}/").content.decode()
    c.post(f"/admin/interaction/articles/{article.pk}/", {"action": "feature", "comment": comment.pk})
    assert Comment.objects.get(pk=comment.pk).featured
    c.post(f"/admin/interaction/articles/{article.pk}/", {"action": "reply", "comment": comment.pk,
                                                          "text": "感谢您的关注与支持，我们会继续及时发布出行信息。"})
    assert comment.official_replies.filter(status="published").exists()
    c.post(f"/admin/interaction/articles/{article.pk}/", {"action": "mark", "comment": comment.pk})
    assert Question.objects.filter(comment=comment).exists()
    assert refused(login(client, staff["health_liaison"]).get(f"/admin/interaction/articles/{article.pk}/"))


def test_routing_rules_are_edited_by_municipal_administrators(client, staff, superuser, transport, topic):
    c = login(client, staff["admin"])  # administrator of the municipal account
    assert c.get("/admin/interaction/routing-rules/").status_code == 200
    response = c.post("/admin/interaction/routing-rules/new/", {
        "name": "公交", "organisation": transport.pk, "keywords": "公交、巴士", "priority": 1, "active": "on"})
    assert response.status_code == 302 and RoutingRule.objects.filter(name="公交").exists()
    entry = ModelLogEntry.objects.get(action="civichall.interaction.rule.create")
    assert entry.user_id == staff["admin"].pk and entry.data["source"] == "admin"
    empty = c.post("/admin/interaction/routing-rules/new/", {
        "name": "空规则", "organisation": transport.pk, "keywords": "", "priority": 0, "active": "on"})
    assert empty.status_code == 200 and not RoutingRule.objects.filter(name="空规则").exists()
    editor = login(client, staff["editor"])
    assert editor.get("/admin/interaction/routing-rules/new/").status_code in (302, 403)


def test_settings_for_administrators(client, staff, city):
    c = login(client, staff["admin"])
    assert c.get("/admin/interaction/settings/").status_code == 200
    c.post("/admin/interaction/settings/", {"organisation": city.pk, "comments_open_by_default": "on",
                                            "pre_moderation": "on", "first_answer_hours": 8,
                                            "report_threshold": 2, "edit_window_minutes": 10})
    saved = OrganisationInteractionSettings.objects.get(organisation=city)
    assert saved.pre_moderation and saved.first_answer_hours == 8
    entry = ModelLogEntry.objects.get(action="civichall.interaction.settings.edit")
    assert entry.user_id == staff["admin"].pk and entry.data["changed"]["first_answer_hours"][1] == 8
    editor = login(client, staff["editor"])
    assert refused(editor.post("/admin/interaction/settings/", {"organisation": city.pk, "first_answer_hours": 1}))
    assert OrganisationInteractionSettings.objects.get(organisation=city).first_answer_hours == 8


def test_an_article_with_comments_cannot_be_deleted(client, superuser, post, article):
    post("首班车几点？")
    c = login(client, superuser)
    c.post(f"/admin/pages/{article.pk}/delete/")
    assert type(article).objects.filter(pk=article.pk).exists()


def test_citizens_have_no_admin(client, citizen):
    login(client, citizen.user)
    assert client.get("/admin/interaction/questions/").status_code in (302, 403)


def test_the_moderation_queue_is_paged_and_its_cost_does_not_grow(client, staff, post):
    """A city's queue holds thousands: 50 a page, oldest first, and the same
    queries for 5 waiting comments as for 55."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def waiting(n):
        for i in range(n):
            Comment.objects.filter(pk=post(f"第{i}条：请人工看看这条留言").pk).update(status="moderation")

    c = login(client, staff["editor"])
    waiting(5)
    c.get("/admin/interaction/moderation/")
    with CaptureQueriesContext(connection) as few:
        c.get("/admin/interaction/moderation/")
    waiting(50)
    with CaptureQueriesContext(connection) as many:
        first = c.get("/admin/interaction/moderation/").content.decode()
    assert len(many) <= len(few) + 2, [q["sql"][:120] for q in many.captured_queries]
    assert first.count('<tr id="c') == 50 and "?p=2" in first
    second = c.get("/admin/interaction/moderation/?p=2").content.decode()
    assert second.count('<tr id="c') == 5
