"""Admin wiring of the service matrix: one "Service matrix" menu with

* *Services* — liaisons and administrators see and edit only their own
  organisations' services (``permissions.access_service``);
* *Hubs* — the services a hub shows, in order (administrators of the hub's
  organisation);
* *Connectors* — department systems (municipal administrators): the secret
  is write-only, a CSV file is uploaded as a Wagtail document and indexed;
* *Account menus* — each account's WeChat menu, edited as JSON with
  WeChat's limits enforced and every problem named;
* *Connector health* — calls, errors, latency and breaker state.

Every save and delete goes through ``actions`` and lands in the audit log.
"""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from civichall.content.blocks import SERVICE_CHOOSER_URL

from . import actions, admin_views
from .forms import AccountMenuForm, ConnectorForm, ConnectorShareForm, HubForm, ServiceForm
from .models import AccountMenu, Connector, ConnectorShare, Hub, Service
from .permissions import (
    access_connector,
    access_connector_share,
    access_hub,
    access_menu,
    access_service,
    can_access_connector,
)

# --- shared views ---------------------------------------------------------------------------


class ScopedIndexView(generic.IndexView):
    """Only the objects the user may work on."""

    def get_base_queryset(self):
        allowed = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"])
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class CheckedObjectMixin:
    """``access_check(user, obj)`` decides, before anything is shown or saved."""

    def access_check(self, user, obj):
        raise NotImplementedError

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.access_check(self.request.user, obj)
        return obj


class DeleteThroughAction(CheckedObjectMixin, generic.DeleteView):
    def delete_action(self):
        actions.do_delete(self.request.user, self.object, source="admin")


# --- services -------------------------------------------------------------------------------


def _check_service(user, obj):
    access_service(user, obj, "edit")


class ServiceCreateView(generic.CreateView):
    def save_instance(self):
        return actions.do_save_service(self.request.user, None, source="admin", **self.form.service_fields())


class ServiceEditView(CheckedObjectMixin, generic.EditView):
    access_check = staticmethod(_check_service)

    def save_instance(self):
        return actions.do_save_service(self.request.user, self.object, source="admin",
                                       **self.form.service_fields())


class ServiceDeleteView(DeleteThroughAction):
    access_check = staticmethod(_check_service)


class ServiceViewSet(ModelViewSet):
    model = Service
    icon = "cogs"
    menu_label = _("Services")
    menu_order = 100
    list_display = ["name_zh", "code", "kind", "organisation", "status",
                    BooleanColumn("requires_verified", label=_("Identity")), "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name_zh", "name_en", "code", "keywords", "synonyms"]
    search_backend_name = None
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ScopedIndexView
    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    delete_view_class = ServiceDeleteView
    edit_handler = ObjectList([
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
            FieldRowPanel([FieldPanel("code"), FieldPanel("kind"), FieldPanel("icon")]),
            FieldPanel("organisation"),
            FieldPanel("description_zh"), FieldPanel("description_en"),
            FieldRowPanel([FieldPanel("keywords"), FieldPanel("synonyms")]),
            FieldPanel("sort_order"),
        ], heading=_("Service")),
        MultiFieldPanel([
            FieldPanel("status"), FieldPanel("maintenance_message"), FieldPanel("alternative"),
        ], heading=_("Status")),
        MultiFieldPanel([
            FieldPanel("connector"), FieldPanel("cache_ttl_s"),
            FieldRowPanel([FieldPanel("requires_login"), FieldPanel("requires_verified")]),
            FieldRowPanel([FieldPanel("identity_param"), FieldPanel("owned_param")]),
            FieldPanel("input_schema"), FieldPanel("output_schema"),
        ], heading=_("Query")),
        FieldPanel("link_url"),
    ], base_form_class=ServiceForm)


# --- hubs -----------------------------------------------------------------------------------


def _check_hub(user, obj):
    access_hub(user, obj, "edit")


class HubCreateView(generic.CreateView):
    def save_instance(self):
        return actions.do_save_hub_form(self.request.user, self.form)


class HubEditView(CheckedObjectMixin, generic.EditView):
    access_check = staticmethod(_check_hub)

    def save_instance(self):
        return actions.do_save_hub_form(self.request.user, self.form)


class HubDeleteView(DeleteThroughAction):
    access_check = staticmethod(_check_hub)


