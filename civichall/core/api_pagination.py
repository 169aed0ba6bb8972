"""One way the API pages through a list, with one envelope.

Every list endpoint answers ``{"count", "page", "page_size", "results"}``
(plus members of its own, e.g. ``unread``), takes ``page`` (from 1) and
``page_size`` (1 to ``MAX_PAGE_SIZE``) from the query, and refuses a page or
size out of bounds with 422 and a message for that field. A page past the
end is empty, not an error.

Usage::

    @router.get("/things", response=list[ThingOut])
    @paginate(PagePagination)
    def things(request):
        return shaped(Thing.objects.all(), thing_json)

``shaped`` turns only the rows of the page into JSON; ``with_members``
adds members of the endpoint's own beside ``results``.
"""

from typing import Any

from ninja import Schema
from ninja.pagination import PaginationBase, paginate  # noqa: F401 (re-exported)
from pydantic import BaseModel, ConfigDict, Field

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class Shaped:
    """A queryset (or list) whose rows are turned into JSON by ``shape`` only
    when a page of them is taken, with members to add to the envelope."""

    def __init__(self, items, shape=None, members=None):
        self.items, self.shape, self.members = items, shape, dict(members or {})

    def count(self):
        return len(self.items) if isinstance(self.items, (list, tuple)) else self.items.count()

    def page(self, start, stop):
        rows = self.items[start:stop]
        return [self.shape(row) for row in rows] if self.shape else list(rows)


def shaped(items, shape=None):
    """``items`` to page through, each row of the page turned into JSON by ``shape``."""
    return Shaped(items, shape)


def with_members(items, members, shape=None):
    """Like ``shaped``, with ``members`` (a dict) beside ``results`` in the envelope."""
    return Shaped(items, shape, members)


class PagePagination(PaginationBase):
    """Page number and size; the envelope counts all items."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="the page, from 1")
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                               description=f"items per page, at most {MAX_PAGE_SIZE}")

    class Output(BaseModel):
        # An endpoint may add members of its own (e.g. ``unread``) beside these
        # (a plain pydantic model: Ninja's Schema reads only the fields it declares).
        model_config = ConfigDict(extra="allow")

        count: int = Field(..., description="items on all pages")
        page: int
        page_size: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination, request=None, **params):
        """The envelope for one page of ``queryset`` (a ``Shaped``, a queryset or a list)."""
        items = queryset if isinstance(queryset, Shaped) else Shaped(queryset)
        start = (pagination.page - 1) * pagination.page_size
        envelope = dict(items.members)
        envelope.update({
            "count": items.count(), "page": pagination.page, "page_size": pagination.page_size,
            self.items_attribute: items.page(start, start + pagination.page_size),
        })
        return envelope
