"""Notifications on WeChat: when a citizen with a linked OpenID is told
something in the site's notification centre (their question was answered
or closed, their comment got a reply, their application changed state),
the same text goes to them on WeChat as a customer-service message, in the
background. The notification centre keeps it whatever the platform says
(the fallback), and the send is logged with the platform's answer."""

from .models import Follower, InboundMessage, WechatAccount

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
