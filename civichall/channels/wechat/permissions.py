"""Who may touch the WeChat channel's objects: one ``access_*`` door per kind,
asking the permission policy (the rules are registered in ``apps.ready``).

* an account's configuration and keyword replies: its organisation's
  administrators;
* questions followers handed to a person: any staff of the organisation.
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
