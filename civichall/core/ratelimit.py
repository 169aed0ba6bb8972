"""Fixed-window rate limits in the Django cache (Redis in production, so
limits hold across web processes)."""

import time

from django.core.cache import cache


def hit(key, limit, window_seconds, now=None):
    """Count one event for ``key``; False when it is over ``limit`` per window."""
    now = time.time() if now is None else now
    bucket = int(now // window_seconds)
    cache_key = f"rl:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        return True
    return count <= limit


def client_address(request):
    """The client's address (the proxy's X-Forwarded-For first hop when trusted)."""
    from django.conf import settings

    if getattr(settings, "CIVICHALL_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")
