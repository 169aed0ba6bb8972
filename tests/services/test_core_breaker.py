"""Circuit breaker transitions, with a fake clock and pluggable stores."""

from __future__ import annotations

import json

import pytest

from civichall.services.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, MemoryBreakerStore
from tests.services.core_support import FakeClock


def make(clock, store=None, **kw):
    kw.setdefault("failure_threshold", 3)
    kw.setdefault("cooldown_s", 30.0)
    return CircuitBreaker("svc", store=store or MemoryBreakerStore(), clock=clock, **kw)


def test_starts_closed_and_allows_calls():
    b = make(FakeClock())
    assert b.state == CLOSED
    assert b.allow()
    assert b.stats().calls == 0


def test_opens_after_n_consecutive_failures():
    clock = FakeClock()
    b = make(clock)
    for _ in range(2):
        assert b.allow()
        b.record_failure(0.1, "boom")
    assert b.state == CLOSED
    b.record_failure(0.1, "boom")
    assert b.state == OPEN
    assert b.stats().opened_at == clock.now
    assert b.stats().retry_at == clock.now + 30.0
    assert not b.allow()
    assert b.stats().rejected == 1


def test_success_resets_the_count():
    b = make(FakeClock())
    b.record_failure(0.1)
    b.record_failure(0.1)
    b.record_success(0.1)
    b.record_failure(0.1)
    b.record_failure(0.1)
    assert b.state == CLOSED
    assert b.stats().consecutive_failures == 2


def test_cooldown_then_one_trial_call():
    clock = FakeClock()
    b = make(clock)
    for _ in range(3):
        b.record_failure(0.1)
    clock.advance(29.9)
    assert not b.allow()
    clock.advance(0.1)
    assert b.state == HALF_OPEN  # ready for a trial
    assert b.allow()  # the trial
    assert b.state == HALF_OPEN
    assert not b.allow()  # only one trial at a time
    b.record_success(0.2)
    assert b.state == CLOSED
    assert b.allow()
    assert b.stats().opened_at is None


def test_failed_trial_opens_again_for_a_new_cooldown():
    clock = FakeClock()
    b = make(clock)
    for _ in range(3):
        b.record_failure(0.1)
    clock.advance(30)
    assert b.allow()
    b.record_failure(0.1, "still down")
    assert b.state == OPEN
    assert b.stats().opened_at == clock.now
    clock.advance(29)
    assert not b.allow()
    clock.advance(1)
    assert b.allow()


def test_a_trial_that_never_reports_does_not_block_forever():
    clock = FakeClock()
    b = make(clock)
    for _ in range(3):
        b.record_failure()
    clock.advance(30)
    assert b.allow()  # trial; its process dies before reporting
    clock.advance(10)
    assert not b.allow()
    clock.advance(20)
    assert b.allow()


def test_slow_calls_count_as_failures():
    clock = FakeClock()
    b = make(clock, slow_call_s=2.0)
    b.record_success(1.9)
    assert b.stats().errors == 0
    for _ in range(3):
        b.record_success(2.5)
    assert b.state == OPEN
    assert "slow" in b.stats().last_error


def test_late_success_does_not_close_an_open_breaker():
    b = make(FakeClock())
    for _ in range(3):
        b.record_failure()
    b.record_success(0.1)  # a call that started before it opened
    assert b.state == OPEN


def test_stats():
    b = make(FakeClock())
    b.record_success(0.100)
    b.record_success(0.300)
    b.record_failure(0.200, "HTTP 500")
    s = b.stats()
    assert (s.calls, s.errors, s.consecutive_failures) == (3, 1, 1)
    assert s.last_latency_ms == 200.0
    assert s.avg_latency_ms == pytest.approx(200.0)
    assert s.state == CLOSED and s.last_error == "HTTP 500"
    assert set(s.as_dict()) >= {"state", "calls", "errors", "consecutive_failures", "last_latency_ms",
                                "avg_latency_ms", "opened_at"}


def test_reset():
    b = make(FakeClock())
    for _ in range(3):
        b.record_failure()
    b.reset()
    assert b.state == CLOSED and b.stats().calls == 0


def test_processes_share_state_through_the_store():
    # Two breaker objects over one store stand for two web processes.
    store, clock = MemoryBreakerStore(), FakeClock()
    web1, web2 = make(clock, store), make(clock, store)
    web1.record_failure()
    web2.record_failure()
    web1.record_failure()
    assert web2.state == OPEN
    assert not web2.allow()
    other = CircuitBreaker("other-service", store=store, clock=clock)
    assert other.state == CLOSED


class JsonStore:
    """Stores state as JSON text, as a Redis or database store would."""

    def __init__(self):
        self.data: dict[str, str] = {}

    def get(self, key):
        raw = self.data.get(key)
        return json.loads(raw) if raw is not None else None

    def set(self, key, value):
        self.data[key] = json.dumps(value)


def test_state_survives_a_json_store():
    store, clock = JsonStore(), FakeClock()
    b = make(clock, store)
    for _ in range(3):
        b.record_failure(0.05, "down")
    assert make(clock, store).state == OPEN
    assert list(store.data) == ["breaker:svc"]
    clock.advance(30)
    assert make(clock, store).allow()
    make(clock, store).record_success(0.01)
    assert make(clock, store).state == CLOSED


def test_invalid_settings():
    with pytest.raises(ValueError):
        CircuitBreaker("x", failure_threshold=0)
    with pytest.raises(ValueError):
        CircuitBreaker("x", cooldown_s=-1)
