"""The WeChat channel's named actions: ``check_*`` validate, ``do_*``
authorise (``permissions``), change state and write the audit log. The
admin, the ``civichall wechat`` command, the demo and the tests call these.

Secrets (AppSecret, EncodingAESKey) are write-only: ``None`` or ``""``
keeps the stored value, and the audit log says *that* one changed, never
what it is."""

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.accounts.policy import recorded_user
from civichall.core.text import drop_invisible

from . import notices
from .models import ConsentStatus, Handoff, KeywordReply, MatchKind, Mode, SubscriptionConsent, WechatAccount
from .permissions import access_handoff, access_keyword_reply, access_wechat_account

APPID_RE = re.compile(r"^wx[0-9a-zA-Z]{16}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9]{3,32}$")
AES_KEY_RE = re.compile(r"^[A-Za-z0-9]{43}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9]{8,64}$")
TEMPLATE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_REPLY = 2000
MAX_QUESTION = 1000
MAX_ANSWER = 2000
SUBSCRIPTION_FIELDS = ("answer_subscription_template_id", "answer_subscription_fields",
                       "case_subscription_template_id", "case_subscription_fields")
CONFIG_FIELDS = ("appid", "token", "mode", "welcome_text", "notice_template_id", *SUBSCRIPTION_FIELDS, "enabled")


def check_subscription(purpose, template_id, fields):
    """The template ID and its field mapping of one purpose, cleaned:
    ``(template_id, mapping text)``; ValidationError naming the field."""
    template_id = (template_id or "").strip()
    id_field, fields_field = f"{purpose}_subscription_template_id", f"{purpose}_subscription_fields"
    if template_id and not TEMPLATE_RE.match(template_id):
        raise ValidationError({id_field: _("A template ID is letters, digits, - and _.")})
    try:
        mapping = notices.parse_mapping(fields or "")
    except notices.MappingError as error:
        message = {
            "shape": _("“%(part)s” is not “key=value”; keys look like thing1 or time2."),
            "source": _("“%(part)s” is not a value a key can take (kind, text, time, account)."),
            "twice": _("The key “%(part)s” is named twice."),
        }[error.code] % {"part": error.part}
        raise ValidationError({fields_field: message}) from None
    if template_id and not mapping:
        raise ValidationError({fields_field: _("Name the template's keys and their values, e.g. "
                                               "“thing1=kind, time2=time”.")})
    return template_id, notices.mapping_text(mapping)


