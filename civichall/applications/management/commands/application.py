"""``civichall application``: online applications from the console.

    civichall application save FILE.json [FILE.json ...] [--as USERNAME]
    civichall application check FILE.json [FILE.json ...]
    civichall application list
    civichall application escalate

``save`` stores each definition document as a new version (through the same
action as the admin: the liaisons and administrators of the owning
organisation, or the system without ``--as``); ``check`` only names the
problems; ``escalate`` runs the overdue-case job once.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civichall.accounts.actors import actor_from, add_actor_argument
from civichall.core.errors import REFUSALS, refusal_message

from ... import actions, formengine
from ...models import ApplicationDefinition


def _read(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"{path}: {error}") from None


class Command(BaseCommand):
    help = "Save, check or list online application definitions; escalate overdue cases."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", title="sub-commands", required=True)
        save = sub.add_parser("save", help="save definition documents as new versions")
        save.add_argument("files", nargs="+")
        add_actor_argument(save)
        check = sub.add_parser("check", help="name the problems of definition documents")
        check.add_argument("files", nargs="+")
        sub.add_parser("list", help="the definitions and their current versions")
        sub.add_parser("escalate", help="mark overdue cases escalated (the periodic job, once)")

    def handle(self, *args, subcommand, files=(), actor=None, **options):
        if subcommand == "list":
            for d in ApplicationDefinition.objects.select_related("current", "organisation"):
                self.stdout.write(f"{d.code}\t{d.status}\tv{d.current.number if d.current else '-'}\t"
                                  f"{d.organisation.slug}\t{d.title}")
            return
        if subcommand == "escalate":
            self.stdout.write(f"escalated {actions.escalate_overdue_cases()}")
            return
        failed = 0
        user = actor_from(actor) if subcommand == "save" else None
        for path in files:
            document = _read(path)
            problems = formengine.check_document(document)
            if problems:
                failed += 1
                self.stderr.write(f"{path}:\n  " + "\n  ".join(problems))
                continue
            if subcommand == "check":
                self.stdout.write(f"{path}: ok")
                continue
            try:
                version = actions.do_save_definition(user, document)
            except REFUSALS as error:
                failed += 1
                self.stderr.write(f"{path}: {refusal_message(error)}")
                continue
            self.stdout.write(f"{document['code']}: version {version.number}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} documents were not accepted")
