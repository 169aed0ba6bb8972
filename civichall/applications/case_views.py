"""The citizen's cases: "我的办件", one case with its timeline, material
handed in when asked for, the decision letter, the rating; and the public
verification page of a letter."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from civichall.accounts.citizens import citizen_of
from civichall.core.errors import REFUSALS, as_refusal, refusal_message

from . import actions, letter, lifecycle, presenting, uploads
from .actions.ratings import BAD_REASONS, GOOD_REASONS
from .models import Case, Material
from .permissions import access_case
from .views import _gate, personal

LETTER_STATES = (lifecycle.COMPLETED,)


def _case(request, number):
    case = get_object_or_404(Case.objects.select_related("definition", "organisation", "version", "citizen"),
                             number=number)
    return access_case(request.user, case, "view")


@personal
def my_cases(request):
    """我的办件: state, next step, due day of each."""
    citizen = citizen_of(request.user)
    if citizen is None:
        return redirect(f"/citizen/sign-in/?next={request.path}")
    cases = list(Case.objects.filter(citizen=citizen).select_related("definition", "organisation")[:200])
    for case in cases:
        case.state_label = presenting.STATE_LABELS[case.state]
        case.next_step = presenting.NEXT_STEPS[case.state]
    drafts = citizen.application_drafts.select_related("definition")
    return render(request, "applications/my_cases.html", {"cases": cases, "drafts": drafts})


def _case_context(request, case, error=""):
    rating = getattr(case, "rating", None) if hasattr(case, "rating") else None
    return {
        "case": case, "state_label": presenting.STATE_LABELS[case.state], "next_step": presenting.NEXT_STEPS[case.state],
        "events": [e for e in case.events.all() if not e.internal],
        "event_labels": presenting.EVENT_LABELS, "clock": presenting.case_clock(case),
        "materials": list(case.materials.all()), "parts": list(case.parts.select_related("organisation")),
        "specs": case.version.document.get("materials") or [],
        "rating": rating, "can_rate": case.state in (lifecycle.COMPLETED, lifecycle.NOT_ACCEPTED) and rating is None,
        "reasons": GOOD_REASONS + BAD_REASONS, "error": error,
        "letter": case.state in LETTER_STATES, "new": request.GET.get("new") == "1",
    }


@personal
def case_page(request, number):
    """One case: where it stands, its timeline, what the citizen can do."""
    if (gate := _gate(request)) is not None:
        return gate
    case = _case(request, number)
    return render(request, "applications/case.html", _case_context(request, case))


@personal
@require_http_methods(["POST"])
def supplement(request, number):
    """Hand in material asked for (one file per post), then confirm."""
    if (gate := _gate(request)) is not None:
        return gate
    case = _case(request, number)
    try:
        if request.POST.get("done"):
            actions.do_transition(request.user, case, "supplement")
        elif "file" in request.FILES:
            actions.do_add_material(request.user, request.POST.get("code", ""), request.FILES["file"], case=case)
        return redirect("applications:case", case.number)
    except REFUSALS as error:
        case.refresh_from_db()
        return render(request, "applications/case.html", _case_context(request, case, refusal_message(error)),
                      status=as_refusal(error).status)


@personal
@require_POST
def rate(request, number):
    """好差评: 1–5 with reasons."""
    if (gate := _gate(request)) is not None:
        return gate
    case = _case(request, number)
    try:
        actions.do_rate(request.user, case, request.POST.get("score"), request.POST.getlist("reason"),
                        request.POST.get("comment", ""))
    except REFUSALS as error:
        return render(request, "applications/case.html", _case_context(request, case, refusal_message(error)),
                      status=as_refusal(error).status)
    return redirect("applications:case", case.number)


@personal
def material_file(request, number, material_id):
    """A material, for the case's parties only (the citizen and its officers)."""
    case = _case(request, number)
    material = get_object_or_404(Material, pk=material_id, case=case)
    try:
        path = uploads.path_of(material.stored_as)
        handle = path.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type=material.content_type, as_attachment=True,
                            filename=f"{case.number}-{material.code}.{uploads.EXTENSIONS[material.content_type]}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def verify_url(request, case):
    return request.build_absolute_uri(reverse("applications:verify", args=[letter.verify_token(case)]))


@personal
def letter_pdf(request, number):
    """The decision letter of a completed case."""
    case = _case(request, number)
    if case.state not in LETTER_STATES:
        raise Http404
    content = letter.render_pdf(case, verify_url(request, case))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.number}.pdf"'
    return response


def verify(request, token):
    """Public: is this letter genuine? Shows only what the letter says on its face."""
    found = letter.read_token(token)
    case = None
    if found is not None:
        case = Case.objects.filter(number=found[0], letter_token=found[1], state__in=LETTER_STATES).select_related(
            "definition", "organisation").first()
    return render(request, "applications/verify.html", {"case": case}, status=200 if case else 404)
