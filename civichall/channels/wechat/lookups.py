"""What every message needs, kept in the shared cache: an account's
configuration by slug and its keyword replies. A message should cost the
database only its own row; a change to either clears the entry at once
(the receivers below), in every process."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import KeywordReply, WechatAccount

TTL_S = 300
_MISSING = "-"


def _account_key(slug):
    return f"wechat:account:{slug}"


def _keywords_key(account_id):
    return f"wechat:keywords:{account_id}"


def account_by_slug(slug):
    """The enabled account of the organisation ``slug`` (with its organisation), or None."""
    key = _account_key(slug)
    found = cache.get(key)
    if found is None:
        found = (WechatAccount.objects.select_related("organisation")
                 .filter(organisation__slug=slug, enabled=True).first()) or _MISSING
        cache.set(key, found, TTL_S)
    return None if found == _MISSING else found


def keyword_rules(account):
    """The account's active keyword replies as ``(keyword, match, reply)``, by priority."""
    key = _keywords_key(account.pk)
    rules = cache.get(key)
    if rules is None:
        rules = list(KeywordReply.objects.filter(account=account, active=True).values_list("keyword", "match", "reply"))
        cache.set(key, rules, TTL_S)
    return rules


@receiver(post_save, sender=WechatAccount)
@receiver(post_delete, sender=WechatAccount)
def _forget_account(sender, instance, **kwargs):
    cache.delete(_account_key(instance.organisation.slug))
    cache.delete(_keywords_key(instance.pk))


@receiver(post_save, sender=KeywordReply)
@receiver(post_delete, sender=KeywordReply)
def _forget_keywords(sender, instance, **kwargs):
    cache.delete(_keywords_key(instance.account_id))
