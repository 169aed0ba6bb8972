"""What every message needs, computed once: an account's configuration by
slug, with its keyword replies.

Two levels: each process keeps what it looked up for ``MEMO_S`` seconds
(a message then costs no cache round trip for it), and the shared cache
keeps it for ``TTL_S`` (a process that has to look it up costs one GET, not
two queries). A change to an account or a keyword reply purges both at once
in the process that made it (the receivers below) and the shared entry for
every process; the other processes' own memos expire within ``MEMO_S``."""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import KeywordReply, WechatAccount

TTL_S = 300
MEMO_S = 5.0
_MISSING = "-"

# slug -> (expires at, on time.monotonic(); the shared cache's entry)
_memo: dict = {}


def _account_key(slug):
    return f"wechat:account:{slug}"


def _load(slug):
    account = (WechatAccount.objects.select_related("organisation")
               .filter(organisation__slug=slug, enabled=True).first())
    if account is None:
        return _MISSING
    rules = list(KeywordReply.objects.filter(account=account, active=True).values_list("keyword", "match", "reply"))
    return (account, rules)


def _entry(slug):
    now = time.monotonic()
    hit = _memo.get(slug)
    if hit is not None and hit[0] > now:
        return hit[1]
    key = _account_key(slug)
    entry = cache.get(key)
    if entry is None:
        entry = _load(slug)
        cache.set(key, entry, TTL_S)
    _memo[slug] = (now + MEMO_S, entry)
    return entry


def account_by_slug(slug):
    """The enabled account of the organisation ``slug`` (with its organisation), or None."""
    entry = _entry(slug)
    return None if entry == _MISSING else entry[0]


def keyword_rules(account):
    """The account's active keyword replies as ``(keyword, match, reply)``, by priority."""
    entry = _entry(account.organisation.slug)
    if entry != _MISSING and entry[0].pk == account.pk:
        return entry[1]
    # An account read elsewhere (turned off meanwhile, or not by its slug).
    return list(KeywordReply.objects.filter(account=account, active=True).values_list("keyword", "match", "reply"))


def forget(slug):
    """Drop ``slug``'s entry here and in the shared cache."""
    _memo.pop(slug, None)
    cache.delete(_account_key(slug))


def forget_everything():
    """Drop this process's memo (the shared cache is cleared on its own)."""
    _memo.clear()


@receiver(post_save, sender=WechatAccount)
@receiver(post_delete, sender=WechatAccount)
def _forget_account(sender, instance, **kwargs):
    forget(instance.organisation.slug)


@receiver(post_save, sender=KeywordReply)
@receiver(post_delete, sender=KeywordReply)
def _forget_keywords(sender, instance, **kwargs):
    slug = (WechatAccount.objects.filter(pk=instance.account_id)
            .values_list("organisation__slug", flat=True).first())
    if slug:
        forget(slug)
