"""Admin wiring of the comment area.

* Menu: *Questions* (the queue of one's organisations, oldest first, with
  the SLA state), *Comment moderation* (comments waiting for a person,
  replies waiting for a reviewer, one's returned replies), *Comment
  settings* (per organisation, for its administrators), *Question routing
  rules* (a model viewset; municipal administrators change them). The
  comment dashboard and the questions panel of the admin's home page are
  analytics' (``civichall.analytics``).
* An article's action menu: *Comments and questions* (every comment under it).
* An article with comments cannot be deleted (withdraw it instead).
* Our log actions, so that moderation and question handling show in the
  history reports.
"""

from django import forms as django_forms
from django.contrib import messages as django_messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList

from civichall.accounts import policy
from civichall.accounts.admin_viewsets import ActionViewSet

from . import admin_views, settings_actions
from .models import Comment, RoutingRule
from .permissions import is_interaction_staff

LOG_ACTIONS = [
    ("civichall.comment.feature", _("Feature comment"), _("Comment featured")),
    ("civichall.comment.unfeature", _("Un-feature comment"), _("Comment no longer featured")),
    ("civichall.comment.approve", _("Approve comment"), _("Comment approved")),
    ("civichall.comment.block", _("Block comment"), _("Comment blocked")),
    ("civichall.comment.hide", _("Hide comment"), _("Comment hidden")),
    ("civichall.comment.hidden_by_reports", _("Hide comment after reports"),
     _("Comment hidden after reports")),
    ("civichall.reply.publish", _("Publish official reply"), _("Official reply published")),
    ("civichall.reply.approve", _("Approve official reply"), _("Official reply approved")),
    ("civichall.reply.return", _("Return official reply"), _("Official reply returned")),
    ("civichall.reply.promote", _("Promote answer to supplement"), _("Answer promoted to a supplement")),
    ("civichall.question.mark", _("Mark as question"), _("Marked as a question")),
    ("civichall.question.unmark", _("Un-mark question"), _("Un-marked: not a question")),
    ("civichall.question.assign", _("Reassign question"), _("Question reassigned")),
    ("civichall.question.close", _("Close question"), _("Question closed")),
    ("civichall.question.answer", _("Answer question"), _("Question answered")),
    ("civichall.question.escalate", _("Escalate question"), _("Question escalated as overdue")),
    ("civichall.interaction.rule.create", _("Create routing rule"), _("Routing rule created")),
    ("civichall.interaction.rule.edit", _("Edit routing rule"), _("Routing rule changed")),
    ("civichall.interaction.rule.delete", _("Delete routing rule"), _("Routing rule deleted")),
    ("civichall.interaction.settings.edit", _("Change comment settings"), _("Comment settings changed")),
]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for name, label, message in LOG_ACTIONS:
        actions.register_action(name, label, message)


# --- screens and menu ------------------------------------------------------------------------


admin_urls = [
    path("questions/", admin_views.QuestionQueueView.as_view(), name="questions"),
    path("questions/<int:pk>/", admin_views.QuestionView.as_view(), name="question"),
    path("moderation/", admin_views.ModerationView.as_view(), name="moderation"),
    path("articles/<int:page_id>/", admin_views.ArticleCommentsView.as_view(), name="article"),
    path("settings/", admin_views.SettingsView.as_view(), name="settings"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("interaction/", include((admin_urls, "interaction_admin"), namespace="interaction_admin"))]


class StaffMenuItem(MenuItem):
    """Shown to staff of any organisation (and superusers)."""

    def is_shown(self, request):
        return is_interaction_staff(request.user)


@hooks.register("register_admin_menu_item")
def questions_menu_item():
    return StaffMenuItem(_("Questions"), reverse("interaction_admin:questions"), icon_name="help",
                         order=210, name="comment-questions")


@hooks.register("register_admin_menu_item")
def moderation_menu_item():
    return StaffMenuItem(_("Comment moderation"), reverse("interaction_admin:moderation"), icon_name="comment",
                         order=211, name="comment-moderation")


class SettingsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.allows_some(request.user, "organisation", "edit_comment_settings")


@hooks.register("register_admin_menu_item")
def settings_menu_item():
    return SettingsMenuItem(_("Comment settings"), reverse("interaction_admin:settings"), icon_name="cog",
                            order=213, name="comment-settings")


class RoutingRuleForm(WagtailAdminModelForm):
    """A rule needs a topic or a keyword (a rule with neither never matches)."""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("topics") and not (cleaned.get("keywords") or "").strip():
            raise django_forms.ValidationError(_("Give the rule at least one topic or keyword."))
        return cleaned


class RoutingRuleViewSet(ActionViewSet):
    """Routing rules: topics and/or keywords -> organisation (see ``routing``);
    saved and deleted through ``settings_actions`` (audited)."""

    model = RoutingRule
    policy_kind = "routing_rule"
    policy_action = "view"
    icon = "redirect"
    menu_label = _("Question routing rules")
    menu_name = "routing-rules"
    menu_order = 214
    add_to_admin_menu = True
    list_display = ["name", "organisation", "keywords", "priority", "active"]
    list_filter = ["active"]
    search_fields = ["name", "keywords"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    panels = [
        FieldPanel("name"), FieldPanel("organisation"),
        FieldPanel("topics", widget=django_forms.CheckboxSelectMultiple),
        FieldPanel("keywords"), FieldPanel("priority"), FieldPanel("active"),
    ]

    def get_form_class(self, for_update=False):
        panel = ObjectList(self.panels, base_form_class=RoutingRuleForm).bind_to_model(RoutingRule)
        return panel.get_form_class()

    def save_action(self, user, instance, form):
        data = form.cleaned_data
        return settings_actions.do_save_routing_rule(
            user, instance, topics=list(data.get("topics") or []), source="admin",
            **{f: data[f] for f in settings_actions.RULE_FIELDS if f in data})

    def delete_action(self, user, instance):
        settings_actions.do_delete_routing_rule(user, instance, source="admin")


routing_viewset = RoutingRuleViewSet("routing_rules", url_prefix="interaction/routing-rules")


@hooks.register("register_admin_viewset")
def register_routing_viewset():
    return routing_viewset


# --- page menu, deletion guard ------------------------------------------------------------------


class ArticleCommentsMenuItem(ActionMenuItem):
    """"Comments" in an article's action menu."""

    name = "action-civichall-comments"
    label = _("Comments and questions")
    icon_name = "comment"

    def is_shown(self, context):
        from civichall.content.models import ArticlePage

        page = context.get("page")
        if context.get("view") != "edit" or page is None or not isinstance(page.specific, ArticlePage):
            return False
        return policy.allows(context["request"].user, "page", "view_comments", page)

    def get_url(self, context):
        return reverse("interaction_admin:article", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def article_comments_item():
    return ArticleCommentsMenuItem(order=39)


@hooks.register("before_delete_page")
def keep_commented_articles(request, page):
    """An article with comments is withdrawn, never deleted: the comments and
    questions under it are records."""
    if Comment.objects.filter(article__path__startswith=page.path).exists():
        django_messages.error(request, _("This page has citizens' comments under it and cannot be deleted. "
                                         "Withdraw the article instead."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None

