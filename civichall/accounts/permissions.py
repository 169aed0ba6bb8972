"""Who may touch an organisation, and what a staff member's roles are.

``access_organisation`` is the single place deciding whether a person may act
on an organisation; other rooms ask ``has_role`` / ``organisations_for``.
"""

from django.core.exceptions import PermissionDenied

from .models import Membership, Organisation, Role

# Roles that may act on content in an organisation's section.
CONTENT_ROLES = {Role.EDITOR, Role.REVIEWER, Role.ADMINISTRATOR}


def roles_for(user, organisation):
    """The set of role names ``user`` holds in ``organisation``."""
    if user is None or not user.is_authenticated:
        return set()
    cache = getattr(user, "_civichall_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cache.setdefault(org_id, set()).add(role)
        user._civichall_roles = cache
    return cache.get(getattr(organisation, "pk", organisation), set())


def forget_roles(user):
    """Drop the per-request role cache after memberships change."""
    if hasattr(user, "_civichall_roles"):
        del user._civichall_roles


def has_role(user, organisation, *roles):
    """True if ``user`` holds one of ``roles`` in ``organisation``.

    Superusers hold every role everywhere.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(roles_for(user, organisation) & set(roles))


def organisations_for(user, *roles):
    """Organisations where ``user`` holds one of ``roles``."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=roles
    ).distinct()


ORGANISATION_ACTIONS = {
    "view": None,  # public profile: anyone
    "edit_profile": {Role.ADMINISTRATOR},
    "manage_members": {Role.ADMINISTRATOR},
    "publish": CONTENT_ROLES,
}


def access_organisation(user, organisation, action="view"):
    """Return ``organisation`` if ``user`` may perform ``action`` on it.

    Raises PermissionDenied otherwise; unknown actions are refused.
    """
    if action not in ORGANISATION_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    roles = ORGANISATION_ACTIONS[action]
    if roles is None or has_role(user, organisation, *roles):
        return organisation
    raise PermissionDenied
