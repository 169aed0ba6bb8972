"""The Django cache as the store of the query runner and the circuit breakers.

The pure core (``connectors/runner.py``, ``breaker.py``) asks for two small
interfaces: a result cache (``get(key)`` / ``set(key, value, ttl)``) and a
breaker store (``get(key)`` / ``set(key, dict)``). Both are implemented here
over Django's cache framework, so that every web process shares them — local
memory on a single-process demo, Redis (``REDIS_URL``) in production.

A broken cache never breaks a service: reads answer "nothing there" and
writes are dropped, with a warning in the log.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import caches

logger = logging.getLogger("civichall.services")

#: Breaker state is kept this long after its last change (seconds). Long
#: enough for the health report to show a quiet connector's history.
BREAKER_STATE_TTL = 7 * 24 * 3600


def _cache(alias):
    return caches[alias]


def scope_token(value):
    """A short, one-way token for ``value`` (e.g. a citizen's identity), so
    that a personal answer is cached under its owner without naming them."""
    return hashlib.sha256(f"civichall-scope:{value}".encode("utf-8")).hexdigest()[:20]


class DjangoCacheStore:
    """Result cache of ``run_query`` in a Django cache.

    ``scope`` (optional) is folded into every key: personal services pass
    the citizen's identity so that one citizen's cached answer is never
    served to another, even for the same input.
    """

    def __init__(self, alias="default", scope=None):
        self.alias = alias
        self.prefix = f"svcq:{scope_token(scope)}:" if scope else "svcq:"

    def get(self, key):
        try:
            return _cache(self.alias).get(self.prefix + key)
        except Exception as exc:  # noqa: BLE001 - the cache is an optimisation
            logger.warning("service cache read failed: %s", type(exc).__name__)
            return None

    def set(self, key, value, ttl):
        if not ttl or ttl <= 0:
            return
        try:
            _cache(self.alias).set(self.prefix + key, value, timeout=max(1, int(round(ttl))))
        except Exception as exc:  # noqa: BLE001
            logger.warning("service cache write failed: %s", type(exc).__name__)


class CacheBreakerStore:
    """Circuit-breaker state in a Django cache, shared by all web processes."""

    def __init__(self, alias="default", ttl=BREAKER_STATE_TTL):
        self.alias = alias
        self.ttl = ttl

    def _key(self, key):
        return f"svcbreaker:{key}"

    def get(self, key):
        try:
            value = _cache(self.alias).get(self._key(key))
        except Exception as exc:  # noqa: BLE001
            logger.warning("breaker state read failed: %s", type(exc).__name__)
            return None
        return dict(value) if isinstance(value, dict) else None

    def set(self, key, value):
        try:
            _cache(self.alias).set(self._key(key), dict(value), timeout=self.ttl)
        except Exception as exc:  # noqa: BLE001
            logger.warning("breaker state write failed: %s", type(exc).__name__)

    def delete(self, key):
        """Forget a breaker (an administrator's reset)."""
        try:
            _cache(self.alias).delete(self._key(key))
        except Exception as exc:  # noqa: BLE001
            logger.warning("breaker state delete failed: %s", type(exc).__name__)
