from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    name = "civichall.channels.wechat"
    label = "wechat"
    verbose_name = _("WeChat")

    def ready(self):
        # Every account menu is saved in WeChat's shape, within WeChat's
        # limits; the admin's menu list offers the JSON WeChat's API takes.
        from civichall.services.account_menus import (
            register_menu_download,
            register_menu_validator,
        )

        from .menus import check_wechat_menu

        register_menu_validator(check_wechat_menu)
        register_menu_download(_("Download JSON"), "wechat_menu_export")
