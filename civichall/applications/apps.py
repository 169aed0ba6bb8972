from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Online applications: definitions, drafts with prefill, cases."""

    name = "civichall.applications"
    label = "applications"
    verbose_name = _("Online applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civichall.accounts import personal_data, policy

        from . import data_use, jobs  # noqa: F401  (periodic jobs)
        from .permissions import RULES

        for kind, actions in RULES.items():
            policy.register_rules(kind, actions)
        personal_data.register_data_use_log(data_use.uses_for)
