"""The assistant's admin screens: the report of weak answers with the
figures over time, the FAQ review button, the queue of questions handed to
a person and the answer form. Thin: every write is an action."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civichall.accounts import policy
from civichall.core.errors import REFUSALS, report_refusal

from . import actions, report
from .models import AnswerFeedback, AskedQuestion, Faq, Handoff, HandoffState, Outcome

REPORT_DAYS = 30
REPORT_LIMIT = 2000


class _Screen(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "help"
    kind = action = None

    def dispatch(self, request, *args, **kwargs):
        if not policy.allows_some(request.user, self.kind, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class ReportView(_Screen):
    """Weak answers of the last 30 days grouped by wording, with "write an FAQ"."""

    template_name = "assistant/admin/report.html"
    page_title = gettext_lazy("Assistant report")
    kind, action = "assistant_asked", "view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        since = timezone.now() - timedelta(days=REPORT_DAYS)
        asked = policy.filter_allowed(self.request.user, "assistant_asked", "view",
                                      AskedQuestion.objects.filter(asked_at__gte=since))
        weak = asked.filter(outcome__in=[Outcome.UNSURE, Outcome.OUT_OF_SCOPE]).order_by("asked_at")
        unhelpful = AnswerFeedback.objects.filter(asked__in=asked, helpful=False).values_list("asked__text", flat=True)
        texts = list(weak.values_list("text", flat=True)[:REPORT_LIMIT]) + list(unhelpful[:REPORT_LIMIT])
        groups = report.group_similar(texts)
        add_url = reverse("assistant_faq:add")
        context.update(
            groups=[{"group": g, "add_url": f"{add_url}?questions={'%0A'.join(_quote(q) for q in g.questions[:5])}"}
                    for g in groups[:100]],
            rates=report.daily_rates(
                asked.annotate(day=TruncDate("asked_at")).values_list("day", "outcome", "handed_off")),
            feedback={"helpful": AnswerFeedback.objects.filter(asked__in=asked, helpful=True).count(),
                      "not_helpful": AnswerFeedback.objects.filter(asked__in=asked, helpful=False).count()},
        )
        return context


def _quote(text):
    from urllib.parse import quote

    return quote(text, safe="")


class HandoffQueueView(_Screen):
    template_name = "assistant/admin/handoffs.html"
    page_title = gettext_lazy("Questions for a person")
    kind, action = "assistant_handoff", "answer"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state") or HandoffState.OPEN
        if state not in HandoffState.values:
            state = HandoffState.OPEN
        handoffs = policy.filter_allowed(self.request.user, "assistant_handoff", "answer",
                                         Handoff.objects.filter(state=state).select_related("asked", "organisation"))
        context.update(handoffs=handoffs[:200], state=state, states=HandoffState.choices, now=timezone.now())
        return context


class HandoffView(_Screen):
    template_name = "assistant/admin/handoff.html"
    page_title = gettext_lazy("Question for a person")
    kind, action = "assistant_handoff", "answer"

    def _handoff(self):
        handoffs = Handoff.objects.select_related("asked", "organisation")
        found = policy.filter_allowed(self.request.user, "assistant_handoff", "answer", handoffs)
        handoff = found.filter(pk=self.kwargs["pk"]).first()
        if handoff is None:  # missing and forbidden look the same
            raise Http404
        return handoff

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["handoff"] = self._handoff()
        return context

    def post(self, request, *args, **kwargs):
        handoff = self._handoff()
        try:
            actions.do_answer_handoff(request.user, handoff, request.POST.get("answer", ""))
            if request.POST.get("make_faq"):
                actions.do_save_faq(request.user, None, organisation=handoff.organisation,
                                    questions=handoff.asked.text, answer=request.POST.get("answer", ""))
        except REFUSALS as error:
            report_refusal(request, error)
            return redirect(reverse("assistant_admin:handoff", args=[handoff.pk]))
        messages.success(request, gettext_lazy("The answer was sent to the resident."))
        return redirect(reverse("assistant_admin:handoffs"))


@require_http_methods(["GET", "POST"])
def review_faq(request, pk):
    """Approve (put live) or return a draft FAQ entry."""
    faq = policy.filter_allowed(request.user, "assistant_faq", "review", Faq.objects.all()).filter(pk=pk).first()
    if faq is None:
        raise Http404
    if request.method == "GET":
        return TemplateResponse(request, "assistant/admin/review.html", {"faq": faq})
    try:
        actions.do_review_faq(request.user, faq, approve=request.POST.get("decision") != "return")
        messages.success(request, gettext_lazy("The FAQ entry was reviewed."))
    except REFUSALS as error:
        report_refusal(request, error)
    return redirect(reverse("assistant_faq:index"))
