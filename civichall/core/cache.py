"""The shared cache, failing open: a Redis outage is not a site outage.

Everything that caches (Wagtail's site-root lookup, the rate limiter, the
circuit breakers, the query-service result cache, the catalogue version)
goes through Django's cache framework. ``FailOpenRedisCache`` is the Redis
backend configured whenever ``REDIS_URL`` is set: every operation catches the
client's connection and timeout errors and answers as if the cache were
empty (a miss, ``False``, the default), so no caller needs a try/except of
its own. Each failure is

* logged as a warning, at most once per ``WARN_INTERVAL_S`` per cache;
* recorded in this process's outage record, which the health report
  (``civichall health``, ``/healthz``) and the rate limiter read;
* followed by a short pause (``PAUSE_S``) during which the cache is not
  asked at all, so that a Redis host that drops packets costs one connect
  timeout every few seconds, not one per cache call.

The first successful call after the pause clears the record (and logs that
the cache is back).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("civichall.cache")

#: Seconds between two warnings about the same unreachable cache.
WARN_INTERVAL_S = 60.0
#: Seconds during which a cache that just failed is not asked again.
PAUSE_S = 2.0
#: Client options that keep a dead Redis from stalling a page.
CLIENT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


@dataclass
class Outage:
    """What this process knows about one cache being unreachable."""

    since: float
    last_failure: float
    failures: int
    error: str
    last_warning: float = 0.0


_lock = threading.Lock()
_outages: dict[str, Outage] = {}


def outage(location):
    """The current outage record of the cache at ``location``, or None."""
    with _lock:
        return _outages.get(location)


def _connection_errors():
    import redis

    # ConnectionError covers refused and reset connections and failed
    # authentication; TimeoutError a host that does not answer in time.
    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class CacheUnavailable(Exception):
    """Raised inside the wrapper while the cache is paused after a failure."""


class ReusingRedisClient(RedisCacheClient):
    """Django's Redis cache client keeping one ``redis.Redis`` per connection
    pool. Django builds a new one for every cache operation, and building it
    costs more than the round trip itself on a local Redis (a page-cache hit
    and a posted comment make several). ``redis.Redis`` over a pool is safe
    to share between threads, and the pool reconnects after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache whose operations never raise on a Redis outage.

    Configure it like ``RedisCache``; ``OPTIONS`` are passed to the Redis
    connection pool (short socket timeouts are added unless given)."""

    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**CLIENT_OPTIONS, **(params.get("OPTIONS") or {})}
        super().__init__(server, params)
        self._class = ReusingRedisClient  # set by RedisCache.__init__; one client per pool
        self.location = ",".join(self._servers)
        self._errors = _connection_errors()
        self._scripts = {}  # (id(client), source) -> the registered script

    # --- outage bookkeeping ---------------------------------------------------

    def is_down(self):
        """True while this process has seen the cache fail and not recover."""
        return outage(self.location) is not None

    def _check_paused(self):
        record = outage(self.location)
        if record is not None and time.monotonic() - record.last_failure < PAUSE_S:
            raise CacheUnavailable(record.error)

    def _failed(self, operation, exc):
        now = time.monotonic()
        error = f"{type(exc).__name__}: {exc}"[:200]
        with _lock:
            record = _outages.get(self.location)
            if record is None:
                record = _outages[self.location] = Outage(
                    since=time.time(), last_failure=now, failures=0, error=error
                )
            record.failures += 1
            record.last_failure = now
            record.error = error
            warn = now - record.last_warning >= WARN_INTERVAL_S or record.last_warning == 0.0
            if warn:
                record.last_warning = now
        if warn:
            logger.warning(
                "Cache %s is unreachable (%s during %s); answering as if empty and "
                "counting rate limits in this process until it is back.",
                self.location, error, operation,
            )

    def _recovered(self):
        with _lock:
            record = _outages.pop(self.location, None)
        if record is not None:
            logger.warning(
                "Cache %s is reachable again after %d failed call(s).",
                self.location, record.failures,
            )

    def _guard(self, operation, call, fallback):
        """Run ``call``; on a connection failure record it and return ``fallback``."""
        try:
            self._check_paused()
            result = call()
        except CacheUnavailable:
            return fallback
        except self._errors as exc:
            self._failed(operation, exc)
            return fallback
        if outage(self.location) is not None:
            self._recovered()
        return result

    def ping(self):
        """Ask the cache directly (no pause): True when it answers. For the
        health report, which must see a recovery as soon as it happens."""
        try:
            self._cache.get_client(write=True).ping()
        except self._errors as exc:
            self._failed("ping", exc)
            return False
        if outage(self.location) is not None:
            self._recovered()
        return True

    # --- Django's cache API, failing open ---------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", lambda: super(FailOpenRedisCache, self).add(
            key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard("get", lambda: super(FailOpenRedisCache, self).get(
            key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", lambda: super(FailOpenRedisCache, self).set(
            key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", lambda: super(FailOpenRedisCache, self).touch(
            key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard("delete", lambda: super(FailOpenRedisCache, self).delete(
            key, version), False)

    def get_many(self, keys, version=None):
        return self._guard("get_many", lambda: super(FailOpenRedisCache, self).get_many(
            keys, version), {})

    def has_key(self, key, version=None):
        return self._guard("has_key", lambda: super(FailOpenRedisCache, self).has_key(
            key, version), False)

    def incr(self, key, delta=1, version=None):
        # Django's contract for a key that is not there is ValueError, which
        # every caller of incr already handles; an unreachable cache holds
        # no keys.
        missing = object()
        result = self._guard("incr", lambda: super(FailOpenRedisCache, self).incr(
            key, delta, version), missing)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        data = dict(data)
        return self._guard("set_many", lambda: super(FailOpenRedisCache, self).set_many(
            data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._guard("delete_many", lambda: super(FailOpenRedisCache, self).delete_many(
            keys, version), None)

    def clear(self):
        return self._guard("clear", lambda: super(FailOpenRedisCache, self).clear(), False)

    def _script(self, client, source):
        """``source`` registered with ``client`` (once per client and script)."""
        key = (id(client), source)
        script = self._scripts.get(key)
        if script is None:
            script = self._scripts.setdefault(key, client.register_script(source))
        return script

    def count_within(self, items, version=None):
        """:func:`count_within` as one atomic script on the server that takes
        the writes; None while the cache is unreachable."""
        items = list(items)

        def call():
            client = self._cache.get_client(write=True)
            keys = [self.make_and_validate_key(key, version=version) for key, _limit, _timeout in items]
            args = [int(x) for _key, limit, timeout in items for x in (limit, self.get_backend_timeout(timeout))]
            return int(self._script(client, _COUNT_WITHIN)(keys=keys, args=args))

        return self._guard("count_within", call, None)

    def _seconds(self, timeout):
        """A timeout for the scripts: 0 for none, else at least a second."""
        seconds = self.get_backend_timeout(timeout)
        return 0 if seconds is None else max(1, int(seconds))

    def count_up(self, items, version=None):
        """:func:`count_up` as one atomic script on the server that takes the
        writes; None while the cache is unreachable."""
        items = list(items)

        def call():
            client = self._cache.get_client(write=True)
            keys = [self.make_and_validate_key(key, version=version) for key, _start, _timeout in items]
            args = [int(x) for _key, start, timeout in items for x in (start, self._seconds(timeout))]
            return [int(value) for value in self._script(client, _COUNT_UP)(keys=keys, args=args)]

        return self._guard("count_up", call, None)


# Add one to each KEYS[i], a key that is not there first set to ARGV[2i-1]
# with a timeout of ARGV[2i] seconds (0: none); return the new values, read
# back as strings (Lua's numbers would round the clock-sized ones).
_COUNT_UP = """
local values = {}
for i, key in ipairs(KEYS) do
    local timeout = tonumber(ARGV[2 * i])
    if timeout > 0 then
        redis.call('SET', key, ARGV[2 * i - 1], 'NX', 'EX', timeout)
    else
        redis.call('SET', key, ARGV[2 * i - 1], 'NX')
    end
    redis.call('INCR', key)
    values[i] = redis.call('GET', key)
