"""The SLA clock with a fake clock."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from civichall.interaction import sla

T0 = datetime(2022, 5, 31, 13, 13, tzinfo=timezone.utc)
H = timedelta(hours=1)


@pytest.mark.parametrize("elapsed, expected", [
    (0, "ok"), (19.9, "ok"), (20, "due_soon"), (23.99, "due_soon"), (24, "overdue"), (100, "overdue"),
])
def test_default_24_hours_due_soon_in_last_4(elapsed, expected):
    assert sla.sla_state(T0, None, T0 + elapsed * H) == expected


def test_short_promise_uses_the_fraction():
    targets = sla.SlaTargets(first_answer_hours=2)
    assert targets.window == timedelta(minutes=30)
    assert sla.sla_state(T0, None, T0 + timedelta(minutes=89), targets) == "ok"
    assert sla.sla_state(T0, None, T0 + timedelta(minutes=90), targets) == "due_soon"


def test_answered_whenever_it_came():
    assert sla.sla_state(T0, T0 + 50 * H, T0 + 60 * H) == "answered"
    assert sla.sla_state(T0, T0 + H, T0 + 2 * H) == "answered"


def test_time_left_and_due_at():
    assert sla.due_at(T0, sla.SlaTargets(8)) == T0 + 8 * H
    assert sla.time_left(T0, T0 + 30 * H) == -6 * H


def test_bad_targets_are_refused():
    with pytest.raises(ValueError):
        sla.SlaTargets(first_answer_hours=0)
    with pytest.raises(ValueError):
        sla.SlaTargets(due_soon_fraction=2)


@given(st.floats(min_value=0.1, max_value=500), st.floats(min_value=0, max_value=1000))
def test_states_move_forward_only(hours, elapsed):
    targets = sla.SlaTargets(first_answer_hours=hours)
    order = ["ok", "due_soon", "overdue"]
    now = T0 + timedelta(hours=elapsed)
    later = now + timedelta(hours=1)
    assert order.index(sla.sla_state(T0, None, later, targets)) >= order.index(
        sla.sla_state(T0, None, now, targets))


def test_age_buckets_and_percentiles():
    assert [sla.age_bucket(T0, T0 + h * H) for h in (1, 5, 30, 80)] == ["lt4h", "4-24h", "1-3d", "gt3d"]
    assert sla.percentile([], 50) is None
    assert sla.percentile([3, 1, 2], 50) == 2
    assert sla.percentile(list(range(1, 11)), 90) == pytest.approx(9.1)
