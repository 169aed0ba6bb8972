"""One query for the pages a public address names.

Wagtail finds ``/accounts/shanghai/metro/`` level by level: the children of
the home page, then of the directory, then of the section, two queries a
level. The site's own pages never route by themselves between the home page
and the page asked for, so :func:`route_in_one_query` fetches every level
in one query and hands the rest of the path to the deepest page found (or to
the first page on the way that routes by itself, like the topic index).
Anything it cannot decide, Wagtail's own walk decides.
"""

from __future__ import annotations

from django.http import Http404
from wagtail.models import Page

__all__ = ["route_in_one_query"]


def _routes_itself(page) -> bool:
    """Does this page's type route the rest of a path itself?"""
    return page.specific_class.route is not Page.route


def route_in_one_query(root, request, path_components):
    """What ``root.route(request, path_components)`` would answer, found with
    one query for the levels (and one for the page's own fields); None when
    Wagtail's walk should decide (the root's own routes, a missing level)."""
    if not path_components:
        return None
    resolve = getattr(root, "resolve_subpage", None)
    if resolve is not None:  # the root's own routes come first, as in Wagtail
        try:
            resolve("/" + "/".join(path_components) + "/")
            return None
        except Http404:
            pass
    prefixes = [root.url_path + "/".join(path_components[:n]) + "/" for n in range(1, len(path_components) + 1)]
    levels = {page.url_path: page for page in Page.objects.filter(url_path__in=prefixes)}
    parent, used = root, 0
    for url_path in prefixes:
        page = levels.get(url_path)
        if page is None or page.specific_class is None:
            break
        page._cached_parent_obj = parent  # treebeard's get_parent reads it
        parent, used = page, used + 1
        if _routes_itself(page):
            break
    if used == 0:
        return None
    return _specific(parent).route(request, path_components[used:])


def _specific(page):
    """The page as its own type, fetched with what its type's
    ``route_queryset()`` adds (relations, annotations) in the same query."""
    cls = page.specific_class
    queryset = getattr(cls, "route_queryset", None)
    if queryset is None or isinstance(page, cls):
        return page.specific
    specific = queryset().get(pk=page.pk)
    specific._cached_parent_obj = page._cached_parent_obj
    return specific
