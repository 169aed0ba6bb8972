from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """Notifications to citizens (the in-site notification centre)."""

    name = "civichall.notify"
    label = "notify"
    verbose_name = _("Notifications")