def check_config(*, appid, token, mode, aes_key, secret):
    """ValidationError naming each bad field (Chinese by default)."""
    errors = {}
    if not APPID_RE.match(appid or ""):
        errors["appid"] = _("An AppID is “wx” followed by 16 letters or digits; copy it from the WeChat console.")
    if not TOKEN_RE.match(token or ""):
        errors["token"] = _("The Token is 3 to 32 letters or digits, as entered in the WeChat console.")
    if mode not in Mode.values:
        errors["mode"] = _("Choose a message mode: plain, compatible or safe.")
    if aes_key and not AES_KEY_RE.match(aes_key):
        errors["aes_key"] = _("The EncodingAESKey is exactly 43 letters or digits.")
    elif mode in (Mode.COMPATIBLE, Mode.SAFE) and not aes_key:
        errors["aes_key"] = _("Compatible and safe modes need the EncodingAESKey.")
    if secret and not SECRET_RE.match(secret):
        errors["app_secret"] = _("The AppSecret is 8 to 64 letters or digits.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_configure_account(user, organisation, *, appid=None, token=None, aes_key=None, secret=None, mode=None,
                         welcome_text=None, notice_template_id=None, enabled=None, subscriptions=None, source=""):
    """Create or change ``organisation``'s WeChat account configuration.
    Unnamed fields keep their value; ``aes_key``/``secret`` None or "" keep
    the stored secret. ``subscriptions``: ``{"answer"|"case": (template ID,
    field mapping)}`` for the subscription notifications (an empty ID turns
    one off)."""
    account = WechatAccount.objects.select_for_update().filter(organisation=organisation).first()
    creating = account is None
    if creating:
        account = WechatAccount(organisation=organisation)
    access_wechat_account(user, account, "edit")
    before = {f: getattr(account, f) for f in CONFIG_FIELDS}
    for name, value in (("appid", appid), ("token", token), ("mode", mode), ("enabled", enabled)):
        if value is not None:
            setattr(account, name, value.strip() if isinstance(value, str) else value)
    if welcome_text is not None:
        account.welcome_text = drop_invisible(welcome_text).strip()[:MAX_REPLY]
    if notice_template_id is not None:
        account.notice_template_id = notice_template_id.strip()
        if account.notice_template_id and not TEMPLATE_RE.match(account.notice_template_id):
            raise ValidationError({"notice_template_id": _("A template ID is letters, digits, - and _.")})
    for purpose, (template_id, fields) in (subscriptions or {}).items():
        if purpose not in ("answer", "case"):
            raise ValueError(f"unknown subscription purpose {purpose!r}")
        template_id, fields = check_subscription(purpose, template_id, fields)
        setattr(account, f"{purpose}_subscription_template_id", template_id)
        setattr(account, f"{purpose}_subscription_fields", fields)
    aes_key = (aes_key or "").strip() or None
    secret = (secret or "").strip() or None
    check_config(appid=account.appid, token=account.token, mode=account.mode or Mode.PLAIN,
                 aes_key=aes_key or account.aes_key, secret=secret)
    changed = sorted(f for f in CONFIG_FIELDS if getattr(account, f) != before[f])
    secrets_changed = []
    if aes_key is not None and aes_key != account.aes_key:
        account.aes_key, secrets_changed = aes_key, secrets_changed + ["aes_key"]
    if secret is not None and secret != account.app_secret:
        account.app_secret, secrets_changed = secret, secrets_changed + ["app_secret"]
    if not creating and not changed and not secrets_changed:
        return account
    account.save()
    log(instance=account, action="civichall.wechat.configure", user=recorded_user(user),
        data={"changed": changed, "secrets_changed": secrets_changed, "source": source, "created": creating})
    return account


def check_keyword_reply(keyword, match, reply):
    errors = {}
    keyword = drop_invisible(keyword or "").strip()
    reply = drop_invisible(reply or "").strip()
    if not keyword or len(keyword) > 60:
        errors["keyword"] = _("A keyword is 1 to 60 characters.")
    if match not in MatchKind.values:
        errors["match"] = _("Choose exact or contains.")
    if not reply or len(reply) > MAX_REPLY:
        errors["reply"] = _("A reply is 1 to %(max)s characters.") % {"max": MAX_REPLY}
    if errors:
        raise ValidationError(errors)
    return keyword, reply


@transaction.atomic
def do_save_keyword_reply(user, rule, *, account, keyword, reply, match=MatchKind.EXACT, priority=0,
                          active=True, source=""):
    """Create (``rule`` None) or change a keyword auto-reply of ``account``."""
    creating = rule is None or rule.pk is None
    if not creating:
        access_keyword_reply(user, KeywordReply.objects.select_related("account").get(pk=rule.pk), "edit")
    rule = rule if rule is not None else KeywordReply()
    rule.account = account
    access_keyword_reply(user, rule, "edit")
    rule.keyword, rule.reply = check_keyword_reply(keyword, match, reply)
    rule.match, rule.priority, rule.active = match, int(priority or 0), bool(active)
    rule.save()
    log(instance=rule, action="civichall.wechat.keyword.create" if creating else "civichall.wechat.keyword.edit",
        user=recorded_user(user), data={"keyword": rule.keyword, "source": source})
    return rule


@transaction.atomic
def do_delete_keyword_reply(user, rule, source=""):
    access_keyword_reply(user, rule, "edit")
    log(instance=rule, action="civichall.wechat.keyword.delete", user=recorded_user(user),
        data={"keyword": rule.keyword, "source": source})
    rule.delete()


def _first_answer_hours(organisation):
    # The comment area's first-answer clock, per organisation.
    from civichall.interaction.models import OrganisationInteractionSettings

    return OrganisationInteractionSettings.for_organisation(organisation.pk).first_answer_hours


