"""``civichall worker``: runs background tasks and the periodic jobs.

Background tasks come from the Django Tasks database backend; the periodic
jobs (e.g. publishing pages whose go-live time has come) run every
CIVICHALL_PERIODIC_INTERVAL seconds in a thread beside the task loop.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from civichall.core.periodic import registered_jobs, run_periodic_jobs

logger = logging.getLogger("civichall.worker")


class Command(BaseCommand):
    help = "Run background tasks and periodic jobs (publishing pages that are due)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="Run the periodic jobs once and every queued task, then exit.")
        parser.add_argument("--interval", type=float, default=None,
                            help="Seconds between periodic runs (default CIVICHALL_PERIODIC_INTERVAL).")

    def handle(self, *args, once=False, interval=None, **options):
        from django_tasks_db.management.commands.db_worker import Worker

        from civichall.cli import migration_problem

        problem = migration_problem()
        if problem:
            raise CommandError(problem)
        interval = interval or settings.CIVICHALL_PERIODIC_INTERVAL
        worker_options = dict(
            queue_names=["*"], excluded_queue_names=[], backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="civichall-worker",
        )
        if once:
            results = run_periodic_jobs()
            for name, outcome in results.items():
                self.stdout.write(f"{name}: {outcome}")
            if self._uses_database_backend():
                Worker(interval=0, batch=True, **worker_options).run()
            return
        self.stdout.write(f"Periodic jobs every {interval:g}s: {', '.join(registered_jobs())}")
        stop = threading.Event()

        def periodic_loop():
            while not stop.is_set():
                run_periodic_jobs()
                close_old_connections()
                stop.wait(interval)

        threading.Thread(target=periodic_loop, name="periodic-jobs", daemon=True).start()
        try:
            if self._uses_database_backend():
                worker = Worker(interval=1.0, batch=False, **worker_options)
                worker.configure_signals()
                worker.run()
            else:
                while True:
                    time.sleep(3600)
        finally:
            stop.set()

    @staticmethod
    def _uses_database_backend():
        return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
