"""The assistant in the admin: the FAQ (write, review, retire), the
questions handed to a person (answer them), and the report of what
residents asked that the assistant could not answer well."""

from django import forms
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import Button

from civichall.accounts import policy
from civichall.accounts.admin_viewsets import ActionCreateView, ActionIndexView, ActionViewSet

from . import actions, admin_views
from .models import Faq

LOG_ACTIONS = [
    ("civichall.assistant.faq_create", _("Write FAQ entry"), _("FAQ entry written")),
    ("civichall.assistant.faq_edit", _("Change FAQ entry"), _("FAQ entry changed")),
    ("civichall.assistant.faq_approve", _("Approve FAQ entry"), _("FAQ entry approved and live")),
    ("civichall.assistant.faq_return", _("Return FAQ entry"), _("FAQ entry returned to draft")),
    ("civichall.assistant.faq_retire", _("Retire FAQ entry"), _("FAQ entry retired")),
    ("civichall.assistant.hand_off", _("Hand question to a person"), _("Question handed to a person")),
    ("civichall.assistant.answer_handoff", _("Answer handed-off question"), _("Handed-off question answered")),
]


@hooks.register("register_log_actions")
def register_log_actions(registry):
    for name, label, message in LOG_ACTIONS:
        registry.register_action(name, label, message)


class FaqForm(WagtailAdminModelForm):
    """An FAQ entry; its organisation is one the user may write FAQs for."""

    class Meta:
        model = Faq
        fields = ["organisation", "questions", "answer", "service", "link_url"]
        widgets = {"questions": forms.Textarea(attrs={"rows": 4}), "answer": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "organisation" in self.fields:
            self.fields["organisation"].queryset = policy.organisations_where(self.for_user, "assistant_faq", "edit")


class FaqIndexView(ActionIndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status == "draft" and policy.allows(self.request.user, "assistant_faq", "review", instance):
            buttons.append(Button(_("Review"), url=reverse("assistant_admin:review_faq", args=[instance.pk]),
                                  icon_name="tick", priority=5))
        return buttons


class FaqCreateView(ActionCreateView):
    """A new entry may start from the report's group of questions (``?questions=``)."""

    def get_initial(self):
        initial = super().get_initial()
        questions = self.request.GET.get("questions")
        if questions:
            initial["questions"] = questions[:2000]
        return initial


class FaqViewSet(ActionViewSet):
    model = Faq
    index_view_class = FaqIndexView
    add_view_class = FaqCreateView
    policy_kind = "assistant_faq"
    icon = "help"
    menu_label = _("FAQ")
    menu_order = 100
    list_display = ["__str__", "organisation", "status", "updated_at"]
    list_filter = ["status"]
    edit_handler = ObjectList([FieldPanel("organisation"), FieldPanel("questions"), FieldPanel("answer"),
                               FieldPanel("service"), FieldPanel("link_url")], base_form_class=FaqForm)

    def save_action(self, user, instance, form):
        data = form.cleaned_data
        return actions.do_save_faq(user, instance, organisation=data.get("organisation"),
                                   questions=data.get("questions", ""), answer=data.get("answer", ""),
                                   service=data.get("service"), link_url=data.get("link_url", ""))

    def delete_action(self, user, instance):
        actions.do_delete_faq(user, instance)


class AssistantGroup(ViewSetGroup):
    menu_label = _("Smart assistant")
    menu_icon = "help"
    menu_name = "assistant"
    menu_order = 260
    items = (FaqViewSet("assistant_faq", url_prefix="assistant/faq"),)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return AssistantGroup()


admin_urls = [
    path("report/", admin_views.ReportView.as_view(), name="report"),
    path("faq/<int:pk>/review/", admin_views.review_faq, name="review_faq"),
    path("handoffs/", admin_views.HandoffQueueView.as_view(), name="handoffs"),
    path("handoffs/<int:pk>/", admin_views.HandoffView.as_view(), name="handoff"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("assistant-desk/", include((admin_urls, "assistant_admin"), namespace="assistant_admin"))]


class _PolicyMenuItem(MenuItem):
    def __init__(self, *args, kind, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.action = kind, action

    def is_shown(self, request):
        return policy.allows_some(request.user, self.kind, self.action)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return _PolicyMenuItem(_("Assistant report"), reverse("assistant_admin:report"), icon_name="doc-full",
                           order=262, kind="assistant_asked", action="view")


@hooks.register("register_admin_menu_item")
def register_handoff_menu_item():
    return _PolicyMenuItem(_("Questions for a person"), reverse("assistant_admin:handoffs"), icon_name="help",
                           order=261, kind="assistant_handoff", action="answer")
