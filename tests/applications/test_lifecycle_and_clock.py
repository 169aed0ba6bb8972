"""The case lifecycle table and the working-day clock."""

from datetime import date

import pytest

from civichall.applications import clock, lifecycle
from civichall.applications.lifecycle import TransitionError


def test_the_whole_path_of_a_case():
    state = lifecycle.SUBMITTED
    for event, facts in [("accept", {}), ("start_review", {}), ("ask_material", {"reason": "请补交离职证明原件"}),
                         ("supplement", {}), ("approve", {}), ("complete", {})]:
        state = lifecycle.next_state(state, event, **facts)
    assert state == lifecycle.COMPLETED and lifecycle.is_end(state)


@pytest.mark.parametrize("state,event,code", [
    (lifecycle.SUBMITTED, "approve", "not_in_review"),
    (lifecycle.COMPLETED, "accept", "not_submitted"),
    (lifecycle.IN_REVIEW, "supplement", "no_material_asked"),
    (lifecycle.NOT_ACCEPTED, "start_review", "not_accepted_yet"),
    (lifecycle.APPROVED, "reject", "not_in_review"),
])
def test_impossible_events_are_refused_by_the_table(state, event, code):
    with pytest.raises(TransitionError) as caught:
        lifecycle.next_state(state, event, reason="理由写得足够长", appeal="可申请行政复议")
    assert caught.value.code == code


def test_refusals_and_rejections_need_their_reasons():
    with pytest.raises(TransitionError) as caught:
        lifecycle.next_state(lifecycle.SUBMITTED, "not_accept", reason="不")
    assert caught.value.code == "reason_required"
    with pytest.raises(TransitionError) as caught:
        lifecycle.next_state(lifecycle.IN_REVIEW, "reject", reason="不符合申领条件")
    assert caught.value.code == "appeal_required"
    assert lifecycle.next_state(lifecycle.IN_REVIEW, "reject", reason="不符合申领条件",
                                appeal="可在60日内申请行政复议") == lifecycle.REJECTED


def test_every_state_but_the_ends_has_a_way_on():
    for state in lifecycle.STATES:
        assert bool(lifecycle.allowed_events(state)) != lifecycle.is_end(state)


def test_working_days_skip_the_2026_national_day_holiday():
    # Accepted on Wednesday 30 September 2026: 1–7 October are the holiday
    # and Saturday 10 October is an adjusted working day.
    assert not clock.is_working_day(date(2026, 10, 5))
    assert clock.is_working_day(date(2026, 10, 10))
    assert clock.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert clock.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert clock.due_on(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert clock.working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1


def test_waiting_for_the_citizen_moves_the_due_day():
    assert clock.due_on(date(2026, 11, 2), 10) == date(2026, 11, 16)
    assert clock.due_on(date(2026, 11, 2), 10, paused_days=3) == date(2026, 11, 19)


def test_the_clock_says_due_soon_overdue_escalated():
    due = date(2026, 11, 16)
    assert clock.clock_state(date(2026, 11, 5), due) == clock.OK
    assert clock.clock_state(date(2026, 11, 13), due) == clock.DUE_SOON
    assert clock.clock_state(date(2026, 11, 17), due) == clock.OVERDUE
    assert clock.clock_state(date(2026, 11, 20), due) == clock.ESCALATED
    assert clock.clock_state(date(2026, 11, 20), due, paused=True) == clock.PAUSED
    assert clock.clock_state(date(2026, 11, 20), due, decided=True) == clock.DONE
