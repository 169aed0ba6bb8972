"""Periodic jobs run by ``civichall worker``.

Each room registers its jobs here (a name and a function taking no
arguments); the worker runs them all every CIVICHALL_PERIODIC_INTERVAL
seconds. Jobs must be idempotent: two workers may run the same job.
"""

import logging

logger = logging.getLogger("civichall.worker")

_JOBS = {}


def periodic_job(name):
    """Decorator registering a periodic job under ``name``."""

    def register(func):
        _JOBS[name] = func
        return func

    return register


def registered_jobs():
    return dict(_JOBS)


def run_periodic_jobs():
    """Run every job once; a failing job is logged and does not stop the others.

    Returns {name: "ok" | "error: ..."}.
    """
    results = {}
    for name, job in _JOBS.items():
        try:
            job()
        except Exception as exc:  # one broken job must not stop the others
            logger.exception("periodic job %s failed", name)
            results[name] = f"error: {exc}"
        else:
            results[name] = "ok"
    return results
