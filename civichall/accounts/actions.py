"""Changing the account matrix: organisations and staff memberships.

Every mutation goes through a ``do_*`` function so that the web, the CLI and
the tests change state the same way and the audit log sees it.
"""

from django.db import transaction
from wagtail.log_actions import log

from .models import Membership, Role
from .permissions import access_organisation, forget_roles
from .policy import recorded_user


def check_role(role):
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(Role.values)}")
    return role


@transaction.atomic
def do_add_membership(user, organisation, role, acting_user):
    """Give ``user`` ``role`` in ``organisation`` (idempotent).
    ``acting_user``: an administrator of the organisation, or ``SYSTEM``."""
    check_role(role)
    access_organisation(acting_user, organisation, "manage_members")
    # Saving the membership syncs the user's Wagtail groups (see signals).
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        log(instance=membership, action="civichall.membership.add", user=recorded_user(acting_user))
    return membership


@transaction.atomic
def do_remove_membership(membership, acting_user):
    """Take a role away; the user's groups follow."""
    access_organisation(acting_user, membership.organisation, "manage_members")
    user = membership.user
    log(instance=membership, action="civichall.membership.remove", user=recorded_user(acting_user))
    membership.delete()
    forget_roles(user)
