from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civichall.core"
    label = "civichall_core"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import pre_save

        from . import checks  # noqa: F401 - registers the deployment checks
        from .text_guard import clean_instance_text

        pre_save.connect(clean_instance_text, dispatch_uid="civichall_clean_instance_text")

        # Every page shows the site profile (name, hotline).
        from .models import SiteProfile
        from .page_cache import purge_all_on_change

        purge_all_on_change(SiteProfile)
        from .memo import forget_on_change
        from .site import profile_key

        forget_on_change(lambda profile: [profile_key(profile.site_id)], SiteProfile)
