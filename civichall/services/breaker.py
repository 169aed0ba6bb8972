"""A circuit breaker in front of each department system.

When a department's system is down or hangs, every citizen who opens the
service would wait for a timeout. The breaker counts consecutive failures
(errors, and calls slower than a latency limit); after ``failure_threshold``
of them it *opens*: calls are refused at once and the page shows the friendly
"temporarily unavailable" message. After ``cooldown_s`` it lets exactly one
trial call through (*half open*); success closes it, failure opens it again
for another cool-down.

State lives in a pluggable store with two methods, ``get(key) -> dict | None``
and ``set(key, dict)``, so that several web processes can share it (a Django
cache or Redis store implements the same two methods). The default store is
in memory. The stored dict holds only numbers and short strings.

Read-modify-write on a shared store is not atomic across processes: two
processes may both let a trial call through, or count one failure twice. For
a breaker that is harmless — it only decides how soon to try again — and it
keeps the store interface small.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class BreakerStore(Protocol):
    """Where breaker state lives; shared by processes when it is external."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def set(self, key: str, value: dict[str, Any]) -> None: ...


class MemoryBreakerStore:
    """The default store: a dict in this process, safe across threads."""

    def __init__(self) -> None:
        self._data: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            value = self._data.get(key)
            return copy.deepcopy(value) if value is not None else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._data[key] = copy.deepcopy(value)


_default_store = MemoryBreakerStore()

# Serialises read-modify-write of one breaker key within this process, even
# when several CircuitBreaker objects are made for the same key (one per
# request, as a web view does).
_key_locks: dict[tuple[int, str], threading.Lock] = {}
_key_locks_guard = threading.Lock()


def _lock_for(store: object, key: str) -> threading.Lock:
    marker = (id(store), key)
    with _key_locks_guard:
        lock = _key_locks.get(marker)
        if lock is None:
            lock = _key_locks[marker] = threading.Lock()
        return lock


@dataclass(frozen=True)
class BreakerStats:
    """A snapshot of one breaker, for health pages and the admin."""

    key: str
    state: str
    calls: int
    errors: int
    rejected: int
    consecutive_failures: int
    last_latency_ms: float | None
    avg_latency_ms: float | None
    opened_at: float | None
    retry_at: float | None
    last_error: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _fresh_state() -> dict[str, Any]:
    return {
        "state": CLOSED,
        "calls": 0,
        "errors": 0,
        "rejected": 0,
        "consecutive_failures": 0,
        "last_latency_ms": None,
        "latency_total_ms": 0.0,
        "latency_count": 0,
        "opened_at": None,
        "trial_started_at": None,
        "last_error": "",
    }


