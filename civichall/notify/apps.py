from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """Notifications to citizens (the in-site notification centre)."""

    name = "civichall.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self):
        # The header's account corner is a personal part of public pages.
        from civichall.core.personal_parts import register

        from .templatetags.notify_tags import render_citizen_nav

        register("citizen_nav", render_citizen_nav)
