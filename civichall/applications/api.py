"""The applications room in the API.

Public: the open applications and each one's definition (its JSON Schema
under ``schema``). Citizens (a citizen token): their draft, consent and
prefill, materials, submit (``Idempotency-Key``), their cases, supplements
and rating. Staff (a staff token): the queue of their organisation's cases
and the actions on them. Another citizen's case, or another organisation's,
answers 404 like a missing one.
"""

from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Header, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from civichall.accounts.api_auth import citizen_token, staff_token
from civichall.core.api_pagination import PagePagination, paginate, shaped
from civichall.core.api_schemas import InputSchema
from civichall.core.errors import Refusal
from civichall.core.i18n import message_lang
from civichall.core.inputs import MAX_ID

from . import actions, formengine, lifecycle, presenting
from .actions.drafts import consented_sources, current_consents, draft_for, sources_of
from .models import ApplicationDefinition, Case, CasePart, DefinitionStatus
from .permissions import access_case, access_definition, cases_for_staff
from .prefill import consent_wording

router = Router(tags=["applications"])


def _definition(request, code):
    definition = get_object_or_404(ApplicationDefinition.objects.select_related("current", "organisation"),
                                   code=code, status=DefinitionStatus.ACTIVE, current__isnull=False)
    return access_definition(request.user, definition)


def _summary(definition):
    doc = definition.current.document
    return {"code": definition.code, "title": definition.title, "title_en": definition.title_en,
            "organisation": definition.organisation.slug, "version": definition.current.number,
            "time_limit_days": doc.get("time_limit_days"), "bundle": bool(doc.get("parts"))}


@router.get("/applications", response=list[dict], summary="Applications open online")
@paginate(PagePagination)
def list_applications(request):
    """Every application that can be made online, by code."""
    qs = ApplicationDefinition.objects.filter(status=DefinitionStatus.ACTIVE, current__isnull=False).select_related(
        "current", "organisation")
    return shaped(qs, _summary)


@router.get("/applications/{code}", response=dict, summary="One application's definition")
def application(request, code: str):
    """The current version: ``schema`` (JSON Schema 2020-12), ``layout``
    (steps and sections), ``conditions``, ``materials``, the prefill sources
    with the words consent is asked in, the declaration and the parts of a bundle."""
    definition = _definition(request, code)
    doc = definition.current.document
    return {**_summary(definition), "summary": doc.get("summary", ""), "eligibility": doc.get("eligibility", []),
            "schema": doc["schema"], "layout": doc["layout"], "conditions": doc.get("conditions", []),
            "materials": doc.get("materials", []), "declaration": doc.get("declaration", ""),
            "parts": doc.get("parts", []),
            "prefill": [{"source": s, "consent": consent_wording(s)} for s in sources_of(doc)]}


# --- citizens ------------------------------------------------------------------------------------


def _errors(errors):
    lang = message_lang()
    return {k: m.get(lang) for k, m in errors.items()}


def _draft_json(draft, errors=None):
    return {"application": draft.definition.code, "version": draft.version.number, "data": draft.data,
            "prefilled": draft.prefilled, "step": draft.step, "errors": errors or {},
            "materials": [{"id": m.pk, "code": m.code, "name": m.original_name, "size": m.size,
                           "content_type": m.content_type} for m in draft.materials.all()]}


class DraftIn(InputSchema):
    data: dict = Field(..., description="field -> value (JSON values, or form strings)")
    step: int | None = Field(None, ge=0, le=50)


@router.get("/applications/{code}/draft", auth=citizen_token, response=dict, summary="My draft (citizens)")
def get_draft(request, code: str):
    """Your draft of this application (created empty): resume it on any device."""
    definition = _definition(request, code)
    actions.drafts.check_open(definition)
    from civichall.accounts.citizens import require_verified

    return _draft_json(draft_for(require_verified(request.auth.user), definition))


@router.put("/applications/{code}/draft", auth=citizen_token, response=dict, summary="Save my draft (citizens)")
def put_draft(request, code: str, data: DraftIn):
    """Stored as sent, whatever its errors; ``errors`` names each field that is wrong."""
    definition = _definition(request, code)
    draft, errors = actions.do_save_draft(request.auth.user, definition, data.data, step=data.step)
    return _draft_json(draft, _errors(errors))


