from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    name = "civichall.channels.wechat"
    label = "wechat"
    verbose_name = _("WeChat")

    def ready(self):
        # Every account menu is saved in WeChat's shape, within WeChat's
        # limits; the admin's menu list offers the JSON WeChat's API takes.
        from wagtail.permissions import register_permission_policy

        from civichall.accounts.wagtail_policy import RulePermissionPolicy
        from civichall.notify.services import register_delivery
        from civichall.services.account_menus import (
            register_menu_download,
            register_menu_validator,
        )

        from . import jobs, lookups  # noqa: F401  (background tasks; cache receivers)
        from .delivery import on_notification
        from .menus import check_wechat_menu
        from .models import Handoff, KeywordReply, WechatAccount
        from .permissions import register

        register_menu_validator(check_wechat_menu)
        register_menu_download(_("Download JSON"), "wechat_menu_export")
        # The channel's kinds in the one permission policy.
        register()
        for model, kind, actions in (
            (WechatAccount, "wechat_account", None),
            (KeywordReply, "keyword_reply", None),
            (Handoff, "wechat_handoff", {"add": None, "change": "answer", "delete": None}),
        ):
            register_permission_policy(model, RulePermissionPolicy(model, kind, actions))
        # Answers and replies in the notification centre also go out on WeChat.
        register_delivery(on_notification)
