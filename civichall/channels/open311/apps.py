from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "civichall.channels.open311"
    label = "open311"
    verbose_name = _("Open311")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civichall.accounts.wagtail_policy import RulePermissionPolicy
        from wagtail.permissions import register_permission_policy

        from .models import ApiKey
        from .permissions import register

        # The channel's kinds in the one permission policy.
        register()
        register_permission_policy(ApiKey, RulePermissionPolicy(ApiKey, "open311_key", {"add": None, "delete": None}))
