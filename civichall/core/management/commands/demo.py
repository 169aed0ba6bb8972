"""``civichall demo``: migrate, load the demo, ensure a demo administrator,
and serve the site on http://127.0.0.1:8000."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from civichall.core import demo


class Command(BaseCommand):
    help = "Set up the demo (migrate, load demo data, demo admin) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve.")

    def handle(self, *args, addrport, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        for line in demo.load_all():
            self.stdout.write(line)
        username, password = demo.ensure_demo_admin()
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write(self.style.SUCCESS(
            f"\nCivicHall demo: http://{host}/\n"
            f"Admin: http://{host}/admin/  user: {username}  password: {password}\n"
        ))
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)
