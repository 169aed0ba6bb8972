from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "civichall.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from django.db.models.signals import post_migrate
        from wagtail.signals import pre_page_move

        from civichall.accounts import policy

        from . import jobs, signals  # noqa: F401
        from .ownership import owner_id, pages_owned_by, refuse_moves_across_organisations

        post_migrate.connect(_after_migrate, sender=self)

        # Public pages in the page cache are purged when what they show changes.
        from . import page_cache

        page_cache.connect()
        # Whether any page is restricted is asked once per change.
        from . import restrictions

        restrictions.connect()
        # The topic index's address, in every topic link.
        from civichall.core.memo import forget_on_change

        from .models import TopicIndexPage
        from .models.topics import TOPIC_INDEX_KEY

        forget_on_change(lambda page: [TOPIC_INDEX_KEY], TopicIndexPage)
        # Renditions are made when an image is saved, not on a reader's view.
        from . import renditions

        renditions.connect()

        # Wagtail groups follow memberships (content.groups).
        from django.db.models.signals import post_delete, post_save

        from civichall.accounts.models import Membership

        from .groups import membership_changed

        for signal in (post_save, post_delete):
            signal.connect(membership_changed, sender=Membership, dispatch_uid=f"content-groups-{signal}")
        # The policy's "owner" of a page is the organisation whose section holds it.
        policy.register_resolver("owner", owner_id, pages_owned_by)

        from wagtail.permissions import register_permission_policy

        from civichall.accounts.wagtail_policy import RulePermissionPolicy

        from .models import Topic

        register_permission_policy(Topic, RulePermissionPolicy(Topic, "topic", {"view": "edit"}))
        pre_page_move.connect(refuse_moves_across_organisations, dispatch_uid="content-one-owner")


def _after_migrate(sender, **kwargs):
    from .setup import ensure_site_structure

    ensure_site_structure()
