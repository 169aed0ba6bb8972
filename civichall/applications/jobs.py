"""Periodic jobs of the applications room (run by ``civichall worker``)."""

from civichall.core.periodic import periodic_job


@periodic_job("escalate_overdue_cases")
def escalate_overdue_cases():
    """Cases overdue by the clock's escalation margin are marked escalated
    (shown in the queue, written on the timeline for the staff)."""
    from .actions.cases import escalate_overdue_cases as run

    return run()
