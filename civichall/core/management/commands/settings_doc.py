"""``civichall settings_doc``: the table of the product's settings, made from
their declarations (``civichall/core/config.py``).

Without options it prints the Markdown; ``--write`` puts it in
``docs/settings.md``; ``--check`` exits with 1 when that file is out of date.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civichall.core import config

DOC = Path(__file__).resolve().parents[4] / "docs" / "settings.md"


class Command(BaseCommand):
    help = "Print (or write to docs/settings.md, or check) the table of CivicHall's settings."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Write docs/settings.md.")
        parser.add_argument("--check", action="store_true", help="Exit with 1 when docs/settings.md is out of date.")
        parser.add_argument("--path", default=str(DOC), help="The file to write or check (default docs/settings.md).")

    def handle(self, *args, **options):
        table = config.markdown_table()
        path = Path(options["path"])
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != table:
                raise CommandError(f"{path} is out of date: run `civichall settings_doc --write`.")
            self.stdout.write(f"{path} is up to date.")
        elif options["write"]:
            path.write_text(table, encoding="utf-8")
            self.stdout.write(f"Wrote {path}.")
        else:
            self.stdout.write(table, ending="")
