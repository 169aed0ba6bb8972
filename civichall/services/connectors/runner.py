"""Running one query: the path from a citizen's form to a department and back.

:func:`run_query` always returns a :class:`QueryResult` and never raises for
anything a department does. In order:

1. tidy and validate the input against the connector's input schema —
   ``invalid`` with one message per field;
2. answer from the cache when a fresh result is there (the key is the kind,
   the service and a hash of the canonical parameters, so personal input is
   never part of a cache key in clear);
3. refuse at once with ``unavailable`` when the circuit breaker is open;
4. otherwise call the department in a worker thread and wait at most
   ``timeout_s`` (default 2.5 s, so that the friendly message reaches the
   citizen within 3 s even when the department hangs); record success,
   failure and latency on the breaker.

A call that times out keeps running in its thread until the department or
the connector's own network timeout ends it; its late answer is dropped. The
number of such calls in flight is capped, so a hanging department cannot use
up the process's threads: past the cap, calls are refused as unavailable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..breaker import CircuitBreaker
from ..messages import Message
from .base import (
    DEFAULT_TIMEOUT_S,
    Connector,
    ConnectorInputError,
    FetchContext,
    prepare_params,
    validate_input,
    validate_output,
)

logger = logging.getLogger("civichall.services.connectors")

DEFAULT_TTL_S = 60.0
MAX_CALLS_IN_FLIGHT = 64

# The hotline is not named here: the shell adds it as the alternative (the
# site profile's, see services.querying.alternative_for).
UNAVAILABLE = Message(
    "该服务暂时无法查询，请稍后再试。",
    "This service is temporarily unavailable. Please try again later.",
)
INVALID = Message("请检查填写的内容。", "Please check what you entered.")
BUSY = Message(
    "查询的人较多，请稍后再试。",
    "Many people are using this service right now. Please try again shortly.",
)

Status = Literal["ok", "unavailable", "invalid"]


class Cache(Protocol):
    """The cache the runner needs; Django's cache objects fit as they are."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any, ttl: float) -> Any: ...


