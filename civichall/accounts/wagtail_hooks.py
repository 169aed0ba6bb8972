"""Admin screens for the account matrix (organisations and memberships):
every save and delete is an action of ``actions.py``, audited, and the
lists show only what the policy lets the user work on."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup

from . import actions, policy
from .admin_viewsets import ActionViewSet
from .models import Membership, Organisation


class OrganisationForm(WagtailAdminModelForm):
    """Its administrators see the profile; where it sits in the matrix is
    the municipal administrators' (the action refuses others either way)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not policy.allows_some(self.for_user, "organisation", "manage_matrix"):
            for name in actions.STRUCTURE_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True


class OrganisationViewSet(ActionViewSet):
    model = Organisation
    policy_kind = "organisation"
    policy_action = "edit_profile"
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name_zh", "kind", "account_name_zh", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_zh", "name_en", "account_name_zh", "slug"]
    edit_handler = ObjectList([
        FieldPanel("name_zh"), FieldPanel("name_en"), FieldPanel("account_name_zh"),
        FieldPanel("slug"), FieldPanel("kind"), FieldPanel("parent"),
        FieldPanel("description_zh"), FieldPanel("description_en"), FieldPanel("contact"),
        FieldPanel("avatar"), FieldPanel("sort_order"),
    ], base_form_class=OrganisationForm)

    def save_action(self, user, instance, form):
        fields = {f: form.cleaned_data[f] for f in actions.ORGANISATION_FIELDS
                  if f in form.cleaned_data and not form.fields[f].disabled}
        return actions.do_save_organisation(user, instance, source="admin", **fields)

    def delete_action(self, user, instance):
        actions.do_delete_organisation(user, instance, source="admin")


class MembershipForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["organisation"].queryset = policy.organisations_where(
                self.for_user, "organisation", "manage_members")


class MembershipViewSet(ActionViewSet):
    model = Membership
    policy_kind = "membership"
    policy_action = "change"
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "organisation__name_zh"]
    edit_handler = ObjectList([FieldPanel("user"), FieldPanel("organisation"), FieldPanel("role")],
                              base_form_class=MembershipForm)

    def save_action(self, user, instance, form):
        data = form.cleaned_data
        if instance is None:
            return actions.do_add_membership(data["user"], data["organisation"], data["role"], user)
        return actions.do_change_membership(instance, data["organisation"], data["role"], user)

    def delete_action(self, user, instance):
        actions.do_remove_membership(instance, user)


class AccountMatrixGroup(ViewSetGroup):
    menu_icon = "group"
    menu_label = _("Account matrix")
    menu_name = "account-matrix"
    items = (
        OrganisationViewSet("accounts_organisations", url_prefix="accounts/organisations"),
        MembershipViewSet("accounts_memberships", url_prefix="accounts/memberships"),
    )


@hooks.register("register_admin_viewset")
def register_account_matrix():
    return AccountMatrixGroup()


@hooks.register("register_log_actions")
def register_matrix_log_actions(actions_registry):
    for key, label, message in (
        ("organisation.create", _("Create organisation"), _("Organisation created")),
        ("organisation.edit", _("Edit organisation"), _("Organisation changed")),
        ("organisation.delete", _("Delete organisation"), _("Organisation deleted")),
    ):
        actions_registry.register_action(f"civichall.{key}", label, message)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("civichall.citizen.verified", _("Verify real name"), _("Real name verified"))
    actions.register_action("civichall.citizen.personal_data_viewed", _("View personal data"),
                            _("Personal data viewed"))
    actions.register_action("civichall.citizen.signed_in", _("Citizen sign-in"), _("Citizen signed in"))
    actions.register_action("civichall.citizen.signed_out", _("End a citizen sign-in"),
                            _("Citizen sign-in ended"))
    actions.register_action("civichall.citizen.signed_out_everywhere", _("Sign out everywhere"),
                            _("Citizen signed out everywhere"))


@hooks.register("register_log_actions")
def register_two_factor_log_actions(actions):
    for action, label, message in (
        ("civichall.twofactor.enrolment_started", _("Start two-factor set-up"), _("Two-factor set-up started")),
        ("civichall.twofactor.enabled", _("Turn on two-factor sign-in"), _("Two-factor sign-in turned on")),
        ("civichall.twofactor.verified", _("Pass two-factor sign-in"), _("Two-factor code accepted")),
        ("civichall.twofactor.failed", _("Fail two-factor sign-in"), _("Two-factor code refused")),
        ("civichall.twofactor.recovery_codes_issued", _("Make new recovery codes"),
         _("New recovery codes made")),
        ("civichall.twofactor.disabled", _("Turn off two-factor sign-in"), _("Two-factor sign-in turned off")),
    ):
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    from django.urls import path

    from . import twofactor_views as views

    return [
        path("two-factor/", views.manage, name="accounts_two_factor"),
        path("two-factor/setup/", views.setup, name="accounts_two_factor_setup"),
        path("two-factor/verify/", views.verify, name="accounts_two_factor_verify"),
        path("two-factor/recovery-codes/", views.new_recovery_codes, name="accounts_two_factor_recovery_codes"),
        path("two-factor/off/", views.turn_off, name="accounts_two_factor_off"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    from django.urls import reverse

    return {"url": reverse("accounts_two_factor"), "label": _("Two-factor sign-in"),
            "help_text": _("Protect your account with a code from your phone.")}


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    """Staff API tokens under *Settings → API tokens*: Wagtail's own screens
    (list, create, rename, revoke). Wagtail registers them only with its own
    v3 API app, which CivicHall does not use; the staff tokens of our API
    are the same ``APIToken`` model."""
    from django.apps import apps

    if apps.is_installed("wagtail.api.v3"):
        return []  # Wagtail registers the same screens itself
    from wagtail.users.views.api_tokens import APITokenViewSet

    return APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens", menu_label=_("API tokens"))
