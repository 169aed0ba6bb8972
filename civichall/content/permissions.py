"""Who may do what to an article or supplement.

``access_page`` is the single place deciding it; views, the API, the CLI and
tests call it and get the page back or PermissionDenied.
"""

from django.core.exceptions import PermissionDenied

from civichall.accounts.models import Role
from civichall.accounts.permissions import has_role

from .sections import organisation_for_page

PAGE_ACTIONS = {
    "edit": {Role.EDITOR, Role.REVIEWER, Role.ADMINISTRATOR},
    "supplement": {Role.EDITOR, Role.REVIEWER, Role.ADMINISTRATOR},
    "review": {Role.REVIEWER},
    "force_publish": {Role.ADMINISTRATOR},
    "withdraw": {Role.REVIEWER, Role.ADMINISTRATOR},
    "unpublish": {Role.ADMINISTRATOR},
}


def access_page(user, page, action):
    """Return ``page`` if ``user`` may perform ``action`` on it, else raise
    PermissionDenied. Pages outside every organisation's section are reserved
    to superusers."""
    if action not in PAGE_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    organisation = organisation_for_page(page)
    if organisation is None:
        if user is not None and user.is_authenticated and user.is_superuser:
            return page
        raise PermissionDenied
    if has_role(user, organisation, *PAGE_ACTIONS[action]):
        return page
    raise PermissionDenied
