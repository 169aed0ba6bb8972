"""Personal parts of public pages: a signed-in citizen gets the cached page
with only their own parts rendered for them.

A public page (an article, the home page) is the same for every reader but
for a few parts: the account links in the header, and under an article the
comment form, the citizen's own comments not yet shown and their likes. The
templates mark each such part with ``{% personal "name" key %}``
(``core/templatetags/personal_parts.py``); the part is rendered by the
function its room registered (:func:`register`) and framed by two HTML
comments. The anonymous page kept by the page cache therefore holds every
part in its anonymous form, framed.

:class:`PersonalPartsMiddleware` answers a signed-in citizen's ``GET`` of a
page that is in the page cache by taking the cached bytes and rendering only
the framed parts again for them (:func:`splice`): a few queries instead of
the whole page. Staff (the Wagtail user bar), a pending message, a query
string or a page not in the cache get the page rendered in full, as before.
The answer is private and never stored.
"""

from __future__ import annotations

import re
from typing import Callable

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from . import page_cache

__all__ = ["PersonalPartsMiddleware", "frame", "register", "register_reader", "render_part", "splice"]

# name -> render(request, key, obj) -> HTML (safe) string
_PARTS: dict[str, Callable] = {}
# name -> prepare(request, keys) -> {key: obj}, for parts that occur many times
_PREPARE: dict[str, Callable] = {}
# user -> True for the readers whose parts may be spliced (citizens); set by
# accounts, which knows who is a citizen.
_READER: list[Callable] = []

_FRAME = re.compile(rb"<!--personal:([a-z_]+):([A-Za-z0-9_-]*)-->.*?<!--/personal-->", re.DOTALL)
_KEY = re.compile(r"[A-Za-z0-9_-]*")


def register(name: str, render: Callable, prepare: Callable | None = None) -> None:
    """Register the renderer of the personal part ``name``:
    ``render(request, key, obj=None)`` returns its HTML for the request's
    reader (anonymous or signed in); ``obj`` is the object the key names when
    the page has it at hand (else the renderer loads it by ``key``).

    A part that occurs many times on a page (one per comment) gives
    ``prepare(request, keys)``: when a cached page is spliced it is called
    once with every key of the part on the page and returns ``{key: obj}``
    (loaded together, in a query or two); each part is then rendered with
    its ``obj`` (None for a key it did not find)."""
    _PARTS[name] = render
    if prepare is not None:
        _PREPARE[name] = prepare
    else:
        _PREPARE.pop(name, None)


def register_reader(is_reader: Callable) -> None:
    """``is_reader(user)``: True for a signed-in reader without staff tools."""
    _READER[:] = [is_reader]


def render_part(name: str, request, key="", obj=None) -> str:
    """The part ``name`` rendered for ``request``'s reader."""
    return _PARTS[name](request, str(key), obj)


def frame(name: str, key, html: str) -> str:
    """``html`` framed as the personal part ``name`` with ``key``."""
    key = str(key)
    if not _KEY.fullmatch(key) or name not in _PARTS:
        raise ValueError(f"not a personal part: {name!r} {key!r}")
    return f"<!--personal:{name}:{key}-->{html}<!--/personal-->"


def splice(body: bytes, request) -> bytes | None:
    """``body`` (a cached anonymous page) with every framed part rendered for
    ``request``'s reader; None if a part is unknown (render the page then)."""
    found = [(match, match.group(1).decode(), match.group(2).decode()) for match in _FRAME.finditer(body)]
    if any(name not in _PARTS for _match, name, _key in found):
        return None
    prepared = {}
    for name, prepare in _PREPARE.items():
        keys = [key for _match, part, key in found if part == name]
        if keys:
            prepared[name] = prepare(request, keys)
    pieces = []
    last = 0
    for match, name, key in found:
        if name in prepared:
            html = frame(name, key, _PARTS[name](request, key, prepared[name].get(key)))
        else:
            html = frame(name, key, render_part(name, request, key))
        pieces += [body[last:match.start()], html.encode("utf-8")]
        last = match.end()
    pieces.append(body[last:])
    return b"".join(pieces)


def _citizen_request(request) -> bool:
    """A signed-in citizen (staff get the Wagtail user bar: their pages are
    rendered in full) with nothing pending to show."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    return bool(_READER) and _READER[0](user)


class PersonalPartsMiddleware:
    """Answer a signed-in citizen from the page cache with their own parts
    (see the module). Sits after authentication and messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _PARTS and page_cache.enabled() and _citizen_request(request):
            entry = page_cache.cached_entry(request)
            body = splice(entry["body"], request) if entry is not None else None
            if body is not None:
                return self._answer(request, entry, body)
        return self.get_response(request)

    def _answer(self, request, entry, body):
        response = HttpResponse(body, status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        patch_vary_headers(response, ("Cookie",))
        response["X-Page-Cache"] = "personal"
        return response

