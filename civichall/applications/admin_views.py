"""The applications room in the Wagtail admin (thin: check access, call
an action, render).

* **Cases** -- the queue of the organisations one works for (bundles with a
  part of theirs too), due first: filter by state, application and
  assignee; one action on several at once (claim, assign, a decision with
  one reason for all), confirmed on a second page, each case refused or done
  on its own.
* **A case** -- its data with the source of each prefilled value and the
  citizen's corrections, materials, parts, timeline with internal notes; the
  lifecycle's actions, claim and assign. Opening it reads the citizen's
  personal data, so it is recorded for the citizen's "my data use".
* **Ratings** -- ratings per application and organisation; bad ratings'
  follow-ups to answer or close with a reason.
* **Definitions** -- the owning organisation's liaisons edit a definition's
  document (JSON), preview its form, and save it as a new version.
"""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civichall.accounts import personal_data, policy
from civichall.core.errors import REFUSALS, as_refusal, refusal_message, report_refusal
from civichall.core.inputs import int_or_none

from . import actions, formengine, lifecycle, presenting
from .actions.cases import MAX_BULK, check_bulk, seen_token
from .models import ApplicationDefinition, Case, CasePart, Rating, RatingFollowUp
from .permissions import OFFICERS, access_case, cases_for_staff, officer_organisations

PER_PAGE = 50
CASE_DATA = "application_case"
personal_data.LABELS.setdefault(CASE_DATA, gettext_lazy("an application you filed"))

CLOCK_LABELS = {"ok": gettext_lazy("On time"), "due_soon": gettext_lazy("Due soon"),
                "overdue": gettext_lazy("Overdue"), "escalated": gettext_lazy("Escalated"),
                "paused": gettext_lazy("Waiting for the citizen"), "done": gettext_lazy("Decided")}


def is_case_staff(user):
    return policy.allows_some(user, "case", "handle") or policy.allows_some(user, "case_part", "handle")


class CaseStaffMixin(WagtailAdminTemplateMixin):
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not is_case_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class CaseQueueView(CaseStaffMixin, TemplateView):
    template_name = "applications/admin/queue.html"
    page_title = gettext_lazy("Cases")

    def queryset(self):
        get = self.request.GET
        qs = cases_for_staff(self.request.user, Case.objects.all()).select_related(
            "definition", "organisation", "assignee")
        state = get.get("state") or ""
        if state in lifecycle.STATES:
            qs = qs.filter(state=state)
        elif state != "all":
            qs = qs.exclude(state__in=lifecycle.ENDS)
        if get.get("application"):
            # By id, not a join on the code: the queue's index by application then gives the order.
            definition_id = ApplicationDefinition.objects.filter(code=get["application"]).values_list(
                "pk", flat=True).first()
            qs = qs.filter(definition_id=definition_id) if definition_id else qs.none()
        if get.get("assigned") == "me":
            qs = qs.filter(assignee=self.request.user)
        elif get.get("assigned") == "nobody":
            qs = qs.filter(assignee__isnull=True)
        return qs.order_by("due_on", "submitted_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.queryset(), PER_PAGE).get_page(self.request.GET.get("p"))
        today = timezone.localdate()
        rows = []
        for case in page.object_list:
            state = presenting.case_clock(case, today)
            rows.append({"case": case, "clock": state, "clock_label": CLOCK_LABELS[state],
                         "state_label": presenting.STATE_LABELS[case.state]})
        own, parts = officer_organisations(self.request.user, "view")
        codes = ApplicationDefinition.objects.filter(handlers__in=own | parts).values_list(
            "code", "title").distinct().order_by("code")
        context.update(rows=rows, page_obj=page, states=[(s, presenting.STATE_LABELS[s]) for s in lifecycle.STATES],
                       state=self.request.GET.get("state", ""), applications=list(codes),
                       application=self.request.GET.get("application", ""),
                       assigned=self.request.GET.get("assigned", ""), bulk_actions=BULK_LABELS,
                       query=self.request.GET.urlencode())
        return context

    def post(self, request, *args, **kwargs):
        """Bulk, in two steps without JavaScript: the ticked cases and the
        action chosen are shown for confirmation (with the one reason a
        decision needs, or the officer to assign to); confirmed, each case
        goes through its own action, and each refusal is reported by number."""
        post = request.POST
        what = post.get("bulk", "")
        numbers = post.getlist("case")
        officers = bulk_officers(request.user)
        officer = officers.filter(pk=int_or_none(post.get("officer")) or 0).first() if post.get("officer") else None
        try:
            check_bulk(what, numbers, officer=officer, reason=post.get("reason", ""), appeal=post.get("appeal", ""),
                       facts=bool(post.get("confirm")))
        except REFUSALS as error:
            if post.get("confirm"):
                return self.confirmation(what, numbers, officers, error=error)
            report_refusal(request, error)
            return self.render_to_response(self.get_context_data(), status=as_refusal(error).status)
        if not post.get("confirm"):
            return self.confirmation(what, numbers, officers)
        seen = {n: post.get(f"seen-{n}", "") for n in numbers if post.get(f"seen-{n}") is not None}
        outcome = actions.do_bulk_cases(request.user, what, numbers, officer=officer, reason=post.get("reason", ""),
                                        appeal=post.get("appeal", ""), seen=seen)
        if outcome.done:
            messages.success(request, _("%(n)s cases done: %(numbers)s") % {
                "n": len(outcome.done), "numbers": "、".join(outcome.done)})
        for number, _code, message in outcome.refused:
            messages.error(request, f"{number}：{message}")
        return redirect(reverse("applications_admin:queue") + "?" + post.get("back", ""))

    def confirmation(self, what, numbers, officers, error=None):
        """The confirmation step: the chosen cases as they are now (only
        those this officer may see), and what is needed for the action."""
        numbers = list(dict.fromkeys(numbers))[:MAX_BULK]
        found = {c.number: c for c in cases_for_staff(self.request.user, Case.objects.filter(
            number__in=numbers)).select_related("definition", "assignee")}
        context = self.get_context_data()
        context.update(
            bulk=what, bulk_label=dict(BULK_LABELS).get(what, ""), numbers=numbers,
            chosen=[(n, found.get(n), seen_token(found[n]) if n in found else None,
                     presenting.STATE_LABELS[found[n].state] if n in found else "") for n in numbers],
            officers=officers, needs_reason=what in ("not_accept", "ask_material", "reject"),
            needs_appeal=what == "reject", error=refusal_message(error) if error else "",
            error_fields=(as_refusal(error).fields or {}) if error else {},
            reason=self.request.POST.get("reason", ""), appeal=self.request.POST.get("appeal", ""),
            back=self.request.POST.get("back", ""))
        self.template_name = "applications/admin/bulk_confirm.html"
        return self.render_to_response(context, status=as_refusal(error).status if error else 200)


#: The bulk actions the queue offers, in its words.
BULK_LABELS = [
    ("claim", gettext_lazy("Claim")), ("assign", gettext_lazy("Assign to an officer")),
    ("accept", gettext_lazy("Accept")), ("not_accept", gettext_lazy("Do not accept (one reason for all)")),
    ("start_review", gettext_lazy("Start review")),
    ("ask_material", gettext_lazy("Ask for more material (the same for all)")),
    ("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject (one reason for all)")),
    ("complete", gettext_lazy("Complete and issue the decision letters")),
]


