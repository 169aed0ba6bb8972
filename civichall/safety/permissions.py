"""Who may read and change the content-safety lexicon.

``access_lexicon`` is the door: the admin screens (through the generic
policy), the actions and the tests all ask it. The rule is the policy's
(``accounts/policy.py``, kind "lexicon"):

* change (add, edit, delete, import): superusers and administrators of the
  municipal account -- the lexicon applies to every account in the matrix;
* view (list, export, the content each term hit): also reviewers and
  administrators of any account, who act on what the check reports.
"""

from django.core.exceptions import PermissionDenied

from civichall.accounts import policy
from civichall.accounts.wagtail_policy import RulePermissionPolicy

LEXICON_ACTIONS = tuple(policy.RULES["lexicon"])


def access_lexicon(user, action="view"):
    """Return True if ``user`` may ``action`` ("view" or "change") the lexicon,
    else raise PermissionDenied. Unknown actions are refused."""
    if policy.allows(user, "lexicon", action):
        return True
    raise PermissionDenied


def can_access_lexicon(user, action="view"):
    """``access_lexicon`` as a boolean, for menus and buttons."""
    return policy.allows(user, "lexicon", action)


def LexiconPermissionPolicy(model):
    """Wagtail's permission questions about lexicon entries."""
    return RulePermissionPolicy(model, "lexicon", {"add": "change", "change": "change", "delete": "change"})
