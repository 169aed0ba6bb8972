"""The admin's form for an Open311 key: its name is shown, revoking is the
one change (the key itself was shown once when it was issued)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class ApiKeyForm(WagtailAdminModelForm):
    revoke = forms.BooleanField(label=_("Revoke this key"), required=False,
                                help_text=_("Requests posted with it are refused from now on; this cannot be undone."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "name" in self.fields:
            self.fields["name"].disabled = True
