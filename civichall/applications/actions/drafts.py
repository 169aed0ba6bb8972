"""Drafts: saving what the citizen typed (before anything is checked),
consent per prefill source, and the prefill fetch itself."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civichall.accounts.citizens import require_verified
from civichall.core.errors import Refusal

from .. import formengine
from ..models import Consent, DataUse, DefinitionStatus, Draft
from ..prefill import consent_wording, fetch_source, holder_and_what
from .common import audit


def check_open(definition):
    """Refuse a definition that takes no applications (404 when unknown to the caller)."""
    if definition.status != DefinitionStatus.ACTIVE or definition.current_id is None:
        raise Refusal("closed", _("This application is not open for online applications."), 409)
    return definition


def draft_for(citizen, definition):
    """The citizen's draft of ``definition`` (created on the current version)."""
    draft, _created = Draft.objects.get_or_create(
        citizen=citizen, definition=definition, defaults={"version_id": definition.current_id})
    return draft


def do_save_draft(user, definition, raw, *, step=None, check=None):
    """Store what the citizen typed (form strings or JSON values) on their
    draft, whatever its errors; return (draft, errors of the fields sent, or
    of ``check``: e.g. a whole step, whose newly shown fields were not sent).
    Fields of the form that are not sent stay as they were."""
    citizen = require_verified(user)
    check_open(definition)
    draft = draft_for(citizen, definition)
    doc = draft.version.document
    props = doc["schema"]["properties"]
    sent = {k: v for k, v in (raw or {}).items() if k in props}
    typed = formengine.coerce(doc, sent)
    for name in sent:
        if name in typed:
            draft.data[name] = typed[name]
        else:
            draft.data.pop(name, None)  # emptied by the citizen
    if step is not None:
        draft.step = max(0, min(int(step), len(formengine.steps(doc)) - 1))
    draft.save()
    errors = formengine.validate(doc, draft.data, only=list(check) if check is not None else list(sent))
    return draft, errors


def do_discard_draft(user, draft):
    """Throw a draft away (the citizen's own)."""
    citizen = require_verified(user)
    if draft.citizen_id != citizen.pk:
        raise Refusal("not_found", None, 404)
    draft.delete()


def prefill_entries(doc):
    """The document's prefill entries, plus the e-licence library when a
    material can be replaced by an e-licence the entries do not fetch."""
    entries = [dict(e) for e in doc.get("prefill") or []]
    wanted = {m["licence"] for m in doc.get("materials") or [] if m.get("licence")}
    fetched = {f for e in entries if e["source"] == "licences" for f in e["fields"].values()}
    extra = {f"_licence:{code}": code for code in sorted(wanted - fetched)}
    if extra:
        licences = next((e for e in entries if e["source"] == "licences"), None)
        if licences is None:
            entries.append({"source": "licences", "fields": extra})
        else:
            licences["fields"] = {**licences["fields"], **extra}
    return entries


def sources_of(doc):
    """The prefill sources a document uses, in order (each once)."""
    return list(dict.fromkeys(entry["source"] for entry in prefill_entries(doc)))


def do_give_consent(user, definition, sources):
    """Record the citizen's consent to fetch ``sources`` for this application."""
    citizen = require_verified(user)
    check_open(definition)
    known = set(sources_of(definition.current.document))
    unknown = [s for s in sources if s not in known]
    if unknown:
        raise Refusal("invalid", _("This application does not use that source."), 422, {"sources": "、".join(unknown)})
    return [Consent.objects.create(citizen=citizen, definition=definition, source=s, wording=consent_wording(s))
            for s in dict.fromkeys(sources)]


def consented_sources(citizen, definition):
    return set(Consent.objects.filter(citizen=citizen, definition=definition).values_list("source", flat=True))


def do_prefill(user, definition):
    """Fetch each consented source of the application and fill the draft's
    empty fields (what the citizen typed is never overwritten). Every fetch
    is logged for the citizen's "my data use". Returns (draft, {source:
    "ok" | "unavailable" | "no_consent"})."""
    citizen = require_verified(user)
    check_open(definition)
    draft = draft_for(citizen, definition)
    doc = draft.version.document
    agreed = consented_sources(citizen, definition)
    outcome = {}
    for entry in prefill_entries(doc):
        source = entry["source"]
        if source not in agreed:
            outcome[source] = "no_consent"
            continue
        values = fetch_source(source, citizen, purpose=definition.code)
        holder, _what = holder_and_what(source)
        fields = sorted(entry["fields"].values())
        with transaction.atomic():
            DataUse.objects.create(citizen=citizen, definition=definition, source=source, holder=holder,
                                   fields=fields, ok=values is not None, at=timezone.now())
            if values is None:
                outcome[source] = "unavailable"
                continue
            for prop, source_field in entry["fields"].items():
                if source_field in values:
                    value = values[source_field]
                    draft.prefilled[prop] = {"source": source, "field": source_field, "value": value}
                    if prop in doc["schema"]["properties"] and prop not in draft.data:
                        draft.data[prop] = value
            outcome[source] = "ok"
            audit(draft.definition, "prefill", user, source=source, fields=fields)
    draft.save()
    return draft, outcome


def licences_fetched(draft_or_case):
    """The e-licences fetched for a draft or case (they replace uploads)."""
    return {entry["field"] for entry in (draft_or_case.prefilled or {}).values()
            if entry.get("source") == "licences" and entry.get("value")}
