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

        from .models import AccountMenu, Connector, ConnectorShare, Hub, Service
        from .permissions import (
            ConnectorPermissionPolicy,
            ConnectorSharePermissionPolicy,
            HubPermissionPolicy,
            MenuPermissionPolicy,
            ServicePermissionPolicy,
        )

        register_permission_policy(Service, ServicePermissionPolicy(Service))
        register_permission_policy(Hub, HubPermissionPolicy(Hub))
        register_permission_policy(AccountMenu, MenuPermissionPolicy(AccountMenu))
        register_permission_policy(Connector, ConnectorPermissionPolicy(Connector))
        register_permission_policy(ConnectorShare, ConnectorSharePermissionPolicy(ConnectorShare))

        # Whatever is derived from the catalog (search index, hub sections)
        # is rebuilt after any change to it, in every process.
        from django.db.models.signals import post_delete, post_save

        from civichall.accounts.models import Organisation

        from .models import AccountMenu, HubEntry
        from .runtime import catalog_changed

        for model in (Service, Hub, HubEntry, Connector, Organisation, AccountMenu):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"services-catalog-{model.__name__}")
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"services-catalog-del-{model.__name__}")

        # The department systems' line in the health report.
        from civichall.core import health

        from .health import check_connectors

        health.register("connectors", check_connectors)

        # Hubs, services and menus show on many pages (every page's menu).
        from civichall.core.page_cache import purge_all_on_change

        purge_all_on_change(Service, Hub, HubEntry, AccountMenu)
