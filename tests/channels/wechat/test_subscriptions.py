"""Subscription notifications (订阅通知): a follower's accept or reject,
reported by the platform in the callback, is recorded per template; a
notice goes out by the first channel that reaches the follower —
customer-service message within 48 hours, then a subscription message
under an accepted template, then the notice template, then the in-site
notification alone — and every call is logged with the platform's answer.

The events are posted through the real endpoint, signed (and in safe mode
encrypted) by wechatpy, as the platform sends them."""

import pytest
import xmltodict
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from civichall.accounts import citizens
from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import actions
from civichall.channels.wechat.models import ConsentStatus, Delivery, Follower, SubscriptionConsent
from civichall.notify.services import notify_citizen

from .player import ACCOUNT_OPENID, AES_KEY, Platform

pytestmark = pytest.mark.django_db

ANSWERED = "TPL-answered_01"
CASE = "TPL-case_02"
OTHER = "TPL-other_03"
OUT_OF_TIME = (45015, "response out of time limit or subscription is canceled")


def subscription_event(openid, event, items, create_time=1700000300):
    """The platform's XML for a subscription event: ``items`` are the
    ``<List>`` entries (dicts of the platform's element names)."""
    container = {"subscribe_msg_popup_event": "SubscribeMsgPopupEvent",
                 "subscribe_msg_change_event": "SubscribeMsgChangeEvent",
                 "subscribe_msg_sent_event": "SubscribeMsgSentEvent"}[event]
    return xmltodict.unparse({"xml": {
        "ToUserName": ACCOUNT_OPENID, "FromUserName": openid, "CreateTime": create_time, "MsgType": "event",
        "Event": event, container: {"List": items},
    }}, full_document=False)


def popup(openid, **choices):
    return subscription_event(openid, "subscribe_msg_popup_event", [
        {"TemplateId": template, "SubscribeStatusString": status, "PopupScene": "2"}
        for template, status in choices.items()])


@pytest.fixture
def subscribed_account(account):
    return actions.do_configure_account(SYSTEM, account.organisation, subscriptions={
        "answer": (ANSWERED, "thing1=kind, thing2=text, time3=time"),
        "case": (CASE, "thing1=text, phrase2=kind"),
    }, source="test")


@pytest.fixture
def follower(account, make_citizen):
    citizen = make_citizen("13900000911")
    citizens.do_link_wechat(citizen, "o-sub")
    Follower.objects.create(account=account, openid="o-sub")
    return citizen


def consent(template_id, openid="o-sub"):
    return SubscriptionConsent.objects.filter(openid=openid, template_id=template_id).first()


def notify(citizen, capture, kind="answer", text="上海发布答复了您的问题：可在“一网通办”在线办理。", link="/c/7/"):
    with capture(execute=True):
        notify_citizen(citizen, kind, text, link)


def calls(openid="o-sub"):
    return list(Delivery.objects.filter(openid=openid).order_by("id").values_list("api", "errcode"))


# ------------------------------------------------------------------ the events


def test_a_popup_accept_and_reject_are_recorded_per_template(wechat, subscribed_account):
    response, reply = wechat.post(popup("o-sub", **{ANSWERED: "accept", CASE: "reject"}))
    assert response.status_code == 200 and response.content == b"success" and reply is None
    assert consent(ANSWERED).status == ConsentStatus.ACCEPT and consent(ANSWERED).credits == 1
    assert consent(CASE).status == ConsentStatus.REJECT and not consent(CASE).usable
    entry = ModelLogEntry.objects.filter(action="civichall.wechat.subscription_consent").first()
    assert entry is not None and entry.data["event"] == "subscribe_msg_popup_event"


def test_each_popup_accept_allows_one_more_message_and_a_retry_counts_once(wechat, subscribed_account):
    first = popup("o-sub", **{ANSWERED: "accept"})
    wechat.post(first)
    wechat.post(first)  # the platform's retry of the same event
    wechat.post(subscription_event("o-sub", "subscribe_msg_popup_event", {
        "TemplateId": ANSWERED, "SubscribeStatusString": "accept", "PopupScene": "0"}, create_time=1700000400))
    assert consent(ANSWERED).credits == 2


