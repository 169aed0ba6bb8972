"""Small facts every page asks, kept in the shared cache until they change.

Each public page asks the same few things of the database: the site's
profile, whether any page has a view restriction. They change only when an
administrator saves something, so they are kept in the shared cache and
forgotten when their model is saved or deleted -- at once and again when the
transaction commits, so that a reader who read the old value in between
cannot keep it. A timeout bounds what an outage of the signal could leave.

Facts asked on every comment (an organisation's settings, the routing
rules) are also kept by each process for a second (:class:`Recent`): a
change made in this process is seen at once, one made in another within
that bound, and inside a transaction nothing kept is used or kept.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

__all__ = ["Recent", "forget", "forget_on_change", "remembered"]

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


class Recent:
    """Values this process read lately, trusted for ``seconds``.

    Outside a transaction a value read less than ``seconds`` ago is reused.
    Inside one the value is computed and not kept: it may hold the
    transaction's own uncommitted change. :meth:`forget` drops a key in this
    process (call it where the value changes, with :func:`forget`).
    """

    MAX_KEYS = 10_000
    _every: list = []

    def __init__(self, seconds: float = 1.0):
        self.seconds = seconds
        self._kept: dict = {}
        Recent._every.append(self)

    @classmethod
    def forget_everything(cls) -> None:
        """Drop what every ``Recent`` of this process keeps (a test's start)."""
        for recent in cls._every:
            recent._kept.clear()

    def get(self, key, compute):
        """The value of ``key``, from ``compute()`` when not kept or too old."""
        if transaction.get_connection().in_atomic_block:
            return compute()
        now = time.monotonic()
        kept = self._kept.get(key)
        if kept is not None and now - kept[1] < self.seconds:
            return kept[0]
        value = compute()
        if len(self._kept) >= self.MAX_KEYS:
            self._kept.clear()
        self._kept[key] = (value, now)
        return value

    def forget(self, key=None) -> None:
        """Drop ``key`` (every key if None) now and when the transaction commits."""
        self._drop(key)
        transaction.on_commit(lambda: self._drop(key))

    def _drop(self, key):
        if key is None:
            self._kept.clear()
        else:
            self._kept.pop(key, None)
