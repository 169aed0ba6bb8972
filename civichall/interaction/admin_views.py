"""Admin screens of the comment area (thin: check access, call an action,
render).

* **Questions** -- the queue of the organisations one works for, oldest
  first, with the SLA state; one question with its thread, the reply form
  (showing the tone check's reasons when a reply came back), close with a
  reason, reassign, internal notes (owning organisation only), un-mark /
  mark, promote an answer to a supplement.
* **Moderation** -- comments waiting for a person; replies waiting for a
  reviewer; one's own replies that were sent back.
* **An article's comments** -- every comment under one article: feature,
  hide, reply, mark as a question.
* **Comment settings** -- per organisation, for its administrators.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civichall.accounts import policy
from civichall.accounts.models import Organisation
from civichall.core.errors import REFUSALS, report_refusal
from civichall.core.inputs import int_or_none
from civichall.safety.services import reason_message

from . import actions, forms, queues, settings_actions
from .models import (
    Comment,
    OfficialReply,
    OrganisationInteractionSettings,
    Question,
    QuestionState,
    ReplyStatus,
)
from .permissions import (
    access_comment,
    access_question,
    access_settings,
    can,
    is_interaction_staff,
    read_comment_text,
    settings_organisations_for,
)
from .sla import ANSWERED, DUE_SOON, OK, OVERDUE

PER_PAGE = 50
SLA_LABELS = {OK: gettext_lazy("On time"), DUE_SOON: gettext_lazy("Due soon"),
              OVERDUE: gettext_lazy("Overdue"), ANSWERED: gettext_lazy("Answered")}


def _reasons(reply):
    return [reason_message(r) for r in reply.tone_reasons() if r.get("code") != "suggestion"], \
        [reason_message(r) for r in reply.tone_reasons() if r.get("code") == "suggestion"]


class StaffMixin(WagtailAdminTemplateMixin):
    """Staff of any organisation; each screen narrows further."""

    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not is_interaction_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


# --- questions ------------------------------------------------------------------------------


class QuestionQueueView(StaffMixin, TemplateView):
    template_name = "interaction/admin/questions.html"
    page_title = gettext_lazy("Questions")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        state = self.request.GET.get("state") or QuestionState.OPEN
        if state not in QuestionState.values:
            state = QuestionState.OPEN
        organisations = policy.organisations_where(user, "organisation", "work_questions")
        if user.is_superuser:
            organisations = organisations.filter(pk__in=Question.objects.values("organisation_id"))
        organisation = None
        organisation_id = int_or_none(self.request.GET.get("organisation"))
        if organisation_id is not None:
            organisation = Organisation.objects.filter(pk=organisation_id).first()
        qs = queues.question_queue(user, organisation, state)
        page = Paginator(qs, PER_PAGE).get_page(self.request.GET.get("p"))
        now = timezone.now()
        rows = [{"question": q, "sla": s, "sla_label": SLA_LABELS.get(s, "—"), "due_at": d,
                 "age_hours": round((now - q.asked_at).total_seconds() / 3600, 1)}
                for q, s, d in queues.with_sla(page.object_list, now)]
        context.update(rows=rows, page_obj=page, state=state, states=QuestionState.choices,
                       organisations=organisations.order_by("sort_order", "id"),
                       organisation=organisation)
        return context


class QuestionView(StaffMixin, TemplateView):
    """One question: its thread, the forms, and the internal notes (owning organisation only)."""

    template_name = "interaction/admin/question.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.question = get_object_or_404(
            Question.objects.select_related("comment__article", "comment__citizen", "organisation"),
            pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        access_question(request.user, self.question, "view")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Question %(n)s") % {"n": self.question.pk}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("interaction_admin:questions"), "label": _("Questions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        q, user, what = self.question, request.user, request.POST.get("action")
        try:
            if what == "reply":
                form = forms.ReplyForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("The reply is empty."))
                reply = actions.do_reply(user, q.comment, form.cleaned_data["text"],
                                         request_approval=form.cleaned_data["request_approval"])
                self._reply_message(reply)
            elif what == "revise":
                reply = get_object_or_404(OfficialReply, pk=int_or_none(request.POST.get("reply")), comment=q.comment)
                reply = actions.do_revise_reply(user, reply, request.POST.get("text", ""),
                                                request_approval=bool(request.POST.get("request_approval")))
                self._reply_message(reply)
            elif what == "reply_followup":
                target = get_object_or_404(Comment, pk=int_or_none(request.POST.get("comment")), parent=q.comment.root)
                self._reply_message(actions.do_reply(user, target, request.POST.get("text", "")))
            elif what == "close":
                form = forms.CloseForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose how to close: duplicate or out of scope."))
                data = form.cleaned_data
                actions.do_close_question(user, q, data["kind"], duplicate_of=data["duplicate_of"],
                                          where_to_go=data["where_to_go"], public_reason=data["public_reason"])
                messages.success(request, _("The question was closed; the asker was told why."))
            elif what == "assign":
                form = forms.AssignForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose an organisation and write a note."))
                actions.do_assign_question(user, q, form.cleaned_data["organisation"], form.cleaned_data["note"])
                messages.success(request, _("The question was handed over."))
                if not can(access_question, user, q, "view"):
                    return redirect("interaction_admin:questions")
            elif what == "note":
                actions.do_add_note(user, q, request.POST.get("text", ""))
            elif what == "unmark":
                actions.do_unmark_question(user, q, request.POST.get("reason", ""))
                messages.success(request, _("Un-marked: not a question."))
            elif what == "mark":
                actions.do_mark_question(user, q.comment)
            elif what == "promote":
                reply = get_object_or_404(OfficialReply, pk=int_or_none(request.POST.get("reply")), comment=q.comment)
                supplement = actions.do_promote_reply(user, reply, request.POST.get("title"))
                messages.success(request, _("A follow-up supplement was created and submitted for review."),
                                 buttons=[messages.button(reverse("wagtailadmin_pages:edit", args=[supplement.pk]),
                                                          _("Open the supplement"))])
            else:
                raise ValidationError(_("Unknown action."))
        except REFUSALS as error:
            report_refusal(request, error)
        return redirect("interaction_admin:question", pk=q.pk)

    def _reply_message(self, reply):
        if reply.status == ReplyStatus.PUBLISHED:
            messages.success(self.request, _("The reply is published; the asker was notified."))
        elif reply.status == ReplyStatus.PENDING_APPROVAL:
            messages.warning(self.request, _("The reply is waiting for a reviewer's approval."))
        else:
            messages.error(self.request, _("The tone check sent the reply back: %(reasons)s") % {
                "reasons": "；".join(_reasons(reply)[0]) or "—"})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q, user = self.question, self.request.user
        thread_ids = [q.comment.root.pk, *q.comment.root.follow_ups.values_list("pk", flat=True)]
        replies = []
        for reply in OfficialReply.objects.filter(comment_id__in=thread_ids).select_related(
                "organisation", "author", "approved_by").order_by("created_at"):
            reasons, suggestions = _reasons(reply)
            replies.append({"reply": reply, "reasons": reasons, "suggestions": suggestions,
                            "can_promote": reply.is_published and not reply.supplement_id and
                            can(access_page_supplement, user, q.comment.article)})
        root = q.comment.root
        follow_ups = list(root.follow_ups.select_related("citizen").order_by("created_at"))
        answerable = can(access_comment, user, q.comment, "reply")
        context.update(
            question=q, comment=q.comment, root=root, follow_ups=follow_ups, replies=replies,
            sla=q.sla_state(), sla_label=SLA_LABELS.get(q.sla_state(), "—"), due_at=q.due_at(),
            notes=q.notes.select_related("author") if can(access_question, user, q, "view_notes") else None,
            can_answer=answerable and q.state == QuestionState.OPEN,
            can_close=can(access_question, user, q, "close") and q.is_open,
            can_assign=can(access_question, user, q, "assign") and q.is_open,
            can_unmark=can(access_question, user, q, "unmark") and q.is_open,
            can_mark=q.state == QuestionState.UNMARKED and can(access_question, user, q, "mark"),
            reply_form=forms.ReplyForm(), close_form=forms.CloseForm(), assign_form=forms.AssignForm(),
            raw_text=read_comment_text(user, q.comment, "question") if can(access_comment, user, q.comment, "view_raw")
            else q.comment.public_text,
            article_url=q.comment.article.url,
        )
        return context


def access_page_supplement(user, article):
    from civichall.content.permissions import access_page

    return access_page(user, article, "supplement")


# --- moderation -------------------------------------------------------------------------------


class ModerationView(StaffMixin, TemplateView):
    template_name = "interaction/admin/moderation.html"
    page_title = gettext_lazy("Moderation")

    def post(self, request, *args, **kwargs):
        user, what = request.user, request.POST.get("action")
        try:
            if what in ("approve", "block"):
                comment = get_object_or_404(Comment, pk=int_or_none(request.POST.get("comment")))
                actions.do_moderate(user, comment, what == "approve", request.POST.get("note", ""))
                messages.success(request, _("Done."))
            elif what in ("approve_reply", "return_reply"):
                reply = get_object_or_404(OfficialReply, pk=int_or_none(request.POST.get("reply")))
                if what == "approve_reply":
                    actions.do_approve_reply(user, reply)
                    messages.success(request, _("The reply is published; the asker was notified."))
                else:
                    actions.do_return_reply(user, reply, request.POST.get("note", ""))
                    messages.success(request, _("The reply went back to its writer."))
            else:
                raise ValidationError(_("Unknown action."))
        except REFUSALS as error:
            report_refusal(request, error)
        return redirect("interaction_admin:moderation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        comments = []
        # A page at a time, oldest first: a city's queue can hold thousands.
        page = Paginator(queues.moderation_queryset(user), PER_PAGE).get_page(self.request.GET.get("p"))
        for c in page.object_list:
            comments.append({
                "comment": c,
                "text": read_comment_text(user, c, "moderation"),
                "reasons": [reason_message(r) for r in (c.safety or {}).get("reasons", [])],
                "reports": [report.reason for report in c.open_reports],
            })
        awaiting = []
        for reply in queues.replies_awaiting(user):
            reasons, suggestions = _reasons(reply)
            awaiting.append({"reply": reply, "reasons": reasons})
        returned = []
        for reply in queues.returned_replies(user):
            reasons, suggestions = _reasons(reply)
            question = Question.objects.filter(comment=reply.comment).first()
            returned.append({"reply": reply, "reasons": reasons, "suggestions": suggestions, "question": question})
        context.update(comments=comments, awaiting=awaiting, returned=returned, page_obj=page)
        return context


# --- one article's comments -------------------------------------------------------------------


class ArticleCommentsView(StaffMixin, TemplateView):
    template_name = "interaction/admin/article_comments.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        from civichall.content.models import ArticlePage

        self.article = get_object_or_404(ArticlePage, pk=kwargs["page_id"])

    def dispatch(self, request, *args, **kwargs):
        policy.check(request.user, "page", "view_comments", self.article)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Comments")

    def get_page_subtitle(self):
        return self.article.title

    def post(self, request, *args, **kwargs):
        user, what = request.user, request.POST.get("action")
        comment = get_object_or_404(Comment, pk=int_or_none(request.POST.get("comment")), article=self.article)
        try:
            if what in ("feature", "unfeature"):
                actions.do_feature(user, comment, what == "feature")
            elif what == "hide":
                actions.do_hide(user, comment, request.POST.get("note", ""))
            elif what == "restore":
                actions.do_restore(user, comment, request.POST.get("note", ""))
            elif what == "mark":
                question = actions.do_mark_question(user, comment)
                messages.success(request, _("Marked as a question."),
                                 buttons=[messages.button(reverse("interaction_admin:question", args=[question.pk]),
                                                          _("Open the question"))])
            elif what == "reply":
                reply = actions.do_reply(user, comment, request.POST.get("text", ""))
                QuestionView._reply_message(self, reply)
            else:
                raise ValidationError(_("Unknown action."))
        except REFUSALS as error:
            report_refusal(request, error)
        return redirect(reverse("interaction_admin:article", args=[self.article.pk]) + f"#c{comment.pk}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        qs = Comment.objects.filter(article=self.article).select_related("citizen").order_by("-created_at")
        page = Paginator(qs, PER_PAGE).get_page(self.request.GET.get("p"))
        questions = {q.comment_id: q for q in Question.objects.filter(comment__in=page.object_list)}
        replies = {}
        for r in OfficialReply.objects.filter(comment__in=page.object_list).select_related("organisation"):
            replies.setdefault(r.comment_id, []).append(r)
        rows = [{"comment": c, "question": questions.get(c.pk), "replies": replies.get(c.pk, []),
                 "text": read_comment_text(user, c, "article comments") if can(access_comment, user, c, "view_raw")
                 else c.public_text,
                 "can_feature": can(access_comment, user, c, "feature"),
                 "can_reply": can(access_comment, user, c, "reply")} for c in page.object_list]
        context.update(article=self.article, rows=rows, page_obj=page)
        return context


# --- settings per organisation ------------------------------------------------------------------


class SettingsView(StaffMixin, TemplateView):
    template_name = "interaction/admin/settings.html"
    page_title = gettext_lazy("Comment settings")

    def organisation(self):
        orgs = settings_organisations_for(self.request.user)
        pk = self.request.GET.get("organisation") or self.request.POST.get("organisation")
        pk = int_or_none(pk)
        if pk is not None:
            org = get_object_or_404(Organisation, pk=pk)
            access_settings(self.request.user, org)
            return org, orgs
        return orgs.first(), orgs

    def post(self, request, *args, **kwargs):
        org, _orgs = self.organisation()
        if org is None:
            raise PermissionDenied
        access_settings(request.user, org)
        instance = OrganisationInteractionSettings.for_organisation(org)
        form = forms.SettingsForm(request.POST, instance=instance)
        if form.is_valid():
            settings_actions.do_save_comment_settings(
                request.user, org, source="admin", **{f: form.cleaned_data[f] for f in forms.SettingsForm.Meta.fields})
            messages.success(request, _("Settings saved."))
            return redirect(reverse("interaction_admin:settings") + f"?organisation={org.pk}")
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        org, orgs = self.organisation()
        if org is not None and form is None:
            form = forms.SettingsForm(instance=OrganisationInteractionSettings.for_organisation(org))
        context.update(organisation=org, organisations=orgs, form=form)
        return context

