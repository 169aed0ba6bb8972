"""Periodic jobs of the account room."""

from civichall.core.periodic import periodic_job


@periodic_job("forget_old_citizen_sign_ins")
def forget_old_citizen_sign_ins():
    """Sign-ins ended or expired more than KEEP_DAYS ago are deleted with
    their tokens; the audit log keeps that they happened."""
    from .citizen_sessions import forget_old_sign_ins

    forget_old_sign_ins()
