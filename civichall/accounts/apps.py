from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civichall.accounts"
    label = "accounts"
    verbose_name = _("Account matrix")

    def ready(self):
        from . import signals  # noqa: F401
