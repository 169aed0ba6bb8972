"""With the assistant installed: a follower's text is answered by it in the
background, “人工” hands the question to a person through the assistant's
hand-off (routed, on the first-answer clock), and the staff's answer comes
back to the follower on WeChat through the notification centre."""

import pytest

from civichall.accounts.models import Citizen, Role
from civichall.assistant import actions as assistant_actions
from civichall.assistant.models import Handoff as AssistantHandoff
from civichall.channels.wechat.models import Handoff, InboundMessage

from .player import text_xml

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def words_only(settings, city, tmp_path):
    """A fresh index of words only (no embedding model), and something for the assistant to know."""
    from civichall.assistant import index
    from civichall.services.models import Service

    settings.VAR_DIR = tmp_path
    settings.CIVICHALL_ASSISTANT_EMBEDDINGS = False
    index.forget()
    Service.objects.create(code="street_lights", kind="link", organisation=city, name_zh="路灯报修",
                           keywords="路灯 报修 不亮", link_url="/services/street_lights/")
    yield
    index.forget()


def test_a_hand_off_is_answered_by_a_liaison_on_wechat(wechat, account, platform_api, make_staff,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, reply = wechat.post(text_xml("o-loop", "我家楼下的路灯坏了三天了，找谁修？"))
    assert reply["Content"] == "收到您的问题，正在为您查找答案，请稍候。"
    first = [m for m in platform_api.sent if m["touser"] == "o-loop"]
    assert len(first) == 1 and "人工" in first[0]["text"]["content"]  # the answer, with the offer of a person
    assert "\n  /" not in first[0]["text"]["content"]  # links a phone can open
    asked = InboundMessage.objects.get(content__startswith="我家楼下").asked_id
    assert asked is not None

    with django_capture_on_commit_callbacks(execute=True):
        _, reply = wechat.post(text_xml("o-loop", "人工"))
    assert "已为您转交工作人员" in reply["Content"]
    handoff = AssistantHandoff.objects.get()
    assert handoff.asked_id == asked and handoff.organisation == account.organisation
    assert not Handoff.objects.exists()  # the channel's own queue is only for when the assistant is absent
    assert Citizen.objects.get(wechat_openid="o-loop") == handoff.citizen

    liaison = make_staff("city-liaison-2", account.organisation, Role.LIAISON)
    with django_capture_on_commit_callbacks(execute=True):
        assistant_actions.do_answer_handoff(liaison, handoff, "请拨打 12345 报修，或在“随申办”提交路灯报修。")
    answers = [m for m in platform_api.sent if m["touser"] == "o-loop"]
    assert len(answers) == 2
    assert "请拨打 12345 报修" in answers[1]["text"]["content"]
    assert handoff.citizen.notifications.count() == 1  # and in the notification centre
