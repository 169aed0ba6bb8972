"""Admin wiring of the safety room.

* *Safety lexicon* (menu): list with search and filters by category and
  severity, add / edit / delete (through ``actions``, audited), import and
  export as CSV, and for each term the content it hit. Access is decided by
  ``permissions.access_lexicon`` (municipal administrators change it,
  reviewers and administrators read it).
* Pages: a "Safety check report" item in the page's action menu and a notice
  on the edit screen when the latest check blocked or flagged the page; the
  workflow restarts at the safety check when a resubmission would skip it.
* Our log actions, so that lexicon changes show in the history reports.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets.button import Button
from wagtail.models import Page

from civichall.accounts.admin_viewsets import ActionIndexView, ActionViewSet
from civichall.core.errors import report_refusal

from . import actions, services, views
from .models import LexiconEntry, SafetyHit
from .permissions import can_access_lexicon
from .workflow import active_workflow_state, ensure_checked

# --- the lexicon -----------------------------------------------------------------------


class LexiconEntryForm(WagtailAdminModelForm):
    """Validated by ``actions.check_entry``, the same rules as every other way in."""

    class Meta:
        model = LexiconEntry
        fields = ["term", "category", "severity", "pinyin", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            actions.check_entry(
                cleaned.get("term"), cleaned.get("category"), cleaned.get("severity"),
                cleaned.get("pinyin"), cleaned.get("note"), instance=self.instance,
            )
        except ValidationError as error:
            report_refusal(None, error, form=self)
        return cleaned


def _fields(form):
    return {name: form.cleaned_data.get(name) for name in actions.FIELDS}


class EntryIndexView(ActionIndexView):
    def get_base_queryset(self):
        hits = (
            SafetyHit.objects.filter(term=OuterRef("term")).order_by()
            .values("term").annotate(n=Count("pk")).values("n")[:1]
        )
        return super().get_base_queryset().annotate(hit_count=Coalesce(Subquery(hits), Value(0)))

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if can_access_lexicon(self.request.user, "change"):
            buttons.append(Button(_("Import CSV…"), url=reverse("safety_lexicon:import"),
                                  icon_name="upload", priority=10))
        buttons.append(Button(_("Export CSV"), url=reverse("safety_lexicon:export"),
                              icon_name="download", priority=20))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(Button(_("Content it hit"),
                              url=reverse("safety_lexicon:hits", args=[instance.pk]),
                              icon_name="doc-full", priority=40))
        return buttons


class HitCountColumn(Column):
    """The number of recorded hits, linking to the list of content."""

    cell_template_name = "safety/admin/hit_count_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("safety_lexicon:hits", args=[instance.pk])
        return context


class LexiconEntryViewSet(ActionViewSet):
    """The lexicon: every save, delete and import through ``actions`` (audited)."""

    model = LexiconEntry
    policy_kind = "lexicon"
    policy_action = "view"
    icon = "warning"
    menu_label = _("Safety lexicon")
    menu_name = "safety-lexicon"
    menu_order = 250
    add_to_admin_menu = True
    form_fields = ["term", "category", "severity", "pinyin", "note"]
    list_display = [
        "term", "category", "severity",
        BooleanColumn("pinyin", label=LexiconEntry._meta.get_field("pinyin").verbose_name),
        HitCountColumn("hit_count", label=_("Hits")), "updated_at",
    ]
    list_filter = ["category", "severity", "pinyin"]
    search_fields = ["term", "note"]
    search_backend_name = None
    list_per_page = 100
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = EntryIndexView

    def get_form_class(self, for_update=False):
        return LexiconEntryForm

    def save_action(self, user, instance, form):
        if instance is None:
            return actions.do_add_entry(user, source="admin", **_fields(form))
        return actions.do_update_entry(user, instance, source="admin", **_fields(form))

    def delete_action(self, user, instance):
        actions.do_delete_entry(user, instance, source="admin")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", views.LexiconImportView.as_view(), name="import"),
            path("export/", views.lexicon_export, name="export"),
            path("hits/<int:pk>/", views.EntryHitsView.as_view(), name="hits"),
        ]


lexicon_viewset = LexiconEntryViewSet("safety_lexicon", url_prefix="safety/lexicon")


@hooks.register("register_admin_viewset")
def register_lexicon_viewset():
    return lexicon_viewset


# --- pages ---------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("safety/pages/<int:page_id>/report/", views.PageReportView.as_view(),
             name="safety_page_report"),
    ]


def _latest_decision(page):
    checks = services.latest_page_checks(page)
    return services.worst(*(c.decision for c in checks)) if checks else None


class SafetyReportMenuItem(ActionMenuItem):
    """"Safety check report" in the page's action menu, once a check was made."""

    name = "action-civichall-safety-report"
    label = _("Safety check report")
    icon_name = "warning"

    def is_shown(self, context):
        page = context.get("page")
        if context.get("view") != "edit" or page is None:
            return False
        return bool(services.latest_page_checks(page))

    def get_url(self, context):
        return reverse("safety_page_report", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def safety_report_item():
    return SafetyReportMenuItem(order=38)


NOTICES = {
    "block": _("The automatic safety check blocked the latest submitted version: it went back "
               "to the editor. See the report for the terms and where they are."),
    "review": _("The automatic safety check flagged points for the reviewer in the latest "
                "submitted version. See the report."),
}


def _report_button(page):
    return messages.button(reverse("safety_page_report", args=[page.pk]), _("Safety check report"))


@hooks.register("before_edit_page")
def safety_notice(request, page):
    """A notice on the edit screen while the page is in review (or sent back)
    and the latest check blocked or flagged it."""
    if request.method != "GET" or active_workflow_state(page) is None:
        return None
    decision = _latest_decision(page)
    if decision in NOTICES:
        messages.warning(request, NOTICES[decision], buttons=[_report_button(page)])
    return None


def _after_submission(request, page):
    # A resubmission after a reviewer's "request changes" goes through the
    # safety check again (Wagtail would resume at the reviewer's step).
    ensure_checked(page, request.user)
    state = active_workflow_state(page)
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES and \
            _latest_decision(page) == "block":
        messages.error(request, NOTICES["block"], buttons=[_report_button(page)])


@hooks.register("after_edit_page")
def after_edit_page(request, page):
    if request.method == "POST" and isinstance(page, Page):
        _after_submission(request, page)
    return None


@hooks.register("after_create_page")
def after_create_page(request, page):
    if request.method == "POST" and isinstance(page, Page):
        _after_submission(request, page)
    return None


# --- audit log -------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_log_actions(actions_registry):
    actions_registry.register_action("civichall.safety.lexicon.add", _("Add lexicon entry"),
                                     _("Lexicon entry added"))
    actions_registry.register_action("civichall.safety.lexicon.edit", _("Edit lexicon entry"),
                                     _("Lexicon entry changed"))
    actions_registry.register_action("civichall.safety.lexicon.delete",
                                     _("Delete lexicon entry"), _("Lexicon entry deleted"))
    actions_registry.register_action("civichall.safety.lexicon.import", _("Import lexicon"),
                                     _("Lexicon imported"))
