"""The clock on a citizen's question (答复时限).

Pure Python, no Django: every function takes the times it needs, ``now``
included, so that the clock is tested with a fake one.

Each organisation promises a first answer within ``first_answer_hours``
(default 24, calendar hours). A question is

* ``answered`` once it has a first public response (an official reply, or a
  closing with a public reason) -- whenever that came;
* ``overdue`` when the promise has passed without one;
* ``due_soon`` in the last stretch before the promise: the last
  ``due_soon_fraction`` (25 %) of the time, but never more than
  ``due_soon_max_hours`` (4 h) -- so a 24-hour promise is due soon in its
  last 4 hours and a 2-hour promise in its last 30 minutes;
* ``ok`` otherwise.

The dashboards also use ``age_bucket`` and ``percentile`` from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "ANSWERED", "DUE_SOON", "OK", "OVERDUE", "STATES", "AGE_BUCKETS",
    "SlaTargets", "age_bucket", "due_at", "due_soon_from", "percentile", "sla_state",
    "time_left",
]

OK, DUE_SOON, OVERDUE, ANSWERED = "ok", "due_soon", "overdue", "answered"
STATES = (OK, DUE_SOON, OVERDUE, ANSWERED)


@dataclass(frozen=True)
class SlaTargets:
    """An organisation's promise. Hours may be fractional."""

    first_answer_hours: float = 24
    due_soon_fraction: float = 0.25
    due_soon_max_hours: float = 4

    def __post_init__(self):
        if not self.first_answer_hours > 0:
            raise ValueError("first_answer_hours must be positive")
        if not 0 <= self.due_soon_fraction <= 1:
            raise ValueError("due_soon_fraction must be between 0 and 1")
        if self.due_soon_max_hours < 0:
            raise ValueError("due_soon_max_hours must not be negative")

    @property
    def window(self) -> timedelta:
        """How long before the deadline a question counts as due soon."""
        hours = min(self.first_answer_hours * self.due_soon_fraction, self.due_soon_max_hours)
        return timedelta(hours=hours)


def due_at(asked_at: datetime, targets: SlaTargets) -> datetime:
    """When the first answer is due."""
    return asked_at + timedelta(hours=targets.first_answer_hours)


def due_soon_from(asked_at: datetime, targets: SlaTargets) -> datetime:
    """When the question starts to count as due soon."""
    return due_at(asked_at, targets) - targets.window


def sla_state(asked_at: datetime, first_answer_at: datetime | None, now: datetime,
              targets: SlaTargets = SlaTargets()) -> str:
    """``ok``, ``due_soon``, ``overdue`` or ``answered``."""
    if first_answer_at is not None:
        return ANSWERED
    if now >= due_at(asked_at, targets):
        return OVERDUE
    if now >= due_soon_from(asked_at, targets):
        return DUE_SOON
    return OK


def time_left(asked_at: datetime, now: datetime, targets: SlaTargets = SlaTargets()) -> timedelta:
    """Time until the deadline (negative once overdue)."""
    return due_at(asked_at, targets) - now


#: (key, upper bound in hours) for "open questions by age"; the last is open-ended.
AGE_BUCKETS = (("lt4h", 4), ("4-24h", 24), ("1-3d", 72), ("gt3d", None))


def age_bucket(asked_at: datetime, now: datetime) -> str:
    """The age bucket key of a question asked at ``asked_at``."""
    hours = (now - asked_at).total_seconds() / 3600
    for key, upper in AGE_BUCKETS:
        if upper is None or hours < upper:
            return key
    return AGE_BUCKETS[-1][0]


def percentile(values, p: float) -> float | None:
    """The ``p``-th percentile (0-100) with linear interpolation, None when empty."""
    data = sorted(values)
    if not data:
        return None
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    rank = (len(data) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(data[low])
    return data[low] + (data[high] - data[low]) * (rank - low)
