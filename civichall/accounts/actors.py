"""Who a console command acts as.

``civichall … --as USERNAME`` acts as that staff member, under the same
permission policy as the admin and the API; without ``--as`` the operator's
console acts as the system (still audited, and still held to the rules of
the data itself, such as which connectors a service may use)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .policy import SYSTEM


def add_actor_argument(parser):
    parser.add_argument("--as", dest="actor", default=None, metavar="USERNAME",
                        help="act as this staff member (default: the operator's console, as the system)")


def actor_from(username):
    """The user called ``username`` (active), or SYSTEM when none is given."""
    if not username:
        return SYSTEM
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No active user called “%(name)s”.") % {"name": username})
    return user
