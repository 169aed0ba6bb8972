"""Admin forms of the service matrix.

They only collect and show what administrators type; the rules live in
``actions`` (``check_service``, ``check_connector``, ``check_menu``) so the
admin, the CLI and the API refuse the same things with the same words.

* JSON fields (schemas, connector configuration, the menu) are edited as
  indented JSON text; a syntax error says where it is.
* A connector's secret is write-only: the field is never filled in when the
  form is shown, and leaving it empty keeps the stored secret.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.documents.widgets import AdminDocumentChooser

from civichall.accounts.models import Organisation
from civichall.core.errors import report_refusal

from . import actions
from .connectors.base import available_kinds
from .models import AccountMenu, Connector, ConnectorShare, Service
from .permissions import (
    connectors_for,
    organisations_for_connectors,
    organisations_for_hubs,
    organisations_for_menu,
    service_organisations,
)


class JSONTextField(forms.CharField):
    """A JSON value typed as text; ``empty`` is what an empty box means."""

    widget = forms.Textarea(attrs={"rows": 10, "class": "monospace", "spellcheck": "false"})

    def __init__(self, *args, empty=dict, **kwargs):
        self.empty = empty
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value or not value.strip():
            return self.empty()
        try:
            return json.loads(value)
        except ValueError as exc:
            raise ValidationError(
                _("This is not valid JSON (line %(line)s, column %(column)s): check brackets, quotes "
                  "and commas.") % {"line": getattr(exc, "lineno", "?"), "column": getattr(exc, "colno", "?")}
            ) from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial if initial is not None else self.empty())
        except ValidationError:
            return True


class ServiceForm(WagtailAdminModelForm):
    """A service; its owner is one of the organisations the user works for."""

    input_schema = JSONTextField(label=_("input schema"),
                                 help_text=_("JSON Schema of the query form; empty = the connector's."))
    output_schema = JSONTextField(label=_("output schema"))

    class Meta:
        model = Service
        fields = list(actions.SERVICE_FIELDS)
        widgets = {"description_zh": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            own = service_organisations(self.for_user)
            if "organisation" in self.fields:
                self.fields["organisation"].queryset = own
            if "connector" in self.fields:
                # Only connectors the user's organisations own or were given:
                # never another department's system or its secrets.
                self.fields["connector"].queryset = Connector.usable_by_queryset(own)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            data = actions.check_service({k: cleaned.get(k) for k in actions.SERVICE_FIELDS},
                                         instance=self.instance)
        except ValidationError as error:
            report_refusal(None, error, form=self)
            return cleaned
        cleaned.update(data)
        return cleaned

    def service_fields(self):
        return {k: self.cleaned_data.get(k) for k in actions.SERVICE_FIELDS}


class HubForm(WagtailAdminModelForm):
    """A hub of an organisation the user administers, with its ordered entries."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields and self.for_user is not None:
            self.fields["organisation"].queryset = organisations_for_hubs(self.for_user)


class ConnectorForm(WagtailAdminModelForm):
    """A connector. The secret field is never filled in (write-only)."""

    kind = forms.ChoiceField(label=_("kind"), choices=())
    config = JSONTextField(label=_("configuration"),
                           help_text=_("The kind's options as JSON, e.g. url_template, headers, result_path, "
                                       "lookups, input_schema. Put the secret in the field below, and refer "
                                       "to it as {secret}."))
    new_secret = forms.CharField(
        label=_("secret"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("An API key or password. It is never shown again; leave empty to keep the stored one."),
    )
    upload = forms.FileField(
        label=_("upload a data file"), required=False,
        help_text=_("For file connectors: a CSV / open-data file. It is stored as a document and indexed."),
    )

    class Meta:
        model = Connector
        fields = ["name", "organisation", "kind", "personal_data", "identity_param", "config", "data_file",
                  "timeout_s", "enabled"]
        widgets = {"data_file": AdminDocumentChooser}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "organisation" in self.fields:
            self.fields["organisation"].queryset = organisations_for_connectors(self.for_user)
        self.fields["kind"].choices = [(k, k) for k in available_kinds()]
        self.fields["new_secret"].initial = ""
        has_secret = bool(self.instance and self.instance.pk and self.instance.secret)
        if has_secret:
            self.fields["new_secret"].help_text = _(
                "A secret is stored. It is never shown; type a new one to replace it, or leave empty to keep it.")

    def clean_config(self):
        config = self.cleaned_data.get("config")
        if isinstance(config, dict) and "secret" in config:
            # Refused, and not shown back on the page: the secret has its own field.
            config = {k: v for k, v in config.items() if k != "secret"}
            self.data = self.data.copy()
            self.data[self.add_prefix("config")] = json.dumps(config, ensure_ascii=False, indent=2)
            raise ValidationError(_("Put the secret in the secret field, not in the configuration."))
        return config

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            actions.check_connector(
                {k: cleaned.get(k) for k in actions.CONNECTOR_FIELDS},
                secret=cleaned.get("new_secret") or None,
                instance=self.instance if self.instance.pk else None,
                upload=cleaned.get("upload"),
            )
        except ValidationError as error:
            report_refusal(None, error, form=self)
        return cleaned

    def connector_fields(self):
        return {k: self.cleaned_data.get(k) for k in actions.CONNECTOR_FIELDS}


class MenuJSONField(JSONTextField):
    """The menu as WeChat's JSON; its limits are checked by ``actions.check_menu``."""

    def to_python(self, value):
        # Keep the text: ``check_menu`` reports JSON errors with their place.
        value = forms.CharField.to_python(self, value)
        return value


class AccountMenuForm(WagtailAdminModelForm):
    """An account's WeChat menu, edited as JSON; refused with every reason
    when it breaks WeChat's limits."""

    menu = MenuJSONField(
        label=_("menu (WeChat JSON)"), required=True,
        widget=forms.Textarea(attrs={"rows": 24, "class": "monospace", "spellcheck": "false"}),
        help_text=_('WeChat\'s custom-menu JSON: {"button": [...]}. At most 3 columns of at most 5 items; '
                    "a column name at most 16 bytes (5 Chinese characters), an item name at most 60 bytes, "
                    "a key at most 128 bytes, a URL at most 1024 bytes."),
    )

    class Meta:
        model = AccountMenu
        fields = ["organisation", "menu"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            allowed = organisations_for_menu(self.for_user)
            taken = AccountMenu.objects.exclude(pk=self.instance.pk).values_list("organisation_id", flat=True)
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=allowed.values("pk")).exclude(pk__in=taken)
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            self.initial["menu"] = json.dumps(self.instance.menu, ensure_ascii=False, indent=2)

    def clean_menu(self):
        text = self.cleaned_data.get("menu") or ""
        try:
            menu = actions.check_menu(text)
        except actions.MenuRefused as refused:
            raise ValidationError(refused.lines()) from None
        return menu


class ConnectorShareForm(WagtailAdminModelForm):
    """Share one of the user's organisations' connectors with another
    organisation, with a reason (kept in the audit log)."""

    class Meta:
        model = ConnectorShare
        fields = ["connector", "organisation", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["connector"].queryset = connectors_for(self.for_user, "share")
        self.fields["organisation"].queryset = Organisation.objects.all()

    def clean(self):
        cleaned = super().clean()
        connector, organisation = cleaned.get("connector"), cleaned.get("organisation")
        if connector is not None and organisation is not None and organisation.pk == connector.organisation_id:
            self.add_error("organisation", _("The connector already belongs to this organisation."))
        return cleaned
