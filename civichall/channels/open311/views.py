"""The GeoReport v2 endpoints under ``/open311/v2/`` and the public pages
of problem reports (recent reports with their place, one report's status).

Every answer is JSON or XML as the address's extension says; refusals are
the spec's error list with the fitting status. Nothing here is cached: the
whole ``/open311/`` prefix is skipped by the page cache."""

from functools import wraps

from django.http import Http404
from django.shortcuts import render as render_page
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.utils import timezone
from django.utils.translation import gettext as _

from civichall.core.errors import REFUSALS, Refusal, as_refusal

from . import actions, render, spec
from .models import InboundRequest


def _georeport(view):
    """Map refusals (and a wrong method) to the spec's error shape."""
    @wraps(view)
    def wrapped(request, fmt, *args, **kwargs):
        try:
            return view(request, fmt, *args, **kwargs)
        except Http404:
            return render.errors(fmt, Refusal("not_found", _("Not found."), 404))
        except REFUSALS as error:
            return render.errors(fmt, as_refusal(error))
    return csrf_exempt(wrapped)


def _only(request, *methods):
    if request.method not in methods:
        raise Refusal("not_allowed", _("This address does not take %(method)s.") % {"method": request.method}, 405)


@_georeport
def discovery(request, fmt):
    """The service discovery document: where the v2 endpoint is and what it speaks."""
    _only(request, "GET", "HEAD")
    url = request.build_absolute_uri("/open311/v2")
    latest = spec.report_definitions().order_by("-updated_at").values_list("updated_at", flat=True).first()
    changeset = timezone.localtime(latest or timezone.now()).isoformat(timespec="seconds")
    return render.answer(fmt, "discovery", {
        "changeset": changeset, "contact": str(_("Citizen service hotline 12345")),
        "key_service": str(_("Ask the city's administrators for an api_key.")),
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": url, "changeset": changeset,
                       "type": "production", "formats": ["text/xml", "application/json"]}]})


@_georeport
def services(request, fmt):
    """GET Service List."""
    _only(request, "GET", "HEAD")
    return render.answer(fmt, "services", [spec.service(d) for d in spec.report_definitions()])


@_georeport
def service_definition(request, fmt, code):
    """GET Service Definition: the attributes of a metadata service."""
    _only(request, "GET", "HEAD")
    return render.answer(fmt, "service_definition", spec.service_definition(actions.report_definition(code)))


@_georeport
def requests(request, fmt):
    """GET Service Requests (filtered) or POST Service Request."""
    _only(request, "GET", "HEAD", "POST")
    if request.method == "POST":
        params = request.POST.dict()
        # Some clients send the key in the query string, as the spec's examples do.
        if not params.get("api_key") and request.GET.get("api_key"):
            params["api_key"] = request.GET["api_key"]
        inbound = actions.do_post_request(params)
        return render.answer(fmt, "service_requests", [
            {"service_request_id": inbound.case.number, "service_notice": str(_(
                "Received; the organisation responsible will deal with it. Check its status with this number.")),
             "account_id": None}], status=201)
    cases = spec.filter_requests(request.GET)
    return render.answer(fmt, "service_requests", [spec.service_request(c) for c in cases])


@_georeport
def service_request(request, fmt, number):
    """GET Service Request: one request by its id."""
    _only(request, "GET", "HEAD")
    case = spec.report_cases().filter(number=number).first()
    if case is None:
        raise Refusal("not_found", _("There is no service request with this id."), 404)
    return render.answer(fmt, "service_requests", [spec.service_request(case)])


@_georeport
def token(request, fmt, token):
    """GET request id from a token."""
    _only(request, "GET", "HEAD")
    inbound = InboundRequest.objects.filter(token=token, case__isnull=False).select_related("case").first()
    if inbound is None:
        raise Refusal("not_found", _("There is no service request for this token."), 404)
    return render.answer(fmt, "service_requests", [{"service_request_id": inbound.case.number, "token": token}])


# --- public pages -----------------------------------------------------------------------------

#: The map's frame: Shanghai's extent in degrees (west, south, east, north).
FRAME = (120.85, 30.68, 122.0, 31.88)
PLOT_W, PLOT_H = 460, 480


def _dot(req):
    if req["lat"] is None or req["long"] is None:
        return None
    west, south, east, north = FRAME
    x = (float(req["long"]) - west) / (east - west) * PLOT_W
    y = (north - float(req["lat"])) / (north - south) * PLOT_H
    if not (0 <= x <= PLOT_W and 0 <= y <= PLOT_H):
        return None
    return {"x": round(x, 1), "y": round(y, 1), "open": req["status"] == "open", "id": req["service_request_id"],
            "name": req["service_name"]}


@require_GET
def recent(request):
    """Recent problem reports, with a dot for each pinned place and a table
    with coordinates; a box to look a report up by its number."""
    number = (request.GET.get("number") or "").strip()
    if number:
        from django.shortcuts import redirect

        return redirect("open311:report", number=number[:32])
    reqs = [spec.service_request(c) for c in spec.filter_requests({})[:100]]
    dots = [d for d in (_dot(r) for r in reqs) if d]
    return render_page(request, "open311/recent.html", {
        "requests": reqs, "dots": dots, "width": PLOT_W, "height": PLOT_H,
        "services": spec.report_definitions()})


@require_GET
def report(request, number):
    """One report's public status: no sign-in, no contact data."""
    case = spec.report_cases().filter(number=number).first()
    if case is None:
        raise Http404
    from civichall.applications.presenting import EVENT_LABELS

    events = [{"label": EVENT_LABELS.get(e.event, e.event), "at": e.at, "note": spec.public_text(e.note)}
              for e in case.events.all() if not e.internal]
    return render_page(request, "open311/report.html", {
        "req": spec.service_request(case), "case": case, "events": events})
