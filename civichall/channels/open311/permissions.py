"""Who may touch the Open311 channel's objects (rules registered in
``apps.ready``): API keys are issued and revoked by administrators of a
municipal account. Clients reach the channel with a key, not as users."""

from civichall.accounts import policy
from civichall.accounts.models import Role

ADMIN = policy.roles(Role.ADMINISTRATOR)

RULES = {
    "open311_key": {
        "view": (policy.Grant(ADMIN, policy.MUNICIPAL),),
        "edit": (policy.Grant(ADMIN, policy.MUNICIPAL),),
    },
}


def register():
    for kind, actions in RULES.items():
        policy.register_rules(kind, actions)


def access_key(user, key, action="view"):
    """``key`` if ``user`` may ``action`` it (PermissionDenied otherwise)."""
    policy.check(user, "open311_key", action, key)
    return key
