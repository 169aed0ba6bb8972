from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civichall.accounts"
    label = "accounts"
    verbose_name = _("Account matrix")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from civichall.core.site import register_editor_check

        from . import jobs, policy, signals  # noqa: F401
        from .models import Membership, Organisation
        from .wagtail_policy import RulePermissionPolicy

        register_permission_policy(Organisation, RulePermissionPolicy(
            Organisation, "organisation",
            {"view": "edit_profile", "add": "manage_matrix", "change": "edit_profile", "delete": "manage_matrix"}))
        register_permission_policy(Membership, RulePermissionPolicy(
            Membership, "membership", {"view": "change", "change": "change", "delete": "change"},
            add=lambda user: policy.allows_some(user, "organisation", "manage_members")))
        # The site profile (core) is edited by whom the policy says.
        register_editor_check(lambda user: policy.allows(user, "organisation", "edit_site_profile"))
        # A citizen's personal parts of a cached page are rendered for them alone.
        from civichall.core.personal_parts import register_reader

        from .citizens import citizen_of

        register_reader(lambda user: citizen_of(user) is not None)

        # Organisations' names and the tree show on every page (menus, directory).
        from civichall.core.page_cache import purge_all_on_change

        purge_all_on_change(Organisation)
