"""Start-up checks of how the site is deployed.

The one that matters most: the local-memory cache is one per process. With
several web workers and no Redis, each worker counts rate limits on its own
(five comments a minute become five per worker) and the circuit breakers
and result caches are per worker too. ``local_cache_problem`` decides; the
gunicorn configuration (``civichall serve``) refuses to start more than one
worker on it in production unless ``CIVICHALL_ALLOW_LOCAL_CACHE=1``, and
``civichall check --deploy`` reports it.
"""

from django.core import checks

LOCAL_BACKENDS = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")

MESSAGE = (
    "{workers} web worker processes on the local-memory cache: each worker keeps its own cache "
    "and counts rate limits on its own (a limit of 5 a minute becomes 5 per worker). Set REDIS_URL, "
    "or run a single worker, or set CIVICHALL_ALLOW_LOCAL_CACHE=1 to accept this."
)


def local_cache_problem(caches, workers, *, debug, allowed):
    """``(level, message)`` about running ``workers`` processes on ``caches``
    (the CACHES setting), or None. ``level`` is "refuse" in production, or
    "warn" when allowed explicitly or in development."""
    backend = (caches or {}).get("default", {}).get("BACKEND", "")
    if backend not in LOCAL_BACKENDS or (workers or 1) <= 1:
        return None
    level = "warn" if (debug or allowed) else "refuse"
    return level, MESSAGE.format(workers=workers)


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """``check --deploy``: production on the local-memory cache."""
    from django.conf import settings

    from .config import setting

    if settings.DEBUG or setting("CIVICHALL_ALLOW_LOCAL_CACHE"):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in LOCAL_BACKENDS:
        return []
    return [checks.Warning(
        "The cache is local memory: fine for one web process only.",
        hint="Set REDIS_URL so that rate limits and caches are shared by every web worker, "
             "or set CIVICHALL_ALLOW_LOCAL_CACHE=1 for a single-process deployment.",
        id="civichall.W001",
    )]