class ConsentIn(InputSchema):
    sources: list[Literal["identity", "residence", "social_security", "medical_insurance", "licences"]] = Field(
        ..., min_length=1, max_length=5)


@router.post("/applications/{code}/prefill", auth=citizen_token, response=dict,
             summary="Consent and fill my draft from department systems (citizens)")
def prefill(request, code: str, data: ConsentIn):
    """Records your consent to each source named, then fetches every source
    you consented to and fills the empty fields of your draft. ``sources``
    says per source: ``ok``, ``unavailable`` (type it yourself) or
    ``no_consent``. Each fetch appears in your data-use log."""
    definition = _definition(request, code)
    actions.do_give_consent(request.auth.user, definition, data.sources)
    draft, outcome = actions.do_prefill(request.auth.user, definition)
    return {"draft": _draft_json(draft), "sources": outcome,
            "consented": sorted(consented_sources(request.auth, definition))}


SourceCode = Literal["identity", "residence", "social_security", "medical_insurance", "licences"]


@router.delete("/applications/{code}/consents/{source}", auth=citizen_token, response=dict,
               summary="Withdraw my consent to a prefill source (citizens)")
def withdraw_consent(request, code: str, source: SourceCode):
    """Nothing more is fetched from ``source`` for this application until
    you consent again (``POST .../prefill``). What it filled stays in your
    draft, editable, and is sent as your own entry; cases already filed keep
    what was fetched and show the officer when you withdrew (``cases``).
    Recorded in your data-use log. 409 when no consent is in force."""
    definition = get_object_or_404(ApplicationDefinition, code=code)
    access_definition(request.user, definition)
    cases = actions.do_withdraw_consent(request.auth.user, definition, source)
    return {"withdrawn": source, "consented": sorted(consented_sources(request.auth, definition)), "cases": cases}


@router.get("/citizen/consents", auth=citizen_token, response=list[dict], summary="My consents in force (citizens)")
def my_consents(request):
    """Per application and source: the words you agreed to and when."""
    return [{"application": c.definition.code, "source": c.source, "wording": c.wording,
             "given_at": c.given_at.isoformat()} for c in current_consents(request.auth)]


@router.post("/applications/{code}/materials", auth=citizen_token, response={201: dict},
             summary="Upload a material to my draft (citizens)")
def upload_material(request, code: str, material: Form[str], file: File[UploadedFile]):
    """The type is read from the file's content; images are re-encoded. A
    refused file answers 422 with the reason; the draft is kept."""
    definition = _definition(request, code)
    kept = actions.do_add_material(request.auth.user, material, file, definition=definition)
    return Status(201, {"id": kept.pk, "code": kept.code, "content_type": kept.content_type, "size": kept.size})


class SubmitIn(InputSchema):
    data: dict | None = Field(None, description="the form's data; omit to submit your saved draft")
    materials: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        None, max_length=50, description="ids of materials you uploaded; omit for all of your draft's")
    declaration: bool = Field(True, description="you confirm the application's declaration")


@router.post("/applications/{code}/submit", auth=citizen_token, response={200: dict, 201: dict},
             summary="Submit an application (citizens)")
def submit(request, code: str, data: SubmitIn,
           idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=100)] = ""):
    """Files one case: 201 with ``{"case": {"number", "state"}}``. A retry
    with the same ``Idempotency-Key`` answers 200 with the same case, even
    when the first is still being filed. Errors: 422 with a message per
    field (materials as ``materials.<code>``); what you sent is kept in your draft."""
    definition = ApplicationDefinition.objects.filter(code=code).first()
    if definition is None:
        raise Refusal("not_found", None, 404)
    case, created = actions.do_submit(request.auth.user, definition, data.data, data.materials,
                                      idempotency_key=idempotency_key, declared=data.declaration)
    return Status(201 if created else 200, {"case": {"number": case.number, "state": case.state}})


class CasesQuery(Schema):
    state: Literal[lifecycle.STATES] | None = None  # type: ignore[valid-type]


