"""Page view restrictions, asked once per change rather than on every page.

Wagtail checks every page it serves, and every ``public()`` listing, against
the view restrictions (password, sign-in, groups) of the page and its
ancestors: two or three queries a page. An account's public site normally
has none, so whether there are any at all is kept in the shared cache
(``core/memo.py``) and Wagtail is asked only when there are.
"""

from __future__ import annotations

from wagtail.models import PageViewRestriction

from civichall.core.memo import forget_on_change, remembered

__all__ = ["any_view_restrictions", "connect", "public"]

KEY = "content:view-restrictions:any"


def any_view_restrictions() -> bool:
    """True if any page of any site has a view restriction."""
    return remembered(KEY, PageViewRestriction.objects.exists)


def public(queryset):
    """``queryset.public()``, without its query when nothing is restricted."""
    return queryset.public() if any_view_restrictions() else queryset


def connect() -> None:
    """Forget the answer whenever a restriction is added, changed or removed,
    and purge every cached page (a page just restricted must leave it)."""
    from civichall.core.page_cache import purge_all_on_change

    forget_on_change(lambda instance: [KEY], PageViewRestriction)
    purge_all_on_change(PageViewRestriction)
