from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "civichall.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import jobs, signals  # noqa: F401

        post_migrate.connect(_after_migrate, sender=self)


def _after_migrate(sender, **kwargs):
    from .setup import ensure_site_structure

    ensure_site_structure()
