"""``civichall make_load_data``: volume on top of the demo, to measure the
admin at a city's size (civichall/contrib/demo/load_volume.py)."""

from django.core.management.base import BaseCommand, CommandError

from civichall.contrib.demo.load_volume import NothingToLoadInto, make_load_data


class Command(BaseCommand):
    help = "Add many articles, citizens, comments and questions (default: 10,000 / 2,000 / 100,000)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--citizens", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, **options):
        for name in ("articles", "comments", "citizens"):
            if options[name] < 0:
                raise CommandError(f"--{name} must be 0 or more")
        try:
            written = make_load_data(options["articles"], options["comments"], options["citizens"],
                                     seed=options["seed"], progress=not options["no_progress"])
        except NothingToLoadInto:
            raise CommandError("No organisation sections yet: run `civichall load_demo` first.") from None
        self.stdout.write("written: " + ", ".join(f"{k} {v}" for k, v in written.items()))
