"""The applications room in the Wagtail admin: its audit log actions and
the case officers' queue."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from civichall.accounts import policy

from . import admin_views
from .actions.common import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for name, label, message in LOG_ACTIONS:
        actions.register_action(name, label, message)

admin_urls = [
    path("cases/", admin_views.CaseQueueView.as_view(), name="queue"),
    path("cases/<str:number>/", admin_views.CaseView.as_view(), name="case"),
    path("ratings/", admin_views.RatingsView.as_view(), name="ratings"),
    path("definitions/", admin_views.DefinitionsView.as_view(), name="definitions"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("applications/", include((admin_urls, "applications_admin"), namespace="applications_admin"))]


class CaseMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.is_case_staff(request.user)


class DefinitionMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.allows_some(request.user, "application_definition", "edit")


class RatingMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.allows_some(request.user, "rating_follow_up", "answer")


@hooks.register("register_admin_menu_item")
def cases_menu_item():
    return CaseMenuItem(_("Cases"), reverse("applications_admin:queue"), icon_name="form", order=220,
                        name="application-cases")


@hooks.register("register_admin_menu_item")
def ratings_menu_item():
    return RatingMenuItem(_("Service ratings"), reverse("applications_admin:ratings"), icon_name="pick", order=221,
                          name="application-ratings")


@hooks.register("register_admin_menu_item")
def definitions_menu_item():
    return DefinitionMenuItem(_("Application definitions"), reverse("applications_admin:definitions"),
                              icon_name="doc-full", order=222, name="application-definitions")
