"""Who may touch the WeChat channel's objects: one ``access_*`` door per kind,
asking the permission policy (the rules are registered in ``apps.ready``).

* an account's configuration and keyword replies: its organisation's
  administrators;
* questions followers handed to a person: any staff of the organisation;
* the log of calls made to the platform for the account: any staff of
  the organisation (read only; the log is written by ``platform.call``).
"""

from django.core.exceptions import PermissionDenied

from civichall.accounts import policy
from civichall.accounts.models import Role

ADMIN = policy.roles(Role.ADMINISTRATOR)
ALL_ROLES = policy.ALL_ROLES

RULES = {
    "wechat_account": {
        "view": (policy.Grant(ADMIN, policy.OWNER, ("organisation",)),),
        "edit": (policy.Grant(ADMIN, policy.OWNER, ("organisation",)),),
    },
    "keyword_reply": {
        "view": (policy.Grant(ADMIN, policy.OWNER, ("account__organisation",)),),
        "edit": (policy.Grant(ADMIN, policy.OWNER, ("account__organisation",)),),
    },
    "wechat_delivery": {
        "view": (policy.Grant(ALL_ROLES, policy.OWNER, ("account__organisation",)),),
    },
    "wechat_handoff": {
        "view": (policy.Grant(ALL_ROLES, policy.OWNER, ("account__organisation",)),),
        "answer": (policy.Grant(ALL_ROLES, policy.OWNER, ("account__organisation",)),),
    },
}


def register():
    for kind, actions in RULES.items():
        policy.register_rules(kind, actions)


def access_wechat_account(user, account, action="view"):
    """The account's configuration, if ``user`` may ``action`` it."""
    policy.check(user, "wechat_account", action, account)
    return account


def access_keyword_reply(user, rule, action="view"):
    policy.check(user, "keyword_reply", action, rule)
    return rule


def access_handoff(user, handoff, action="view"):
    if handoff is None:
        raise PermissionDenied
    policy.check(user, "wechat_handoff", action, handoff)
    return handoff


def access_delivery(user, delivery=None, action="view"):
    """A logged platform call, if ``user`` may see it. Without one: may the
    user see some account's calls at all (the screen, its menu item)?"""
    if delivery is None:
        if policy.allows_some(user, "wechat_delivery", action):
            return True
        raise PermissionDenied
    policy.check(user, "wechat_delivery", action, delivery)
    return delivery


def deliveries_visible(user):
    """May ``user`` see some account's platform calls (the menu item)?"""
    return policy.allows_some(user, "wechat_delivery", "view")


def deliveries_for(user, queryset, action="view"):
    """The platform calls of ``queryset`` that ``user`` may see."""
    return policy.filter_allowed(user, "wechat_delivery", action, queryset)
