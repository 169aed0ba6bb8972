"""What the WeChat channel stores: each organisation's account configuration
and keyword auto-replies, its followers, every message received (stored
before it is processed), every call sent to the platform with its answer,
and the questions followers hand to a person.

Writes go through ``actions`` (configuration, keyword replies, hand-offs)
and ``inbound`` / ``platform`` (messages, followers, deliveries)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Mode(models.TextChoices):
    PLAIN = "plain", _("Plaintext")
    COMPATIBLE = "compatible", _("Compatible (plaintext and encrypted)")
    SAFE = "safe", _("Safe (encrypted)")


class WechatAccount(models.Model):
    """An organisation's WeChat public account: how the platform and this
    server recognise each other. ``app_secret`` and ``aes_key`` are
    write-only in the admin and never shown."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="wechat_account",
        verbose_name=_("organisation"),
    )
    appid = models.CharField(_("AppID"), max_length=32)
    app_secret = models.CharField(_("AppSecret"), max_length=64, blank=True)
    token = models.CharField(_("Token"), max_length=32)
    aes_key = models.CharField(_("EncodingAESKey"), max_length=43, blank=True)
    mode = models.CharField(_("message mode"), max_length=12, choices=Mode.choices, default=Mode.PLAIN)
    welcome_text = models.TextField(
        _("welcome message"), blank=True,
        help_text=_("Sent to a new follower, followed by the top services. Empty: a standard greeting."),
    )
    notice_template_id = models.CharField(
        _("notice template ID"), max_length=64, blank=True,
        help_text=_("A template message for notices to followers who have not written in the last 48 hours "
                    "(when the platform refuses a customer-service message). Fields: first, keyword1, remark."),
    )
    answer_subscription_template_id = models.CharField(
        _("subscription template: question answered"), max_length=64, blank=True,
        help_text=_("A subscription notification (订阅通知) for “your question was answered”, sent to followers "
                    "who accepted it when no customer-service message can reach them."),
    )
    answer_subscription_fields = models.CharField(
        _("its fields"), max_length=300, blank=True,
        help_text=_("The template's keys and what fills them, e.g. “thing1=kind, thing2=text, time3=time”. "
                    "Values: kind, text, time, account."),
    )
    case_subscription_template_id = models.CharField(
        _("subscription template: application state changed"), max_length=64, blank=True,
        help_text=_("A subscription notification for “your application changed state”."),
    )
    case_subscription_fields = models.CharField(
        _("its fields"), max_length=300, blank=True,
        help_text=_("As above, e.g. “thing1=text, phrase2=kind, time3=time”."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("WeChat account")
        verbose_name_plural = _("WeChat accounts")

    def __str__(self):
        return f"{self.organisation} ({self.appid})"


class MatchKind(models.TextChoices):
    EXACT = "exact", _("Exact match")
    CONTAINS = "contains", _("Contains")


class KeywordReply(models.Model):
    """A keyword auto-reply, as WeChat's own console offers: a follower's
    text equal to (or containing) ``keyword`` gets ``reply``."""

    account = models.ForeignKey(WechatAccount, on_delete=models.CASCADE, related_name="keyword_replies",
                                verbose_name=_("WeChat account"))
    keyword = models.CharField(_("keyword"), max_length=60)
    match = models.CharField(_("match"), max_length=10, choices=MatchKind.choices, default=MatchKind.EXACT)
    reply = models.TextField(_("reply"), max_length=2000)
    priority = models.IntegerField(_("priority"), default=0, help_text=_("Higher first."))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("keyword auto-reply")
        verbose_name_plural = _("keyword auto-replies")
        ordering = ["-priority", "id"]

    def __str__(self):
        return self.keyword


class Follower(models.Model):
    """A follower of one account (an OpenID is per account)."""

    account = models.ForeignKey(WechatAccount, on_delete=models.CASCADE, related_name="followers")
    openid = models.CharField(max_length=64)
    subscribed = models.BooleanField(default=True)
    scene = models.CharField(max_length=64, blank=True)
    subscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["account", "openid"], name="wechat_follower_once")]

    def __str__(self):
        return self.openid


class ConsentStatus(models.TextChoices):
    ACCEPT = "accept", pgettext_lazy("wechat", "Accepted")
    REJECT = "reject", pgettext_lazy("wechat", "Rejected")


class SubscriptionConsent(models.Model):
    """A follower's answer to a subscription notification template, as the
    platform reported it (``subscribe_msg_popup_event`` / ``…_change_event``
    / ``…_sent_event``). Each accept in the pop-up allows one message
    (``credits``); an accept in the follower's notification settings is
    long-term."""

    account = models.ForeignKey(WechatAccount, on_delete=models.CASCADE, related_name="subscription_consents")
    openid = models.CharField(max_length=64)
    template_id = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    long_term = models.BooleanField(default=False)
    credits = models.PositiveIntegerField(default=0, help_text="one-off messages accepted and not yet sent")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription consent")
        verbose_name_plural = _("subscription consents")
        constraints = [models.UniqueConstraint(fields=["account", "openid", "template_id"],
                                               name="wechat_consent_once")]

    @property
    def usable(self):
        return self.status == ConsentStatus.ACCEPT and (self.long_term or self.credits > 0)


class InboundMessage(models.Model):
    """A message or event as received, stored before it is processed; one
    row per message however often the platform retries it."""

    account = models.ForeignKey(WechatAccount, on_delete=models.CASCADE, related_name="messages")
    dedupe_key = models.CharField(max_length=120)
    openid = models.CharField(max_length=64)
    msg_type = models.CharField(max_length=20)
    event = models.CharField(max_length=40, blank=True)
    content = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    reply = models.TextField(blank=True, help_text="the passive reply as sent, for the platform's retries")
    asked_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="the assistant's record of this question, for a hand-off to a person")

    class Meta:
        verbose_name = _("received message")
        verbose_name_plural = _("received messages")
        constraints = [models.UniqueConstraint(fields=["account", "dedupe_key"], name="wechat_message_once")]


class Delivery(models.Model):
    """A call to the platform (a customer-service or template message, a menu
    push, a QR code) with the platform's answer."""

    account = models.ForeignKey(WechatAccount, on_delete=models.CASCADE, related_name="deliveries")
    api = models.CharField(max_length=40)
    openid = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    errcode = models.IntegerField(null=True, blank=True)
    errmsg = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("platform call")
        verbose_name_plural = _("platform calls")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["account", "-sent_at"], name="wechat_delivery_account")]

    @property
    def ok(self):
        return self.errcode == 0


class Handoff(models.Model):
    """A follower asked for a person: the question waits for a liaison of
    the account's organisation, on the comment area's first-answer clock,
    and the answer goes back to the follower on WeChat."""

    account = models.ForeignKey(WechatAccount, on_delete=models.CASCADE, related_name="handoffs",
                                verbose_name=_("WeChat account"))
    openid = models.CharField(_("follower"), max_length=64)
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))

    class Meta:
        verbose_name = _("question from WeChat")
        verbose_name_plural = _("questions from WeChat")
        ordering = ["answered_at", "asked_at"]

    def __str__(self):
        return self.question[:40]

    @property
    def organisation(self):
        return self.account.organisation
