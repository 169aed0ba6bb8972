from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "civichall.services"
    label = "services"
    verbose_name = _("Service matrix")

    def ready(self):
        # Wagtail 8 wants custom permission policies registered before any
        # admin code asks for one.
        from wagtail.permissions import register_permission_policy

        from .models import AccountMenu, Connector, Hub, Service
        from .permissions import ConnectorPermissionPolicy, OrganisationAdminPolicy, ServicePermissionPolicy

        register_permission_policy(Service, ServicePermissionPolicy(Service))
        register_permission_policy(Hub, OrganisationAdminPolicy(Hub))
        register_permission_policy(AccountMenu, OrganisationAdminPolicy(AccountMenu))
        register_permission_policy(Connector, ConnectorPermissionPolicy(Connector))
