"""Cases: submitting (idempotent), every transition of the lifecycle, the
parts of a bundle, claiming and assigning, internal notes."""

import secrets
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from civichall.accounts import policy
from civichall.accounts.citizens import require_verified
from civichall.accounts.models import Organisation
from civichall.core.errors import REFUSALS, Refusal, as_refusal
from civichall.core.i18n import message_lang

from .. import clock, formengine, lifecycle, reports
from ..models import Case, CaseEvent, CasePart, Draft, Material, PrefillCorrection
from ..permissions import access_case
from .common import audit, tell_citizen
from .drafts import check_open, draft_for, licences_fetched

MAX_KEY = 100

#: What the citizen is told, per event (their words for each change).
TOLD = {
    "submit": "您的申请已提交，我们将尽快受理。",
    "accept": "您的申请已受理，办理时限从今天起计算。",
    "not_accept": "您的申请不予受理：{reason}",
    "start_review": "您的申请正在审核。",
    "ask_material": "请补正材料：{reason}（补正期间办理时限暂停计算）",
    "supplement": "您补正的材料已收到，审核继续。",
    "approve": "您的申请已审核通过。",
    "reject": "您的申请未获批准：{reason}。如不服，{appeal}",
    "complete": "您的申请已办结，可以在办件页面下载决定书并评价服务。",
}


def _key(value):
    key = (value or "").strip()
    if len(key) > MAX_KEY or any(ord(c) < 33 or ord(c) > 126 for c in key):
        raise Refusal("invalid", _("The Idempotency-Key must be printable ASCII of at most 100 characters."), 422,
                      {"Idempotency-Key": _("Not a valid key.")})
    return key


def _missing_materials(doc, materials, licences):
    have = {m.code for m in materials}
    errors = {}
    for spec in doc.get("materials") or []:
        if spec.get("required") and spec["code"] not in have and spec.get("licence") not in licences:
            errors[f"materials.{spec['code']}"] = f"请上传{spec['name']}。"
    return errors


def _filed_with(citizen, key):
    """The case ``citizen`` filed with idempotency ``key``, if any."""
    return Case.objects.filter(citizen=citizen, idempotency_key=key).first() if key else None


def _number(case):
    return f"SQ-{timezone.localdate(case.submitted_at):%Y%m%d}-{case.pk:06d}"


def do_submit(user, definition, data=None, material_ids=None, *, idempotency_key="", declared=True):
    """File the citizen's application; return (case, created).

    The same citizen and ``idempotency_key`` always give the same case: a
    retry or a double click returns the first one (``created`` False), even
    when two arrive at once (the database's unique constraint decides).
    ``data`` (the API's body) is stored on the draft first, so that nothing
    typed is lost when it is refused; without it the draft is submitted."""
    citizen = require_verified(user)
    key = _key(idempotency_key)
    existing = _filed_with(citizen, key)
    if existing is not None:
        return existing, False
    check_open(definition)
    draft = None
    if data is not None:
        from .drafts import do_save_draft

        draft, _errors = do_save_draft(user, definition, data)  # checked in full below
    if draft is None:
        draft = Draft.objects.filter(citizen=citizen, definition=definition).select_related("version").first()
    if draft is None:
        # The draft is gone when the same submit was filed meanwhile.
        existing = _filed_with(citizen, key)
        if existing is not None:
            return existing, False
        draft = draft_for(citizen, definition)
    doc = draft.version.document
    if not declared:
        raise Refusal("invalid", _("Please confirm the declaration."), 422,
                      {"declaration": _("Please confirm the declaration.")})
    lang = message_lang()
    errors = {k: m.get(lang) for k, m in formengine.validate(doc, draft.data).items()}
    materials = list(Material.objects.filter(citizen=citizen, case__isnull=True, draft=draft))
    if material_ids is not None:
        chosen = {int(i) for i in material_ids if str(i).isdigit()}
        materials = [m for m in materials if m.pk in chosen]
        if len(materials) != len(chosen):
            errors["materials"] = _("One of the materials is not yours or was already used.")
    errors.update(_missing_materials(doc, materials, licences_fetched(draft)))
    if errors:
        existing = _filed_with(citizen, key)
        if existing is not None:
            return existing, False
        raise Refusal("invalid", _("Please check the fields marked."), 422, errors)
    data = formengine.clean(doc, draft.data)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                number=f"tmp-{uuid.uuid4().hex[:28]}", citizen=citizen, definition=definition, version=draft.version,
                organisation=routed_organisation(definition, doc, data), idempotency_key=key, data=data,
                prefilled=draft.prefilled, letter_token=secrets.token_urlsafe(16))
            case.number = _number(case)
            case.save(update_fields=["number"])
            slugs = {p["organisation"] for p in doc.get("parts") or []}
            orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
            CasePart.objects.bulk_create([
                CasePart(case=case, organisation=orgs.get(p["organisation"], definition.organisation),
                         title=p["title"], fields=p.get("fields") or []) for p in doc.get("parts") or []])
            for prop, entry in (draft.prefilled or {}).items():
                # A value whose source's consent was withdrawn is the citizen's own entry, not a correction.
                if prop in data and not entry.get("withdrawn_at") and data[prop] != entry.get("value"):
                    PrefillCorrection.objects.create(case=case, field=prop, source=entry.get("source", ""),
                                                     fetched=entry.get("value"), entered=data[prop])
            Material.objects.filter(pk__in=[m.pk for m in materials]).update(case=case, draft=None)
            draft.delete()
            CaseEvent.objects.create(case=case, event="submit", state=case.state)
            audit(case, "case.submit", user, number=case.number, version=draft.version.number)
            tell_citizen(case, TOLD["submit"])
    except IntegrityError:
        existing = _filed_with(citizen, key)
        if existing is not None:
            return existing, False
        raise
    return case, True


