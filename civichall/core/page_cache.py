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
* The key is the site's address (scheme and host), the path, the language
  and elder mode only, never a cookie's value or the session: nobody's data
  can reach another reader.

Never stale: whatever changes what a page shows purges it at once and again
when the change is committed (:func:`purge_paths`, :func:`purge_all`; a
reader may render the old state in between); the rooms call these from
their own signal handlers and actions. A purge moves the path's version on
(whatever host it was read under); a cached page is served only while its
path's version and the global generation are those it was rendered under,
and a render during which either moved is not stored, so a slow render
cannot put the old page back. The generation purges everything at once
(menus, the site profile: every page shows them).

Each web process also keeps the pages it served lately in its own memory
(``CIVICHALL_PAGE_CACHE_LOCAL_MB``), so that a hit asks the shared cache for
the two small version numbers only, not for the whole page. A kept page is
served only while both numbers are those it was rendered under; a number
that is missing from the shared cache (never set, evicted, the cache
restarted) is first set to a new, never used value, so a page kept from
before can never match it again.

Upstream caches: answers carry ``ETag``, ``Last-Modified`` and
``Cache-Control: public, max-age=0, s-maxage=N`` (``N`` is
``CIVICHALL_PAGE_CACHE_S_MAXAGE``, 0 by default: browsers revalidate and get
a 304). Purges are passed on to Wagtail's frontend cache
(``WAGTAILFRONTENDCACHE``: Nginx, Varnish, a CDN) when it is configured; see
``docs/performance.md``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag

from . import config
from .cache import count_up

__all__ = ["PageCacheMiddleware", "mark_public", "public_page", "purge_all", "purge_all_on_change", "purge_paths"]

GENERATION_KEY = "page-cache:generation"
VERSION_PREFIX = "page-cache:version:"
# Paths never served from the page cache (asked before the cache is).
SKIPPED_PREFIXES = ("/admin/", "/api/", "/citizen/", "/comments/", "/documents/", "/static/", "/media/",
                    "/preferences/", "/healthz", "/__", "/open311/")
# Headers not kept with a cached page: set per answer (or never shared).
UNKEPT_HEADERS = {"set-cookie", "date", "etag", "last-modified", "cache-control", "expires", "x-page-cache",
                  "content-length"}


def enabled() -> bool:
    """True when the page cache is on (``CIVICHALL_PAGE_CACHE``)."""
    return bool(config.setting("CIVICHALL_PAGE_CACHE"))


def _path_hash(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8")).hexdigest()


def _key(origin: str, path: str, language: str, elder: bool) -> str:
    return f"page-cache:{language}:{int(elder)}:{_path_hash(origin + path)}"


def _version_key(path: str) -> str:
    return VERSION_PREFIX + _path_hash(path)


def _anonymous_request(request) -> bool:
    """Could this request's answer be the same for every reader?"""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _variant(request) -> tuple[str, str, bool] | None:
    """(origin, language, elder mode) of the request; None for a host the
    site does not serve."""
    from django.core.exceptions import DisallowedHost

    from .middleware import choose_language

    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None
    elder = request.COOKIES.get(config.setting("CIVICHALL_ELDER_COOKIE")) == "1"
    return origin, choose_language(request), elder


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


class _ProcessPages:
    """The pages this process served lately, bounded by their size; each
    is used only with the stamp it was rendered under (see the module)."""

    def __init__(self):
        self._entries: OrderedDict[str, dict] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # threaded workers share it

    def get(self, key: str, stamp: list) -> dict | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry["stamp"] != stamp:
                return None
            # Kept no longer than the shared copy may be (a bound on a lost purge).
            if time.time() - entry["modified"] > int(config.setting("CIVICHALL_PAGE_CACHE_SECONDS")):
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        limit = int(config.setting("CIVICHALL_PAGE_CACHE_LOCAL_MB")) * 1024 * 1024
        size = len(entry["body"])
        if size > limit // 8:  # an odd huge page would push out the crowd's
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old["body"])
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > limit and self._entries:
                _key_out, out = self._entries.popitem(last=False)
                self._bytes -= len(out["body"])


_process_pages = _ProcessPages()


def _stamp(stamp_keys) -> list:
    """The current version numbers; a missing one is set first to a value
    never used before, so no earlier stamp can hold it (0: the shared cache
    did not answer -- nothing is then served from this process's pages)."""
    found = cache.get_many(stamp_keys)
    missing = [k for k in stamp_keys if k not in found]
    if missing:
        for k in missing:
            cache.add(k, time.time_ns(), None)
        found.update(cache.get_many(missing))  # whoever set it first
    return [found.get(k, 0) for k in stamp_keys]


def _lookup(request, variant):
    """(key, stamp keys, stamp, entry or None) for ``request``'s page."""
    key = _key(variant[0], request.path, variant[1], variant[2])
    stamp_keys = [GENERATION_KEY, _version_key(request.path)]
    stamp = _stamp(stamp_keys)
    trusted = 0 not in stamp
    entry = _process_pages.get(key, stamp) if trusted else None
    if entry is None:
        entry = cache.get(key)
        if entry is not None and entry["stamp"] != stamp:
            entry = None
        if entry is not None and trusted:
            _process_pages.put(key, entry)
    return key, stamp_keys, stamp, entry


