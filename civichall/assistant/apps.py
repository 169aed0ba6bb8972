from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    """The smart assistant: answers residents' questions from services,
    articles, the FAQ and past answers, and hands the rest to a person."""

    name = "civichall.assistant"
    label = "assistant"
    verbose_name = _("Smart assistant")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from civichall.accounts.wagtail_policy import RulePermissionPolicy

        from . import permissions, signals
        from .models import Faq

        permissions.register()
        register_permission_policy(Faq, RulePermissionPolicy(Faq, "assistant_faq"))
        signals.connect()
