"""``civichall service``: create or change a service from the console.

    civichall service save CODE --json '{"organisation": "health-commission", "connector": "hospital_reports", ...}'
    civichall service save CODE --json FILE.json [--as USERNAME]

Fields are those of the staff API (the owner by organisation slug, the
connector by name). The same action as the admin and the API decides:
a service may use only its organisation's connectors or shared ones, and a
service over personal data must be bound to the verified citizen. A refusal
names every reason and exits non-zero; nothing is saved then.
"""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civichall.accounts.actors import actor_from, add_actor_argument
from civichall.services import actions
from civichall.services.models import Service


class Command(BaseCommand):
    help = "Create or change a service (fields as JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", title="sub-commands", required=True)
        save = sub.add_parser("save", help="create the service CODE, or change the fields given")
        save.add_argument("code")
        save.add_argument("--json", required=True, help="a JSON object, or a file holding one")
        add_actor_argument(save)

    def handle(self, *args, subcommand, code, json=None, actor=None, **options):
        fields = self._fields(json)
        user = actor_from(actor)
        service = Service.objects.filter(code=code).first()
        fields.setdefault("code", code)
        try:
            saved = actions.do_save_service(user, service, source="cli",
                                            **actions.service_fields_from_references(fields))
        except ValidationError as error:
            lines = [f"{field}: {' '.join(map(str, messages))}" for field, messages in error.message_dict.items()]
            raise CommandError(_("The service was not saved:") + "\n" + "\n".join(lines)) from None
        except PermissionDenied:
            raise CommandError(_("You may not change services of this organisation.")) from None
        self.stdout.write(_("Saved service %(code)s.") % {"code": saved.code})

    @staticmethod
    def _fields(text):
        path = Path(text)
        if not text.lstrip().startswith("{") and path.is_file():
            text = path.read_text(encoding="utf-8")
        try:
            value = json.loads(text)
        except ValueError:
            raise CommandError(_("--json must be a JSON object or a file holding one.")) from None
        if not isinstance(value, dict):
            raise CommandError(_("--json must be a JSON object or a file holding one."))
        return value
