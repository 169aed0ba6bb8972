"""What followers get: the welcome with the top services, scenes, menu
clicks, keyword replies, the one-window search, the hand-off to a person
and the answer coming back on WeChat, location, images; retries answered
once; slow work in the background."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from civichall.accounts.models import Role
from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import actions, answering
from civichall.channels.wechat.models import Follower, Handoff, InboundMessage
from civichall.services.models import Connector, Service

from .player import event_xml, location_xml, media_xml, text_xml

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def services(city):
    garbage = Service.objects.create(code="garbage_sorting", kind="link", organisation=city, name_zh="垃圾分类查询",
                                     description_zh="湿垃圾、干垃圾怎么分", keywords="垃圾 分类", sort_order=1,
                                     link_url="https://civichall.example.org/garbage/")
    social = Service.objects.create(code="social_security", kind="link", organisation=city, name_zh="社保卡办理",
                                    keywords="社保卡 补办", sort_order=2, requires_login=True,
                                    link_url="https://civichall.example.org/social/")
    return {"garbage": garbage, "social": social}


@pytest.fixture
def no_assistant(monkeypatch):
    """The one-window search answers text (the assistant is its own room)."""
    monkeypatch.setattr(answering, "assistant_installed", lambda: False)


def test_subscribe_welcomes_with_the_top_services_and_unsubscribe_is_recorded(wechat, services, account):
    actions.do_configure_account(SYSTEM, account.organisation, welcome_text="欢迎来到上海发布！", source="test")
    _, reply = wechat.post(event_xml("o-new", "subscribe"))
    assert reply["Content"].startswith("欢迎来到上海发布！")
    assert "垃圾分类查询：https://civichall.example.org/services/garbage_sorting/" in reply["Content"]
    assert Follower.objects.get(openid="o-new").subscribed
    response, reply = wechat.post(event_xml("o-new", "unsubscribe"))
    assert response.content == b"success" and reply is None
    follower = Follower.objects.get(openid="o-new")
    assert not follower.subscribed and follower.unsubscribed_at is not None


def test_a_menu_click_answers_the_service_and_a_personal_one_a_sign_in_link(wechat, services):
    _, reply = wechat.post(event_xml("o-menu", "CLICK", "GARBAGE_SORTING"))
    assert reply["MsgType"] == "news"
    assert reply["Articles"]["item"]["Title"] == "垃圾分类查询"
    _, reply = wechat.post(event_xml("o-menu", "CLICK", "social_security"))
    assert "需要登录" in reply["Content"]
    assert "/wechat/shanghai/oauth/?next=%2Fservices%2Fsocial_security%2F" in reply["Content"]
    _, reply = wechat.post(event_xml("o-menu", "CLICK", "CONTACT_US"))
    assert "市民服务热线" in reply["Content"]


def test_a_view_click_has_no_reply_but_is_recorded(wechat):
    response, reply = wechat.post(event_xml("o-view", "VIEW", "https://civichall.example.org/services/"))
    assert response.content == b"success"
    assert InboundMessage.objects.get(openid="o-view").outcome == "view"


def test_keyword_replies_exact_before_contains(wechat, account, no_assistant):
    actions.do_save_keyword_reply(SYSTEM, None, account=account, keyword="上班时间", match="exact",
                                  reply="工作日 9:00–17:00。")
    actions.do_save_keyword_reply(SYSTEM, None, account=account, keyword="时间", match="contains",
                                  reply="请问您想了解哪项服务的时间？", priority=5)
    assert wechat.post(text_xml("o-kw", "上班时间"))[1]["Content"] == "工作日 9:00–17:00。"
    assert wechat.post(text_xml("o-kw", "办证时间是几点"))[1]["Content"] == "请问您想了解哪项服务的时间？"


def test_text_without_a_keyword_finds_services_and_offers_a_person(wechat, services, no_assistant):
    _, reply = wechat.post(text_xml("o-q", "垃圾分类"))
    assert "垃圾分类查询" in reply["Content"]
    assert "回复“人工”" in reply["Content"]
    _, reply = wechat.post(text_xml("o-q", "火星签证怎么办理"))
    assert "暂时没有找到" in reply["Content"] and "人工" in reply["Content"]


def test_images_and_voice_get_a_polite_answer(wechat):
    for kind in ("image", "voice"):
        _, reply = wechat.post(media_xml("o-media", kind))
        assert "暂时无法识别图片、语音" in reply["Content"]


def test_location_lists_services_nearby(wechat, city):
    Service.objects.create(code="road_waterlogging", kind="link", organisation=city, name_zh="道路积水",
                           keywords="积水 道路", link_url="https://civichall.example.org/water/")
    _, reply = wechat.post(location_xml("o-loc"))
    assert "人民广场" in reply["Content"]
    assert "道路积水" in reply["Content"] and "lat=31.2304" in reply["Content"]


def test_the_same_msgid_three_times_is_one_action_and_one_reply(wechat, no_assistant, platform_api):
    wechat.post(text_xml("o-retry", "我的公积金怎么提取？"))
    handoff = text_xml("o-retry", "人工", msg_id=880001, create_time=1700000000)
    replies = [wechat.post(handoff)[0].content for _ in range(3)]
    assert replies[0] == replies[1] == replies[2]
    assert "已为您转交工作人员" in replies[0].decode()
    assert Handoff.objects.count() == 1
    assert InboundMessage.objects.filter(content="人工").count() == 1


def test_with_the_cache_down_messages_are_answered_and_retries_still_act_once(wechat, no_assistant, monkeypatch):
    from civichall.channels.wechat import inbound

    # An unreachable Redis answers every claim "taken" (fails open): the
    # unique constraint on the stored message decides instead.
    monkeypatch.setattr(inbound.cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(inbound, "_cache_down", lambda: True)
    wechat.post(text_xml("o-outage", "我的公积金怎么提取？"))
    handoff = text_xml("o-outage", "人工", msg_id=880003, create_time=1700000300)
    replies = [wechat.post(handoff)[0].content for _ in range(2)]
    assert replies[0] == replies[1] and "已为您转交工作人员" in replies[0].decode()
    assert Handoff.objects.count() == 1
    assert InboundMessage.objects.filter(openid="o-outage").count() == 2


def test_a_failing_answer_still_stores_the_message_with_an_apology(wechat, monkeypatch):
    from civichall.channels.wechat import inbound

    def broken(*args):
        raise RuntimeError("a bug in answering")

    monkeypatch.setattr(inbound, "answer", broken)
    response, reply = wechat.post(text_xml("o-broken", "你好", msg_id=880004))
    assert response.status_code == 200 and reply["Content"] == inbound.APOLOGY
    stored = InboundMessage.objects.get(openid="o-broken")
    assert (stored.content, stored.outcome) == ("你好", "failed")
    # The platform's retry gets the same apology, not a second attempt.
    assert wechat.post(text_xml("o-broken", "你好", msg_id=880004))[1]["Content"] == inbound.APOLOGY


def test_events_are_deduplicated_by_sender_and_create_time(wechat, services):
    event = event_xml("o-twice", "subscribe", create_time=1700000100)
    first, second = wechat.post(event)[0].content, wechat.post(event)[0].content
    assert first == second
    assert InboundMessage.objects.filter(openid="o-twice").count() == 1


def test_a_liaisons_answer_reaches_the_follower_on_wechat(wechat, account, make_staff, no_assistant, platform_api,
                                                         django_capture_on_commit_callbacks):
    wechat.post(text_xml("o-ask", "请问居住证续签需要什么材料？"))
    wechat.post(text_xml("o-ask", "人工"))
    handoff = Handoff.objects.get()
    assert handoff.question == "请问居住证续签需要什么材料？"
    assert handoff.due_at > handoff.asked_at
    liaison = make_staff("liaison-city", account.organisation, Role.LIAISON)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_answer_handoff(liaison, handoff, "需要身份证和居住登记材料，可在“一网通办”在线办理。")
    sent = [m for m in platform_api.sent if m["touser"] == "o-ask"]
    assert len(sent) == 1
    assert "需要身份证和居住登记材料" in sent[0]["text"]["content"]
    assert handoff.account.deliveries.get(api="message.custom.text").errcode == 0


def test_handing_off_with_no_question_first_asks_for_it(wechat, no_assistant):
    _, reply = wechat.post(text_xml("o-empty", "人工"))
    assert "请先发送您想咨询的问题" in reply["Content"]
    assert not Handoff.objects.exists()


class _SlowDepartment(BaseHTTPRequestHandler):
    asked = 0  # how often the department's system was called

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).asked += 1
        time.sleep(1.0)
        body = json.dumps([{"place": "南京东路", "status": "轻度积水", "depth_cm": 8,
                            "updated_at": "2026-11-30 08:00"}], ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def slow_service(city):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowDepartment)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connector = Connector.objects.create(
        name="slow-water", kind="http_json", organisation=city, timeout_s=3,
        config={"url_template": f"http://127.0.0.1:{server.server_address[1]}/water"})
    service = Service.objects.create(code="water_now", kind="query", organisation=city, name_zh="实时积水",
                                     connector=connector, cache_ttl_s=0)
    yield service
    server.shutdown()
    server.server_close()


def test_a_slow_department_gets_a_holding_reply_then_a_customer_message(wechat, slow_service, platform_api,
                                                                        django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    _SlowDepartment.asked = 0
    with override_settings(TASKS=DUMMY_TASKS):
        with django_capture_on_commit_callbacks(execute=True):
            _, reply = wechat.post(event_xml("o-slow", "CLICK", "water_now"))
        assert _SlowDepartment.asked == 0  # the reply did not wait for the department
        assert reply["Content"] == "正在为您查询“实时积水”，结果稍后发送给您。"
        assert not platform_api.sent
        queued = list(default_task_backend.results)
        assert len(queued) == 1
        queued[0].task.call(*queued[0].args, **queued[0].kwargs)  # what the worker does
    assert _SlowDepartment.asked == 1
    sent = [m for m in platform_api.sent if m["touser"] == "o-slow"]
    assert len(sent) == 1
    assert "南京东路" in sent[0]["text"]["content"] and "轻度积水" in sent[0]["text"]["content"]
    assert InboundMessage.objects.get(openid="o-slow").outcome == "query:ok"


def test_a_scene_qr_code_opens_the_scene_service(wechat, slow_service, platform_api):
    with override_settings(TASKS=DUMMY_TASKS):
        _, reply = wechat.post(event_xml("o-scan", "subscribe", "qrscene_water_now"))
    assert "正在为您查询“实时积水”" in reply["Content"]
    assert Follower.objects.get(openid="o-scan").scene == "water_now"


def test_a_retry_answers_a_message_whose_first_attempt_died(wechat, no_assistant, monkeypatch):
    from civichall.channels.wechat import inbound

    monkeypatch.setattr(inbound, "RETRY_WAIT_S", 0.2)
    xml = text_xml("o-died", "人工", msg_id=880005, create_time=1700000500)
    wechat.post(text_xml("o-died", "户口迁移需要什么材料？"))
    # The first attempt claimed the message and died before committing anything.
    message = inbound.parse(xml)
    inbound.cache.add(inbound._claim_key(wechat_account(), inbound.dedupe_key(message)), "1", 600)
    response, reply = wechat.post(xml)
    assert "已为您转交工作人员" in reply["Content"]
    assert Handoff.objects.count() == 1
    assert wechat.post(xml)[1]["Content"] == reply["Content"]
    assert Handoff.objects.count() == 1


def wechat_account():
    from civichall.channels.wechat.models import WechatAccount

    return WechatAccount.objects.get(organisation__slug="shanghai")
