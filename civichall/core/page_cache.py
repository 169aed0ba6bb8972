"""The page cache: whole public pages for anonymous readers, never stale.

A city account's push sends a crowd to one article within minutes; almost all
of them are anonymous and see the same bytes. This middleware answers them
from the shared cache (Redis in production, local memory in the demo) before
sessions, authentication or the view are touched.

What is cached, and for whom:

* Only pages a view marks public (:func:`mark_public`, :func:`public_page`):
  the home page, articles, account and topic pages, the service hubs. A page
  that sets a cookie (a form's CSRF token, a language switch) is never kept.
* Only for requests that carry nothing personal: ``GET``/``HEAD`` without a
  query string, and no session or messages cookie. A signed-in citizen's
  page is rendered for them (their comment form, their notifications).
* The key is the path, the language and elder mode only, never a cookie's
  value or the session: nobody's data can reach another reader.

Never stale: whatever changes what a page shows purges it at once, after the
change is committed (:func:`purge_paths`, :func:`purge_all`); the rooms call
these from their own signal handlers. A render that began before a purge
is not stored after it (a tombstone per path remembers when it was purged),
so a slow render cannot put the old page back. A generation number purges
everything at once (menus, the site profile: every page shows them).

Upstream caches: answers carry ``ETag``, ``Last-Modified`` and
``Cache-Control: public, max-age=0, s-maxage=N`` (``N`` is
``CIVICHALL_PAGE_CACHE_S_MAXAGE``, 0 by default: browsers revalidate and get
a 304). Purges are passed on to Wagtail's frontend cache
(``WAGTAILFRONTENDCACHE``: Nginx, Varnish, a CDN) when it is configured; see
``docs/performance.md``.
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag

from . import config

__all__ = ["PageCacheMiddleware", "mark_public", "public_page", "purge_all", "purge_all_on_change", "purge_paths"]

GENERATION_KEY = "page-cache:generation"
# Paths never served from the page cache (asked before the cache is).
SKIPPED_PREFIXES = ("/admin/", "/api/", "/citizen/", "/comments/", "/documents/", "/static/", "/media/",
                    "/preferences/", "/healthz", "/__")
# Headers not kept with a cached page: set per answer (or never shared).
UNKEPT_HEADERS = {"set-cookie", "date", "etag", "last-modified", "cache-control", "expires", "x-page-cache",
                  "content-length"}
# How long a tombstone outlives a purge: longer than any render takes.
TOMBSTONE_S = 120


def _enabled() -> bool:
    return bool(config.setting("CIVICHALL_PAGE_CACHE"))


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _path_hash(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8")).hexdigest()


def _key(path: str, language: str, elder: bool) -> str:
    return f"page-cache:{language}:{int(elder)}:{_path_hash(path)}"


def _tombstone_key(path: str) -> str:
    return f"page-cache:purged:{_path_hash(path)}"


def _anonymous_request(request) -> bool:
    """Could this request's answer be the same for every reader?"""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _variant(request) -> tuple[str, bool]:
    from .middleware import choose_language

    elder = request.COOKIES.get(config.setting("CIVICHALL_ELDER_COOKIE")) == "1"
    return choose_language(request), elder


def mark_public(response):
    """Mark ``response`` as a public page, the same for every anonymous
    reader of its path and language; returns it."""
    response.civichall_public_page = True
    return response


def public_page(view):
    """Decorator: the view's successful answers are public pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_public(view(request, *args, **kwargs))

    return wrapper


def _storable(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        getattr(response, "civichall_public_page", False)
        and response.status_code == HTTPStatus.OK
        and not response.streaming
        and not response.cookies  # a CSRF token, a language choice: personal
        and not (user is not None and user.is_authenticated)
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _caching_headers(response, etag: str, modified: float) -> None:
    s_maxage = int(config.setting("CIVICHALL_PAGE_CACHE_S_MAXAGE"))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response["Cache-Control"] = f"public, max-age=0, s-maxage={s_maxage}"


class PageCacheMiddleware:
    """Serve and keep public pages for anonymous readers (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _enabled() or not _anonymous_request(request):
            return self.get_response(request)
        language, elder = _variant(request)
        key = _key(request.path, language, elder)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY, 0)
        entry = found.get(key)
        if entry is not None and entry["generation"] == generation:
            return self._serve(request, entry)
        started = time.time()
        response = self.get_response(request)
        if _storable(request, response):
            self._store(request, response, key, generation, started)
        return response

    def _serve(self, request, entry):
        if request.META.get("HTTP_IF_NONE_MATCH") == entry["etag"]:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["body"], status=entry["status"])
            for name, value in entry["headers"]:
                response[name] = value
        _caching_headers(response, entry["etag"], entry["modified"])
        response["X-Page-Cache"] = "hit"
        return response

    def _store(self, request, response, key, generation, started):
        # Not if the page was purged (or everything was) while it rendered:
        # it may show what was true before the change.
        tomb_key = _tombstone_key(request.path)
        found = cache.get_many([GENERATION_KEY, tomb_key])
        if found.get(GENERATION_KEY, 0) != generation or found.get(tomb_key, 0) >= started:
            response["X-Page-Cache"] = "miss"
            return
        now = time.time()
        body = response.content
        etag = quote_etag(hashlib.sha1(body).hexdigest())
        entry = {
            "generation": generation,
            "status": response.status_code,
            "headers": [(name, value) for name, value in response.items() if name.lower() not in UNKEPT_HEADERS],
            "body": body,
            "etag": etag,
            "modified": now,
        }
        cache.set(key, entry, int(config.setting("CIVICHALL_PAGE_CACHE_SECONDS")))
        _caching_headers(response, etag, now)
        response["X-Page-Cache"] = "miss"


# --- purging ---------------------------------------------------------------------------------


def _purge_now(paths) -> None:
    paths = sorted({p for p in paths if p})
    if not paths:
        return
    keys = [_key(p, lang, elder) for p in paths for lang in _languages() for elder in (False, True)]
    cache.delete_many(keys)
    now = time.time()
    cache.set_many({_tombstone_key(p): now for p in paths}, TOMBSTONE_S)
    _purge_upstream(paths)


def purge_paths(paths) -> None:
    """Purge the pages at ``paths`` (e.g. ``["/", "/news/metro/"]``) in every
    language and mode, here and upstream, once the current transaction
    commits (at once outside one)."""
    paths = list(paths)
    transaction.on_commit(lambda: _purge_now(paths))


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new value will do
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)


def purge_all() -> None:
    """Purge every page (a change every page shows: menus, the site profile,
    the organisations), once the current transaction commits."""
    transaction.on_commit(_bump_generation)


def _purge_upstream(paths) -> None:
    """Pass the purge on to Wagtail's frontend cache when one is configured."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    root = site.root_url.rstrip("/")
    purge_urls_from_cache([root + p for p in paths])


def _purge_all_receiver(sender, **kwargs):
    purge_all()


def purge_all_on_change(*models) -> None:
    """Purge every page whenever a row of ``models`` is saved or deleted: for
    what every page shows (menus, organisations, the site profile). Rooms
    call it in ``ready()``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        label = model._meta.label_lower
        post_save.connect(_purge_all_receiver, sender=model, dispatch_uid=f"page_cache_all_{label}_saved")
        post_delete.connect(_purge_all_receiver, sender=model, dispatch_uid=f"page_cache_all_{label}_deleted")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_purge_all_receiver, sender=through,
                                dispatch_uid=f"page_cache_all_{through._meta.label_lower}_m2m")
