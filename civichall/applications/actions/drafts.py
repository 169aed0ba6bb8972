"""Drafts: saving what the citizen typed (before anything is checked),
consent per prefill source, and the prefill fetch itself."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civichall.accounts.citizens import require_verified
from civichall.core.errors import Refusal

from .. import formengine
from ..models import Consent, DataUse, DataUseKind, DefinitionStatus, Draft
from ..prefill import bound_sources, consent_wording, fetch_source, holder_and_what
from .common import audit


def check_open(definition):
    """Refuse a definition that takes no applications (404 when unknown to the caller)."""
    if definition.status != DefinitionStatus.ACTIVE or definition.current_id is None:
        raise Refusal("closed", _("This application is not open for online applications."), 409)
    return definition


def draft_for(citizen, definition):
    """The citizen's draft of ``definition`` (created on the current version)."""
    draft, _created = Draft.objects.select_related("version").get_or_create(
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
    bound = bound_sources(sources)
    return Consent.objects.bulk_create([
        Consent(citizen=citizen, definition=definition, source=s, wording=consent_wording(s, bound))
        for s in dict.fromkeys(sources)])


def consented_sources(citizen, definition):
    """The sources ``citizen`` agreed to for ``definition`` and has not withdrawn."""
    return set(Consent.objects.filter(citizen=citizen, definition=definition, withdrawn_at__isnull=True)
               .values_list("source", flat=True))


def current_consents(citizen):
    """The citizen's consents in force, one per application and source
    (the newest), with the words agreed to."""
    seen, out = set(), []
    for consent in Consent.objects.filter(citizen=citizen, withdrawn_at__isnull=True).select_related("definition"):
        if (consent.definition_id, consent.source) not in seen:
            seen.add((consent.definition_id, consent.source))
            out.append(consent)
    return out


def do_withdraw_consent(user, definition, source):
    """Withdraw the citizen's consent to ``source`` for this application.

    Nothing more is fetched from it for the draft until the citizen agrees
    again. What it already filled stays in the draft, editable, but is no
    longer counted as the department's: the draft forgets the fetched value
    and keeps only that consent was withdrawn, so a case filed afterwards
    shows the officer those fields as the citizen's own entries (and an
    e-licence fetched from it no longer replaces an upload). Cases already
    filed keep what was fetched with consent (a withdrawal does not reach
    back); they are marked with when consent was withdrawn, and their
    timeline says so. The withdrawal is written in the data-use log and the
    audit log. Returns the numbers of the cases marked."""
    from ..models import Case, CaseEvent

    citizen = require_verified(user)
    now = timezone.now()
    with transaction.atomic():
        given = Consent.objects.select_for_update().filter(citizen=citizen, definition=definition, source=source,
                                                           withdrawn_at__isnull=True)
        if not given.exists():
            raise Refusal("no_consent", _("You have not given consent to this source for this application."), 409,
                          {"source": _("No consent to withdraw.")})
        given.update(withdrawn_at=now)
        holder, what = holder_and_what(source)
        doc = definition.current.document if definition.current_id else {}
        fields = sorted({f for e in prefill_entries(doc) if e["source"] == source for f in e["fields"].values()})
        DataUse.objects.create(citizen=citizen, definition=definition, source=source, holder=holder, fields=fields,
                               kind=DataUseKind.WITHDRAW, at=now)
        draft = Draft.objects.select_for_update().filter(citizen=citizen, definition=definition).first()
        if draft is not None and _mark_withdrawn(draft.prefilled, source, now, keep_value=False):
            draft.save(update_fields=["prefilled", "updated_at"])
        marked = []
        for case in Case.objects.select_for_update().filter(citizen=citizen, definition=definition):
            if _mark_withdrawn(case.prefilled, source, now, keep_value=True):
                case.save(update_fields=["prefilled"])
                CaseEvent.objects.create(case=case, event="consent_withdrawn", state=case.state,
                                         note=f"{holder}：{what}")
                marked.append(case.number)
        audit(definition, "consent.withdraw", user, source=source, draft=draft is not None, cases=marked)
    return marked


def _mark_withdrawn(prefilled, source, at, *, keep_value):
    """Mark ``prefilled``'s entries from ``source`` as withdrawn at ``at``
    (in place); before submission the fetched value is dropped. True if any."""
    changed = False
    for prop, entry in prefilled.items():
        if entry.get("source") == source and not entry.get("withdrawn_at"):
            kept = {k: v for k, v in entry.items() if keep_value or k != "value"}
            prefilled[prop] = {**kept, "withdrawn_at": at.isoformat()}
            changed = True
    return changed


def is_withdrawn(entry):
    """Whether a prefill entry's source lost the citizen's consent."""
    return bool(entry and entry.get("withdrawn_at"))


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
    entries = prefill_entries(doc)
    bound = bound_sources({entry["source"] for entry in entries})
    outcome, fetched = {}, []
    try:
        # Departments are asked outside any transaction; what they said is
        # written together below, even when a later fetch fails outright.
        for entry in entries:
            source = entry["source"]
            if source not in agreed:
                outcome[source] = "no_consent"
                continue
            fetched.append((entry, fetch_source(source, citizen, purpose=definition.code, bound=bound)))
    finally:
        _record_fetches(user, citizen, definition, draft, doc, fetched, bound, outcome)
    return draft, outcome


def _record_fetches(user, citizen, definition, draft, doc, fetched, bound, outcome):
    """Fill the draft from what was fetched and log every fetch (one
    ``DataUse`` per source for "my data use", one audit entry)."""
    uses, logged = [], {}
    now = timezone.now()
    for entry, values in fetched:
        source = entry["source"]
        fields = sorted(entry["fields"].values())
        uses.append(DataUse(citizen=citizen, definition=definition, source=source,
                            holder=holder_and_what(source, bound)[0], fields=fields, ok=values is not None, at=now))
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
        logged[source] = fields
    with transaction.atomic():
        DataUse.objects.bulk_create(uses)
        draft.save()
        if logged:
            audit(definition, "prefill", user, sources=logged)


def licences_fetched(draft_or_case):
    """The e-licences fetched for a draft or case (they replace uploads)."""
    return {entry["field"] for entry in (draft_or_case.prefilled or {}).values()
            if entry.get("source") == "licences" and entry.get("value")}
