"""Admin screens for the account matrix (organisations and memberships)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Membership, Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name_zh", "kind", "account_name_zh", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_zh", "name_en", "account_name_zh", "slug"]
    panels = [
        FieldPanel("name_zh"), FieldPanel("name_en"), FieldPanel("account_name_zh"),
        FieldPanel("slug"), FieldPanel("kind"), FieldPanel("parent"),
        FieldPanel("description_zh"), FieldPanel("description_en"), FieldPanel("contact"),
        FieldPanel("avatar"), FieldPanel("sort_order"),
    ]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "organisation__name_zh"]
    panels = [FieldPanel("user"), FieldPanel("organisation"), FieldPanel("role")]


class AccountMatrixGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, MembershipViewSet)
    menu_icon = "group"
    menu_label = _("Account matrix")
    menu_name = "account-matrix"


register_snippet(AccountMatrixGroup)


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