def cached_entry(request):
    """The fresh cached anonymous page for ``request``'s path, language and
    mode, or None (for the personal parts: ``core/personal_parts.py``)."""
    if request.path.startswith(SKIPPED_PREFIXES):
        return None
    variant = _variant(request)
    return _lookup(request, variant)[3] if variant is not None else None


#: Seconds a request waits for another thread's render of the same page.
RENDER_WAIT_SECONDS = 2.0


class _Renders:
    """The pages being rendered in this process, one render per page at a
    time. Right after a purge a crowd misses at once; without this every
    thread of every process renders the same page, all of them slower for
    the others. The first request renders; the others wait for it and get
    its copy. They are woken as soon as it is done, kept or not (a page that
    cannot be kept costs a follower one render's wait, never a queue), and
    wait at most ``RENDER_WAIT_SECONDS``."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rendering: dict[str, threading.Event] = {}

    def begin(self, key: str):
        """None when this request is to render ``key``; else the event of the
        render under way."""
        with self._lock:
            event = self._rendering.get(key)
            if event is None:
                self._rendering[key] = threading.Event()
            return event

    def end(self, key: str) -> None:
        with self._lock:
            event = self._rendering.pop(key, None)
        if event is not None:
            event.set()


_renders = _Renders()


class PageCacheMiddleware:
    """Serve and keep public pages for anonymous readers (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        variant = _variant(request) if enabled() and _anonymous_request(request) else None
        if variant is None:
            return self.get_response(request)
        key, stamp_keys, stamp, entry = _lookup(request, variant)
        if entry is not None:
            return self._serve(request, entry)
        leader = _renders.begin(key)
        if leader is not None:  # another thread is rendering this page: wait for its copy
            leader.wait(RENDER_WAIT_SECONDS)
            key, stamp_keys, stamp, entry = _lookup(request, variant)
            if entry is not None:
                return self._serve(request, entry)
            return self._render(request, key, stamp_keys, stamp)
        try:
            return self._render(request, key, stamp_keys, stamp)
        finally:
            _renders.end(key)

    def _render(self, request, key, stamp_keys, stamp):
        response = self.get_response(request)
        if _storable(request, response):
            self._store(response, key, stamp_keys, stamp)
        return response

    def _serve(self, request, entry):
        """The cached page (or a 304) with the caching headers."""
        if request.META.get("HTTP_IF_NONE_MATCH") == entry["etag"]:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["body"], status=entry["status"])
            for name, value in entry["headers"]:
                response[name] = value
        _caching_headers(response, entry["etag"], entry["modified"])
        response["X-Page-Cache"] = "hit"
        return response

    def _store(self, response, key, stamp_keys, stamp):
        response["X-Page-Cache"] = "miss"
        # Not if the page was purged (or everything was) while it rendered:
        # it may show what was true before the change.
        found = cache.get_many(stamp_keys)
        if [found.get(k, 0) for k in stamp_keys] != stamp:
            return
        now = time.time()
        body = response.content
        etag = quote_etag(hashlib.sha1(body).hexdigest())
        entry = {
            "stamp": stamp,
            "status": response.status_code,
            "headers": [(name, value) for name, value in response.items() if name.lower() not in UNKEPT_HEADERS],
            "body": body,
            "etag": etag,
            "modified": now,
        }
        cache.set(key, entry, int(config.setting("CIVICHALL_PAGE_CACHE_SECONDS")))
        if 0 not in stamp:
            _process_pages.put(key, entry)
        _caching_headers(response, etag, now)


# --- purging ---------------------------------------------------------------------------------


def _move_on(*keys: str) -> None:
    """Move version or generation numbers on, all in one round trip. A
    number that is not there (never set, or evicted) becomes one no earlier
    stamp can hold: it starts from the clock in nanoseconds."""
    start = time.time_ns()
    count_up(cache, [(key, start, None) for key in keys])


def _purge_now(paths, upstream=True) -> None:
    paths = sorted({p for p in paths if p})
    if paths:
        _move_on(*(_version_key(path) for path in paths))
    if paths and upstream:
        _purge_upstream(paths)


def _twice(purge) -> None:
    """Purge now, so the writer's own next request (in its transaction)
    sees the change, and again once the transaction commits: a reader may
    have rendered the old state in between. Outside a transaction the change
    is committed already: once is enough."""
    if transaction.get_connection().in_atomic_block:
        purge(upstream=False)
    transaction.on_commit(purge)


def purge_paths(paths) -> None:
    """Purge the pages at ``paths`` (e.g. ``["/", "/news/metro/"]``) in every
    language and mode, under every host, here and upstream; at once and again
    when the current transaction commits."""
    paths = list(paths)
    _twice(lambda upstream=True: _purge_now(paths, upstream))


def purge_all() -> None:
    """Purge every page (a change every page shows: menus, the site profile,
    the organisations); at once and again when the transaction commits."""
    _twice(lambda upstream=True: _move_on(GENERATION_KEY))


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
