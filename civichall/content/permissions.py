"""Who may do what to an article or supplement.

``access_page`` is the single door: views, the API, the CLI and tests call
it and get the page back or PermissionDenied. The rules are the policy's
(``accounts/policy.py``, kind "page"), about the organisation that owns the
page (``ownership.owner_of``); pages outside every organisation's section
are reserved to superusers.
"""

from civichall.accounts import policy

PAGE_ACTIONS = tuple(policy.RULES["page"])


def access_page(user, page, action):
    """Return ``page`` if ``user`` may perform ``action`` on it, else raise
    PermissionDenied."""
    return policy.check(user, "page", action, page)


def can_access_page(user, page, action):
    return policy.allows(user, "page", action, page)