class HubViewSet(ModelViewSet):
    model = Hub
    icon = "list-ul"
    menu_label = _("Hubs")
    menu_order = 110
    list_display = ["name_zh", "slug", "organisation", BooleanColumn("show_linked", label=_("Linked accounts"))]
    search_fields = ["name_zh", "name_en", "slug"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ScopedIndexView
    add_view_class = HubCreateView
    edit_view_class = HubEditView
    delete_view_class = HubDeleteView
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("organisation"), FieldPanel("sort_order")]),
        FieldPanel("description_zh"),
        FieldPanel("show_linked"),
        InlinePanel("entries", heading=_("Services in this hub"), label=_("Service"),
                    panels=[FieldPanel("service")]),
    ], base_form_class=HubForm)


# --- connectors -----------------------------------------------------------------------------


def _check_connector(user, obj):
    access_connector(user, obj, "edit")


def _connector_kwargs(form):
    return {"secret": form.cleaned_data.get("new_secret") or None,
            "upload": form.cleaned_data.get("upload"), **form.connector_fields()}


class ConnectorCreateView(generic.CreateView):
    def save_instance(self):
        return actions.do_save_connector(self.request.user, None, source="admin", **_connector_kwargs(self.form))


class ConnectorEditView(CheckedObjectMixin, generic.EditView):
    access_check = staticmethod(_check_connector)

    def save_instance(self):
        return actions.do_save_connector(self.request.user, self.object, source="admin",
                                         **_connector_kwargs(self.form))


class ConnectorDeleteView(DeleteThroughAction):
    access_check = staticmethod(_check_connector)


class ConnectorIndexView(ScopedIndexView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(_("Connector health"), url=reverse("services_connector_health"),
                              icon_name="pick", priority=10))
        return buttons


class ConnectorViewSet(ModelViewSet):
    model = Connector
    icon = "link"
    menu_label = _("Connectors")
    menu_order = 120
    list_display = ["name", "organisation", "kind", BooleanColumn("personal_data", label=_("Personal data")),
                    BooleanColumn("enabled", label=_("Enabled")), "timeout_s", "updated_at"]
    list_filter = ["kind", "enabled", "personal_data"]
    search_fields = ["name", "kind"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ConnectorIndexView
    add_view_class = ConnectorCreateView
    edit_view_class = ConnectorEditView
    delete_view_class = ConnectorDeleteView
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("personal_data"), FieldPanel("identity_param")]),
        FieldPanel("config"),
        FieldPanel("new_secret"),
        MultiFieldPanel([FieldPanel("data_file"), FieldPanel("upload")], heading=_("Data file")),
        FieldRowPanel([FieldPanel("timeout_s"), FieldPanel("enabled")]),
    ], base_form_class=ConnectorForm)


# --- connector shares -----------------------------------------------------------------------


class ShareCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.do_share_connector(self.request.user, data["connector"], data["organisation"],
                                          data["reason"], source="admin")


class ShareRevokeView(CheckedObjectMixin, generic.DeleteView):
    """"Delete" in the admin revokes: the share stays in the record."""

    access_check = staticmethod(lambda user, obj: access_connector_share(user, obj, "revoke"))
    page_title = _("Revoke share")

    def delete_action(self):
        actions.do_revoke_connector_share(self.request.user, self.object, source="admin")

    def get_success_message(self):
        return _("The share of “%(name)s” was revoked.") % {"name": self.object.connector.name}


class ShareIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(revoked_at__isnull=True)


