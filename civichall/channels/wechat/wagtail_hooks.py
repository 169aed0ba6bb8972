"""Admin wiring of the WeChat channel: one "WeChat" menu with

* *Accounts* — each organisation's configuration (its administrators):
  AppSecret and EncodingAESKey are write-only; *Push menu* sends the
  stored menu to the platform;
* *Keyword replies* — exact and contains rules, as WeChat's console offers;
* *Questions from WeChat* — what followers handed to a person, answered
  here and sent back to them on WeChat;
* *Platform calls* — every call made to the platform for the account,
  with the platform's answer in Chinese (any staff of the organisation);

plus the menu's JSON download (linked from the service matrix's menu list).
Every save goes through ``actions`` and lands in the audit log."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets.button import Button

from civichall.accounts.admin_viewsets import ActionEditView, ActionIndexView, ActionViewSet

from . import actions, admin_views
from .forms import HandoffAnswerForm, KeywordReplyForm, WechatAccountForm
from .models import Handoff, KeywordReply, WechatAccount

LOG_ACTIONS = [
    ("civichall.wechat.configure", _("Configure WeChat account"), _("WeChat account configured")),
    ("civichall.wechat.keyword.create", _("Create keyword reply"), _("Keyword reply created")),
    ("civichall.wechat.keyword.edit", _("Edit keyword reply"), _("Keyword reply changed")),
    ("civichall.wechat.keyword.delete", _("Delete keyword reply"), _("Keyword reply deleted")),
    ("civichall.wechat.menu_push", _("Push menu to WeChat"), _("Menu sent to WeChat")),
    ("civichall.wechat.qrcode", _("Create WeChat QR code"), _("WeChat QR code created")),
    ("civichall.wechat.handoff", _("Question from WeChat"), _("A follower asked for a person")),
    ("civichall.wechat.handoff.answer", _("Answer question from WeChat"), _("Question from WeChat answered")),
    ("civichall.wechat.subscription_consent", _("Subscription consent"),
     _("A follower answered a subscription notification")),
    ("civichall.wechat.subscription_used", _("Subscription notification sent"),
     _("A subscription notification was sent or refused")),
]


@hooks.register("register_log_actions")
def register_log_actions(registry):
    for key, label, message in LOG_ACTIONS:
        registry.register_action(key, label, message)


class AccountEditView(ActionEditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(_("Push menu to WeChat"), url=reverse("wechat_push_menu", args=[self.object.pk]),
                              icon_name="upload", priority=10))
        return buttons


def _save_account(user, instance, form):
    data = form.cleaned_data
    organisation = instance.organisation if instance is not None and instance.pk else data["organisation"]
    return actions.do_configure_account(
        user, organisation, appid=data["appid"], token=data["token"], mode=data["mode"],
        welcome_text=data.get("welcome_text", ""), notice_template_id=data.get("notice_template_id", ""),
        enabled=data.get("enabled", True),
        subscriptions={purpose: (data.get(f"{purpose}_subscription_template_id", ""),
                                 data.get(f"{purpose}_subscription_fields", "")) for purpose in ("answer", "case")},
        secret=data.get("new_secret") or None, aes_key=data.get("new_aes_key") or None, source="admin")


def _refuse_delete(user, instance):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied(_("Turn the account off instead: its messages and followers stay on record."))


class WechatAccountViewSet(ActionViewSet):
    model = WechatAccount
    policy_kind = "wechat_account"
    icon = "mail"
    menu_label = _("Accounts")
    list_display = ["organisation", "appid", "mode", BooleanColumn("enabled", label=_("Enabled")), "updated_at"]
    edit_view_class = AccountEditView
    edit_handler = ObjectList([
        FieldPanel("organisation"), FieldPanel("appid"), FieldPanel("token"), FieldPanel("mode"),
        FieldPanel("new_secret"), FieldPanel("new_aes_key"), FieldPanel("welcome_text"),
        FieldPanel("notice_template_id"),
        FieldPanel("answer_subscription_template_id"), FieldPanel("answer_subscription_fields"),
        FieldPanel("case_subscription_template_id"), FieldPanel("case_subscription_fields"),
        FieldPanel("enabled"),
    ], base_form_class=WechatAccountForm)
    save_action = staticmethod(_save_account)
    delete_action = staticmethod(_refuse_delete)


def _save_keyword(user, instance, form):
    data = form.cleaned_data
    return actions.do_save_keyword_reply(
        user, instance if instance is not None and instance.pk else None, account=data["account"],
        keyword=data["keyword"], reply=data["reply"], match=data["match"], priority=data.get("priority") or 0,
        active=data.get("active", True), source="admin")


class KeywordReplyViewSet(ActionViewSet):
    model = KeywordReply
    policy_kind = "keyword_reply"
    icon = "openquote"
    menu_label = _("Keyword replies")
    list_display = ["keyword", "match", "account", "priority", BooleanColumn("active", label=_("Active"))]
    edit_handler = ObjectList([
        FieldPanel("account"), FieldPanel("keyword"), FieldPanel("match"), FieldPanel("reply"),
        FieldPanel("priority"), FieldPanel("active"),
    ], base_form_class=KeywordReplyForm)
    save_action = staticmethod(_save_keyword)
    delete_action = staticmethod(lambda user, rule: actions.do_delete_keyword_reply(user, rule, source="admin"))


class HandoffIndexView(ActionIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("account__organisation")


class HandoffViewSet(ActionViewSet):
    model = Handoff
    policy_kind = "wechat_handoff"
    policy_action = "answer"
    icon = "help"
    menu_label = _("Questions from WeChat")
    add_view_enabled = False
    index_view_class = HandoffIndexView
    list_display = ["question", "account", "asked_at", "due_at", "answered_at"]
    list_filter = ["answered_at"]
    edit_handler = ObjectList([FieldPanel("answer")], base_form_class=HandoffAnswerForm)
    save_action = staticmethod(
        lambda user, handoff, form: actions.do_answer_handoff(user, handoff, form.cleaned_data["answer"],
                                                              source="admin"))
    delete_action = staticmethod(_refuse_delete)


class PlatformCallsViewSet(ViewSet):
    """The log of calls made to the platform (read only), for any staff of
    the account's organisation."""

    icon = "list-ul"
    menu_label = _("Platform calls")

    def get_urlpatterns(self):
        return [path("", admin_views.PlatformCallsView.as_view(), name="index")]

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    @cached_property
    def menu_item_class(self):
        from wagtail.admin.menu import MenuItem

        from .permissions import deliveries_visible

        class CallsMenuItem(MenuItem):
            def is_shown(self, request):
                return deliveries_visible(request.user)

        return CallsMenuItem


class WechatGroup(ViewSetGroup):
    menu_label = _("WeChat")
    menu_icon = "mail"
    menu_name = "wechat"
    menu_order = 245
    items = (
        WechatAccountViewSet("wechat_accounts", url_prefix="wechat/accounts"),
        KeywordReplyViewSet("wechat_keywords", url_prefix="wechat/keywords"),
        HandoffViewSet("wechat_handoffs", url_prefix="wechat/questions"),
        PlatformCallsViewSet("wechat_calls", url_prefix="wechat/calls"),
    )


@hooks.register("register_admin_viewset")
def register_wechat():
    return WechatGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        # The address the download had in the service matrix, kept for links.
        path("services/menus/<int:pk>/export/", admin_views.menu_export, name="wechat_menu_export"),
        path("wechat/accounts/<int:pk>/push-menu/", admin_views.push_menu, name="wechat_push_menu"),
    ]
