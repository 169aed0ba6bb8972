"""The staff sign-in form: Wagtail's, with the password field's label made
translatable (Wagtail redeclares the field without a label, so Django shows
the bare field name "Password" on the Chinese admin)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class StaffLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
