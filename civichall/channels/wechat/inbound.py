"""A message from the platform, once: parsed, stored, answered, remembered.

WeChat retries a message it got no answer to within five seconds, three
times. Each message has a key — its MsgId, or sender + CreateTime for an
event — claimed with ``cache.add`` (one ``SET NX EX`` in Redis) in the cache
every process shares: the claimant stores the message (``InboundMessage``,
unique per account and key), answers it and keeps the rendered reply on the
row, in one transaction — the row is written before the answer is worked
out, and a failing answer still leaves the message stored, with an
apology. A retry finds the claim taken and waits briefly for the stored
reply: the same bytes, and never a second action (a hand-off, a query),
even if the cache forgot the key (the unique constraint) or is down. If no
reply is committed in time (the first attempt died with its transaction),
the retry answers the message itself, still once.
"""

import logging
import time

from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from wechatpy import parse_message
from wechatpy.replies import ArticlesReply, create_reply

from . import events  # noqa: F401  (the subscription events, in wechatpy's registry)
from .answering import Answer, answer
from .models import InboundMessage
from .xmlguard import BadXml

logger = logging.getLogger("civichall.wechat")

SUCCESS = "success"  # the platform's "no reply"
CLAIM_TTL_S = 600  # longer than the platform's retries (about 15 s)
RETRY_WAIT_S = 4.0
RETRY_POLL_S = 0.05
APOLOGY = "抱歉，系统繁忙，请稍后再试。"


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


def _claim_key(account, key):
    return f"wechat:claim:{account.pk}:{key}"


def _cache_down():
    is_down = getattr(cache, "is_down", None)
    return bool(is_down and is_down())


def handle(account, message):
    """The plaintext reply to ``message`` (XML, or ``success``), exactly once."""
    key = dedupe_key(message)[:120]
    claim = _claim_key(account, key)
    # With the cache down nobody can claim: the unique constraint decides.
    if not cache.add(claim, "1", CLAIM_TTL_S) and not _cache_down():
        stored = _wait_for(account, key)
        if stored is not None:
            return stored
        # Nothing committed in time: the first attempt died with its
        # transaction. Answer it here; the unique constraint still lets only
        # one attempt store it (a slow first one makes this INSERT wait, then fail).
    try:
        return _answer_once(account, message, key)
    except Exception:
        cache.delete(claim)  # not stored: let the platform's retry try again
        raise


def _stored_reply(account, key):
    """The reply stored for ``key``, or None (not stored, or not committed yet)."""
    return InboundMessage.objects.filter(account=account, dedupe_key=key).values_list("reply", flat=True).first()


def _wait_for(account, key):
    """A retry, or the same message twice at once: the first one's reply,
    committed with the message, or None if none came within ``RETRY_WAIT_S``."""
    deadline = time.monotonic() + RETRY_WAIT_S
    while True:
        stored = _stored_reply(account, key)
        if stored is not None:
            return stored or SUCCESS
        if time.monotonic() >= deadline:
            return None
        time.sleep(RETRY_POLL_S)


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
    # One transaction: the message is inserted before it is answered, and
    # the reply is kept on it; both are committed together (one commit).
    fields = {"account": account, "dedupe_key": key, "openid": message.source[:64],
              "msg_type": message.type[:20], "event": (getattr(message, "event", "") or "")[:40],
              "content": _content(message)[:4000]}
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(**fields)
            result = answer(account, message, record)
            rendered = render(result, message)
            InboundMessage.objects.filter(pk=record.pk).update(
                reply=rendered, outcome=result.outcome[:40], handled_at=timezone.now())
            for name, kwargs in result.jobs:
                _enqueue_on_commit(name, record.pk, kwargs)
        return rendered
    except IntegrityError:
        stored = _stored_reply(account, key)
        if stored is not None:  # already stored and answered: the same reply, no second action
            return stored or SUCCESS
        failure = "integrity"
    except DatabaseError:
        failure = "database"
    except Exception:
        failure = "answer"
    # The answer failed: the message is still stored, with the apology sent.
    logger.exception("WeChat message %s of %s could not be answered (%s)", key, account.appid, failure)
    apology = render(Answer(APOLOGY), message)
    try:
        InboundMessage.objects.create(**fields, reply=apology, outcome="failed", handled_at=timezone.now())
    except IntegrityError:
        return _stored_reply(account, key) or SUCCESS
    return apology


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
