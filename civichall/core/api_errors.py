"""Every failure of the Ninja API answered in the one error shape.

``install_error_handlers(api)`` registers, once, how each kind of exception
becomes ``{"error": {"code", "message", "fields"?}}`` with its status:
refusals (``Refusal``, Django's ``ValidationError`` and ``PermissionDenied``,
``Http404``) through ``errors.as_refusal``; Ninja's own validation and
authentication errors; bodies too large, suspicious requests, a database
that does not answer (503) and anything unexpected (500, logged, no trace
shown).

``json_method_not_allowed(view)`` wraps a view of the API's URL layer so that
a method the address does not offer answers a JSON 405 with ``Allow``
(Ninja's own answer is plain text).
"""

import functools
import inspect
import logging

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import (
    ValidationError as DjangoValidationError,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.urls import URLPattern
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .errors import Refusal, error_response, refusal_response

logger = logging.getLogger("civichall.api")

#: The code for each status Ninja may raise as an ``HttpError``.
HTTP_ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                    405: "method_not_allowed", 413: "too_large", 429: "rate_limited"}


def field_name(loc):
    """The field a validation error is about, as the client named it:
    ("body", "data", "mobile") -> "mobile"; ("query", "page") -> "page"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "body", "path", "form", "header", "cookie"):
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    return ".".join(parts) or "request"


def on_validation_error(request, exc):
    """Ninja's validation: 422 with a message per field."""
    fields = {}
    for error in exc.errors:
        fields.setdefault(field_name(error.get("loc", ())), error.get("msg", ""))
    return error_response("invalid", None, 422, request, fields=fields)


def on_refusal(request, exc):
    """A refusal from an endpoint, an action or a permission check."""
    return refusal_response(exc, request)


def on_unauthenticated(request, exc):
    return error_response("unauthorized", None, 401, request)


def on_http_error(request, exc):
    return error_response(HTTP_ERROR_CODES.get(exc.status_code, "bad_request"), None, exc.status_code, request)


def on_too_large(request, exc):
    return error_response("too_large", None, 413, request)


def on_suspicious(request, exc):
    return error_response("bad_request", None, 400, request)


def on_database_unavailable(request, exc):
    """The database unreachable: 503 with Retry-After, in the API's shape."""
    from .views import database_unavailable

    return database_unavailable(request, exc)


def on_unexpected(request, exc):
    logger.exception("Unhandled API error on %s", request.path)
    return error_response("server_error", None, 500, request)


HANDLERS = [
    (ValidationError, on_validation_error),
    (Refusal, on_refusal),
    (DjangoValidationError, on_refusal),
    (PermissionDenied, on_refusal),
    (Http404, on_refusal),
    (AuthenticationError, on_unauthenticated),
    (HttpError, on_http_error),
    (RequestDataTooBig, on_too_large),
    (SuspiciousOperation, on_suspicious),
    (OperationalError, on_database_unavailable),
    (InterfaceError, on_database_unavailable),
    (Exception, on_unexpected),
]


def install_error_handlers(api):
    """Answer every failure of ``api`` (a ``NinjaAPI``) in the one error shape."""
    for exception, handler in HANDLERS:
        api.add_exception_handler(exception, handler)
    return api


def _as_json_405(request, response):
    if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
        return response
    allowed = sorted(m.strip() for m in response.get("Allow", "").split(",") if m.strip())
    response = error_response("method_not_allowed", None, 405, request)
    response["Allow"] = ", ".join(allowed)
    return response


def json_method_not_allowed(view):
    """``view`` (a view of the API's URL layer), whose 405 answers in the
    API's shape, keeping the ``Allow`` header that lists the methods offered."""
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def wrapped_async(request, *args, **kwargs):
            return _as_json_405(request, await view(request, *args, **kwargs))

        return wrapped_async

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return _as_json_405(request, view(request, *args, **kwargs))

    return wrapped


def with_json_method_not_allowed(urlpatterns):
    """The API's URL patterns, each view wrapped by ``json_method_not_allowed``."""
    return [
        URLPattern(p.pattern, json_method_not_allowed(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern) else p
        for p in urlpatterns
    ]
