from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    """The comment area: comments, official replies, questions and their
    routing, the SLA clock and its escalation."""

    name = "civichall.interaction"
    label = "interaction"
    verbose_name = _("Comments and questions")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import jobs, signals  # noqa: F401  (periodic jobs, article defaults)
        from .models import RoutingRule
        from .permissions import RoutingRulePermissionPolicy

        register_permission_policy(RoutingRule, RoutingRulePermissionPolicy(RoutingRule))

        # The comment area is part of the cached article page.
        from civichall.core.page_cache import purge_all_on_change

        from . import page_cache
        from .models import OrganisationInteractionSettings

        page_cache.connect()
        # ... and a personal part of it (a signed-in citizen's form and comments).
        from civichall.core.personal_parts import register

        from . import personal

        register("comment_form", personal.render_form)
        register("comment_actions", personal.render_actions, prepare=personal.prepare_actions)
        register("follow_up", personal.render_follow_up, prepare=personal.prepare_follow_up)
        purge_all_on_change(OrganisationInteractionSettings)
