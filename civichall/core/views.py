"""Small site-wide views: elder-friendly mode switch and error pages."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .errors import error_response

ONE_YEAR = 365 * 24 * 3600


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


@require_http_methods(["GET", "POST"])
def elder_mode(request):
    """Switch elder-friendly mode on or off and remember it for a year.

    A plain form post (or link) so that it works without JavaScript.
    """
    on = (request.POST.get("on") or request.GET.get("on")) == "1"
    response = HttpResponseRedirect(_safe_next(request))
    if on:
        response.set_cookie(
            settings.CIVICHALL_ELDER_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(settings.CIVICHALL_ELDER_COOKIE, samesite="Lax")
    return response


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response("not_found", None, 404, request=request)
    return render(request, "404.html", status=404)


#: Seconds a client is asked to wait when the database is unavailable.
RETRY_AFTER_S = 30


def is_database_unavailable(exc):
    """Is ``exc`` the database failing (not a bug in a query)?"""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))


_last_database_log = [0.0]


def _log_database_unavailable(request, exception):
    """An error in the log, at most once a minute per process (an outage
    would otherwise write one per request)."""
    import logging
    import time

    now = time.monotonic()
    if now - _last_database_log[0] >= 60 or _last_database_log[0] == 0.0:
        _last_database_log[0] = now
        logging.getLogger("civichall").error(
            "Database unavailable (%s on %s): answering 503 with Retry-After until it is back.",
            type(exception).__name__ if exception else "?", request.path)


def database_unavailable(request, exception=None):
    """503 with ``Retry-After``: JSON under ``/api/``, a page without any
    database access elsewhere."""
    from django.utils.translation import gettext

    _log_database_unavailable(request, exception)
    if request.path.startswith("/api/"):
        response = error_response("unavailable", gettext(
            "The service is temporarily unavailable. Please try again in a minute."), 503, request=request)
    else:
        response = render(request, "503.html", {"retry_after": RETRY_AFTER_S}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    import sys

    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable(request, exception)
    if request.path.startswith("/api/"):
        return error_response("server_error", None, 500, request=request)
    return render(request, "500.html", status=500)


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response("bad_request", None, 400, request=request)
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response("forbidden", None, 403, request=request)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A refused form token: the site's "form has expired" page, or the
    API's JSON error under /api/."""
    if request.path.startswith("/api/"):
        return error_response("forbidden", None, 403, request=request)
    return render(request, "403_csrf.html", status=403)


def healthz(request):
    """The health report as JSON for load balancers and monitors: 200 while
    the site can serve (also when degraded), 503 when it cannot. Never
    cached, never redirected to HTTPS (probes speak plain HTTP)."""
    from django.http import JsonResponse
    from django.utils.cache import add_never_cache_headers

    from civichall.core import health

    result = health.report()
    status = 503 if result["status"] == health.DOWN else 200
    response = JsonResponse(health.as_json(result), status=status, json_dumps_params={"ensure_ascii": False})
    add_never_cache_headers(response)
    return response
