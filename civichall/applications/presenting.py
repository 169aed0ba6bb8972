"""Shaping definitions, drafts and cases for the citizen's pages and the
API: field lists with labels, values, errors and sources; state words;
the next step."""

from django.utils.translation import gettext_lazy as _

from civichall.core.i18n import message_lang

from . import clock, formengine, lifecycle
from .prefill import bound_sources, holder_and_what

STATE_LABELS = {
    lifecycle.SUBMITTED: _("Submitted"),
    lifecycle.ACCEPTED: _("Accepted"),
    lifecycle.NOT_ACCEPTED: _("Not accepted"),
    lifecycle.IN_REVIEW: _("In review"),
    lifecycle.NEEDS_MATERIAL: _("More material needed"),
    lifecycle.APPROVED: _("Approved"),
    lifecycle.REJECTED: _("Rejected"),
    lifecycle.COMPLETED: _("Completed"),
}

NEXT_STEPS = {
    lifecycle.SUBMITTED: _("The department checks your application and decides whether to accept it."),
    lifecycle.ACCEPTED: _("Accepted: the department is reviewing it within the time limit."),
    lifecycle.NOT_ACCEPTED: _("Not accepted. The reason is below."),
    lifecycle.IN_REVIEW: _("The department is reviewing your application."),
    lifecycle.NEEDS_MATERIAL: _("Please hand in the material asked for below. The time limit is paused until you do."),
    lifecycle.APPROVED: _("Approved: the decision letter is being issued."),
    lifecycle.REJECTED: _("Rejected: the reason and how to appeal are below."),
    lifecycle.COMPLETED: _("Completed. You can download the decision letter and rate the service."),
}

EVENT_LABELS = {
    "submit": _("Application submitted"),
    "accept": _("Accepted"),
    "not_accept": _("Not accepted"),
    "start_review": _("Review started"),
    "ask_material": _("More material asked for"),
    "supplement": _("Material handed in"),
    "approve": _("Approved"),
    "reject": _("Rejected"),
    "complete": _("Completed"),
    "part_done": _("Part completed"),
    "assign": _("Assigned"),
    "note": _("Internal note"),
    "escalate": _("Escalated"),
    "consent_withdrawn": _("Consent to a data source withdrawn"),
}


def _kind(prop):
    if "enum" in prop:
        return "radio" if len(prop["enum"]) <= 5 else "select"
    kind = prop.get("type")
    if kind == "boolean":
        return "checkbox"
    if kind in ("integer", "number"):
        return "number"
    if prop.get("format") == "date":
        return "date"
    if (prop.get("maxLength") or 0) > 200:
        return "textarea"
    return "text"


def display_value(doc, name, value):
    """A value as the citizen reads it (an option's title, 是/否)."""
    prop = formengine.property_of(doc, name)
    if value is None or value == "":
        return ""
    if "enum" in prop:
        return dict(formengine.field_options(doc, name)).get(value, value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return value


def field_rows(doc, names, data, errors=None, prefilled=None, lang=None):
    """One dict per shown field, for a template or a JSON answer."""
    lang = lang or message_lang()
    errors = errors or {}
    prefilled = prefilled or {}
    shown = formengine.visible_fields(doc, data)
    bound = bound_sources({entry.get("source") for entry in prefilled.values()}) if prefilled else {}
    required = set(doc["schema"].get("required") or [])
    required |= {c["field"] for c in doc.get("conditions") or [] if c.get("required_when_shown")}
    rows = []
    for name in names:
        if name not in shown:
            continue
        prop = formengine.property_of(doc, name)
        error = errors.get(name)
        source = prefilled.get(name)
        value = data.get(name, "")
        rows.append({
            "name": name, "label": formengine.field_label(doc, name, lang), "help": prop.get("x-help", ""),
            "kind": _kind(prop), "value": value, "display": display_value(doc, name, value),
            "options": formengine.field_options(doc, name), "required": name in required,
            "error": error.get(lang) if hasattr(error, "get") else (error or ""),
            "source": holder_and_what(source["source"], bound)[0] if source else "",
            # Consent to the source withdrawn: before submission the value is
            # the citizen's own (no fetched value kept), after it the date says when.
            "fetched": bool(source) and "value" in source,
            "withdrawn_on": (source.get("withdrawn_at") or "")[:10] if source else "",
            "corrected": bool(source) and "value" in source and value != source.get("value"),
            "max_length": prop.get("maxLength") or "",
        })
    return rows


def case_clock(case, today=None):
    """Where the case stands against its due day (see ``clock``)."""
    from django.utils import timezone

    return clock.clock_state(today or timezone.localdate(), case.due_on,
                             decided=case.state in (lifecycle.APPROVED, lifecycle.REJECTED, lifecycle.COMPLETED,
                                                    lifecycle.NOT_ACCEPTED),
                             paused=case.state == lifecycle.NEEDS_MATERIAL)


def case_json(case, *, events=False, staff=False):
    """A case for the API."""
    out = {
        "number": case.number, "state": case.state, "state_label": str(STATE_LABELS[case.state]),
        "next_step": str(NEXT_STEPS[case.state]), "application": case.definition.code,
        "title": case.definition.title, "organisation": case.organisation.slug,
        "submitted_at": case.submitted_at.isoformat(), "due_on": case.due_on.isoformat() if case.due_on else None,
        "clock": case_clock(case), "reason": case.reason, "appeal": case.appeal,
        "version": case.version.number,
        "parts": [{"title": p.title, "organisation": p.organisation.slug, "done": p.done_at is not None}
                  for p in case.parts.all()],
    }
    if events:
        out["timeline"] = [{"event": e.event, "label": str(EVENT_LABELS.get(e.event, e.event)), "state": e.state,
                            "note": e.note, "at": e.at.isoformat()}
                           for e in case.events.all() if staff or not e.internal]
    if staff:
        out["data"] = case.data
        out["prefilled"] = case.prefilled
        out["corrections"] = [{"field": c.field, "source": c.source, "fetched": c.fetched, "entered": c.entered}
                              for c in case.corrections.all()]
        out["assignee"] = case.assignee.get_username() if case.assignee else None
        # A problem report's channel and the contact data it came with (staff only).
        out["channel"], out["reporter"] = case.channel, case.reporter
    return out
