from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civichall.core"
    label = "civichall_core"
    verbose_name = _("Site")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
        from django.db.models.signals import pre_save

        from .text_guard import clean_instance_text

        pre_save.connect(clean_instance_text, dispatch_uid="civichall_clean_instance_text")
