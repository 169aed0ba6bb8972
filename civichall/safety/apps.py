from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    """The content-safety room: lexicon in the database, the automatic check
    in the review workflow, the staff API and the ``safety`` command."""

    name = "civichall.safety"
    label = "safety"
    verbose_name = _("Content safety")

    def ready(self):
        # Wagtail 8 wants custom permission policies registered before any
        # admin code asks for one.
        from wagtail.permissions import register_permission_policy

        from .models import LexiconEntry
        from .permissions import LexiconPermissionPolicy

        register_permission_policy(LexiconEntry, LexiconPermissionPolicy(LexiconEntry))

        # The automatic check is the first step of content's review workflow.
        from civichall.content.review_steps import register_review_step

        from .workflow import ensure_safety_step

        register_review_step(ensure_safety_step)
