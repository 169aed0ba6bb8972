"""The statutory time limit of a case, in working days (法定工作日).

Pure Python, no Django. Which days are working days comes from the
maintained ``chinese-calendar`` package, which knows the statutory holidays
and the adjusted working weekends of each year (Golden Week included), not
from a table of our own.

The clock starts the day a case is accepted; the limit counts the working
days after that day. While the case waits for the citizen (补正) the clock
is paused: the working days waited are added to the deadline. A case is

* ``done`` once decided;
* ``overdue`` after its due day, ``escalated`` once overdue by
  ``escalate_after`` working days;
* ``due_soon`` within ``due_soon_days`` working days of its due day;
* ``paused`` while waiting for the citizen; ``ok`` otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

__all__ = ["DONE", "DUE_SOON", "ESCALATED", "OK", "OVERDUE", "PAUSED", "add_working_days", "clock_state",
           "due_on", "is_working_day", "working_days_between"]

OK, DUE_SOON, OVERDUE, ESCALATED, PAUSED, DONE = "ok", "due_soon", "overdue", "escalated", "paused", "done"


def is_working_day(day: date) -> bool:
    """True on a statutory working day (adjusted weekends included)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not know yet: weekdays
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def due_on(accepted_on: date, limit_days: int, paused_days: int = 0) -> date:
    """The due day of a case accepted on ``accepted_on`` with a limit of
    ``limit_days`` working days, after ``paused_days`` working days of waiting."""
    return add_working_days(accepted_on, limit_days + paused_days)


def clock_state(today: date, due: date | None, *, decided=False, paused=False, due_soon_days=2,
                escalate_after=3) -> str:
    """Where the case stands against its due day (see the module doc)."""
    if decided:
        return DONE
    if paused:
        return PAUSED
    if due is None:
        return OK
    if today > due:
        return ESCALATED if working_days_between(due, today) >= escalate_after else OVERDUE
    if working_days_between(today, due) <= due_soon_days:
        return DUE_SOON
    return OK
