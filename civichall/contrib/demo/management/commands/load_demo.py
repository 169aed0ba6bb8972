"""``civichall load_demo``: the demo account matrix, topics and articles.

Running it twice changes nothing.
"""

from django.core.management.base import BaseCommand

from civichall.contrib.demo import loader


class Command(BaseCommand):
    help = "Load the demo data (idempotent)."

    def handle(self, *args, **options):
        summary = loader.load_all(progress=self.stdout.write)
        for line in summary + loader.demo_resident_lines():
            self.stdout.write(line)