@router.get("/citizen/cases", auth=citizen_token, response=list[dict], summary="My cases (citizens)")
@paginate(PagePagination)
def my_cases(request, query: Query[CasesQuery]):
    """Newest first: state, next step, due day."""
    qs = Case.objects.filter(citizen=request.auth).select_related("definition", "organisation", "version")
    if query.state:
        qs = qs.filter(state=query.state)
    return shaped(qs.prefetch_related("parts__organisation"), presenting.case_json)


@router.get("/citizen/application-data-use", auth=citizen_token, response=list[dict],
            summary="What was fetched about me for my applications (citizens)")
@paginate(PagePagination)
def my_data_use(request):
    """Each fetch of fill-once prefill: when, from which department, which
    data, for which application, and whether the department answered
    (``kind`` ``fetch``); and each consent you withdrew (``withdraw``)."""
    from .models import DataUse

    qs = DataUse.objects.filter(citizen=request.auth).select_related("definition")
    return shaped(qs, lambda u: {"at": u.at.isoformat(), "source": u.source, "holder": u.holder,
                                 "fields": u.fields, "application": u.definition.code, "ok": u.ok, "kind": u.kind})


def _own_case(request, number):
    case = get_object_or_404(Case.objects.select_related("definition", "organisation", "version"), number=number)
    return access_case(request.auth.user, case, "view")


@router.get("/cases/{number}", auth=citizen_token, response=dict, summary="One of my cases with its timeline (citizens)")
def case_detail(request, number: str):
    return presenting.case_json(_own_case(request, number), events=True)


@router.post("/cases/{number}/supplements", auth=citizen_token, response={201: dict},
             summary="Hand in material asked for (citizens)")
def add_supplement(request, number: str, material: Form[str], file: File[UploadedFile]):
    case = _own_case(request, number)
    kept = actions.do_add_material(request.auth.user, material, file, case=case)
    return Status(201, {"id": kept.pk, "code": kept.code, "content_type": kept.content_type, "size": kept.size})


@router.post("/cases/{number}/supplements/done", auth=citizen_token, response=dict,
             summary="Say the material asked for is complete (citizens)")
def supplement_done(request, number: str):
    """The case goes back to review and its clock runs again (409 if no material was asked for)."""
    case = actions.do_transition(request.auth.user, _own_case(request, number), "supplement")
    return presenting.case_json(case, events=True)


class RatingIn(InputSchema):
    score: int = Field(..., ge=1, le=5)
    reasons: list[str] = Field(default_factory=list, max_length=10)
    comment: str = Field("", max_length=1000)


@router.post("/cases/{number}/rating", auth=citizen_token, response={201: dict},
             summary="Rate a finished case (citizens)")
def rate(request, number: str, data: RatingIn):
    """好差评: once per case; 1–2 opens a follow-up the organisation answers."""
    rating = actions.do_rate(request.auth.user, _own_case(request, number), data.score, data.reasons, data.comment)
    return Status(201, {"score": rating.score, "reasons": rating.reasons, "follow_up": rating.score <= 2})


# --- staff ---------------------------------------------------------------------------------------

staff_router = Router(tags=["applications (staff)"], auth=staff_token)


class QueueQuery(Schema):
    state: Literal[lifecycle.STATES] | None = None  # type: ignore[valid-type]
    application: str | None = Field(None, max_length=80)
    assigned: Literal["me", "nobody"] | None = None


@staff_router.get("/staff/cases", response=list[dict], summary="The case queue (staff)")
@paginate(PagePagination)
def queue(request, query: Query[QueueQuery]):
    """Cases of your organisations (and bundles with a part of theirs), due first."""
    qs = cases_for_staff(request.user, Case.objects.all()).select_related("definition", "organisation", "version",
                                                                          "assignee")
    if query.state:
        qs = qs.filter(state=query.state)
    if query.application:
        definition_id = ApplicationDefinition.objects.filter(code=query.application).values_list(
            "pk", flat=True).first()
        qs = qs.filter(definition_id=definition_id) if definition_id else qs.none()
    if query.assigned == "me":
        qs = qs.filter(assignee=request.user)
    elif query.assigned == "nobody":
        qs = qs.filter(assignee__isnull=True)
    return shaped(qs.order_by("due_on", "submitted_at").prefetch_related("parts__organisation"),
                  lambda c: presenting.case_json(c, staff=True))


