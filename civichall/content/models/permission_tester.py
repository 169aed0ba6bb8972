"""Wagtail's page permission tester without a query per listed page.

For an editor without the publish permission, Wagtail's ``can_delete``
asks the database whether the page or any page below it is live -- once
for every row of the page explorer (about a hundred queries for fifty
articles). A page without children has nothing below it: the answer is its
own ``live`` flag, or its own owner, which the row already holds. Pages
with children are asked as before, so the rule stays Wagtail's.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester

__all__ = ["LeafAwarePermissionTester", "LeafAwarePermissionsMixin"]


class LeafAwarePermissionTester(PagePermissionTester):
    """``PagePermissionTester`` answering ``can_delete`` for a leaf page from
    the row itself."""

    def can_delete(self, ignore_bulk=False):
        page = self.page
        if (page.numchild or not self.user.is_active or self.page_is_root or self.user.is_superuser):
            return super().can_delete(ignore_bulk=ignore_bulk)
        # A leaf page: "the page and its descendants" is the page alone.
        if "change" in self.permissions:
            return "publish" in self.permissions or not page.live
        if "add" in self.permissions:
            owned = page.owner_id is not None and page.owner_id == self.user.pk
            return owned if "publish" in self.permissions else owned and not page.live
        return False


class LeafAwarePermissionsMixin:
    """Gives a page class the tester above."""

    def permissions_for_user(self, user):
        return LeafAwarePermissionTester(user, self)
