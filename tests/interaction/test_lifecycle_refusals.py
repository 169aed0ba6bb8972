"""The actions refuse what the lifecycle tables refuse, with the table's
code and message (translated)."""

import pytest
from django.utils.translation import gettext

from civichall.interaction import actions, comment_lifecycle, reply_lifecycle
from civichall.interaction.models import ReplyStatus

GOOD = "您好，进站需扫描场所码并测温，没有智能手机的乘客可出示纸质随申码。如有疑问可拨打12345。"


def _assert_refused_as_in_table(error, refusal):
    code, message = refusal
    assert error.value.code == code
    assert error.value.message == gettext(message)


def test_featuring_a_blocked_comment_answers_with_the_tables_message(post, staff):
    comment = post("网络赌场")
    assert comment.status == comment_lifecycle.BLOCKED
    with pytest.raises(actions.InteractionError) as error:
        actions.do_feature(staff["editor"], comment)
    _assert_refused_as_in_table(error, comment_lifecycle.refusal("feature"))


def test_moderating_a_visible_comment_answers_with_the_tables_message(post, staff):
    comment = post("首班车几点？")
    with pytest.raises(actions.InteractionError) as error:
        actions.do_moderate(staff["editor"], comment, False, "不合适")
    _assert_refused_as_in_table(error, comment_lifecycle.refusal("reject"))


def test_editing_a_deleted_comment_answers_with_the_tables_message(post, citizen):
    comment = actions.do_delete_comment(citizen, post("首班车几点"))
    with pytest.raises(actions.InteractionError) as error:
        actions.do_edit_comment(citizen, comment, "改一下")
    _assert_refused_as_in_table(error, comment_lifecycle.refusal("edit"))


def test_approving_a_published_reply_answers_with_the_tables_message(post, staff):
    reply = actions.do_reply(staff["editor"], post("首班车几点？"), GOOD)
    assert reply.status == ReplyStatus.PUBLISHED
    with pytest.raises(actions.InteractionError) as error:
        actions.do_approve_reply(staff["reviewer"], reply)
    _assert_refused_as_in_table(error, reply_lifecycle.refusal("approve"))
    with pytest.raises(actions.InteractionError) as error:
        actions.do_revise_reply(staff["editor"], reply, GOOD)
    _assert_refused_as_in_table(error, reply_lifecycle.refusal("check"))


def test_following_up_in_a_deleted_thread_answers_with_the_tables_message(post, staff, citizen):
    comment = post("首班车几点？")
    actions.do_reply(staff["editor"], comment, GOOD)
    actions.do_delete_comment(citizen, comment)
    comment.refresh_from_db()
    with pytest.raises(actions.InteractionError) as error:
        post("那末班车呢？", parent=comment)
    _assert_refused_as_in_table(error, comment_lifecycle.refusal("follow_up"))
    assert error.value.status == 409
