"""``civichall demo``: migrate, load the demo, ensure a demo administrator,
and serve the site on http://127.0.0.1:8000.

When serving, the fake department system behind the demo's query services
(bus arrivals, traffic violations, hospital reports …) is started in a
background thread on the port of ``CIVICHALL_DEMO_DEPARTMENT_URL`` (8765),
or on a free port if that one is taken, and the demo connectors are pointed
at it. A fake WeChat platform starts beside it on a free port
(``CIVICHALL_WECHAT_API_BASE``), and the console says how to play a follower."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from civichall.contrib.demo import fake_department, load_wechat, loader


def start_fake_department():
    """Start the fake department system; returns (server, base URL)."""
    wanted = urlsplit(getattr(settings, "CIVICHALL_DEMO_DEPARTMENT_URL", "") or "http://127.0.0.1:8765")
    host, port = wanted.hostname or "127.0.0.1", wanted.port or 8765
    try:
        return fake_department.start(port=port, host=host)
    except OSError:
        return fake_department.start(port=0, host=host)


def two_factor_lines(username):
    """Administrators must pass a second factor: give the demo admin an
    authenticator key and fresh recovery codes, and say how to use them."""
    from django.contrib.auth import get_user_model

    from civichall.accounts import twofactor

    user = get_user_model().objects.get(username=username)
    device, codes = twofactor.do_provision(user)
    return [
        "Two-factor sign-in (required for administrators and reviewers):",
        f"  add this key to an authenticator app (time-based): {twofactor.secret_text(device)}",
        "  or use one of these recovery codes, each once: " + " ".join(codes),
        "  more codes: civichall otp recovery-codes admin",
        "Demo staff (sh_editor, sh_reviewer, ...; password civichall-demo): reviewers and "
        "administrators set up an authenticator at their first sign-in.",
    ]


class Command(BaseCommand):
    help = "Set up the demo (migrate, load demo data, demo admin) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve.")

    def handle(self, *args, addrport, no_serve, **options):
        self.stdout.write("Setting up the database (migrations)…")
        call_command("migrate", interactive=False, verbosity=0)
        department = None
        if not no_serve:
            department, base_url = start_fake_department()
            settings.CIVICHALL_DEMO_DEPARTMENT_URL = base_url
            self.stdout.write(f"Fake department systems: {base_url}/ (modes: POST {base_url}/_control/mode)")
            from civichall.channels.wechat.fake_platform import FakePlatform

            try:  # a fixed port, so that a worker or a simulating console can be pointed at it
                wechat_platform = FakePlatform(port=8766).start()
            except OSError:
                wechat_platform = FakePlatform().start()
            settings.CIVICHALL_WECHAT_API_BASE = wechat_platform.base_url
        for line in loader.load_all(progress=self.stdout.write):
            self.stdout.write(line)
        for line in loader.demo_resident_lines():
            self.stdout.write(line)
        username, password = loader.ensure_demo_admin()
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write(self.style.SUCCESS(
            f"\nCivicHall demo: http://{host}/\n"
            f"Admin: http://{host}/admin/  user: {username}  password: {password}\n"
        ))
        for line in two_factor_lines(username):
            self.stdout.write(line)
        for line in load_wechat.how_to_lines("shanghai", f"http://{host}",
                                             None if no_serve else settings.CIVICHALL_WECHAT_API_BASE):
            self.stdout.write(line)
        if not no_serve:
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                fake_department.stop(department)
                wechat_platform.stop()