def bulk_officers(user):
    """Who the cases of ``user``'s organisations can be assigned to: case
    officers and administrators there (each case checks again)."""
    own, _parts = officer_organisations(user, "handle")
    return get_user_model().objects.filter(
        is_active=True, memberships__organisation_id__in=own,
        memberships__role__in=sorted(OFFICERS)).distinct().order_by("username")


TRANSITIONS = [
    ("accept", gettext_lazy("Accept")), ("not_accept", gettext_lazy("Do not accept")),
    ("start_review", gettext_lazy("Start review")), ("ask_material", gettext_lazy("Ask for more material")),
    ("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject")),
    ("complete", gettext_lazy("Complete and issue the decision letter")),
]


class CaseView(CaseStaffMixin, TemplateView):
    template_name = "applications/admin/case.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = get_object_or_404(Case.objects.select_related("definition", "organisation", "version",
                                                                  "citizen", "assignee"), number=kwargs["number"])

    def dispatch(self, request, *args, **kwargs):
        access_case(request.user, self.case, "view")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.case.number

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("applications_admin:queue"), "label": _("Cases")},
                                         {"url": "", "label": self.case.number}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.case, self.request.user
        doc = case.version.document
        data = personal_data.read(user, case.citizen, CASE_DATA, case.data, reference=case.number,
                                  purpose=_("handling the application"), organisation=case.organisation)
        corrections = {c.field: c for c in case.corrections.all()}
        rows = []
        for index, step in enumerate(formengine.steps(doc)):
            for row in presenting.field_rows(doc, formengine.fields_of_step(doc, index), data, None, case.prefilled):
                row["step"] = step.get("title", "")
                row["correction"] = corrections.get(row["name"])
                rows.append(row)
        may_handle = policy.allows(user, "case", "handle", case)
        officers = [u for u in get_user_model().objects.filter(
            memberships__organisation=case.organisation).distinct() if policy.allows(u, "case", "handle", case)]
        context.update(
            case=case, rows=rows, state_label=presenting.STATE_LABELS[case.state],
            clock_label=CLOCK_LABELS[presenting.case_clock(case)], events=case.events.select_related("actor"),
            event_labels=presenting.EVENT_LABELS, materials=case.materials.all(),
            parts=[(p, policy.allows(user, "case_part", "handle", p)) for p in case.parts.select_related("organisation")],
            transitions=[(e, label) for e, label in TRANSITIONS if e in lifecycle.allowed_events(case.state)]
            if may_handle else [], may_handle=may_handle, officers=officers)
        return context

    def post(self, request, *args, **kwargs):
        case, user, what = self.case, request.user, request.POST.get("action", "")
        try:
            if what in dict(TRANSITIONS):
                actions.do_transition(user, case, what, reason=request.POST.get("reason", ""),
                                      appeal=request.POST.get("appeal", ""))
            elif what == "claim":
                actions.do_claim_case(user, case)
            elif what == "assign":
                officer = get_user_model().objects.filter(pk=int_or_none(request.POST.get("officer")) or 0).first()
                actions.do_assign_case(user, case, officer)
            elif what == "note":
                actions.do_add_note(user, case, request.POST.get("text", ""))
            elif what == "part":
                part = get_object_or_404(CasePart, pk=int_or_none(request.POST.get("part")) or 0, case=case)
                actions.do_complete_part(user, part)
            else:
                raise PermissionDenied
        except REFUSALS as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("applications_admin:case", case.number)


