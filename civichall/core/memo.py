"""Small facts every page asks, kept in the shared cache until they change.

Each public page asks the same few things of the database: the site's
profile, whether any page has a view restriction. They change only when an
administrator saves something, so they are kept in the shared cache and
forgotten when their model is saved or deleted -- at once and again when the
transaction commits, so that a reader who read the old value in between
cannot keep it. A timeout bounds what an outage of the signal could leave.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

__all__ = ["forget", "forget_on_change", "remembered"]

TIMEOUT_S = 600
_MISSING = object()


def remembered(key: str, compute, timeout: int = TIMEOUT_S):
    """The value under ``key``, computed (and kept) when it is not there.
    ``compute`` must return a picklable value other than None."""
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def forget(*keys: str) -> None:
    """Forget ``keys`` now and when the current transaction commits."""
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_on_change(keys_for, *models) -> None:
    """Forget ``keys_for(instance)`` (a list of keys) whenever a row of
    ``models`` is saved or deleted. Rooms call it in ``ready()``."""
    from django.db.models.signals import post_delete, post_save

    def receiver(sender, instance, **kwargs):
        forget(*keys_for(instance))

    for model in models:
        label = model._meta.label_lower
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"memo_{label}_{signal}")
