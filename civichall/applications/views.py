"""The citizen's application pages. They work without JavaScript: each
step is a plain form posted to the server, which keeps what was typed in the
draft before checking it, so nothing is lost on an error.

Thin: parse, call an action, render or redirect.
"""

import functools
import uuid
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from civichall.accounts.citizens import citizen_of
from civichall.core.errors import REFUSALS, as_refusal, refusal_message
from civichall.core.inputs import int_or_none

from . import actions, formengine, presenting
from .actions.drafts import consented_sources, current_consents, draft_for, licences_fetched, sources_of
from .models import ApplicationDefinition, DefinitionStatus, Material
from .permissions import access_definition
from .prefill import consent_wording, holder_and_what


def personal(view):
    """A page of one citizen: never cached, never sent as a referrer."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] += ", private"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


def _definition(request, code):
    definition = get_object_or_404(ApplicationDefinition.objects.select_related("current", "organisation"), code=code)
    access_definition(request.user, definition)
    return definition


def _gate(request):
    """None when a verified citizen is here, else where to send them."""
    citizen = citizen_of(request.user)
    if citizen is None:
        return redirect("/citizen/sign-in/?" + urlencode({"next": request.path}))
    if not citizen.is_verified:
        return redirect("/citizen/?" + urlencode({"next": request.path}))
    return None


@personal
def start(request, code):
    """What the application is, who may apply, what to have ready."""
    definition = ApplicationDefinition.objects.filter(code=code).select_related("current", "organisation").first()
    if definition is None or definition.status != DefinitionStatus.ACTIVE or definition.current is None:
        return render(request, "applications/not_online.html", {"code": code}, status=404)
    doc = definition.current.document
    citizen = citizen_of(request.user)
    draft = citizen.application_drafts.filter(definition=definition).first() if citizen else None
    return render(request, "applications/start.html", {
        "definition": definition, "doc": doc, "draft": draft, "citizen": citizen,
        "sources": [holder_and_what(s) for s in sources_of(doc)],
    })


@personal
@require_http_methods(["GET", "POST"])
def consent(request, code):
    """Ask, per source and in plain words, before fetching anything."""
    definition = _definition(request, code)
    if (gate := _gate(request)) is not None:
        return gate
    doc = definition.current.document
    sources = sources_of(doc)
    if not sources:
        return redirect("applications:step", code, 0)
    if request.method == "POST" and "withdraw" in request.POST:
        try:
            actions.do_withdraw_consent(request.user, definition, request.POST.get("withdraw", ""))
        except REFUSALS as error:
            return render(request, "applications/consent.html", {
                "definition": definition, "error": refusal_message(error),
                "sources": [(s, consent_wording(s)) for s in sources],
                "agreed": consented_sources(citizen_of(request.user), definition)}, status=as_refusal(error).status)
        return redirect(reverse("applications:consent", args=[code]) + "?withdrawn=1")
    if request.method == "POST":
        chosen = [s for s in request.POST.getlist("source") if s in sources]
        try:
            if chosen:
                actions.do_give_consent(request.user, definition, chosen)
                actions.do_prefill(request.user, definition)
            else:
                draft_for(citizen_of(request.user), definition)
        except REFUSALS as error:
            return render(request, "applications/consent.html", {
                "definition": definition, "error": refusal_message(error),
                "sources": [(s, consent_wording(s)) for s in sources]}, status=as_refusal(error).status)
        return redirect("applications:step", code, 0)
    agreed = consented_sources(citizen_of(request.user), definition)
    return render(request, "applications/consent.html", {
        "definition": definition, "sources": [(s, consent_wording(s)) for s in sources], "agreed": agreed,
        "withdrawn": bool(request.GET.get("withdrawn"))})


@personal
@require_http_methods(["GET", "POST"])
def my_consents(request):
    """The sources the citizen lets the city fetch from, per application,
    each with a way to withdraw it (linked from "my data use")."""
    citizen = citizen_of(request.user)
    if citizen is None:
        return redirect("/citizen/sign-in/?" + urlencode({"next": request.path}))
    error, status = "", 200
    if request.method == "POST":
        definition = ApplicationDefinition.objects.filter(code=request.POST.get("application", "")).first()
        try:
            if definition is None:
                raise Http404
            actions.do_withdraw_consent(request.user, definition, request.POST.get("source", ""))
        except Http404:
            error, status = str(_("There is no such consent to withdraw.")), 404
        except REFUSALS as refusal:
            error, status = refusal_message(refusal), as_refusal(refusal).status
        else:
            return redirect(reverse("applications:consents") + "?withdrawn=1")
    return render(request, "applications/consents.html", {
        "consents": current_consents(citizen), "error": error, "withdrawn": bool(request.GET.get("withdrawn"))},
        status=status)


def _step_context(definition, draft, index, errors=None):
    doc = draft.version.document
    step = formengine.steps(doc)[index]
    sections = []
    for section in step.get("sections", []):
        rows = presenting.field_rows(doc, section.get("fields", []), draft.data, errors, draft.prefilled)
        if rows:
            sections.append({"title": section.get("title", ""), "help": section.get("help", ""), "fields": rows})
    return {"definition": definition, "draft": draft, "step": step, "index": index, "sections": sections,
            "steps": formengine.steps(doc), "last": index == len(formengine.steps(doc)) - 1,
            "errors": errors or {}}


@personal
@require_http_methods(["GET", "POST"])
def step(request, code, index):
    """One step of the form: plain POST, errors next to the fields."""
    definition = _definition(request, code)
    if (gate := _gate(request)) is not None:
        return gate
    draft = draft_for(citizen_of(request.user), definition)
    doc = draft.version.document
    if not 0 <= index < len(formengine.steps(doc)):
        raise Http404
    if request.method == "POST":
        names = formengine.fields_of_step(doc, index)
        raw = {}
        for name in names:
            if formengine.property_of(doc, name).get("type") == "boolean":
                raw[name] = "true" if request.POST.get(name) else "false"
            elif name in request.POST:
                raw[name] = request.POST.get(name, "")
        try:
            draft, errors = actions.do_save_draft(request.user, definition, raw, step=index, check=names)
        except REFUSALS as error:
            return render(request, "applications/message.html", {"message": refusal_message(error)},
                          status=as_refusal(error).status)
        going = request.POST.get("go", "next")
        if going == "back":
            return redirect("applications:step", code, max(0, index - 1))
        if errors and going == "next":
            return render(request, "applications/step.html", _step_context(definition, draft, index, errors),
                          status=422)
        if going == "save":
            return redirect("applications:step", code, index)
        if index + 1 < len(formengine.steps(doc)):
            return redirect("applications:step", code, index + 1)
        return redirect("applications:materials", code)
    return render(request, "applications/step.html", _step_context(definition, draft, index))


def _material_rows(doc, materials, licences):
    rows = []
    for spec in doc.get("materials") or []:
        rows.append({"spec": spec, "files": [m for m in materials if m.code == spec["code"]],
                     "replaced": spec.get("licence") in licences,
                     "types": "、".join(t.split("/")[1].upper().replace("JPEG", "JPG") for t in spec["types"])})
    return rows


@personal
@require_http_methods(["GET", "POST"])
def materials(request, code):
    """Upload the materials; a refused file says why and keeps the draft."""
    definition = _definition(request, code)
    if (gate := _gate(request)) is not None:
        return gate
    draft = draft_for(citizen_of(request.user), definition)
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                material = get_object_or_404(Material, pk=int_or_none(request.POST.get("remove")) or 0, draft=draft)
                actions.do_remove_material(request.user, material)
            elif "file" not in request.FILES:
                error, status = str(_("Choose a file first.")), 400
            else:
                actions.do_add_material(request.user, request.POST.get("code", ""), request.FILES["file"],
                                        definition=definition)
                return redirect("applications:materials", code)
        except REFUSALS as refusal:
            error, status = refusal_message(refusal), as_refusal(refusal).status
    doc = draft.version.document
    return render(request, "applications/materials.html", {
        "definition": definition, "draft": draft, "error": error, "error_code": request.POST.get("code", ""),
        "rows": _material_rows(doc, list(draft.materials.all()), licences_fetched(draft)),
        "last_step": len(formengine.steps(doc)) - 1}, status=status)


def _review_context(definition, draft, errors=None):
    doc = draft.version.document
    steps = []
    for i, step in enumerate(formengine.steps(doc)):
        rows = presenting.field_rows(doc, formengine.fields_of_step(doc, i), draft.data, None, draft.prefilled)
        steps.append({"index": i, "title": step.get("title", ""), "fields": rows})
    return {"definition": definition, "draft": draft, "steps": steps, "errors": errors or {},
            "rows": _material_rows(doc, list(draft.materials.all()), licences_fetched(draft)),
            "declaration": doc.get("declaration") or "", "key": uuid.uuid4().hex}


@personal
@require_http_methods(["GET", "POST"])
def review(request, code):
    """Everything on one page, the declaration, and submit. The form carries
    a fresh idempotency key, so a double click files one case."""
    definition = _definition(request, code)
    if (gate := _gate(request)) is not None:
        return gate
    citizen = citizen_of(request.user)
    if request.method == "POST":
        key = request.POST.get("key", "")
        try:
            case, _created = actions.do_submit(request.user, definition, idempotency_key=key,
                                               declared=bool(request.POST.get("declare")))
        except REFUSALS as error:
            refusal = as_refusal(error)
            draft = draft_for(citizen, definition)
            context = _review_context(definition, draft, refusal.fields or {})
            context["message"] = refusal_message(error)
            return render(request, "applications/review.html", context, status=refusal.status)
        return redirect(reverse("applications:case", args=[case.number]) + "?new=1")
    draft = draft_for(citizen, definition)
    return render(request, "applications/review.html", _review_context(definition, draft))

