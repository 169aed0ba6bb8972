"""Admin for staff API tokens: Wagtail's own screens (list, create, rename,
revoke) under *Settings → API tokens*.

Wagtail registers them only together with its own v3 API app, which CivicHall
does not use; the staff tokens of our API are the same ``APIToken`` model.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    if apps.is_installed("wagtail.api.v3"):
        return []  # Wagtail registers the same screens itself
    from wagtail.users.views.api_tokens import APITokenViewSet

    return APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens",
                           menu_label=_("API tokens"))
