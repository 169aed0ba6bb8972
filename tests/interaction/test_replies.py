"""Official replies: the tone check sends flippant replies back; approval."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civichall.interaction import actions
from civichall.interaction.models import Question, ReplyStatus
from civichall.notify.services import notifications_for

pytestmark = pytest.mark.django_db

GOOD = "您好，进站需扫描场所码并测温，没有智能手机的乘客可出示纸质随申码。如有疑问可拨打12345。"


def test_flippant_reply_is_returned_with_reasons(post, staff, citizen):
    comment = post("为什么我家门口的站还不开？")
    reply = actions.do_reply(staff["editor"], comment, "不满意就换工作啊，又没人逼你。")
    assert reply.status == ReplyStatus.RETURNED
    assert any(r["code"] == "dismissive" for r in reply.tone_reasons())
    assert Question.objects.get(comment=comment).state == "open"
    assert not notifications_for(citizen).exists()
    revised = actions.do_revise_reply(staff["editor"], reply, GOOD)
    assert revised.status == ReplyStatus.PUBLISHED
    assert Question.objects.get(comment=comment).state == "answered"


def test_empty_reply_is_refused(post, staff):
    with pytest.raises(ValidationError):
        actions.do_reply(staff["editor"], post("首班车几点？"), "   ")


def test_writer_may_ask_a_reviewer_instead(post, staff):
    comment = post("首班车几点？")
    reply = actions.do_reply(staff["editor"], comment, "您反映的问题我们高度重视，将认真研究、妥善处理。",
                             request_approval=True)
    assert reply.tone["decision"] == "review"
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    with pytest.raises(PermissionDenied):
        actions.do_approve_reply(staff["editor"], reply)
    approved = actions.do_approve_reply(staff["reviewer"], reply)
    assert approved.status == ReplyStatus.PUBLISHED and approved.approved_by == staff["reviewer"]


def test_blocked_term_always_returns(post, staff):
    reply = actions.do_reply(staff["editor"], post("首班车几点？"), "请访问网络赌场了解", request_approval=True)
    assert reply.status == ReplyStatus.RETURNED


def test_organisation_requires_approval(post, staff, city, org_settings, citizen):
    org_settings(city, replies_need_approval=True)
    comment = post("首班车几点？")
    reply = actions.do_reply(staff["editor"], comment, GOOD)
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    returned = actions.do_return_reply(staff["reviewer"], reply, "请补充换乘站信息")
    assert returned.status == ReplyStatus.RETURNED and returned.return_note
    again = actions.do_revise_reply(staff["editor"], reply, GOOD + "换乘通道以现场指引为准。")
    assert again.status == ReplyStatus.PENDING_APPROVAL
    actions.do_approve_reply(staff["reviewer"], again)
    assert notifications_for(citizen).get().kind == "answer"
    # A reviewer's own reply needs no second approval.
    assert actions.do_reply(staff["reviewer"], post("末班车几点？"), GOOD).status == ReplyStatus.PUBLISHED


def test_failing_check_sends_the_reply_to_a_reviewer(post, staff, monkeypatch):
    comment = post("首班车几点？")

    def broken(text, kind, body=None):
        raise RuntimeError("down")

    monkeypatch.setattr("civichall.safety.services.check_content", broken)
    reply = actions.do_reply(staff["editor"], comment, GOOD)
    assert reply.status == ReplyStatus.PENDING_APPROVAL and reply.tone["decision"] == "error"


def test_reply_to_a_comment_that_is_not_a_question_notifies(post, staff, citizen):
    reply = actions.do_reply(staff["editor"], post("感谢上海发布的及时通知"), "感谢您的关注与支持，我们会继续及时发布出行信息。")
    assert reply.status == ReplyStatus.PUBLISHED
    assert notifications_for(citizen).get().kind == "reply"


def test_held_comment_is_shown_with_its_answer(post, staff, city, org_settings):
    org_settings(city, pre_moderation=True)
    comment = post("首班车几点？")
    assert comment.status == "held"
    actions.do_reply(staff["editor"], comment, GOOD)
    comment.refresh_from_db()
    assert comment.status == "visible" and comment.featured


def test_cannot_reply_to_unmoderated_comment(post, staff):
    comment = post("听说有人卖冰毒")
    with pytest.raises(actions.InteractionError):
        actions.do_reply(staff["editor"], comment, GOOD)
