"""``civichall connector``: share a department's connector with another
organisation, or end a share, from the console.

    civichall connector share CONNECTOR ORG_SLUG --reason "…" [--as USERNAME]
    civichall connector revoke CONNECTOR ORG_SLUG [--as USERNAME]
    civichall connector shares [CONNECTOR]

Only the administrators of the organisation that owns the connector may
share it (``--as`` names one; without it the operator acts as the system).
Each share and revocation is in the audit log.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civichall.accounts.models import Organisation
from civichall.accounts.actors import actor_from, add_actor_argument
from civichall.services import actions
from civichall.services.models import Connector, ConnectorShare


class Command(BaseCommand):
    help = "Share a connector with another organisation, or revoke a share."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", title="sub-commands", required=True)
        share = sub.add_parser("share", help="let ORG's services use CONNECTOR")
        share.add_argument("connector")
        share.add_argument("organisation")
        share.add_argument("--reason", required=True)
        add_actor_argument(share)
        revoke = sub.add_parser("revoke", help="end ORG's use of CONNECTOR")
        revoke.add_argument("connector")
        revoke.add_argument("organisation")
        add_actor_argument(revoke)
        listing = sub.add_parser("shares", help="list active shares")
        listing.add_argument("connector", nargs="?")

    def handle(self, *args, subcommand, connector=None, organisation=None, reason="", actor=None, **options):
        if subcommand == "shares":
            shares = ConnectorShare.objects.filter(revoked_at__isnull=True).select_related("connector", "organisation")
            if connector:
                shares = shares.filter(connector__name=connector)
            for share in shares:
                self.stdout.write(f"{share.connector.name}\t{share.organisation.slug}\t{share.reason}")
            return
        target = Connector.objects.filter(name=connector).first()
        org = Organisation.objects.filter(slug=organisation).first()
        if target is None or org is None:
            raise CommandError(_("No such connector or organisation."))
        user = actor_from(actor)
        try:
            if subcommand == "share":
                actions.do_share_connector(user, target, org, reason, source="cli")
                self.stdout.write(_("Shared %(connector)s with %(org)s.") % {"connector": target.name, "org": org.slug})
                return
            share = ConnectorShare.objects.filter(connector=target, organisation=org, revoked_at__isnull=True).first()
            if share is None:
                raise CommandError(_("This connector is not shared with this organisation."))
            actions.do_revoke_connector_share(user, share, source="cli")
            self.stdout.write(_("Revoked the share of %(connector)s with %(org)s.") % {
                "connector": target.name, "org": org.slug})
        except PermissionDenied:
            raise CommandError(_("Only administrators of the organisation that owns the connector may do this.")) \
                from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