def test_the_settings_page_makes_a_consent_long_term_and_can_turn_it_off(wechat, subscribed_account):
    wechat.post(subscription_event("o-sub", "subscribe_msg_change_event",
                                   {"TemplateId": CASE, "SubscribeStatusString": "accept"}))
    assert consent(CASE).long_term and consent(CASE).usable
    wechat.post(subscription_event("o-sub", "subscribe_msg_change_event",
                                   {"TemplateId": CASE, "SubscribeStatusString": "reject"}, create_time=1700000500))
    assert consent(CASE).status == ConsentStatus.REJECT and not consent(CASE).long_term


def test_a_sent_event_with_an_error_turns_the_consent_off(wechat, subscribed_account):
    wechat.post(popup("o-sub", **{ANSWERED: "accept"}))
    wechat.post(subscription_event("o-sub", "subscribe_msg_sent_event", {
        "TemplateId": ANSWERED, "MsgID": "1700827132819554304", "ErrorCode": "43101",
        "ErrorStatus": "failed:user refuse to accept the msg"}, create_time=1700000600))
    assert not consent(ANSWERED).usable


def test_events_arrive_encrypted_in_safe_mode(client, safe_account):
    platform = Platform(client, "shanghai", aes_key=AES_KEY)
    response, _ = platform.post(popup("o-safe", **{OTHER: "accept"}))
    assert response.status_code == 200
    assert consent(OTHER, "o-safe").usable


def test_a_malformed_list_is_ignored_not_a_500(wechat, subscribed_account):
    xml = subscription_event("o-sub", "subscribe_msg_popup_event", "not a list")
    response, _ = wechat.post(xml)
    assert response.status_code == 200
    assert not SubscriptionConsent.objects.exists()


# ---------------------------------------------------------- the channel order


def test_within_48_hours_a_customer_message_is_enough(wechat, subscribed_account, follower, platform_api,
                                                      django_capture_on_commit_callbacks):
    wechat.post(popup("o-sub", **{ANSWERED: "accept"}))
    notify(follower, django_capture_on_commit_callbacks)
    assert calls() == [("message.custom.text", 0)]
    assert consent(ANSWERED).credits == 1  # not used


def test_outside_48_hours_an_accepted_template_carries_the_notice(wechat, subscribed_account, follower,
                                                                  platform_api, django_capture_on_commit_callbacks):
    actions.do_configure_account(SYSTEM, subscribed_account.organisation, notice_template_id="TPL_notice-01")
    wechat.post(popup("o-sub", **{ANSWERED: "accept"}))
    platform_api.fail_next("message/custom/send", *OUT_OF_TIME)
    notify(follower, django_capture_on_commit_callbacks)
    assert calls() == [("message.custom.text", 45015), ("message.subscribe", 0)]
    sent = [m for m in platform_api.sent if m["touser"] == "o-sub"]
    assert len(sent) == 1 and sent[0]["api"] == "message/subscribe/bizsend"
    assert sent[0]["template_id"] == ANSWERED
    data = sent[0]["data"]
    assert data["thing1"]["value"] == "您的提问有了答复"  # the notification's kind, as the site names it
    assert len(data["thing2"]["value"]) <= 20 and data["thing2"]["value"].startswith("上海发布答复了您的问题")
    assert data["time3"]["value"][:2] == "20"
    assert sent[0]["page"] == "https://civichall.example.org/c/7/"
    assert consent(ANSWERED).credits == 0  # the one-off consent is used

    # The next notice: no subscription left, the notice template carries it.
    platform_api.fail_next("message/custom/send", *OUT_OF_TIME)
    notify(follower, django_capture_on_commit_callbacks, text="又一条答复。")
    assert calls()[2:] == [("message.custom.text", 45015), ("message.template", 0)]


def test_a_case_notice_uses_the_case_template(wechat, subscribed_account, follower, platform_api,
                                              django_capture_on_commit_callbacks):
    wechat.post(popup("o-sub", **{ANSWERED: "reject", CASE: "accept"}))
    platform_api.fail_next("message/custom/send", *OUT_OF_TIME)
    notify(follower, django_capture_on_commit_callbacks, kind="case", text="SH2026-0001：材料已受理，进入审核。",
           link="/applications/cases/1/")
    sent = [m for m in platform_api.sent if m["touser"] == "o-sub"]
    assert [m["template_id"] for m in sent] == [CASE]
    assert sent[0]["data"]["phrase2"]["value"] and len(sent[0]["data"]["phrase2"]["value"]) <= 5