class MemoryCache:
    """A small in-process cache honouring ``ttl`` by its own clock (tests
    pass a fake clock)."""

    def __init__(self, clock: Callable[[], float] = time.time, max_entries: int = 10_000) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self._data: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            expires, value = entry
            if self.clock() >= expires:
                del self._data[key]
                return None
            return value

    def set(self, key: str, value: Any, ttl: float) -> None:
        with self._lock:
            if len(self._data) >= self.max_entries:
                # Drop the entry closest to expiry; simple and bounded.
                oldest = min(self._data, key=lambda k: self._data[k][0])
                del self._data[oldest]
            self._data[key] = (self.clock() + ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@dataclass(frozen=True)
class QueryResult:
    """The outcome of one query, ready for a page, the API or a WeChat reply."""

    status: Status
    data: Any = None
    errors: dict[str, Message] = field(default_factory=dict)
    from_cache: bool = False
    latency_ms: float = 0.0
    message: Message | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        """JSON-ready form; messages in one language when ``lang`` is given,
        else as ``{"zh", "en"}`` pairs."""

        def text(m: Message | None) -> Any:
            if m is None:
                return None
            return m.get(lang) if lang else m.as_dict()

        return {
            "status": self.status,
            "data": self.data,
            "errors": {k: text(v) for k, v in self.errors.items()},
            "from_cache": self.from_cache,
            "latency_ms": self.latency_ms,
            "message": text(self.message),
        }


def canonical_params(params: Mapping[str, Any]) -> str:
    """Parameters as canonical JSON (sorted keys, no spaces)."""
    return json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def cache_key(kind: str, service_code: str, params: Mapping[str, Any]) -> str:
    """``svc:<kind>:<service>:<sha256 of canonical params>``; safe for
    memcached and Redis (no spaces, short), and free of personal data."""
    digest = hashlib.sha256(canonical_params(params).encode("utf-8")).hexdigest()[:32]
    service = "".join(c if c.isalnum() or c in "-_." else "_" for c in service_code)[:80]
    return f"svc:{kind}:{service}:{digest}"


class _Busy(Exception):
    pass


_in_flight = threading.BoundedSemaphore(MAX_CALLS_IN_FLIGHT)


def _call_with_timeout(fn: Callable[[], Any], timeout_s: float) -> Any:
    """Run ``fn`` in its own daemon thread and wait at most ``timeout_s``.

    A thread per call (not a shared pool) so that calls hanging on one
    department never queue the calls to another behind them.
    """
    if not _in_flight.acquire(blocking=False):
        raise _Busy()
    future: Future[Any] = Future()

    def work() -> None:
        try:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                future.set_exception(exc)
            else:
                future.set_result(result)
        finally:
            _in_flight.release()

    threading.Thread(target=work, name="connector-call", daemon=True).start()
    return future.result(timeout=timeout_s)


def run_query(
    connector: Connector,
    params: Mapping[str, Any],
    *,
    cache: Cache | None = None,
    breaker: CircuitBreaker | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    ttl_s: float = DEFAULT_TTL_S,
    clock: Callable[[], float] = time.time,
    service_code: str = "",
    lang: str = "zh",
    unavailable_message: Message | None = None,
    check_output: bool = True,
) -> QueryResult:
    """Run ``connector`` for ``params`` and return a :class:`QueryResult`.

    ``ttl_s`` of 0 disables the cache for this call. ``clock`` (seconds)
    decides cache freshness; latency is measured with a monotonic timer.
    With ``check_output`` an answer that does not fit the connector's output
    schema is treated as a failure of the department.
    """
    unavailable = unavailable_message or UNAVAILABLE
    service = service_code or connector.name or connector.kind

    # 1. input
    cleaned = prepare_params(connector.input_schema, dict(params or {}))
    errors = validate_input(connector.input_schema, cleaned)
    if errors:
        return QueryResult(status="invalid", errors=errors, message=INVALID)

    # 2. cache
    key = cache_key(connector.kind, service, cleaned)
    if cache is not None and ttl_s > 0:
        started = time.perf_counter()
        try:
            entry = cache.get(key)
        except Exception as exc:  # a broken cache must not break the service
            logger.warning("cache read failed for %s: %s", service, type(exc).__name__)
            entry = None
        if isinstance(entry, dict) and "data" in entry and "stored_at" in entry:
            if clock() - float(entry["stored_at"]) < ttl_s:
                return QueryResult(
                    status="ok", data=entry["data"], from_cache=True,
                    latency_ms=_ms(time.perf_counter() - started),
                )

    # 3. breaker
    if breaker is not None and not breaker.allow():
        return QueryResult(status="unavailable", message=unavailable)

    # 4. the call
    ctx = FetchContext(service_code=service, timeout_s=timeout_s, clock=clock, lang=lang)
    started = time.perf_counter()
    try:
        data = _call_with_timeout(lambda: connector.fetch(dict(cleaned), ctx), timeout_s)
    except _Busy:
        # Not the department's fault, so nothing is recorded on its breaker
        # (a trial slot left taken frees itself after the cool-down).
        return QueryResult(status="unavailable", message=BUSY)
    except FutureTimeout:
        elapsed = time.perf_counter() - started
        _failed(connector, breaker, service, elapsed, f"timeout after {timeout_s:.1f}s")
        return QueryResult(status="unavailable", latency_ms=_ms(elapsed), message=unavailable)
    except ConnectorInputError as exc:
        elapsed = time.perf_counter() - started
        if breaker is not None:
            breaker.record_success(elapsed)
        return QueryResult(status="invalid", errors=exc.errors, latency_ms=_ms(elapsed), message=exc.message)
    except Exception as exc:  # noqa: BLE001 - every department failure ends here
        elapsed = time.perf_counter() - started
        _failed(connector, breaker, service, elapsed, f"{type(exc).__name__}: {exc}")
        return QueryResult(status="unavailable", latency_ms=_ms(elapsed), message=unavailable)
    elapsed = time.perf_counter() - started

    if check_output:
        mismatch = validate_output(connector.output_schema, data)
        if mismatch is not None:
            _failed(connector, breaker, service, elapsed, f"answer does not fit the output schema: {mismatch}")
            return QueryResult(status="unavailable", latency_ms=_ms(elapsed), message=unavailable)

    if breaker is not None:
        breaker.record_success(elapsed)
    if cache is not None and ttl_s > 0:
        try:
            cache.set(key, {"data": data, "stored_at": clock()}, ttl_s)
        except Exception as exc:
            logger.warning("cache write failed for %s: %s", service, type(exc).__name__)
    return QueryResult(status="ok", data=data, latency_ms=_ms(elapsed))


def _failed(connector: Connector, breaker: CircuitBreaker | None, service: str, elapsed: float, reason: str) -> None:
    # Only the service and a redacted reason are logged: never the
    # parameters (personal data) and never a secret.
    reason = connector.redact(reason)[:300]
    logger.warning("connector %s for %s failed after %.0f ms: %s", connector.kind, service, elapsed * 1000, reason)
    if breaker is not None:
        breaker.record_failure(elapsed, error=reason)


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 1)
