"""Problem reports filed without the multi-step form: through a channel
such as Open311, by a citizen or by someone who left only contact data.

The report becomes an ordinary ``Case`` of its report definition, routed by
category (the definition) and district (``reports.routed_slug``); from
there the lifecycle, the queue and the audit are the applications' own.
"""

import secrets
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civichall.accounts import policy
from civichall.accounts.citizens import citizen_of
from civichall.core.errors import Refusal
from civichall.core.i18n import message_lang

from .. import formengine, reports
from ..models import Case, CaseEvent
from .cases import TOLD, routed_organisation
from .common import audit, tell_citizen
from .drafts import check_open

#: The contact fields a report may carry; kept on the case, shown to staff only.
CONTACT_FIELDS = ("email", "device_id", "account_id", "first_name", "last_name", "phone")
MAX_CONTACT = 200


class NoLocation(Refusal):
    """A report says neither where on the map nor at which address."""


def report_document(definition):
    """The current document of a report definition; a 404 for any other."""
    doc = definition.current.document if definition.current_id else None
    if not reports.is_report(doc):
        raise Refusal("not_found", _("There is no such problem report service."), 404)
    return doc


def check_report(doc, data):
    """Report ``data`` completed with its ``location_mode`` and checked;
    refusals name the field (400 without a location, 422 otherwise)."""
    data = dict(data)
    if data.get("lat") is not None and data.get("long") is not None:
        data.setdefault("location_mode", "pin")
    elif (data.get("address") or "").strip():
        data.setdefault("location_mode", "address")
    else:
        raise NoLocation("no_location", _("Say where the problem is: a point on the map (lat and long) or an "
                                          "address."), 400, {"location": _("Pin the place or write the address.")})
    if not data.get("district"):
        district = reports.district_in(data.get("address", ""))
        if district:
            data["district"] = district
    lang = message_lang()
    errors = {k: m.get(lang) for k, m in formengine.validate(doc, data).items()}
    if errors:
        raise Refusal("invalid", _("Please check the fields marked."), 422, errors)
    cleaned = formengine.clean(doc, data)
    # A pin may come with the address it is at (Open311 allows both): keep it to show.
    if (data.get("address") or "").strip() and "address" not in cleaned:
        cleaned["address"] = data["address"].strip()[:200]
    return cleaned


def _contact(reporter):
    return {k: str(v).strip()[:MAX_CONTACT] for k, v in (reporter or {}).items()
            if k in CONTACT_FIELDS and str(v or "").strip()}


def do_file_report(user, definition, data, *, reporter=None, channel="open311", media_url=""):
    """File a problem report of ``definition`` with ``data`` (form values:
    ``lat``/``long`` or ``address``, ``description``, the attributes).

    ``user`` is the citizen reporting or the system acting for a channel;
    ``reporter`` the contact fields given (kept private on the case).
    Returns the case, routed to the organisation that handles it."""
    check_open(definition)
    doc = report_document(definition)
    data = check_report(doc, data)
    if media_url:
        data["media_url"] = str(media_url)[:500]
    citizen = None if policy.is_system(user) else citizen_of(user)
    with transaction.atomic():
        case = Case.objects.create(
            number=f"tmp-{uuid.uuid4().hex[:28]}", citizen=citizen, definition=definition,
            version=definition.current, organisation=routed_organisation(definition, doc, data), data=data,
            reporter=_contact(reporter), channel=channel[:20], letter_token=secrets.token_urlsafe(16))
        case.number = f"BX-{timezone.localdate(case.submitted_at):%Y%m%d}-{case.pk:06d}"
        case.save(update_fields=["number"])
        CaseEvent.objects.create(case=case, event="submit", state=case.state)
        audit(case, "case.report", user, number=case.number, channel=case.channel,
              organisation=case.organisation.slug)
        tell_citizen(case, TOLD["submit"])
    return case