class CircuitBreaker:
    """One breaker, identified by ``key`` (usually the service code).

    ``clock`` returns seconds. The default is wall-clock time because the
    timestamps are shared between processes through the store, and a
    monotonic clock means nothing outside its own process.
    """

    def __init__(
        self,
        key: str,
        *,
        store: BreakerStore | None = None,
        clock: Callable[[], float] = time.time,
        failure_threshold: int = 5,
        cooldown_s: float = 30.0,
        slow_call_s: float | None = None,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if cooldown_s < 0:
            raise ValueError("cooldown_s must not be negative")
        self.key = key
        self.store: BreakerStore = store if store is not None else _default_store
        self.clock = clock
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self.slow_call_s = slow_call_s
        self._store_key = f"breaker:{key}"
        self._lock = _lock_for(self.store, self._store_key)

    def __repr__(self) -> str:
        return f"<CircuitBreaker {self.key!r} {self.state}>"

    # -- state

    def _load(self) -> dict[str, Any]:
        state = self.store.get(self._store_key)
        if not state:
            return _fresh_state()
        merged = _fresh_state()
        merged.update(state)
        return merged

    def _save(self, state: dict[str, Any]) -> None:
        self.store.set(self._store_key, state)

    @property
    def state(self) -> str:
        """``closed``, ``open`` or ``half_open``. An open breaker whose
        cool-down has passed reports ``half_open``: the next call is a trial."""
        return self._visible_state(self._load())

    def _visible_state(self, s: dict[str, Any]) -> str:
        if s["state"] == OPEN and self._cooled_down(s):
            return HALF_OPEN
        return s["state"]

    def _cooled_down(self, s: dict[str, Any]) -> bool:
        opened = s["opened_at"]
        return opened is None or self.clock() - opened >= self.cooldown_s

    # -- the protocol

    def allow(self) -> bool:
        """May a call go to the department now? ``False`` means refuse it at
        once. When this returns ``True`` the caller must report the outcome
        with :meth:`record_success` or :meth:`record_failure`."""
        with self._lock:
            s = self._load()
            now = self.clock()
            if s["state"] == CLOSED:
                return True
            if s["state"] == OPEN and self._cooled_down(s):
                s["state"] = HALF_OPEN
                s["trial_started_at"] = now
                self._save(s)
                return True
            if s["state"] == HALF_OPEN:
                trial = s["trial_started_at"]
                # A trial whose outcome never came back (its process died)
                # must not keep the breaker shut forever.
                if trial is None or now - trial >= max(self.cooldown_s, 1e-9):
                    s["trial_started_at"] = now
                    self._save(s)
                    return True
            s["rejected"] += 1
            self._save(s)
            return False

    def record_success(self, latency_s: float | None = None) -> None:
        """The call answered. A call slower than ``slow_call_s`` counts as a
        failure: a department that takes ten seconds is down for a citizen."""
        if latency_s is not None and self.slow_call_s is not None and latency_s > self.slow_call_s:
            self.record_failure(latency_s, error=f"slow call: {latency_s:.2f}s")
            return
        with self._lock:
            s = self._load()
            self._count(s, latency_s)
            s["consecutive_failures"] = 0
            if s["state"] == HALF_OPEN:
                s["state"] = CLOSED
                s["opened_at"] = None
                s["trial_started_at"] = None
            # A late success while open (a call that started before the
            # breaker opened) does not close it: only a trial may.
            self._save(s)

    def record_failure(self, latency_s: float | None = None, error: str = "") -> None:
        """The call failed (error, timeout, unusable answer)."""
        with self._lock:
            s = self._load()
            now = self.clock()
            self._count(s, latency_s)
            s["errors"] += 1
            s["consecutive_failures"] += 1
            s["last_error"] = (error or "")[:200]
            if s["state"] == HALF_OPEN:
                s["state"] = OPEN
                s["opened_at"] = now
                s["trial_started_at"] = None
            elif s["state"] == CLOSED and s["consecutive_failures"] >= self.failure_threshold:
                s["state"] = OPEN
                s["opened_at"] = now
            self._save(s)

    def _count(self, s: dict[str, Any], latency_s: float | None) -> None:
        s["calls"] += 1
        if latency_s is not None:
            ms = round(latency_s * 1000.0, 3)
            s["last_latency_ms"] = ms
            s["latency_total_ms"] += ms
            s["latency_count"] += 1

    def reset(self) -> None:
        """Forget everything: closed, counters at zero (an operator's button)."""
        with self._lock:
            self._save(_fresh_state())

    def stats(self) -> BreakerStats:
        """Counters and state, for health output."""
        s = self._load()
        avg = s["latency_total_ms"] / s["latency_count"] if s["latency_count"] else None
        retry_at = s["opened_at"] + self.cooldown_s if s["opened_at"] is not None else None
        return BreakerStats(
            key=self.key,
            state=self._visible_state(s),
            calls=s["calls"],
            errors=s["errors"],
            rejected=s["rejected"],
            consecutive_failures=s["consecutive_failures"],
            last_latency_ms=s["last_latency_ms"],
            avg_latency_ms=round(avg, 3) if avg is not None else None,
            opened_at=s["opened_at"],
            retry_at=retry_at,
            last_error=s["last_error"],
        )
