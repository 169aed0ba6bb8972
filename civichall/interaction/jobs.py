"""Periodic jobs of the comment area (run by ``civichall worker``)."""

from civichall.core.periodic import periodic_job


@periodic_job("escalate_overdue_questions")
def escalate_overdue_questions():
    """Open questions past their organisation's first-answer time go to its reviewers."""
    from .actions import escalate_overdue_questions as run

    run()


@periodic_job("recheck_received_comments")
def recheck_received_comments():
    """Comments whose safety check failed are checked again."""
    from .actions import recheck_received_comments as run

    run()
