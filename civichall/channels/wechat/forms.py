"""Admin forms of the WeChat channel. AppSecret and EncodingAESKey are
write-only: never filled in when shown; left empty, the stored value stays."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from civichall.accounts import policy

from .models import Handoff, KeywordReply, WechatAccount

_SECRET_WIDGET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})


class WechatAccountForm(WagtailAdminModelForm):
    new_secret = forms.CharField(
        label=_("AppSecret"), required=False, strip=True, widget=_SECRET_WIDGET,
        help_text=_("Never shown again; leave empty to keep the stored one."),
    )
    new_aes_key = forms.CharField(
        label=_("EncodingAESKey"), required=False, strip=True, widget=_SECRET_WIDGET,
        help_text=_("43 characters, for compatible and safe modes. Never shown again; leave empty to keep it."),
    )

    class Meta:
        model = WechatAccount
        fields = ["organisation", "appid", "token", "mode", "welcome_text", "notice_template_id",
                  "answer_subscription_template_id", "answer_subscription_fields",
                  "case_subscription_template_id", "case_subscription_fields", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "organisation" in self.fields:
            self.fields["organisation"].queryset = policy.organisations_where(self.for_user, "organisation",
                                                                               "edit_menu")
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            for name, stored in (("new_secret", self.instance.app_secret), ("new_aes_key", self.instance.aes_key)):
                if stored:
                    self.fields[name].help_text = _(
                        "A value is stored. It is never shown; type a new one to replace it, or leave empty.")

    def _post_clean(self):
        # The action validates (with messages per field); the model's own
        # uniqueness check would run on the unsaved secrets.
        pass


class KeywordReplyForm(WagtailAdminModelForm):
    class Meta:
        model = KeywordReply
        fields = ["account", "keyword", "match", "reply", "priority", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "account" in self.fields:
            self.fields["account"].queryset = policy.filter_allowed(
                self.for_user, "wechat_account", "edit", WechatAccount.objects.select_related("organisation"))

    def _post_clean(self):
        pass


class HandoffAnswerForm(WagtailAdminModelForm):
    class Meta:
        model = Handoff
        fields = ["answer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        if self.instance.answered_at is not None:
            self.fields["answer"].disabled = True

    def _post_clean(self):
        pass
