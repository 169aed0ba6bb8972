"""Admin wiring of the service matrix: one "Service matrix" menu with

* *Services* — liaisons and administrators see and edit only their own
  organisations' services (``permissions.access_service``);
* *Hubs* — the services a hub shows, in order (administrators of the hub's
  organisation);
* *Connectors* — department systems (municipal administrators): the secret
  is write-only, a CSV file is uploaded as a Wagtail document and indexed;
* *Account menus* — each account's menu, edited as JSON with the
  channel's limits enforced and every problem named (WeChat's are
  registered by the WeChat channel, with the JSON download);
* *Connector health* — calls, errors, latency and breaker state.

Every save and delete goes through ``actions`` and lands in the audit log.
"""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.button import Button

from civichall.accounts.admin_viewsets import ActionIndexView, ActionViewSet
from civichall.content.blocks import SERVICE_CHOOSER_URL

from . import actions, admin_views
from .account_menus import menu_downloads
from .forms import (
    AccountMenuForm,
    ConnectorForm,
    ConnectorShareForm,
    HubForm,
    ServiceForm,
)
from .models import AccountMenu, Connector, ConnectorShare, Hub, Service
from .permissions import can_access_connector


def _delete(user, obj):
    actions.do_delete(user, obj, source="admin")


# --- services -------------------------------------------------------------------------------


class ServiceViewSet(ActionViewSet):
    model = Service
    policy_kind = "service"
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

    def save_action(self, user, instance, form):
        return actions.do_save_service(user, instance, source="admin", **form.service_fields())

    delete_action = staticmethod(_delete)


# --- hubs -----------------------------------------------------------------------------------


class HubViewSet(ActionViewSet):
    model = Hub
    policy_kind = "hub"
    icon = "list-ul"
    menu_label = _("Hubs")
    menu_order = 110
    list_display = ["name_zh", "slug", "organisation", BooleanColumn("show_linked", label=_("Linked accounts"))]
    search_fields = ["name_zh", "name_en", "slug"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("organisation"), FieldPanel("sort_order")]),
        FieldPanel("description_zh"),
        FieldPanel("show_linked"),
        InlinePanel("entries", heading=_("Services in this hub"), label=_("Service"),
                    panels=[FieldPanel("service")]),
    ], base_form_class=HubForm)

    def save_action(self, user, instance, form):
        return actions.do_save_hub_form(user, form)

    delete_action = staticmethod(_delete)


# --- connectors -----------------------------------------------------------------------------


def _connector_kwargs(form):
    return {"secret": form.cleaned_data.get("new_secret") or None,
            "upload": form.cleaned_data.get("upload"), **form.connector_fields()}


class ConnectorIndexView(ActionIndexView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(_("Connector health"), url=reverse("services_connector_health"),
                              icon_name="pick", priority=10))
        return buttons


class ConnectorViewSet(ActionViewSet):
    model = Connector
    policy_kind = "connector"
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
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("personal_data"), FieldPanel("identity_param")]),
        FieldPanel("config"),
        FieldPanel("new_secret"),
        MultiFieldPanel([FieldPanel("data_file"), FieldPanel("upload")], heading=_("Data file")),
        FieldRowPanel([FieldPanel("timeout_s"), FieldPanel("enabled")]),
    ], base_form_class=ConnectorForm)

    def save_action(self, user, instance, form):
        return actions.do_save_connector(user, instance, source="admin", **_connector_kwargs(form))

    delete_action = staticmethod(_delete)


# --- connector shares -----------------------------------------------------------------------


class ShareIndexView(ActionIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(revoked_at__isnull=True)


class ConnectorShareViewSet(ActionViewSet):
    """"Delete" revokes: the share stays on record."""

    model = ConnectorShare
    policy_kind = "connector_share"
    policy_action = "view"
    icon = "resubmit"
    menu_label = _("Connector shares")
    menu_order = 125
    list_display = ["connector", "organisation", "reason", "created_by", "created_at"]
    search_fields = ["connector__name", "organisation__name_zh", "reason"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ShareIndexView
    edit_handler = ObjectList([FieldPanel("connector"), FieldPanel("organisation"), FieldPanel("reason")],
                              base_form_class=ConnectorShareForm)

    def save_action(self, user, instance, form):
        data = form.cleaned_data
        return actions.do_share_connector(user, data["connector"], data["organisation"], data["reason"],
                                          source="admin")

    def delete_action(self, user, instance):
        actions.do_revoke_connector_share(user, instance, source="admin")


# --- account menus --------------------------------------------------------------------------


class MenuIndexView(ActionIndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        for label, url_name in menu_downloads():
            buttons.append(Button(label, url=reverse(url_name, args=[instance.pk]),
                                  icon_name="download", priority=30))
        return buttons


class AccountMenuViewSet(ActionViewSet):
    model = AccountMenu
    policy_kind = "menu"
    icon = "list-ol"
    menu_label = _("Account menus")
    menu_order = 130
    list_display = ["organisation", "updated_at", "updated_by"]
    search_fields = ["organisation__name_zh", "organisation__slug"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = MenuIndexView
    edit_handler = ObjectList([FieldPanel("organisation"), FieldPanel("menu")], base_form_class=AccountMenuForm)

    def save_action(self, user, instance, form):
        organisation = instance.organisation if instance is not None else form.cleaned_data["organisation"]
        return actions.do_save_menu_form(user, organisation, form.cleaned_data["menu"])

    delete_action = staticmethod(_delete)


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
