from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "civichall.services"
    label = "services"
    verbose_name = _("Service matrix")
