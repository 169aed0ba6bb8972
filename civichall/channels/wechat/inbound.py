"""A message from the platform, once: parsed, stored, answered, remembered.

WeChat retries a message it got no answer to within five seconds, three
times. Each message has a key — its MsgId, or sender + CreateTime for an
event — claimed with ``cache.add`` in the cache every process shares
(Redis in production): the first process to claim it stores the message
(``InboundMessage``, unique per account and key) and answers it; a retry
waits briefly for that answer and gets the same bytes. The rendered reply
is kept in the cache and on the stored message, so a retry never repeats
an action (a hand-off, a query) even after the cache forgot it.
"""

import logging
import time

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from wechatpy import parse_message
from wechatpy.replies import ArticlesReply, create_reply

from .answering import Answer, answer
from .models import InboundMessage
from .xmlguard import BadXml

logger = logging.getLogger("civichall.wechat")

SUCCESS = "success"  # the platform's "no reply"
PENDING = "\x00pending"
REPLY_TTL_S = 600  # longer than the platform's retries (about 15 s)
RETRY_WAIT_S = 4.0


def parse(text):
    """A wechatpy message from checked XML text; ``BadXml`` if unreadable."""
    try:
        message = parse_message(text)
    except Exception:  # noqa: BLE001 - expat's and xmltodict's errors alike
        raise BadXml("bad_xml") from None
    if message is None or not getattr(message, "source", None) or not getattr(message, "type", None):
        raise BadXml("not_wechat")
    return message


def dedupe_key(message):
    msg_id = getattr(message, "id", None)
    if msg_id:
        return f"m:{msg_id}"
    # An event has no MsgId: the platform's advice is sender + CreateTime;
    # the event and its key are added so two taps within a second stay two.
    created = message.create_time
    created = int(created.timestamp()) if hasattr(created, "timestamp") else created
    what = f"{getattr(message, 'event', '')}:{getattr(message, 'key', '') or getattr(message, 'scene_id', '') or ''}"
    return f"e:{message.source}:{created}:{what}"[:120]


def _cache_key(account, key):
    return f"wechat:reply:{account.pk}:{key}"


def handle(account, message):
    """The plaintext reply to ``message`` (XML, or ``success``), exactly once."""
    key = dedupe_key(message)
    ck = _cache_key(account, key)
    if not cache.add(ck, PENDING, REPLY_TTL_S):
        return _wait_for(account, ck, key)
    try:
        rendered = _answer_once(account, message, key)
    except Exception:
        cache.delete(ck)  # let the platform's retry try again
        raise
    cache.set(ck, rendered, REPLY_TTL_S)
    return rendered


def _wait_for(account, ck, key):
    deadline = time.monotonic() + RETRY_WAIT_S
    while time.monotonic() < deadline:
        value = cache.get(ck)
        if value is None:
            break
        if value != PENDING:
            return value
        time.sleep(0.05)
    stored = InboundMessage.objects.filter(account=account, dedupe_key=key).values_list("reply", flat=True).first()
    return stored or SUCCESS


def _content(message):
    kind = message.type
    if kind == "text":
        return message.content or ""
    if kind == "event":
        return getattr(message, "key", "") or getattr(message, "scene_id", "") or ""
    if kind == "location":
        return f"{message.location_x},{message.location_y} {getattr(message, 'label', '')}".strip()
    return getattr(message, "media_id", "") or ""


def _answer_once(account, message, key):
    # Stored (and committed) before it is processed: nothing a follower sends is lost.
    # The claim in the cache makes a second row rare (only if the cache
    # forgot the key): one INSERT, and the unique constraint for the rest.
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                account=account, dedupe_key=key[:120], openid=message.source[:64], msg_type=message.type[:20],
                event=(getattr(message, "event", "") or "")[:40], content=_content(message)[:4000],
            )
    except IntegrityError:  # already stored and answered: the same reply, no second action
        stored = InboundMessage.objects.filter(account=account, dedupe_key=key[:120]).first()
        return (stored.reply if stored is not None else "") or SUCCESS
    try:
        with transaction.atomic():
            result = answer(account, message, record)
            rendered = render(result, message)
            record.reply, record.outcome, record.handled_at = rendered, result.outcome[:40], timezone.now()
            record.save(update_fields=["reply", "outcome", "handled_at"])
            for name, kwargs in result.jobs:
                _enqueue_on_commit(name, record.pk, kwargs)
    except Exception:
        logger.exception("WeChat message %s of %s could not be answered", record.pk, account.appid)
        apology = render(Answer("抱歉，系统繁忙，请稍后再试。"), message)
        InboundMessage.objects.filter(pk=record.pk).update(reply=apology, outcome="failed", handled_at=timezone.now())
        return apology
    return rendered


def _enqueue_on_commit(name, message_pk, kwargs):
    from . import jobs

    task = {"query": jobs.answer_query, "assistant": jobs.answer_with_assistant}[name]
    transaction.on_commit(lambda: task.enqueue(message_pk, **kwargs))


def render(result, message):
    """The reply XML for ``result``, addressed back to the sender."""
    if result.reply is None:
        return SUCCESS
    if isinstance(result.reply, list):
        reply = ArticlesReply(message=message)
        for article in result.reply[:1]:  # the platform shows one article in a passive reply
            reply.add_article({"title": article.get("title", ""), "description": article.get("description", ""),
                               "image": article.get("image", ""), "url": article.get("url", "")})
        return reply.render()
    return create_reply(result.reply, message).render()
