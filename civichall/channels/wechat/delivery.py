"""Notifications on WeChat: when a citizen with a linked OpenID is told
something in the site's notification centre (their question was answered
or closed, their comment got a reply, their application changed state),
the same goes to them on WeChat, in the background, by the first channel
that reaches them:

1. a customer-service message (the platform takes them within 48 hours of
   the follower's last message; outside them it answers 45015);
2. a subscription notification, if the follower accepted the account's
   template for it (a question answered; an application's state);
3. the account's notice template message, if one is configured;
4. none: the in-site notification, which stays whatever the platform says.

Every call is logged with the platform's answer (``Delivery``)."""

import logging

from django.utils import timezone

from . import notices, platform, texts
from .models import Follower, InboundMessage, WechatAccount

logger = logging.getLogger("civichall.wechat")

OUT_OF_WINDOW = (45015, 45047)  # outside the 48 hours, too many messages
REFUSED = (43101,)  # the follower did not (or no longer) accept the template

WECHAT_KINDS = ("answer", "reply", "question_closed", "case")


def account_for_openid(openid):
    """The account the follower follows (an OpenID belongs to one account)."""
    follower = (Follower.objects.filter(openid=openid, account__enabled=True).select_related("account")
                .order_by("-last_seen_at").first())
    if follower is not None:
        return follower.account
    # A follower who wrote without a subscribe event on record (followed before the channel existed).
    wrote_to = (InboundMessage.objects.filter(openid=openid, account__enabled=True).select_related("account")
                .order_by("-received_at").first())
    if wrote_to is not None:
        return wrote_to.account
    # Signed in on a page but never wrote to an account: the municipal
    # account's (the one pages sign in through by default).
    from civichall.services.runtime import municipal_account

    municipal = municipal_account()
    return WechatAccount.objects.filter(organisation=municipal, enabled=True).first() if municipal else None


def on_notification(notification):
    """The notify room's delivery hook (registered in ``apps.ready``)."""
    if notification.kind not in WECHAT_KINDS:
        return
    citizen = notification.citizen
    if not citizen.wechat_openid or not WechatAccount.objects.filter(enabled=True).exists():
        return
    from .jobs import deliver_notification

    deliver_notification.enqueue(notification.pk)


def subscription_for(account, kind):
    """``(template_id, mapping)`` of the account's subscription template
    for a notification of ``kind``, or None."""
    purpose = notices.PURPOSES.get(kind)
    template_id = getattr(account, f"{purpose}_subscription_template_id", "") if purpose else ""
    if not template_id:
        return None
    return template_id, notices.parse_mapping(getattr(account, f"{purpose}_subscription_fields", ""))


def _values(account, note):
    when = timezone.localtime(note.created_at).strftime("%Y-%m-%d %H:%M")
    return {"kind": str(note.get_kind_display()), "text": note.text, "time": when,
            "account": account.organisation.display_account_name}


def send_notice(account, openid, note, link=""):
    """Send ``note`` to ``openid`` by the first channel that reaches them
    (see the module docstring); the channel used: ``"custom"``,
    ``"subscription"``, ``"template"``, or ``""`` (in-site only)."""
    text = note.text + (f"\n{link}" if link else "")
    try:
        platform.send_text(account, openid, texts.clip(text))
        return "custom"
    except platform.PlatformError as error:
        if error.errcode not in OUT_OF_WINDOW:
            logger.warning("notice to a follower of %s failed: %s", account.appid, error.message)
            return ""
    from .actions import do_use_subscription, usable_consent

    subscription = subscription_for(account, note.kind)
    consent = usable_consent(account, openid, subscription[0]) if subscription else None
    if consent is not None:
        template_id, mapping = subscription
        try:
            platform.send_subscription(account, openid, template_id,
                                       notices.template_data(mapping, _values(account, note)), url=link or None)
        except platform.PlatformError as error:
            logger.warning("subscription notice to a follower of %s failed: %s", account.appid, error.message)
            if error.errcode in REFUSED:
                do_use_subscription(consent, refused=True)
        else:
            do_use_subscription(consent)
            return "subscription"
    if account.notice_template_id:
        try:
            platform.send_template(account, openid, account.notice_template_id, {
                "first": {"value": str(note.get_kind_display())},
                "keyword1": {"value": texts.clip(note.text, 600)},
                "remark": {"value": "点击查看详情"},
            }, url=link or None)
            return "template"
        except platform.PlatformError as error:
            logger.warning("template notice to a follower of %s failed: %s", account.appid, error.message)
    return ""
