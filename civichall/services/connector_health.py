"""What administrators see of their connectors: calls, errors, latency,
breaker state and cache hits; closing a breaker once a department is back."""

from __future__ import annotations

import logging
import threading

from django.db.models import Count
from django.utils import translation

from .connecting import breaker_for, connector_for
from .connectors import base as connector_base
from .models import Connector

logger = logging.getLogger("civichall.services")


# ------------------------------------------------------------------ health

_counts_lock = threading.Lock()
_cache_hits: dict[int, int] = {}


def count_call(connector_id, *, from_cache):
    if from_cache:
        with _counts_lock:
            _cache_hits[connector_id] = _cache_hits.get(connector_id, 0) + 1


def health(connectors=None):
    """Per-connector statistics for administrators: one dict per stored
    connector with ``connector`` (the model), ``name``, ``kind``,
    ``enabled``, ``services`` (codes), ``state`` (closed / open /
    half_open), ``calls``, ``errors``, ``rejected``, ``error_rate``,
    ``avg_latency_ms``, ``last_latency_ms``, ``last_error`` (redacted),
    ``retry_at`` and ``cache_hits`` (this process). No secrets.
    ``connectors``: a queryset to report on (default: all)."""
    rows = []
    connectors = (connectors if connectors is not None else Connector.objects.all())
    connectors = connectors.annotate(n=Count("services")).prefetch_related("services")
    for connector in connectors:
        stats = breaker_for(connector).stats()
        last_error = stats.last_error
        try:
            built = connector_for(connector)
            last_error = built.redact(last_error)
            config_error = ""
        except connector_base.ConnectorError as exc:
            config_error = exc.message.get(translation.get_language() or "zh")
        if connector.secret:
            last_error = connector_base.redact_text(last_error, [connector.secret])
        rows.append({
            "connector": connector,
            "name": connector.name,
            "kind": connector.kind,
            "enabled": connector.enabled,
            "services": [s.code for s in connector.services.all()],
            "state": stats.state,
            "calls": stats.calls,
            "errors": stats.errors,
            "rejected": stats.rejected,
            "error_rate": round(stats.errors / stats.calls, 3) if stats.calls else 0.0,
            "avg_latency_ms": stats.avg_latency_ms,
            "last_latency_ms": stats.last_latency_ms,
            "last_error": last_error,
            "retry_at": stats.retry_at,
            "config_error": config_error,
            "cache_hits": _cache_hits.get(connector.pk, 0),
        })
    return rows


def reset_breaker(connector):
    """Close a connector's breaker and zero its counters."""
    breaker_for(connector).reset()
