"""GeoReport v2's shapes: services, service definitions and service
requests built from report definitions and their cases, and the filters of
``GET requests``. Field names and order follow the specification
(https://wiki.open311.org/GeoReport_v2/). Nothing here shows contact data:
a request is what the public may see."""

import re
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from civichall.applications import lifecycle, reports
from civichall.applications.models import ApplicationDefinition, Case
from civichall.applications.presenting import STATE_LABELS
from civichall.core.errors import Refusal

#: Report properties the request's own fields carry; the rest are attributes.
STANDARD = ("location_mode", "lat", "long", "address", "description")
#: Case states a citizen would call done.
CLOSED_STATES = frozenset({lifecycle.NOT_ACCEPTED, lifecycle.APPROVED, lifecycle.REJECTED, lifecycle.COMPLETED})
MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)
# Phone and ID numbers someone typed into a public description.
_PERSONAL = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


def report_definitions(active_only=True):
    """The definitions whose current document is a problem report."""
    found = ApplicationDefinition.objects.filter(current__document__kind=reports.REPORT).select_related(
        "current", "organisation")
    return found.filter(status="active") if active_only else found


def _datatype(prop):
    if "enum" in prop:
        return "singlevaluelist"
    if prop.get("type") in ("integer", "number"):
        return "number"
    if prop.get("format") in ("date", "date-time"):
        return "datetime"
    if (prop.get("maxLength") or 0) > 200:
        return "text"
    return "string"


def attributes(doc):
    """The service definition's attributes: the report's properties that
    are not the request's own fields, in the form's order."""
    props = doc["schema"]["properties"]
    required = set(doc["schema"].get("required") or [])
    out = []
    for name, prop in props.items():
        if name in STANDARD:
            continue
        item = {"variable": True, "code": name, "datatype": _datatype(prop), "required": name in required,
                "datatype_description": prop.get("description", ""), "order": len(out) + 1,
                "description": prop.get("title", name)}
        if "enum" in prop:
            titles = prop.get("x-enum-titles") or prop["enum"]
            item["values"] = [{"key": k, "name": n} for k, n in zip(prop["enum"], titles)]
        out.append(item)
    return out


def service(definition):
    doc = definition.current.document
    return {"service_code": definition.code, "service_name": definition.title,
            "description": doc.get("summary", ""), "metadata": bool(attributes(doc)), "type": "realtime",
            "keywords": ",".join(doc.get("keywords") or []), "group": doc.get("group", "")}


def service_definition(definition):
    return {"service_code": definition.code, "attributes": attributes(definition.current.document)}


def is_open(case):
    return case.state not in CLOSED_STATES


def public_text(text):
    """``text`` with phone and ID numbers masked."""
    return _PERSONAL.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 3), text or "")


def _w3c(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def status_notes(case):
    notes = str(STATE_LABELS[case.state])
    if case.reason and case.state in (lifecycle.NOT_ACCEPTED, lifecycle.REJECTED, lifecycle.NEEDS_MATERIAL):
        notes += f"：{public_text(case.reason)}"
    return notes


def service_request(case):
    """A case as a GeoReport request: what anyone may read."""
    data = case.data or {}
    location = reports.location_of(data)
    updated = getattr(case, "updated", None) or case.submitted_at
    return {
        "service_request_id": case.number, "status": "open" if is_open(case) else "closed",
        "status_notes": status_notes(case), "service_name": case.definition.title,
        "service_code": case.definition.code, "description": public_text(data.get("description", "")),
        "agency_responsible": case.organisation.name_zh, "service_notice": "",
        "requested_datetime": _w3c(case.submitted_at), "updated_datetime": _w3c(updated),
        "expected_datetime": f"{case.due_on.isoformat()}T18:00:00+08:00" if case.due_on else None,
        "address": location["address"], "address_id": "", "zipcode": "",
        "lat": location["lat"], "long": location["long"], "media_url": data.get("media_url", ""),
    }


def report_cases():
    """Every case of a report definition, with its last change."""
    return Case.objects.filter(definition__in=report_definitions(active_only=False)).select_related(
        "definition", "organisation").annotate(updated=Max("events__at"))


def _moment(value, name):
    moment = parse_datetime(value.strip().replace(" ", "+")) if value else None
    if value and moment is None:
        raise Refusal("invalid", _("%(name)s must be a W3C date and time, e.g. 2026-11-01T00:00:00Z.")
                      % {"name": name}, 400)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _csv(value):
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def filter_requests(params):
    """The cases ``GET requests`` answers for ``params``: by
    ``service_request_id`` (which overrides the rest), else by
    ``service_code``, ``status`` and ``start_date``/``end_date`` (the last 90
    days by default, never a longer span); newest first, at most 1000."""
    cases = report_cases()
    ids = _csv(params.get("service_request_id"))
    if ids:
        return list(cases.filter(number__in=ids[:MAX_RESULTS]))
    codes = _csv(params.get("service_code"))
    if codes:
        cases = cases.filter(definition__code__in=codes)
    statuses = set(_csv(params.get("status")))
    if statuses - {"open", "closed"}:
        raise Refusal("invalid", _("status must be open or closed."), 400)
    if statuses == {"open"}:
        cases = cases.exclude(state__in=CLOSED_STATES)
    elif statuses == {"closed"}:
        cases = cases.filter(state__in=CLOSED_STATES)
    start, end = _moment(params.get("start_date"), "start_date"), _moment(params.get("end_date"), "end_date")
    if start and end and end - start > MAX_SPAN:
        raise Refusal("invalid", _("start_date and end_date may not span more than 90 days."), 400)
    if start is None:
        start = (end or timezone.now()) - MAX_SPAN
    cases = cases.filter(submitted_at__gte=start)
    if end is not None:
        cases = cases.filter(submitted_at__lte=end)
    return list(cases.order_by("-submitted_at", "-id")[:MAX_RESULTS])
