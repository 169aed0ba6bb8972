"""Admin wiring of analytics.

* Menu: *Comment dashboard* (charts and CSV of the comment area), for staff
  of any organisation, at the address it always had.
* The admin's home page: a panel with the escalated overdue questions (for
  reviewers) and the SLA state of one's open questions.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from civichall.interaction import queues
from civichall.interaction.permissions import is_interaction_staff

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("interaction/dashboard/", admin_views.CommentDashboardView.as_view(),
                 name="analytics_comment_dashboard")]


class StaffMenuItem(MenuItem):
    """Shown to staff of any organisation (and superusers)."""

    def is_shown(self, request):
        return is_interaction_staff(request.user)


@hooks.register("register_admin_menu_item")
def comment_dashboard_menu_item():
    return StaffMenuItem(_("Comment dashboard"), reverse("analytics_comment_dashboard"), icon_name="table",
                         order=212, name="comment-dashboard")


class QuestionsPanel(Component):
    """On the admin's home page: escalated questions for reviewers, and the
    SLA state of the open questions of one's organisations."""

    order = 60
    template_name = "analytics/questions_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        # Counted by the database: a city's queue holds thousands of questions.
        counts = queues.sla_counts(queues.question_queue(user))
        return {"escalated": list(queues.escalated_for(user)), "counts": counts,
                "moderation": queues.moderation_queryset(user).count()}


@hooks.register("construct_homepage_panels")
def add_questions_panel(request, panels):
    if is_interaction_staff(request.user):
        panels.append(QuestionsPanel(request))
