"""The comment dashboard in the admin: charts of the figures in
``comment_figures`` and their CSV exports. Staff of any organisation open
it; each sees the organisations the policy lets them see figures of."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civichall.core.inputs import int_or_none
from civichall.interaction.permissions import is_interaction_staff
from civichall.interaction.sla import DUE_SOON, OK, OVERDUE

from . import comment_figures as figures_of

SLA_LABELS = {OK: gettext_lazy("On time"), DUE_SOON: gettext_lazy("Due soon"), OVERDUE: gettext_lazy("Overdue")}


class CommentDashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "analytics/comment_dashboard.html"
    page_title = gettext_lazy("Comment dashboard")
    header_icon = "comment"
    EXPORTS = ("open", "answers", "articles", "topics")

    def dispatch(self, request, *args, **kwargs):
        if not is_interaction_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in self.EXPORTS:
            return self.export_csv(export)
        return super().get(request, *args, **kwargs)

    def _days(self):
        return int_or_none(self.request.GET.get("days"), 1, 3650) or 30

    def figures(self):
        orgs = figures_of.visible_organisations(self.request.user)
        days = self._days()
        return {
            "open": figures_of.open_by_organisation(orgs),
            "answers": figures_of.answer_stats(orgs, days),
            "articles": figures_of.comments_per_article(orgs, days),
            "topics": figures_of.top_topics(orgs, 7),
            "days": days,
        }

    def export_csv(self, name):
        figures = self.figures()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if name == "open":
            writer.writerow(["organisation", "open", "lt4h", "4-24h", "1-3d", "gt3d", "ok", "due_soon", "overdue"])
            for r in figures["open"]:
                writer.writerow([r["organisation"], r["total"], *r["ages"].values(), *r["sla"].values()])
        elif name == "answers":
            writer.writerow(["organisation", "asked", "answered", "closed", "open", "answer_rate",
                             "median_hours", "p90_hours"])
            for r in figures["answers"]["organisations"] + [dict(figures["answers"]["total"], organisation="total")]:
                writer.writerow([r["organisation"], r["asked"], r["answered"], r["closed"], r["open"],
                                 r["answer_rate"], r["median_hours"], r["p90_hours"]])
        elif name == "articles":
            writer.writerow(["article_id", "article", "comments", "visible", "questions"])
            for r in figures["articles"]:
                writer.writerow([r["article_id"], r["article"], r["comments"], r["visible"], r["questions"]])
        else:
            writer.writerow(["topic", "questions"])  # this week
            for r in figures["topics"]:
                writer.writerow([r["topic"], r["questions"]])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="comments-{name}-{timezone.localdate():%Y%m%d}.csv"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = self.figures()
        most_open = max((r["total"] for r in figures["open"]), default=0)
        for r in figures["open"]:
            r["bars"] = [(state, SLA_LABELS[state], n, figures_of.bar_width(n, most_open))
                         for state, n in r["sla"].items()]
            r["age_cells"] = [(figures_of.AGE_LABELS[k], n) for k, n in r["ages"].items()]
        most_comments = max((r["comments"] for r in figures["articles"]), default=0)
        for r in figures["articles"]:
            r["width"] = figures_of.bar_width(r["comments"], most_comments)
        most_topic = max((r["questions"] for r in figures["topics"]), default=0)
        for r in figures["topics"]:
            r["width"] = figures_of.bar_width(r["questions"], most_topic)
        for r in figures["answers"]["organisations"]:
            r["rate_width"] = round(100 * (r["answer_rate"] or 0))
        context.update(figures=figures, age_labels=figures_of.AGE_LABELS.values(), exports=self.EXPORTS)
        return context
