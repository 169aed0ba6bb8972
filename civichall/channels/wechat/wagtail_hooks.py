"""Admin wiring of the WeChat channel: the menu's JSON download (linked from
the service matrix's menu list, where the app registers it)."""

from django.urls import path
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        # The address the download had in the service matrix, kept for links.
        path("services/menus/<int:pk>/export/", admin_views.menu_export, name="wechat_menu_export"),
    ]
