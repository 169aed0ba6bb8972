"""The chat page at ``/assistant/``: a plain form that works without
JavaScript (each question reloads the page with its answers), phone first,
elder mode and English through the site's switches. Thin: parse, call the
door, render."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from civichall.accounts.citizens import citizen_of
from civichall.core.errors import REFUSALS, as_refusal, refusal_message
from civichall.core.i18n import wants_english

from . import actions
from .answering import ask
from .models import Faq, FaqStatus

EXAMPLES = ("失业了怎么领钱", "宝宝出生了怎么上户口", "71路到哪了", "奶茶杯是什么垃圾", "居住证怎么办")


def _render(request, context, status=200):
    context.setdefault("examples", EXAMPLES)
    response = render(request, "assistant/chat.html", context, status=status)
    add_never_cache_headers(response)  # answers are per question and per resident
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def chat(request):
    """Ask with ``q`` (a GET from the home page's box or the tile, or the page's own POST)."""
    question = request.POST.get("q") if request.method == "POST" else request.GET.get("q")
    if question is None:
        return _render(request, {})
    try:
        result = ask(question, actor=request.user, channel="web", lang="en" if wants_english() else "zh-hans")
    except REFUSALS as error:
        return _render(request, {"q": question[:500], "problem": refusal_message(error)},
                       status=as_refusal(error).status)
    return _render(request, {"q": result.question, "result": result})


@require_POST
def handoff(request, asked_id):
    """Hand the question to a person; a resident who is not signed in is sent to sign in first."""
    citizen = citizen_of(request.user)
    if citizen is None:
        back = reverse("assistant:chat") + "?" + urlencode({"q": request.POST.get("q", "")})
        return redirect(reverse("citizen_login") + "?" + urlencode({"next": back}))
    try:
        done = actions.do_hand_off(citizen, asked_id)
    except REFUSALS as error:
        return _render(request, {"problem": refusal_message(error)}, status=as_refusal(error).status)
    return _render(request, {"handed_off": done})


@require_POST
def feedback(request, asked_id):
    """"Helpful / not helpful" on one answer."""
    helpful = {"yes": True, "no": False}.get(request.POST.get("helpful"))
    try:
        actions.do_give_feedback(citizen_of(request.user), asked_id, request.POST.get("source", ""), helpful)
    except REFUSALS as error:
        return _render(request, {"problem": refusal_message(error)}, status=as_refusal(error).status)
    return _render(request, {"thanked": True})


@require_http_methods(["GET", "HEAD"])
def faq(request, pk):
    """A live FAQ entry's answer, the source an answer of kind ``faq`` links to."""
    entry = Faq.objects.filter(pk=pk, status=FaqStatus.LIVE).select_related("organisation").first()
    if entry is None:
        raise Http404
    return render(request, "assistant/faq.html", {"faq": entry})
