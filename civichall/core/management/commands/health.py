"""``civichall health``: one line per part the site stands on (database,
cache, task queue, department connectors), for operators and cron jobs.

Exit status 0 when every part is ok or degraded, 1 when any part is down;
``--json`` prints the same report as ``/healthz``.
"""

import json

from django.core.management.base import BaseCommand

from civichall.core import health


class Command(BaseCommand):
    help = "Report the health of the database, cache, task queue and connectors (exit 1 when a part is down)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, json_output=False, **options):
        result = health.report()
        if options.get("json"):
            self.stdout.write(json.dumps(health.as_json(result), ensure_ascii=False, indent=2))
        else:
            style = {health.OK: self.style.SUCCESS, health.DEGRADED: self.style.WARNING,
                     health.DOWN: self.style.ERROR}
            width = max(len(p.name) for p in result["parts"])
            for part in result["parts"]:
                status = style[part.status](f"{part.status:<8}")
                self.stdout.write(f"{part.name:<{width}}  {status}  {part.detail}")
            self.stdout.write(f"{'overall':<{width}}  {style[result['status']](result['status'])}")
        if any(p.status == health.DOWN for p in result["parts"]):
            raise SystemExit(1)
