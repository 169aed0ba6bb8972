"""Mounts every app's router into one Ninja API with one error shape."""

import logging

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError as DjangoValidationError,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import PathView

from .errors import error_response

logger = logging.getLogger("civichall.api")

class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese text as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class CivicHallAPI(NinjaAPI):
    """The API, whose OpenAPI document declares every error each operation can answer."""

    def get_openapi_schema(self, *args, **kwargs):
        from .openapi import complete

        return complete(super().get_openapi_schema(*args, **kwargs))


api = CivicHallAPI(
    renderer=ChineseJSONRenderer(),
    title="CivicHall API",
    version="1",
    description=(
        "Articles, organisations and services of the account matrix. Errors are "
        '`{"error": {"code": ..., "message": ...}}`; messages are in Chinese unless '
        "`Accept-Language: en` is sent."
    ),
    urls_namespace="api_v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


class ApiError(Exception):
    """Raise from an endpoint to answer with a specific error code and status."""

    def __init__(self, code, message=None, status=400, fields=None):
        super().__init__(message or code)
        self.code, self.message, self.status, self.fields = code, message, status, fields


def _field_name(loc):
    """The field a validation error is about, as the client named it:
    ("body", "data", "mobile") -> "mobile"; ("query", "page") -> "page"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "body", "path", "form", "header", "cookie"):
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    fields = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), error.get("msg", ""))
    return error_response("invalid", None, 422, request, fields=fields)


@api.exception_handler(ApiError)
def on_api_error(request, exc):
    return error_response(exc.code, exc.message, exc.status, request, fields=exc.fields)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc):
    return error_response("invalid", " ".join(exc.messages), 422, request)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response("not_found", None, 404, request)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error_response("forbidden", None, 403, request)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error_response("unauthorized", None, 401, request)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 429: "rate_limited"}
    return error_response(codes.get(exc.status_code, "bad_request"), None, exc.status_code, request)


@api.exception_handler(RequestDataTooBig)
def on_too_large(request, exc):
    return error_response("too_large", None, 413, request)


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request, exc):
    return error_response("bad_request", None, 400, request)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_unavailable(request, exc):
    """The database unreachable: 503 with Retry-After, in the API's shape."""
    from civichall.core.views import database_unavailable

    return database_unavailable(request, exc)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    logger.exception("Unhandled API error on %s", request.path)
    return error_response("server_error", _("Something went wrong on our side. Please try again later."), 500, request)


def _method_not_allowed(path_view):
    """Ninja answers a wrong method with a plain-text 405; answer in the API's shape."""
    response = error_response("method_not_allowed", None, 405)
    response["Allow"] = ", ".join(sorted({m for op in path_view.operations for m in op.methods}))
    return response


PathView._not_allowed = _method_not_allowed


def _mount():
    from civichall.accounts.api import router as accounts_router
    from civichall.accounts.citizen_api import router as citizen_router
    from civichall.content.api import router as content_router
    from civichall.interaction.api import router as interaction_router
    from civichall.interaction.api import staff_router as interaction_staff_router
    from civichall.notify.api import router as notify_router
    from civichall.safety.api import router as safety_router
    from civichall.services.api import router as services_router
    from civichall.services.staff_api import router as services_staff_router

    api.add_router("/", content_router)
    api.add_router("/", accounts_router)
    api.add_router("/", safety_router)
    api.add_router("/", citizen_router)
    api.add_router("/", interaction_router)
    api.add_router("/", interaction_staff_router)
    api.add_router("/", notify_router)
    api.add_router("/", services_router)
    api.add_router("/", services_staff_router)


_mount()