end
return values
"""


# Count KEYS[i] (set to 0 with a timeout of ARGV[2i] seconds when not
# there) in order; at the first one over its limit ARGV[2i-1], take back
# every count made and return its position (1-based); 0 when all allow it.
_COUNT_WITHIN = """
for i, key in ipairs(KEYS) do
    redis.call('SET', key, 0, 'NX', 'EX', ARGV[2 * i])
    if redis.call('INCR', key) > tonumber(ARGV[2 * i - 1]) then
        for j = 1, i do redis.call('DECR', KEYS[j]) end
        return i
    end
end
return 0
"""


def count_within(cache, items):
    """Count one event against each ``(key, limit, timeout)`` of ``items`` in
    order, a counter that is not there starting from 0 with ``timeout``
    seconds. At the first counter over its limit every count made is taken
    back and its position is returned; -1 when all allow it; None when the
    cache is unreachable.

    On Redis it is one atomic script: no other request ever sees the counts
    of an event that is then refused (a request refused by its address's
    quota never holds, even for a moment, the minute slot of the number it
    names). On other caches (local memory) it is ``add``, ``incr``, ``decr``.
    """
    if hasattr(cache, "count_within"):
        found = cache.count_within(items)
        return None if found is None else found - 1
    counted = []
    for position, (key, limit, timeout) in enumerate(items):
        cache.add(key, 0, timeout)
        try:
            count = cache.incr(key)
        except ValueError:  # expired in between: a fresh count
            cache.add(key, 1, timeout)
            count = 1
        counted.append(key)
        if count > limit:
            for done in counted:
                try:
                    cache.decr(done)
                except ValueError:  # expired: nothing left to take back
                    pass
            return position
    return -1


def count_up(cache, items):
    """Add one to each counter of ``items`` -- ``(key, start, timeout)``, a
    counter that is not there first being set to ``start`` with ``timeout``
    -- and return the new values in order; None when the cache is
    unreachable.

    On Redis all of it is one round trip; on other caches (local memory in
    the demo and the tests) it is Django's ``add`` and ``incr``.
    """
    if hasattr(cache, "count_up"):
        return cache.count_up(items)
    values = []
    for key, start, timeout in items:
        cache.add(key, int(start), timeout)
        try:
            values.append(cache.incr(key))
        except ValueError:  # expired in between: a fresh count
            cache.add(key, int(start) + 1, timeout)
            values.append(int(start) + 1)
    return values


def is_down(cache):
    """True when ``cache`` is a fail-open cache that this process has seen
    fail (local-memory and database caches never are)."""
    return current_outage(cache) is not None


def current_outage(cache):
    """The outage record of ``cache`` (an ``Outage``) while it is down, else None."""
    location = getattr(cache, "location", None)
    if not isinstance(location, str) or not hasattr(cache, "is_down"):
        return None
    return outage(location)
