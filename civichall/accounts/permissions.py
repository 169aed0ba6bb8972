"""Who may touch an organisation or a membership.

The rules live in ``policy.py``; this module keeps the organisation's own
``access_*`` door and the helpers other rooms used before the policy existed
(``has_role``, ``organisations_for``), now answered by the policy.
"""


from . import policy
from .models import Role

# Roles that may act on content in an organisation's section.
CONTENT_ROLES = set(policy.CONTENT_ROLES)

roles_for = policy.roles_in
forget_roles = policy.forget_roles
has_role = policy.has_role


def organisations_for(user, *roles):
    """Organisations where ``user`` holds one of ``roles``."""
    return policy.organisations_with(user, roles)


ORGANISATION_ACTIONS = tuple(policy.RULES["organisation"])


def access_organisation(user, organisation, action="view"):
    """Return ``organisation`` if ``user`` may perform ``action`` on it.

    Raises PermissionDenied otherwise; unknown actions are refused."""
    return policy.check(user, "organisation", action, organisation)


def access_membership(user, membership, action="view"):
    """A membership: the administrators of its organisation."""
    return policy.check(user, "membership", action, membership)


def is_staff_member(user):
    """True for active superusers and for holders of any role in any organisation."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return policy.organisations_with(user, Role.values).exists()