def test_without_consent_the_notice_template_is_next(wechat, subscribed_account, follower, platform_api,
                                                     django_capture_on_commit_callbacks):
    actions.do_configure_account(SYSTEM, subscribed_account.organisation, notice_template_id="TPL_notice-01")
    wechat.post(popup("o-sub", **{ANSWERED: "reject"}))
    platform_api.fail_next("message/custom/send", *OUT_OF_TIME)
    notify(follower, django_capture_on_commit_callbacks)
    assert calls() == [("message.custom.text", 45015), ("message.template", 0)]


def test_a_refused_subscription_turns_the_consent_off_and_falls_back(wechat, subscribed_account, follower,
                                                                     platform_api, django_capture_on_commit_callbacks):
    actions.do_configure_account(SYSTEM, subscribed_account.organisation, notice_template_id="TPL_notice-01")
    wechat.post(popup("o-sub", **{ANSWERED: "accept"}))
    platform_api.fail_next("message/custom/send", *OUT_OF_TIME)
    platform_api.fail_next("message/subscribe/bizsend", 43101, "user refuse to accept the msg")
    notify(follower, django_capture_on_commit_callbacks)
    assert calls() == [("message.custom.text", 45015), ("message.subscribe", 43101), ("message.template", 0)]
    assert not consent(ANSWERED).usable


def test_with_nothing_that_reaches_them_the_in_site_notification_stays(wechat, subscribed_account, follower,
                                                                       platform_api,
                                                                       django_capture_on_commit_callbacks):
    platform_api.fail_next("message/custom/send", *OUT_OF_TIME)
    notify(follower, django_capture_on_commit_callbacks)
    assert calls() == [("message.custom.text", 45015)]
    assert follower.notifications.count() == 1


# ---------------------------------------------------------- the configuration


def test_the_templates_are_configured_through_the_audited_action(account):
    actions.do_configure_account(SYSTEM, account.organisation, subscriptions={
        "answer": (ANSWERED, "thing1=kind，time2=time")}, source="test")
    account.refresh_from_db()
    assert account.answer_subscription_template_id == ANSWERED
    assert account.answer_subscription_fields == "thing1=kind, time2=time"
    entry = ModelLogEntry.objects.filter(action="civichall.wechat.configure").order_by("-id").first()
    assert "answer_subscription_template_id" in entry.data["changed"]


@pytest.mark.parametrize("fields, words", [
    ("thing1", "不是“键=值”"),
    ("thing1=mobile", "不是可用的值"),
    ("thing1=kind, thing1=text", "出现了两次"),
    ("", "请写出模板的键"),
])
def test_a_bad_field_mapping_is_refused_in_chinese(account, fields, words):
    with pytest.raises(ValidationError) as refused:
        actions.do_configure_account(SYSTEM, account.organisation, subscriptions={"case": (CASE, fields)})
    assert words in " ".join(refused.value.message_dict["case_subscription_fields"])
    account.refresh_from_db()
    assert account.case_subscription_template_id == ""


def test_the_admin_form_saves_the_templates(client, account, make_staff):
    from civichall.accounts.models import Role

    client.force_login(make_staff("city-admin", account.organisation, Role.ADMINISTRATOR))
    url = f"/admin/wechat/accounts/edit/{account.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "answer_subscription_fields" in page.content.decode()
    response = client.post(url, {
        "appid": account.appid, "token": account.token, "mode": account.mode, "welcome_text": "",
        "notice_template_id": "", "answer_subscription_template_id": ANSWERED,
        "answer_subscription_fields": "thing1=kind time2=time", "case_subscription_template_id": "",
        "case_subscription_fields": "", "enabled": "on", "new_secret": "", "new_aes_key": ""})
    assert response.status_code == 302, response.content.decode()[:500]
    account.refresh_from_db()
    assert account.answer_subscription_fields == "thing1=kind, time2=time"


def test_the_console_configures_shows_and_simulates_a_subscription(account):
    import io

    from django.core.management import call_command

    call_command("wechat", "configure", "shanghai", "--appid", account.appid, "--token", account.token,
                 "--case-subscription", CASE, "--case-fields", "thing1=text time2=time", stdout=io.StringIO())
    shown = io.StringIO()
    call_command("wechat", "show", "shanghai", stdout=shown)
    assert f"{CASE} (thing1=text, time2=time)" in shown.getvalue()
    call_command("wechat", "simulate", "shanghai", "--openid", "o-console", "--event", f"accept:{CASE}",
                 stdout=io.StringIO())
    assert consent(CASE, "o-console").usable
