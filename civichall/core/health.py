"""Health of the parts the site stands on: database, cache, task queue and
the department systems behind the query services.

One report for two readers: operators (``civichall health``, one line per
part, exit status 1 when a part is down) and load balancers or monitors
(``/healthz``, JSON, 503 only when the site cannot serve at all). Each part
answers ``ok``, ``degraded`` (works, but not as configured) or ``down``.

Only the database is *critical*: without it no page can be served. A cache
or queue outage is reported as ``down`` for that part while the site keeps
serving, so the overall status is then ``degraded`` and ``/healthz`` stays
200 (taking every web node out of a load balancer because Redis is down
would turn a cache outage into a site outage).

Higher rooms add their own parts with ``register`` (the service matrix adds
its connectors in its ``ready()``). Every check is cheap and reveals no
secret: no addresses with passwords, no stack traces.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field

logger = logging.getLogger("civichall.health")

OK, DEGRADED, DOWN = "ok", "degraded", "down"
#: A ready task waiting longer than this means no worker is taking tasks.
QUEUE_STALE_S = 15 * 60


@dataclass
class Part:
    """One line of the report."""

    name: str
    status: str
    detail: str = ""
    critical: bool = False
    facts: dict = field(default_factory=dict)


_checks = {}


def register(name, check, critical=False):
    """Add a part to the report: ``check()`` returns ``(status, detail, facts)``."""
    _checks[name] = (check, critical)


def check_database():
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is "down"
        return DOWN, f"unreachable ({type(exc).__name__})", {"vendor": connection.vendor}
    return OK, connection.vendor, {"vendor": connection.vendor}


def check_cache():
    from django.conf import settings
    from django.core.cache import cache, caches

    from civichall.core.cache import current_outage

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if "Redis" in backend:
        backend = "Redis"
    default = caches["default"]
    ping = getattr(default, "ping", None)
    if callable(ping):
        if ping():
            return OK, f"{backend} reachable", {"backend": backend}
        record = current_outage(cache)
        facts = {"backend": backend}
        if record is not None:
            facts.update(down_since=int(record.since), failures=record.failures)
        return DOWN, f"{backend} unreachable: pages are served uncached, rate limits per process", facts
    try:
        key = "civichall:health-probe"
        default.set(key, "1", 10)
        answered = default.get(key) == "1"
    except Exception as exc:  # noqa: BLE001
        return DOWN, f"{backend} failing ({type(exc).__name__})", {"backend": backend}
    if not answered:
        return DOWN, f"{backend} does not keep values", {"backend": backend}
    if backend == "LocMemCache":
        return OK, "local memory (one per process; set REDIS_URL for several)", {"backend": backend}
    return OK, backend, {"backend": backend}


def check_queue():
    """The database task queue: reachable, and a worker taking what is due."""
    from django.conf import settings

    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return OK, backend.rsplit(".", 1)[-1], {"backend": backend.rsplit(".", 1)[-1]}
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready[:1000].count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        failed = DBTaskResult.objects.failed().filter(
            finished_at__gte=timezone.now() - timezone.timedelta(hours=24))[:1000].count()
    except Exception as exc:  # noqa: BLE001
        return DOWN, f"unreachable ({type(exc).__name__})", {}
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    facts = {"waiting": waiting, "oldest_waiting_s": age, "failed_24h": failed}
    detail = f"{waiting}{'+' if waiting >= 1000 else ''} waiting, {failed}{'+' if failed >= 1000 else ''} failed in 24 h"
    if age > QUEUE_STALE_S:
        return DEGRADED, f"{detail}; oldest waiting {age // 60} min (is `civichall worker` running?)", facts
    return OK, detail, facts


register("database", check_database, critical=True)
register("cache", check_cache)
register("queue", check_queue)


def report():
    """``{"status": ok|degraded|down, "parts": [Part, ...], "took_ms": int}``."""
    started = time.monotonic()
    parts = []
    for name, (check, critical) in _checks.items():
        try:
            status, detail, facts = check()
        except Exception as exc:  # noqa: BLE001 - a broken check must not break the report
            logger.warning("health check %s failed: %s", name, type(exc).__name__)
            status, detail, facts = DOWN, f"check failed ({type(exc).__name__})", {}
        parts.append(Part(name, status, detail, critical, facts))
    return {
        "status": overall(parts),
        "parts": parts,
        "took_ms": int((time.monotonic() - started) * 1000),
    }


def overall(parts):
    """Down when a critical part is down; degraded when any part is not ok."""
    if any(p.critical and p.status == DOWN for p in parts):
        return DOWN
    if any(p.status != OK for p in parts):
        return DEGRADED
    return OK


def as_json(result):
    return {
        "status": result["status"],
        "took_ms": result["took_ms"],
        "parts": {p.name: {k: v for k, v in asdict(p).items() if k != "name"} for p in result["parts"]},
    }
