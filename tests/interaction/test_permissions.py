"""Who may do what: bureaus see and answer only their own questions; internal
notes stay inside the owning organisation; citizens cannot act as staff."""

import pytest
from django.core.exceptions import PermissionDenied

from civichall.interaction import actions
from civichall.interaction.models import Question
from civichall.interaction.permissions import access_comment, access_question
from civichall.interaction.queues import question_queue

pytestmark = pytest.mark.django_db

GOOD = "您好，首班车时间不变，具体以车站公告为准，如有疑问可拨打12345。"


@pytest.fixture
def health_question(post, staff, health):
    from civichall.interaction.models import RoutingRule

    RoutingRule.objects.create(name="核酸疫苗", organisation=health, keywords="核酸、疫苗", priority=5)
    question = Question.objects.get(comment=post("坐地铁还要核酸证明吗？"))
    assert question.organisation == health
    actions.do_add_note(staff["health_liaison"], question, "已与疾控确认，等待书面口径")
    return question


def test_liaison_of_another_bureau_cannot_answer_or_read_notes(health_question, staff):
    other = staff["transport_liaison"]
    for action in ("view", "view_notes", "answer", "close", "assign", "note"):
        with pytest.raises(PermissionDenied):
            access_question(other, health_question, action)
    with pytest.raises(PermissionDenied):
        actions.do_reply(other, health_question.comment, GOOD)
    with pytest.raises(PermissionDenied):
        actions.do_add_note(other, health_question, "看看")
    assert health_question not in question_queue(other)
    assert health_question in question_queue(staff["health_liaison"])


def test_article_organisation_sees_the_question_but_not_the_notes(health_question, staff):
    assert access_question(staff["editor"], health_question, "view")
    with pytest.raises(PermissionDenied):
        access_question(staff["editor"], health_question, "view_notes")
    with pytest.raises(PermissionDenied):  # the owner answers
        actions.do_reply(staff["editor"], health_question.comment, GOOD)
    assert access_question(staff["health_liaison"], health_question, "view_notes")


def test_citizen_cannot_act_as_staff(post, citizen, other_citizen):
    comment = post("首班车几点？")
    for action in ("feature", "moderate", "reply", "mark", "view_raw"):
        with pytest.raises(PermissionDenied):
            access_comment(other_citizen.user, comment, action)
    with pytest.raises(PermissionDenied):
        actions.do_feature(citizen.user, comment)
    with pytest.raises(PermissionDenied):
        actions.do_reply(citizen.user, comment, GOOD)
    with pytest.raises(PermissionDenied):
        access_question(citizen.user, Question.objects.get(comment=comment), "view")


def test_liaison_cannot_feature_or_moderate_the_article(post, staff):
    comment = post("感谢")
    with pytest.raises(PermissionDenied):
        actions.do_feature(staff["transport_liaison"], comment)
    with pytest.raises(PermissionDenied):
        actions.do_hide(staff["transport_liaison"], comment, "与主题无关的内容")


def test_liaison_cannot_unmark(health_question, staff, make_staff, health):
    with pytest.raises(PermissionDenied):
        actions.do_unmark_question(staff["health_liaison"], health_question, "不是提问而是感谢")
    health_editor = make_staff("health_editor", health, "editor")
    assert actions.do_unmark_question(health_editor, health_question, "不是提问而是陈述").state == "unmarked"


def test_superuser_may_do_everything(health_question, superuser):
    for action in ("view", "view_notes", "answer", "close", "assign", "note", "unmark"):
        assert access_question(superuser, health_question, action)
