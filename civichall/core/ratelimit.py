"""Fixed-window rate limits in the Django cache (Redis in production, so
limits hold across web processes).

When the shared cache is unreachable, limits are counted in this process
instead (``LocalWindows``): each web process then allows up to the limit on
its own, which is looser than a shared count but never lets everything
through and never refuses everyone. The switch is logged.
"""

import ipaddress
import logging
import threading
import time

from django.core.cache import cache

from civichall.core.cache import count_within, current_outage

logger = logging.getLogger("civichall.ratelimit")


class LocalWindows:
    """Fixed-window counters in this process's memory."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}  # cache key -> (count, expires at)
        self.outage = None  # the cache outage these counts stand in for

    def hit(self, cache_key, limit, window_seconds, now):
        with self._lock:
            if len(self._counts) > 10000:  # forget windows that are over
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, expires = self._counts.get(cache_key, (0, 0.0))
            if expires <= now:
                count = 0
            count += 1
            self._counts[cache_key] = (count, now + window_seconds + 1)
        return count <= limit

    def give_back(self, cache_key):
        with self._lock:
            count, expires = self._counts.get(cache_key, (0, 0.0))
            if count > 0:
                self._counts[cache_key] = (count - 1, expires)


local_windows = LocalWindows()


def hit(key, limit, window_seconds, now=None):
    """Count one event for ``key``; False when it is over ``limit`` per window."""
    return hit_all([(key, limit, window_seconds)], now=now) is None


def _cache_key(key, window_seconds, now):
    return f"rl:{key}:{int(now // window_seconds)}"


def _local_counts(limits, now, down):
    """``hit_all`` in this process's memory (the shared cache is down)."""
    if local_windows.outage is not down:  # once per outage
        local_windows.outage = down
        logger.warning(
            "Shared cache unreachable: rate limits are counted in this process "
            "only until it is back (each web process allows up to the limit)."
        )
    allowed = []
    for key, limit, window_seconds in limits:
        allowed.append(local_windows.hit(_cache_key(key, window_seconds, now), limit, window_seconds, now))
        if not allowed[-1]:
            break
    return allowed


def _give_back(key, window_seconds, now):
    """Undo one ``hit`` of ``key`` counted in this process in the window of ``now``."""
    local_windows.give_back(_cache_key(key, window_seconds, now))


def hit_all(limits, now=None):
    """Count one event against every ``(key, limit, window_seconds)``.

    Returns None when all allow it, else the first key that refused it. A
    refused event consumes nothing: the counts it added are given back, so
    that a request refused by one limit (say, its address is over its hourly
    quota) never takes a slot of another (the victim's per-mobile minute).
    """
    limits = list(limits)
    now = time.time() if now is None else now
    # While the cache is down its calls return at once (it is asked again
    # every few seconds), so the shared count is always tried first. There
    # the counts of a refused event are taken back before anyone sees them.
    refused = count_within(cache, [(_cache_key(key, window_seconds, now), limit, window_seconds + 1)
                                   for key, limit, window_seconds in limits])
    down = current_outage(cache)
    if refused is not None and down is None:
        if local_windows.outage is not None:
            local_windows.outage = None
            logger.warning("Shared cache reachable again: rate limits are shared again.")
        return None if refused < 0 else limits[refused][0]
    allowed = _local_counts(limits, now, down)
    if all(allowed):
        return None
    for (key, _limit, window_seconds) in limits[:len(allowed)]:
        _give_back(key, window_seconds, now)
    return limits[allowed.index(False)][0]


def clean_ip(value):
    """``value`` as a normalised IP address (a port or brackets removed), or
    None when it is not one."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def forwarded_client(remote_addr, forwarded_for="", trusted_proxies=0, trusted_addresses=()):
    """The address the outermost trusted proxy saw, from the right of the chain.

    The chain is ``X-Forwarded-For`` hops followed by ``remote_addr``. Every
    proxy appends the address it received the request from, so only the
    right-hand hops written by our own proxies can be believed; anything to
    their left was written by the client and may be forged. With
    ``trusted_proxies`` = N, skip N hops from the right; with
    ``trusted_addresses``, skip hops while they are one of our proxies. A
    hop that is not an IP address is not believed: the connection's address
    is used instead.
    """
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    hops.append((remote_addr or "").strip() or "unknown")
    trusted_addresses = {clean_ip(a) or a for a in (trusted_addresses or ())}
    if trusted_addresses:
        position = len(hops) - 1
        while position > 0 and (clean_ip(hops[position]) or hops[position]) in trusted_addresses:
            position -= 1
    else:
        position = max(len(hops) - 1 - max(int(trusted_proxies or 0), 0), 0)
    return clean_ip(hops[position]) or clean_ip(hops[-1]) or "unknown"


def client_address(request):
    """The client's address as our own proxies saw it.

    ``CIVICHALL_TRUSTED_PROXIES`` (how many proxies stand in front of the
    app) or ``CIVICHALL_TRUSTED_PROXY_ADDRESSES`` (their addresses) say which
    ``X-Forwarded-For`` hops to believe; with neither set, the header is
    ignored and the connection's address is used.
    """
    from .config import setting

    count = setting("CIVICHALL_TRUSTED_PROXIES")
    addresses = setting("CIVICHALL_TRUSTED_PROXY_ADDRESSES")
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not count and not addresses:
        return clean_ip(remote) or "unknown"
    return forwarded_client(remote, request.META.get("HTTP_X_FORWARDED_FOR", ""), count, addresses)
