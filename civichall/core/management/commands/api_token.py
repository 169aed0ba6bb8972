"""``civichall api_token USERNAME [--name NAME]``: a personal API token for a staff member.

The token is printed once and never stored in plain text; revoke it in the
admin (*Settings → API tokens*). Only staff members (superusers, or people
with a role in an organisation) get one.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import APIToken

from civichall.api.auth import is_staff_member


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
        if not user.is_active:
            raise CommandError(_("The user “%(username)s” is not active.")
                               % {"username": username})
        if not is_staff_member(user):
            raise CommandError(_(
                "“%(username)s” is not a staff member (no role in any organisation and "
                "not a superuser): API tokens are for staff only."
            ) % {"username": username})
        name = name.strip() or f"{username} {timezone.localdate():%Y-%m-%d}"
        token, plaintext = APIToken.create_token(user=user, name=name[:255])
        log(token, "wagtail.apitoken.create", data={"source": "management_command"})
        self.stderr.write(_(
            "Token %(prefix)s… (%(name)s) for %(username)s. It is shown only this once; "
            "revoke it in the admin under Settings → API tokens."
        ) % {"prefix": token.prefix, "name": token.name, "username": username})
        self.stdout.write(plaintext)
