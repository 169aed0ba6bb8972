"""``civichall api_token USERNAME [--name NAME]``: a personal API token for a staff member.

The token is printed once and never stored in plain text; revoke it in the
admin (*Settings → API tokens*). Only staff members (superusers, or people
with a role in an organisation) get one.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civichall.accounts.policy import SYSTEM
from civichall.accounts.staff_tokens import do_create_staff_token


class Command(BaseCommand):
    help = "Create a personal API token for a staff member and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the staff member's user name")
        parser.add_argument("--name", default="", help="a label for the token (default: "
                            "'<username> <date>')")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(_("There is no user named “%(username)s”.")
                               % {"username": username}) from None
        try:
            token, plaintext = do_create_staff_token(SYSTEM, user, name, source="management_command")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(_(
            "Token %(prefix)s… (%(name)s) for %(username)s. It is shown only this once; "
            "revoke it in the admin under Settings → API tokens."
        ) % {"prefix": token.prefix, "name": token.name, "username": username})
        self.stdout.write(plaintext)
