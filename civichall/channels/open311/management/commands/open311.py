"""``civichall open311``: the Open311 channel's API keys from the console.

    civichall open311 create_key NAME      issue a key; the key is the last word printed
    civichall open311 revoke_key PREFIX    revoke the key that begins with PREFIX
    civichall open311 keys                 the keys issued (name, beginning, state)
"""

from django.core.management.base import BaseCommand, CommandError

from civichall.accounts.policy import SYSTEM
from civichall.core.errors import REFUSALS, refusal_message

from ... import actions
from ...models import ApiKey


class Command(BaseCommand):
    help = "Issue, list and revoke the API keys Open311 clients post requests with."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", title="sub-commands", required=True)
        create = sub.add_parser("create_key", help="issue a key; prints it as the last word")
        create.add_argument("name", help="who the key is for, e.g. 区网格化平台")
        revoke = sub.add_parser("revoke_key", help="revoke a key")
        revoke.add_argument("prefix", help="the beginning of the key (12 characters, as listed)")
        sub.add_parser("keys", help="list the keys")

    def handle(self, *args, subcommand, **options):
        try:
            if subcommand == "create_key":
                api_key, key = actions.do_create_key(SYSTEM, options["name"])
                self.stdout.write(f"Open311 API key for {api_key.name} (shown once): {key}")
            elif subcommand == "revoke_key":
                api_key = ApiKey.objects.filter(prefix=options["prefix"][:12]).first()
                if api_key is None:
                    raise CommandError(f"no key begins with {options['prefix']}")
                actions.do_revoke_key(SYSTEM, api_key)
                self.stdout.write(f"revoked: {api_key}")
            else:
                for api_key in ApiKey.objects.all():
                    state = "revoked" if api_key.revoked_at else "active"
                    self.stdout.write(f"{api_key.prefix}  {state:8} {api_key.name}")
        except REFUSALS as error:
            raise CommandError(refusal_message(error)) from error
