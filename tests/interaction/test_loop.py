"""The closed loop: ask -> detected -> routed -> answered -> asker notified ->
promoted to a supplement; every way a question can end, and no other."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from wagtail.models import Page

from civichall.content.models import SupplementPage
from civichall.interaction import actions
from civichall.interaction.models import Comment, Question, QuestionNote, QuestionState, ReplyStatus
from civichall.notify.services import notifications_for, unread_count

pytestmark = pytest.mark.django_db

ANSWER = "您好，6月1日起首班车时间不变，各站首末班车时间见车站公告和“上海地铁”官网，如有疑问可拨打12345。"


def test_the_whole_loop(post, staff, transport, metro_rule, citizen, article):
    comment = post("请问地铁首班车几点开？")
    question = Question.objects.get(comment=comment)
    assert question.state == "open" and question.detected
    assert question.organisation == transport and question.routed_by == "rule"
    assert question.routing_rule == metro_rule and question.sla_state() == "ok"

    reply = actions.do_reply(staff["transport_liaison"], comment, ANSWER)
    assert reply.status == ReplyStatus.PUBLISHED and reply.organisation == transport
    question.refresh_from_db()
    assert question.state == "answered" and question.answer == reply and question.first_answer_at
    assert question.sla_state() == "answered"

    assert unread_count(citizen) == 1
    note = notifications_for(citizen).get()
    assert note.kind == "answer" and "上海地铁" in note.text
    assert note.link.endswith(f"#comment-{comment.pk}")

    supplement = actions.do_promote_reply(staff["editor"], reply)
    assert isinstance(supplement, SupplementPage) and supplement.kind == "follow_up"
    assert supplement.get_parent().pk == article.pk and not supplement.live
    assert supplement.source_url.endswith(f"#comment-{comment.pk}")
    assert "首班车" in supplement.text
    assert supplement.current_workflow_state is not None  # submitted for review
    with pytest.raises(actions.InteractionError):
        actions.do_promote_reply(staff["editor"], reply)


def test_a_liaison_cannot_promote_onto_anothers_article(post, staff, metro_rule):
    comment = post("地铁末班车几点？")
    reply = actions.do_reply(staff["transport_liaison"], comment, ANSWER)
    with pytest.raises(PermissionDenied):
        actions.do_promote_reply(staff["transport_liaison"], reply)


def test_no_rule_keeps_the_article_organisation(post, city):
    question = Question.objects.get(comment=post("这个政策适用于个体户吗"))
    assert question.organisation == city and question.routed_by == "article"


def test_closed_as_duplicate_with_a_link(post, staff, other_citizen, metro_rule, citizen):
    first = Question.objects.get(comment=post("地铁首班车几点？"))
    second = Question.objects.get(comment=post("首班车是几点呀？", who=other_citizen))
    with pytest.raises(ValidationError):
        actions.do_close_question(staff["transport_liaison"], second, "duplicate", duplicate_of=second)
    closed = actions.do_close_question(staff["transport_liaison"], second, "duplicate", duplicate_of=first)
    assert closed.state == "closed_duplicate" and closed.duplicate_of == first and closed.public_reason
    assert closed.closed_at and closed.sla_state() == "answered"
    assert notifications_for(other_citizen).get().kind == "question_closed"
    third = Question.objects.get(comment=post("首班车？", who=other_citizen))
    with pytest.raises(ValidationError):  # a closed question is no original
        actions.do_close_question(staff["transport_liaison"], third, "duplicate", duplicate_of=second)


def test_closed_out_of_scope_says_where_to_go(post, staff, city, citizen):
    question = Question.objects.get(comment=post("我家楼下噪音扰民怎么办？"))
    with pytest.raises(ValidationError):
        actions.do_close_question(staff["editor"], question, "out_of_scope", where_to_go="")
    closed = actions.do_close_question(staff["editor"], question, "out_of_scope",
                                       where_to_go="请拨打12345市民服务热线反映")
    assert closed.state == "closed_out_of_scope" and closed.where_to_go.startswith("请拨打")
    assert "12345" in notifications_for(citizen).get().text


def test_an_ended_question_stays_ended(post, staff, metro_rule):
    comment = post("地铁首班车几点？")
    actions.do_reply(staff["transport_liaison"], comment, ANSWER)
    question = Question.objects.get(comment=comment)
    for call in (
        lambda: actions.do_close_question(staff["transport_liaison"], question, "out_of_scope",
                                          where_to_go="请拨打12345市民服务热线"),
        lambda: actions.do_unmark_question(staff["transport_reviewer"], question, "不是提问而是感谢"),
        lambda: actions.do_assign_question(staff["transport_liaison"], question, staff["editor"]
                                           .memberships.first().organisation, "转回上海发布处理"),
    ):
        with pytest.raises(actions.InteractionError) as error:
            call()
        assert error.value.code == "ended"
    # A second official reply does not change the record of the first answer.
    first_answer = Question.objects.get(pk=question.pk).first_answer_at
    actions.do_reply(staff["transport_liaison"], comment, "您好，补充一点：换乘通道开放情况以现场指引为准，谢谢。")
    assert Question.objects.get(pk=question.pk).first_answer_at == first_answer


def test_nobody_can_delete_a_question(post, staff, superuser, article, citizen):
    question = Question.objects.get(comment=post("首班车几点？"))
    with pytest.raises(PermissionDenied):
        question.delete()
    with pytest.raises(PermissionDenied):
        Question.objects.filter(pk=question.pk).delete()
    with pytest.raises((ProtectedError, PermissionDenied)):
        Comment.objects.filter(pk=question.comment_id).delete()
    with pytest.raises((ProtectedError, PermissionDenied)):
        question.organisation.delete()
    with pytest.raises((ProtectedError, PermissionDenied)):
        Page.objects.get(pk=article.pk).delete()
    with pytest.raises((ProtectedError, PermissionDenied)):
        QuestionNote.objects.create(question=question, text="x").question.delete()
    citizen.user.delete()  # the citizen may leave; the question stays
    assert Question.objects.filter(pk=question.pk, state="open").exists()
    assert not any(name.startswith("do_delete_question") or name == "do_delete" for name in dir(actions))


def test_unmark_and_mark_again(post, staff, city):
    question = Question.objects.get(comment=post("太好了？终于开了"))
    with pytest.raises(PermissionDenied):  # liaisons of another bureau cannot
        actions.do_unmark_question(staff["transport_liaison"], question, "只是感叹")
    with pytest.raises(ValidationError):
        actions.do_unmark_question(staff["editor"], question, "")
    unmarked = actions.do_unmark_question(staff["editor"], question, "只是感叹，不是提问")
    assert unmarked.state == "unmarked" and unmarked.sla_state() is None
    assert Question.objects.filter(pk=question.pk).exists()
    again = actions.do_mark_question(staff["editor"], question.comment)
    assert again.pk == question.pk and again.state == "open"


def test_staff_mark_a_comment_without_cues(post, staff, city):
    comment = post("求告知首班车时间")
    assert not Question.objects.filter(comment=comment).exists()
    question = actions.do_mark_question(staff["editor"], comment)
    assert question.detected is False and question.marked_by == staff["editor"]
    assert actions.do_mark_question(staff["editor"], comment).pk == question.pk


def test_reassign_with_a_note(post, staff, city, transport):
    question = Question.objects.get(comment=post("公交什么时候恢复？"))
    assert question.organisation == city
    with pytest.raises(ValidationError):
        actions.do_assign_question(staff["editor"], question, transport, "")
    moved = actions.do_assign_question(staff["editor"], question, transport, "公交运营归交通委答复")
    assert moved.organisation == transport and moved.routed_by == "staff"
    assert moved.notes.filter(kind="reassign").exists()
    with pytest.raises(PermissionDenied):  # city no longer owns it
        actions.do_add_note(staff["editor"], moved, "再看看")


def test_follow_up_makes_a_new_question_in_the_same_thread(post, staff, citizen, other_citizen, metro_rule,
                                                           article, transport):
    root = post("地铁首班车几点？")
    with pytest.raises(actions.InteractionError):  # no reply yet
        post("那末班车呢？", parent=root)
    actions.do_reply(staff["transport_liaison"], root, ANSWER)
    with pytest.raises(actions.InteractionError):  # only the asker
        post("我也想问末班车呢？", who=other_citizen, parent=root)
    follow = post("那周末的末班车呢？", parent=root)
    assert follow.parent == root
    first, second = Question.objects.get(comment=root), Question.objects.get(comment=follow)
    assert first.state == "answered"  # not reopened
    assert second.state == "open" and second.follows == first
    assert second.organisation == transport and second.routed_by == "follow_up"
    actions.do_reply(staff["transport_liaison"], follow, "您好，周末末班车时间与工作日相同，约21时，以车站公告为准。")
    assert Question.objects.get(pk=second.pk).state == "answered"


def test_escalation_of_overdue_questions_once(post, staff, transport, metro_rule, org_settings):
    org_settings(transport, first_answer_hours=2)
    question = Question.objects.get(comment=post("地铁首班车几点？"))
    assert actions.escalate_overdue_questions() == []
    later = timezone.now() + timezone.timedelta(hours=3)
    assert question.sla_state(later) == "overdue"
    assert [q.pk for q in actions.escalate_overdue_questions(later)] == [question.pk]
    assert actions.escalate_overdue_questions(later) == []
    question.refresh_from_db()
    assert question.escalated_at and question.notes.filter(kind="escalation").exists()
    from civichall.interaction.queues import escalated_for

    assert list(escalated_for(staff["transport_reviewer"])) == [question]
    assert list(escalated_for(staff["reviewer"])) == []


def test_periodic_jobs_are_registered():
    from civichall.core.periodic import registered_jobs

    assert {"escalate_overdue_questions", "recheck_received_comments"} <= set(registered_jobs())


def test_answered_question_states(post, staff, metro_rule):
    assert set(QuestionState.values) == {"open", "answered", "closed_duplicate", "closed_out_of_scope",
                                         "unmarked"}