class BulkIn(InputSchema):
    action: Literal["claim", "assign", "accept", "not_accept", "start_review", "ask_material", "approve", "reject",
                    "complete"]
    cases: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(
        ..., min_length=1, max_length=100, description="tracking numbers")
    officer: str | None = Field(None, max_length=150, description="username to assign to (``assign``)")
    reason: str = Field("", max_length=2000, description="one reason for every case (``not_accept``, "
                                                           "``ask_material``, ``reject``)")
    appeal: str = Field("", max_length=2000, description="how to appeal (``reject``)")


class BulkRefusal(Schema):
    number: str
    code: str
    message: str


class BulkOut(Schema):
    done: list[str]
    refused: list[BulkRefusal]


@staff_router.post("/staff/cases/bulk", response=BulkOut, summary="One action on several cases (staff)")
def bulk(request, data: BulkIn):
    """Each case goes through the same action as on its own (its permission
    check, audit entry and notice to the citizen). 200 with the numbers
    ``done`` and, per case ``refused``, the action's own refusal (``code``,
    ``message``): another state, not yours to handle, or ``not_found`` --
    unknown and another organisation's cases answer alike. 422 when nothing
    can be done: an unknown officer, a missing reason."""
    officer = None
    if data.action == "assign":
        from django.contrib.auth import get_user_model

        officer = get_user_model().objects.filter(username=data.officer or "", is_active=True).first()
        if officer is None:
            raise Refusal("invalid", _("No such officer."), 422, {"officer": _("No such officer.")})
    outcome = actions.do_bulk_cases(request.user, data.action, data.cases, officer=officer, reason=data.reason,
                                    appeal=data.appeal)
    return {"done": outcome.done,
            "refused": [{"number": n, "code": code, "message": message} for n, code, message in outcome.refused]}


def _staff_case(request, number):
    case = get_object_or_404(Case.objects.select_related("definition", "organisation", "version", "assignee"),
                             number=number)
    return access_case(request.user, case, "view")


@staff_router.get("/staff/cases/{number}", response=dict, summary="One case, with its data and corrections (staff)")
def staff_case(request, number: str):
    return presenting.case_json(_staff_case(request, number), events=True, staff=True)


class TransitionIn(InputSchema):
    event: Literal["accept", "not_accept", "start_review", "ask_material", "approve", "reject", "complete"]
    reason: str = Field("", max_length=2000)
    appeal: str = Field("", max_length=2000)


@staff_router.post("/staff/cases/{number}/transitions", response=dict, summary="Move a case on (staff)")
def transition(request, number: str, data: TransitionIn):
    """409 when the case's state does not allow the event; 422 when a reason is missing."""
    case = actions.do_transition(request.user, _staff_case(request, number), data.event, reason=data.reason,
                                 appeal=data.appeal)
    return presenting.case_json(case, events=True, staff=True)


@staff_router.post("/staff/cases/{number}/claim", response=dict, summary="Claim a case (staff)")
def claim(request, number: str):
    return presenting.case_json(actions.do_claim_case(request.user, _staff_case(request, number)), staff=True)


class NoteIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=4000)


@staff_router.post("/staff/cases/{number}/notes", response={201: dict}, summary="Add an internal note (staff)")
def note(request, number: str, data: NoteIn):
    event = actions.do_add_note(request.user, _staff_case(request, number), data.text)
    return Status(201, {"note": event.note, "at": event.at.isoformat()})


@staff_router.post("/staff/cases/{number}/parts/{part_id}/done", response=dict,
                   summary="Complete your organisation's part of a bundle (staff)")
def part_done(request, number: str, part_id: int):
    case = _staff_case(request, number)
    part = get_object_or_404(CasePart, pk=part_id, case=case)
    actions.do_complete_part(request.user, part)
    return presenting.case_json(case, events=True, staff=True)


__all__ = ["router", "staff_router", "formengine"]
