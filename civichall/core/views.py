"""Small site-wide views: elder-friendly mode switch and error pages."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

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
            settings.CIVICHALL_ELDER_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax"
        )
    else:
        response.delete_cookie(settings.CIVICHALL_ELDER_COOKIE, samesite="Lax")
    return response


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        from civichall.api.errors import error_response

        return error_response("not_found", None, 404, request=request)
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        from civichall.api.errors import error_response

        return error_response("server_error", None, 500, request=request)
    return render(request, "500.html", status=500)


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        from civichall.api.errors import error_response

        return error_response("bad_request", None, 400, request=request)
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        from civichall.api.errors import error_response

        return error_response("forbidden", None, 403, request=request)
    return render(request, "403.html", status=403)
