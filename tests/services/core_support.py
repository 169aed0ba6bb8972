"""Shared helpers for the pure service-matrix tests: a fake clock and the
fake department server as fixtures (import the fixtures into a test module)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from civichall.contrib.demo import fake_department

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> float:
    """Epoch seconds of a Shanghai local time."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI).timestamp()


# A Wednesday morning in the rush hour: weekday timetable, buses running.
WEDNESDAY_8AM = at(2026, 3, 4, 8, 0)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def fake_dept():
    """A fake department server whose clock is Wednesday 08:00; yields its base URL."""
    fake_department.set_mode("ok")
    server, base_url = fake_department.start(port=0, clock=lambda: WEDNESDAY_8AM)
    try:
        yield base_url
    finally:
        fake_department.set_mode("ok")
        fake_department.stop(server)


@pytest.fixture
def dept_mode():
    """Set the fake department's mode for one test; back to "ok" after it."""
    yield fake_department.set_mode
    fake_department.set_mode("ok")
