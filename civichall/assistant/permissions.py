"""Who may touch the assistant's records; every decision asks the policy.

* FAQ entries: the organisation's editors, reviewers, liaisons and
  administrators write them; its reviewers and administrators put them live.
* Questions handed to a person: the organisation they were routed to (any
  role) sees and answers them; the resident who asked sees their own.
* The report of questions asked: staff of the municipal account.
"""

from civichall.accounts import policy
from civichall.accounts.policy import ALL_ROLES, MUNICIPAL, OWNER, Grant, Own, roles

FAQ_WRITERS = roles("editor", "reviewer", "liaison", "administrator")
FAQ_REVIEWERS = roles("reviewer", "administrator")

RULES = {
    "assistant_faq": {
        "view": (Grant(ALL_ROLES, OWNER, ("organisation",)),),
        "edit": (Grant(FAQ_WRITERS, OWNER, ("organisation",)),),
        "review": (Grant(FAQ_REVIEWERS, OWNER, ("organisation",)),),
    },
    "assistant_handoff": {
        "view": (Grant(ALL_ROLES, OWNER, ("organisation",)), Own("citizen__user")),
        "answer": (Grant(ALL_ROLES, OWNER, ("organisation",)),),
    },
    "assistant_asked": {
        "view": (Grant(ALL_ROLES, MUNICIPAL),),
    },
}


def register():
    """Add the assistant's kinds to the policy (called in ``ready()``)."""
    for kind, actions in RULES.items():
        policy.register_rules(kind, actions)


def access_faq(user, faq, action="view"):
    """``faq`` if ``user`` may ``action`` it, else PermissionDenied."""
    policy.check(user, "assistant_faq", action, faq)
    return faq


def access_handoff(user, handoff, action="view"):
    """``handoff`` if ``user`` may ``action`` it, else PermissionDenied."""
    policy.check(user, "assistant_handoff", action, handoff)
    return handoff
