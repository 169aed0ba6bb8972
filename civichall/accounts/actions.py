"""Changing the account matrix: organisations and staff memberships.

Every mutation goes through a ``do_*`` function so that the web, the CLI and
the tests change state the same way and the audit log sees it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.core import audit

from . import policy
from .models import Membership, Organisation, Role
from .permissions import access_organisation, forget_roles
from .policy import recorded_user

# An organisation's administrators keep its public profile; where it sits in
# the matrix (slug, kind, parent) is the municipal administrators' to change.
PROFILE_FIELDS = ("name_zh", "name_en", "account_name_zh", "description_zh", "description_en", "contact",
                  "avatar", "sort_order")
STRUCTURE_FIELDS = ("slug", "kind", "parent")
ORGANISATION_FIELDS = STRUCTURE_FIELDS + PROFILE_FIELDS


@transaction.atomic
def do_save_organisation(actor, organisation, source="", **fields):
    """Create (``organisation`` None) or change an organisation. Creating
    one, or moving it in the matrix, needs a municipal administrator; its
    own administrators change its profile."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    creating = organisation is None or organisation.pk is None
    if creating:
        policy.check(actor, "organisation", "manage_matrix")
        organisation = organisation or Organisation()
        before = {}
    else:
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = audit.field_values(organisation, ORGANISATION_FIELDS)
        structural = {f for f in STRUCTURE_FIELDS if f in fields and
                      getattr(fields[f], "pk", fields[f]) != before[f]}
        policy.check(actor, "organisation", "manage_matrix" if structural else "edit_profile", organisation)
    for name, value in fields.items():
        setattr(organisation, name, value)
    if not (organisation.slug or "").strip():
        raise ValidationError({"slug": _("Enter a slug.")})
    if not (organisation.name_zh or "").strip():
        raise ValidationError({"name_zh": _("Enter the Chinese name.")})
    if organisation.parent_id is not None and organisation.pk is not None and organisation.parent_id == organisation.pk:
        raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
    if Organisation.objects.filter(slug=organisation.slug).exclude(pk=organisation.pk).exists():
        raise ValidationError({"slug": _("Another organisation already has this slug.")})
    organisation.save()
    changed = audit.changes(before, audit.field_values(organisation, ORGANISATION_FIELDS))
    data = {"organisation": organisation.slug, "changed": changed}
    if source:
        data["source"] = source
    log(instance=organisation, action="civichall.organisation.create" if creating else "civichall.organisation.edit",
        user=recorded_user(actor), data=audit.jsonable(data))
    return organisation


@transaction.atomic
def do_delete_organisation(actor, organisation, source=""):
    """Remove an organisation from the matrix (municipal administrators).
    Refused while it still has services, articles or connectors."""
    policy.check(actor, "organisation", "manage_matrix", organisation)
    log(instance=organisation, action="civichall.organisation.delete", user=recorded_user(actor),
        data={"organisation": organisation.slug, "source": source})
    try:
        organisation.delete()
    except ProtectedError:
        raise ValidationError(_("This organisation still has services, articles or connectors: "
                                "move or remove them first.")) from None


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
def do_change_membership(membership, organisation, role, acting_user):
    """Change a membership's organisation or role: the old one is removed
    and the new one added, each checked and audited."""
    if (membership.organisation_id, membership.role) == (organisation.pk, role):
        return membership
    user = membership.user
    access_organisation(acting_user, organisation, "manage_members")
    do_remove_membership(membership, acting_user)
    return do_add_membership(user, organisation, role, acting_user)


@transaction.atomic
def do_remove_membership(membership, acting_user):
    """Take a role away; the user's groups follow."""
    access_organisation(acting_user, membership.organisation, "manage_members")
    user = membership.user
    log(instance=membership, action="civichall.membership.remove", user=recorded_user(acting_user))
    membership.delete()
    forget_roles(user)