@transaction.atomic
def do_file_handoff(account, openid, question):
    """A follower asks for a person: the question waits for the account's
    staff, due within the organisation's first-answer time."""
    question = drop_invisible(question or "").strip()[:MAX_QUESTION]
    if not question:
        raise ValidationError(_("Please write your question first."))
    now = timezone.now()
    handoff = Handoff.objects.create(
        account=account, openid=openid, question=question, asked_at=now,
        due_at=now + timedelta(hours=_first_answer_hours(account.organisation)),
    )
    log(instance=handoff, action="civichall.wechat.handoff", user=None, data={"account": account.appid})
    return handoff


@transaction.atomic
def do_answer_handoff(user, handoff, answer, source=""):
    """A staff member answers a follower's question; the answer is sent to
    the follower as a customer-service message once committed."""
    handoff = Handoff.objects.select_for_update().select_related("account__organisation").get(pk=handoff.pk)
    access_handoff(user, handoff, "answer")
    answer = drop_invisible(answer or "").strip()
    if not answer or len(answer) > MAX_ANSWER:
        raise ValidationError({"answer": _("An answer is 1 to %(max)s characters.") % {"max": MAX_ANSWER}})
    if handoff.answered_at is not None:
        raise ValidationError(_("This question has already been answered."))
    handoff.answer, handoff.answered_at, handoff.answered_by = answer, timezone.now(), recorded_user(user)
    handoff.save()
    log(instance=handoff, action="civichall.wechat.handoff.answer", user=recorded_user(user),
        data={"source": source})
    from .jobs import send_handoff_answer

    transaction.on_commit(lambda: send_handoff_answer.enqueue(handoff.pk))
    return handoff


@transaction.atomic
def do_record_subscription_choices(account, openid, event, choices):
    """A follower's answers to subscription templates, as the platform
    reported them (``event``: ``subscribe_msg_popup_event``, ``…_change_event``
    or ``…_sent_event``; ``choices``: ``(template_id, status, error_code)``).
    An accept in the pop-up allows one more message; in the follower's
    notification settings (change event) it is long-term. A message the
    platform could not deliver because the follower refused it (sent event
    with an error) turns the consent off. Each change is audited."""
    now = timezone.now()
    changed = []
    for template_id, status, error_code in choices:
        template_id = (template_id or "")[:64]
        if not template_id:
            continue
        consent = (SubscriptionConsent.objects.select_for_update()
                   .filter(account=account, openid=openid, template_id=template_id).first())
        if consent is None:
            consent = SubscriptionConsent(account=account, openid=openid, template_id=template_id,
                                          status=ConsentStatus.REJECT)
        if event == "subscribe_msg_sent_event":
            if not error_code or consent.pk is None:
                continue  # delivered: the send already counted it
            consent.status, consent.credits = ConsentStatus.REJECT, 0
        elif status == "accept":
            consent.status = ConsentStatus.ACCEPT
            if event == "subscribe_msg_change_event":
                consent.long_term = True
            else:
                consent.credits += 1
        elif status == "reject":
            consent.status, consent.credits, consent.long_term = ConsentStatus.REJECT, 0, False
        else:
            continue
        consent.updated_at = now
        consent.save()
        changed.append(consent)
        log(instance=consent, action="civichall.wechat.subscription_consent", user=None,
            data={"template_id": template_id, "status": consent.status, "event": event,
                  "long_term": consent.long_term, "credits": consent.credits})
    return changed


def usable_consent(account, openid, template_id):
    """The follower's consent to ``template_id`` if a message may be sent under it."""
    consent = SubscriptionConsent.objects.filter(account=account, openid=openid, template_id=template_id).first()
    return consent if consent is not None and consent.usable else None


@transaction.atomic
def do_use_subscription(consent, *, refused=False):
    """A subscription message was sent under ``consent`` (one one-off credit
    used), or the platform said the follower refused it (consent off)."""
    consent = SubscriptionConsent.objects.select_for_update().get(pk=consent.pk)
    if refused:
        consent.status, consent.credits, consent.long_term = ConsentStatus.REJECT, 0, False
    elif not consent.long_term and consent.credits:
        consent.credits -= 1
    consent.updated_at = timezone.now()
    consent.save(update_fields=["status", "credits", "long_term", "updated_at"])
    log(instance=consent, action="civichall.wechat.subscription_used", user=None,
        data={"template_id": consent.template_id, "refused": refused, "credits": consent.credits})
    return consent