def routed_organisation(definition, doc, data):
    """Who handles a case: a problem report goes by its district (``reports``),
    every other application to the definition's organisation."""
    if not reports.is_report(doc):
        return definition.organisation
    slug = reports.routed_slug(doc, data)
    if slug == definition.organisation.slug:
        return definition.organisation
    return Organisation.objects.filter(slug=slug).first() or definition.organisation


def _limit(case):
    return int(case.version.document.get("time_limit_days") or 20)


def do_transition(user, case, event, *, reason="", appeal="", note=""):
    """Move ``case`` by ``event`` (see ``lifecycle``): the table decides
    whether it is possible, the policy who may, the clock what it means for
    the due day; the citizen is told and the timeline shows it."""
    action = "supplement" if event in lifecycle.CITIZEN_EVENTS else "handle"
    access_case(user, case, action)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        try:
            target = lifecycle.next_state(case.state, event, reason=reason, appeal=appeal)
        except lifecycle.TransitionError as exc:
            if exc.code in ("reason_required", "appeal_required"):
                field = "appeal" if exc.code == "appeal_required" else "reason"
                raise Refusal("invalid", _(str(exc)), 422, {field: _(str(exc))}) from None
            raise Refusal(exc.code, _(str(exc)), 409) from None
        if event == "approve" and case.parts.filter(done_at__isnull=True).exists():
            raise Refusal("parts_open", _("Every part of this case must be done before it is approved."), 409)
        today = timezone.localdate()
        if event == "accept":
            case.accepted_on = today
            case.due_on = clock.due_on(today, _limit(case))
        elif event == "ask_material":
            case.paused_since = today
        elif event == "supplement" and case.paused_since is not None:
            case.paused_days += clock.working_days_between(case.paused_since, today)
            case.paused_since = None
            if case.accepted_on:
                case.due_on = clock.due_on(case.accepted_on, _limit(case), case.paused_days)
        if event in ("not_accept", "reject", "ask_material"):
            case.reason = reason.strip()
        if event == "reject":
            case.appeal = appeal.strip()
        if target in (lifecycle.NOT_ACCEPTED, lifecycle.COMPLETED):
            case.closed_at = timezone.now()
        case.state = target
        case.save()
        CaseEvent.objects.create(case=case, event=event, state=target, note=(reason or note).strip(),
                                 actor=policy.recorded_user(user) if action == "handle" else None)
        audit(case, "case.transition", user, event=event, state=target)
        tell_citizen(case, TOLD[event].format(reason=reason.strip(), appeal=appeal.strip()))
    return case


def do_complete_part(user, part):
    """Mark one organisation's part of a bundle as done."""
    policy.check(user, "case_part", "handle", part)
    part.case = Case.objects.get(pk=part.case_id)
    if part.case.state != lifecycle.IN_REVIEW:
        raise Refusal("not_in_review", _("Only a case in review can be decided."), 409)
    if part.done_at is None:
        part.done_at, part.done_by = timezone.now(), policy.recorded_user(user)
        part.save(update_fields=["done_at", "done_by"])
        CaseEvent.objects.create(case=part.case, event="part_done", state=part.case.state, note=part.title,
                                 actor=policy.recorded_user(user))
        audit(part.case, "case.part", user, part=part.title)
    return part


def do_claim_case(user, case):
    """Take a case to work on it."""
    return do_assign_case(user, case, user)


def do_assign_case(user, case, officer):
    """Give ``case`` to ``officer``, who must be able to handle it."""
    access_case(user, case, "handle")
    if officer is not None:
        if not policy.allows(officer, "case", "handle", case):
            raise PermissionDenied
        officer = get_user_model().objects.get(pk=officer.pk)
    case.assignee = officer
    case.save(update_fields=["assignee"])
    CaseEvent.objects.create(case=case, event="assign", state=case.state, internal=True,
                             note=officer.get_username() if officer else "", actor=policy.recorded_user(user))
    audit(case, "case.assign", user, officer=officer.pk if officer else None)
    return case


def do_add_note(user, case, text):
    """An internal note, seen by staff only."""
    access_case(user, case, "handle")
    text = (text or "").strip()
    if not text:
        raise Refusal("invalid", _("Write the note."), 422, {"text": _("Write the note.")})
    event = CaseEvent.objects.create(case=case, event="note", state=case.state, note=text[:4000], internal=True,
                                     actor=policy.recorded_user(user))
    audit(case, "case.note", user)
    return event