class ConnectorShareViewSet(ModelViewSet):
    model = ConnectorShare
    icon = "resubmit"
    menu_label = _("Connector shares")
    menu_order = 125
    list_display = ["connector", "organisation", "reason", "created_by", "created_at"]
    search_fields = ["connector__name", "organisation__name_zh", "reason"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ShareIndexView
    add_view_class = ShareCreateView
    delete_view_class = ShareRevokeView
    edit_handler = ObjectList([FieldPanel("connector"), FieldPanel("organisation"), FieldPanel("reason")],
                              base_form_class=ConnectorShareForm)


# --- account menus --------------------------------------------------------------------------


def _check_menu(user, obj):
    access_menu(user, obj.organisation, "edit")


class MenuCreateView(generic.CreateView):
    def save_instance(self):
        return actions.do_save_menu_form(self.request.user, self.form.cleaned_data["organisation"],
                                         self.form.cleaned_data["menu"])


class MenuEditView(CheckedObjectMixin, generic.EditView):
    access_check = staticmethod(_check_menu)

    def save_instance(self):
        return actions.do_save_menu_form(self.request.user, self.object.organisation,
                                         self.form.cleaned_data["menu"])


class MenuDeleteView(DeleteThroughAction):
    access_check = staticmethod(_check_menu)


class MenuIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(Button(_("Download JSON"), url=reverse("services_menu_export", args=[instance.pk]),
                              icon_name="download", priority=30))
        return buttons


class AccountMenuViewSet(ModelViewSet):
    model = AccountMenu
    icon = "list-ol"
    menu_label = _("Account menus")
    menu_order = 130
    list_display = ["organisation", "updated_at", "updated_by"]
    search_fields = ["organisation__name_zh", "organisation__slug"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = MenuIndexView
    add_view_class = MenuCreateView
    edit_view_class = MenuEditView
    delete_view_class = MenuDeleteView
    edit_handler = ObjectList([FieldPanel("organisation"), FieldPanel("menu")], base_form_class=AccountMenuForm)


# --- the menu group ------------------------------------------------------------------------


class ServiceMatrixGroup(ViewSetGroup):
    menu_label = _("Service matrix")
    menu_icon = "cogs"
    menu_name = "service-matrix"
    menu_order = 240
    items = (
        ServiceViewSet("services_services", url_prefix="services/services"),
        HubViewSet("services_hubs", url_prefix="services/hubs"),
        ConnectorViewSet("services_connectors", url_prefix="services/connectors"),
        ConnectorShareViewSet("services_connector_shares", url_prefix="services/connector-shares"),
        AccountMenuViewSet("services_menus", url_prefix="services/menus"),
    )


@hooks.register("register_admin_viewset")
def register_service_matrix():
    return ServiceMatrixGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("services/health/", admin_views.ConnectorHealthView.as_view(), name="services_connector_health"),
        path("services/health/<int:pk>/reset/", admin_views.ResetBreakerView.as_view(),
             name="services_connector_reset"),
        path("services/menus/<int:pk>/export/", admin_views.menu_export, name="services_menu_export"),
    ]


class HealthMenuItem(MenuItem):
    def is_shown(self, request):
        return can_access_connector(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_health_report():
    return HealthMenuItem(_("Connector health"), reverse("services_connector_health"),
                          icon_name="pick", order=700)


# --- audit log -------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_log_actions(registry):
    for key, label, message in [
        ("service.create", _("Create service"), _("Service created")),
        ("service.edit", _("Edit service"), _("Service changed")),
        ("service.status", _("Change service status"), _("Service status changed")),
        ("service.delete", _("Delete service"), _("Service deleted")),
        ("hub.create", _("Create hub"), _("Hub created")),
        ("hub.edit", _("Edit hub"), _("Hub changed")),
        ("hub.delete", _("Delete hub"), _("Hub deleted")),
        ("connector.create", _("Create connector"), _("Connector created")),
        ("connector.edit", _("Edit connector"), _("Connector changed")),
        ("connector.reset", _("Reset connector breaker"), _("Connector breaker reset")),
        ("connector.share", _("Share connector"), _("Connector shared with another organisation")),
        ("connector.unshare", _("Revoke connector share"), _("Connector share revoked")),
        ("connector.delete", _("Delete connector"), _("Connector deleted")),
        ("menu.import", _("Change account menu"), _("Account menu changed")),
        ("menu.delete", _("Delete account menu"), _("Account menu deleted")),
    ]:
        registry.register_action(f"civichall.services.{key}", label, message)


# --- the service chooser of content's service cards -----------------------------------------


class ServiceChooserViewSet(ChooserViewSet):
    """The modal behind content's service cards (``SERVICE_CHOOSER_URL``)."""

    model = Service
    icon = "cogs"
    choose_one_text = _("Choose a service")
    choose_another_text = _("Choose another service")


@hooks.register("register_admin_viewset")
def register_service_chooser():
    return ServiceChooserViewSet(SERVICE_CHOOSER_URL.split(":")[0], url_prefix="services/choose")
