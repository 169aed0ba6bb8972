"""Admin screens of the safety room (thin: check access, call the door or an
action, render).

* the lexicon: import (CSV upload, all or nothing), export, the content each
  term hit -- the list/add/edit/delete screens are ``LexiconEntryViewSet``
  (``wagtail_hooks``);
* a page's safety report: every hit of the latest check with the text around
  it, the hit itself marked with ``<mark>``, and the reasons.
"""

import io

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from civichall.content.permissions import access_page

from . import services
from .actions import LexiconImportError, do_import_lexicon
from .models import CATEGORY_LABELS, LexiconEntry, SafetyHit
from .permissions import access_lexicon

#: Characters of context shown on each side of a hit.
CONTEXT = 30
HITS_PER_PAGE = 50
HIT_SEVERITY_LABELS = {
    "block": _("Block"),
    "review": _("Review by a person"),
    "mask": _("Masked when shown"),
}


def highlight(text, start, end, context=CONTEXT):
    """The hit ``text[start:end]`` marked with ``<mark>``, with up to
    ``context`` characters around it, as safe HTML."""
    text = text or ""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before_start, after_end = max(0, start - context), min(len(text), end + context)
    before = ("…" if before_start else "") + text[before_start:start]
    after = text[end:after_end] + ("…" if after_end < len(text) else "")
    return mark_safe(f"{escape(before)}<mark>{escape(text[start:end])}</mark>{escape(after)}")


def lexicon_index_url():
    return reverse("safety_lexicon:index")


class LexiconMixin(WagtailAdminTemplateMixin):
    """Breadcrumbs back to the lexicon, and the access check."""

    lexicon_action = "view"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        access_lexicon(request.user, self.lexicon_action)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": lexicon_index_url(), "label": _("Safety lexicon")},
            {"url": "", "label": self.get_page_title()},
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 CSV with the columns term, category, severity (block, review or allow) and "
            "optionally pinyin and note. A file with any bad row is refused as a whole."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace the lexicon"), required=False,
        help_text=_("Remove the entries that are not in the file."),
    )


class LexiconImportView(LexiconMixin, FormView):
    lexicon_action = "change"
    form_class = ImportForm
    template_name = "safety/admin/import.html"
    page_title = _("Import lexicon")

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            summary = do_import_lexicon(
                self.request.user, upload, replace=form.cleaned_data["replace"],
                source="admin", filename=upload.name,
            )
        except LexiconImportError as error:
            return self.render_to_response(self.get_context_data(
                form=form, import_errors=error.lines()))
        messages.success(self.request, _("Lexicon imported: %(summary)s") % {"summary": summary})
        return redirect(lexicon_index_url())


def lexicon_export(request):
    """The whole lexicon as a CSV that the import reads back."""
    access_lexicon(request.user, "view")
    buffer = io.StringIO()
    services.export_lexicon(buffer)
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(),  # a BOM so that spreadsheet programs read UTF-8
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="lexicon-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response


def _content_link(check):
    """(label, edit URL, report URL) of what a check was about."""
    obj = check.content_object
    if obj is None:
        return (_("(not stored content)") if not check.object_id else _("(deleted)")), None, None
    if isinstance(obj, Page):
        return obj.get_admin_display_title(), reverse("wagtailadmin_pages:edit", args=[obj.pk]), \
            reverse("safety_page_report", args=[obj.pk])
    return str(obj), None, None


class EntryHitsView(LexiconMixin, TemplateView):
    """The content a lexicon term hit, newest first."""

    template_name = "safety/admin/entry_hits.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.entry = get_object_or_404(LexiconEntry, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Content hit by “%(term)s”") % {"term": self.entry.term}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hits = SafetyHit.objects.filter(term=self.entry.term).select_related(
            "safety_check", "safety_check__content_type"
        ).order_by("-safety_check__created_at", "-pk")
        page = Paginator(hits, HITS_PER_PAGE).get_page(self.request.GET.get("p"))
        rows = []
        for hit in page:
            check = hit.safety_check
            label, edit_url, report_url = _content_link(check)
            rows.append({
                "hit": hit, "check": check, "label": label, "edit_url": edit_url,
                "report_url": report_url, "context": highlight(check.text, hit.start, hit.end),
            })
        context.update(entry=self.entry, rows=rows, page_obj=page)
        return context


class PageReportView(WagtailAdminTemplateMixin, TemplateView):
    """What the automatic check found in a page's latest checked version."""

    template_name = "safety/admin/page_report.html"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        # Whoever may edit the page (its editors, reviewers, administrators).
        access_page(request.user, self.page, "edit")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Safety check report")

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
             "label": self.page.get_admin_display_title()},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checks = []
        for check in services.latest_page_checks(self.page):
            checks.append({
                "check": check,
                "hits": [
                    dict(hit, context=highlight(check.text, hit["start"], hit["end"]),
                         category_label=CATEGORY_LABELS.get(hit["category"], hit["category"]),
                         severity_label=HIT_SEVERITY_LABELS.get(hit["severity"], hit["severity"]))
                    for hit in check.hits
                ],
                "reasons": [services.reason_message(r) for r in check.reasons],
            })
        decision = services.worst(*(c["check"].decision for c in checks)) if checks else None
        context.update(page=self.page, checks=checks, decision=decision,
                       edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
        return context