#: What an officer may do to several cases at once. A decision that needs a
#: reason (not accepting, asking for material, rejecting) is in bulk only with
#: one reason given for all of them.
BULK_ACTIONS = ("claim", "assign", "accept", "not_accept", "start_review", "ask_material", "approve", "reject",
                "complete")
MAX_BULK = 100


@dataclass
class BulkOutcome:
    """What a bulk action did: the numbers done, and per refused number the
    code and the refusing action's own message."""

    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (number, code, message)


def seen_token(case):
    """What an officer saw of a case when choosing it (its state and
    officer): a bulk action refuses a case that changed since."""
    return f"{case.state}:{case.assignee_id or ''}"


def check_bulk(what, numbers, *, officer=None, reason="", appeal="", facts=True):
    """Refuse a bulk request that cannot apply to any case (422, naming the
    field): an unknown action, no cases or too many, and (unless ``facts``
    is False: the admin asks for them on its confirmation step) an
    assignment without an officer, a decision without its one reason.
    Returns the numbers, each once, in the order given."""
    if what not in BULK_ACTIONS:
        raise Refusal("invalid", _("Choose what to do with the selected cases."), 422,
                      {"action": _("Not an action that can be applied to several cases.")})
    numbers = list(dict.fromkeys(str(n).strip() for n in numbers or [] if str(n).strip()))
    if not numbers:
        raise Refusal("invalid", _("Select at least one case."), 422, {"cases": _("Select at least one case.")})
    if len(numbers) > MAX_BULK or any(len(n) > 32 for n in numbers):
        raise Refusal("invalid", _("Select at most %(n)s cases at once.") % {"n": MAX_BULK}, 422,
                      {"cases": _("Select at most %(n)s cases at once.") % {"n": MAX_BULK}})
    if not facts:
        return numbers
    if what == "assign" and officer is None:
        raise Refusal("invalid", _("Choose the officer to assign the cases to."), 422,
                      {"officer": _("Choose an officer.")})
    if what in lifecycle.EVENTS:
        try:
            lifecycle.check_facts(what, reason=reason, appeal=appeal)
        except lifecycle.TransitionError as exc:
            name = "appeal" if exc.code == "appeal_required" else "reason"
            raise Refusal("invalid", _(str(exc)), 422, {name: _(str(exc))}) from None
    return numbers


def do_bulk_cases(user, what, numbers, *, officer=None, reason="", appeal="", seen=None):
    """Apply one action to several cases, each through its own named action
    (``do_claim_case``, ``do_assign_case``, ``do_transition``) with its own
    permission check, audit entry and notice to the citizen, each in its own
    transaction. A case that refuses -- another state, changed since it was
    seen (``seen``: number -> ``seen_token``), not the officer's to handle,
    unknown or another organisation's (the same words: nothing is revealed)
    -- is reported by number with the refusal's message; the others are done."""
    numbers = check_bulk(what, numbers, officer=officer, reason=reason, appeal=appeal)
    seen = seen or {}
    cases = {c.number: c for c in Case.objects.filter(number__in=numbers).select_related("version")}
    outcome = BulkOutcome()
    for number in numbers:
        try:
            with transaction.atomic():
                case = cases.get(number)
                if case is None:
                    raise Http404
                access_case(user, case, "view")
                if number in seen:
                    current = Case.objects.select_for_update().get(pk=case.pk)
                    if seen_token(current) != seen[number]:
                        raise Refusal("changed", _("This case changed after you chose it; open it and look again."),
                                      409)
                if what == "claim":
                    do_claim_case(user, case)
                elif what == "assign":
                    do_assign_case(user, case, officer)
                else:
                    do_transition(user, case, what, reason=reason, appeal=appeal)
        except Http404:
            outcome.refused.append((number, "not_found", _("No such case among those you may see.")))
        except REFUSALS as error:
            refusal = as_refusal(error)
            outcome.refused.append((number, refusal.code, str(refusal.message)))
        else:
            outcome.done.append(number)
    return outcome


def escalate_overdue_cases(today=None):
    """Mark open cases whose clock says ``escalated``; returns how many. The
    system acts, and each is written on the case's timeline (staff only)."""
    from ..presenting import case_clock

    today = today or timezone.localdate()
    count = 0
    candidates = Case.objects.filter(escalated_at__isnull=True, due_on__lt=today).exclude(
        state__in=[lifecycle.NOT_ACCEPTED, lifecycle.COMPLETED, lifecycle.NEEDS_MATERIAL, lifecycle.APPROVED,
                   lifecycle.REJECTED])
    for case in candidates.iterator():
        if case_clock(case, today) == clock.ESCALATED:
            case.escalated_at = timezone.now()
            case.save(update_fields=["escalated_at"])
            CaseEvent.objects.create(case=case, event="escalate", state=case.state, internal=True,
                                     note=f"超过办理期限 {case.due_on:%Y-%m-%d}")
            audit(case, "case.escalate", policy.SYSTEM)
            count += 1
    return count
