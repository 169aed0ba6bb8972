"""Who may read and change the content-safety lexicon.

``access_lexicon`` is the single place deciding it: the admin screens (through
``LexiconPermissionPolicy``), the actions and the tests all ask it.

* change (add, edit, delete, import): superusers and administrators of the
  municipal account -- the lexicon applies to every account in the matrix;
* view (list, export, the content each term hit): also reviewers and
  administrators of any account, who act on what the check reports.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from civichall.accounts.models import OrganisationKind, Role
from civichall.accounts.permissions import organisations_for

LEXICON_ACTIONS = ("view", "change")


def _may(user, action):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if action == "change":
        return organisations_for(user, Role.ADMINISTRATOR).filter(
            kind=OrganisationKind.MUNICIPAL
        ).exists()
    return organisations_for(user, Role.REVIEWER, Role.ADMINISTRATOR).exists()


def access_lexicon(user, action="view"):
    """Return True if ``user`` may ``action`` ("view" or "change") the lexicon,
    else raise PermissionDenied. Unknown actions are refused."""
    if action not in LEXICON_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    if _may(user, action):
        return True
    raise PermissionDenied


def can_access_lexicon(user, action="view"):
    """``access_lexicon`` as a boolean, for menus and buttons."""
    try:
        return access_lexicon(user, action)
    except PermissionDenied:
        return False


# Wagtail's admin actions mapped to ours.
_ADMIN_ACTIONS = {"view": "view", "add": "change", "change": "change", "delete": "change"}


class LexiconPermissionPolicy(BasePermissionPolicy):
    """Wagtail's permission questions about lexicon entries, answered by
    ``access_lexicon``."""

    def user_has_permission(self, user, action):
        ours = _ADMIN_ACTIONS.get(action)
        return ours is not None and can_access_lexicon(user, ours)

    def users_with_any_permission(self, actions):
        wanted = {_ADMIN_ACTIONS.get(a) for a in actions} - {None}
        users = get_user_model().objects.filter(is_active=True)
        if not wanted:
            return users.none()
        allowed = Q(is_superuser=True) | Q(
            memberships__role=Role.ADMINISTRATOR,
            memberships__organisation__kind=OrganisationKind.MUNICIPAL,
        )
        if "view" in wanted:
            allowed |= Q(memberships__role__in=[Role.REVIEWER, Role.ADMINISTRATOR])
        return users.filter(allowed).distinct()