class RatingsView(CaseStaffMixin, TemplateView):
    """Ratings per application and organisation, and the open follow-ups."""

    template_name = "applications/admin/ratings.html"
    page_title = gettext_lazy("Service ratings")

    def dispatch(self, request, *args, **kwargs):
        if not policy.allows_some(request.user, "rating_follow_up", "answer"):
            raise PermissionDenied
        return super(CaseStaffMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cases = policy.filter_allowed(user, "case", "handle", Case.objects.all())
        ratings = Rating.objects.filter(case__in=cases)
        summary = ratings.values("case__definition__title", "case__organisation__name_zh").annotate(
            count=Count("id"), average=Avg("score"), bad=Count("id", filter=Q(score__lte=2))).order_by(
            "case__organisation__name_zh", "case__definition__title")
        follow_ups = policy.filter_allowed(user, "rating_follow_up", "answer", RatingFollowUp.objects.all()
                                           ).select_related("rating__case__definition").order_by("state", "-id")[:100]
        context.update(summary=summary, follow_ups=follow_ups)
        return context

    def post(self, request, *args, **kwargs):
        follow_up = get_object_or_404(policy.filter_allowed(request.user, "rating_follow_up", "answer",
                                                            RatingFollowUp.objects.all()), pk=int_or_none(request.POST.get("pk")) or 0)
        try:
            actions.do_answer_follow_up(request.user, follow_up, request.POST.get("answer", ""),
                                        close=request.POST.get("close") == "1")
        except REFUSALS as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("applications_admin:ratings")


class DefinitionsView(WagtailAdminTemplateMixin, TemplateView):
    """The definitions one may edit; edit a document with a preview."""

    template_name = "applications/admin/definitions.html"
    page_title = gettext_lazy("Application definitions")
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not policy.allows_some(request.user, "application_definition", "edit"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def _editable(self):
        return policy.filter_allowed(self.request.user, "application_definition", "edit",
                                     ApplicationDefinition.objects.select_related("current", "organisation"))

    def get_context_data(self, document_text=None, preview=None, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.request.GET.get("code") or self.request.POST.get("code")
        chosen = self._editable().filter(code=code).first() if code else None
        if chosen is not None and document_text is None:
            document_text = json.dumps(chosen.current.document, ensure_ascii=False, indent=2)
        context.update(definitions=self._editable(), chosen=chosen, document_text=document_text or "",
                       preview=preview)
        return context

    def post(self, request, *args, **kwargs):
        text = request.POST.get("document", "")
        try:
            document = json.loads(text)
        except ValueError:
            messages.error(request, _("The document is not valid JSON."))
            return self.render_to_response(self.get_context_data(document_text=text), status=422)
        problems = formengine.check_document(document)
        if problems:
            messages.error(request, "；".join(problems[:10]))
            return self.render_to_response(self.get_context_data(document_text=text), status=422)
        if request.POST.get("preview"):
            steps = [{"title": s.get("title", ""), "fields": presenting.field_rows(
                document, formengine.fields_of_step(document, i), {})} for i, s in enumerate(formengine.steps(document))]
            return self.render_to_response(self.get_context_data(document_text=text, preview=steps))
        try:
            version = actions.do_save_definition(request.user, document)
        except REFUSALS as error:
            report_refusal(request, error)
            return self.render_to_response(self.get_context_data(document_text=text), status=422)
        messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
        return redirect(f"{reverse('applications_admin:definitions')}?code={document['code']}")
