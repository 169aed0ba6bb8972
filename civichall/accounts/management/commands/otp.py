"""``civichall otp``: help staff with two-factor sign-in from the console.

    civichall otp status USERNAME          is it on, is it required, codes left
    civichall otp reset USERNAME           remove the authenticator and codes (lost phone);
                                           the person sets it up again at their next sign-in
    civichall otp recovery-codes USERNAME  print a fresh set of recovery codes (old ones stop working)
    civichall otp provision USERNAME       give them an authenticator now (printing its key) and codes

A locked sign-in (too many wrong passwords) is lifted with
``civichall axes_reset_username USERNAME``.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from civichall.accounts import twofactor


class Command(BaseCommand):
    help = "Two-factor sign-in for staff: status, reset (lost phone), new recovery codes."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "reset", "recovery-codes", "provision"])
        parser.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if action == "status":
            self.stdout.write(
                f"{username}: two-factor {'on' if twofactor.is_enrolled(user) else 'off'}; "
                f"{'required' if twofactor.is_required(user) else 'optional'}; "
                f"{twofactor.recovery_codes_left(user)} recovery codes left"
            )
        elif action == "reset":
            twofactor.do_turn_off(user)
            self.stdout.write(f"{username}: two-factor removed; they set it up again at their next sign-in.")
        elif action == "provision":
            device, codes = twofactor.do_provision(user)
            self.stdout.write(f"Authenticator key for {username} (time-based, 6 digits, 30 s): "
                              f"{twofactor.secret_text(device)}")
            self.stdout.write(f"  {device.config_url}")
            self._codes(username, codes)
        else:
            try:
                codes = twofactor.do_new_recovery_codes(user)
            except twofactor.TwoFactorError as error:
                raise CommandError(str(error)) from error
            self._codes(username, codes)

    def _codes(self, username, codes):
        self.stdout.write(f"Recovery codes for {username} (each works once):")
        for code in codes:
            self.stdout.write(f"  {code}")
