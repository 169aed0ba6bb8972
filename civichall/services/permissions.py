"""Who may touch the service matrix: services, menus, hubs, connectors and
connector shares.

The rules are data in ``accounts/policy.py``; the ``access_*`` functions
here are the doors every caller (admin, API, actions, CLI, tests) goes
through, and ``RulePermissionPolicy`` answers Wagtail's admin from the same
rules.

* a service -- ``view``: anyone while it is not retired (its editors still
  see a retired one); ``edit``: liaisons and administrators of the owner;
* an account's menu, a hub -- ``edit``: administrators of the organisation;
* a connector (department systems, secrets) and its shares -- the
  administrators of the organisation that owns it; a connector's health is
  shown to them for their own connectors.
"""

from django.core.exceptions import PermissionDenied

from civichall.accounts import policy
from civichall.accounts.wagtail_policy import RulePermissionPolicy

SERVICE_ACTIONS = tuple(policy.RULES["service"])


def access_service(user, service, action="view"):
    """Return ``service`` if ``user`` may ``action`` ("view", "edit") it,
    else raise PermissionDenied. Unknown actions are refused."""
    return policy.check(user, "service", action, service)


def can_access_service(user, service, action="view"):
    return policy.allows(user, "service", action, service)


def service_organisations(user):
    """Organisations whose services ``user`` may edit."""
    return policy.organisations_where(user, "service", "edit")


def access_menu(user, organisation, action="view"):
    """Return ``organisation`` if ``user`` may ``action`` ("view", "edit")
    its account menu, else raise PermissionDenied."""
    if action == "view":
        return organisation
    if action != "edit":
        raise PermissionDenied(f"unknown action {action!r}")
    return policy.check(user, "organisation", "edit_menu", organisation)


def access_hub(user, hub, action="view"):
    """Return ``hub`` if ``user`` may ``action`` it, else PermissionDenied."""
    return policy.check(user, "hub", action, hub)


def access_connector(user, connector=None, action="view"):
    """Return ``connector`` if ``user`` may ``action`` ("view", "edit",
    "share") it, else raise PermissionDenied. Without a connector: may the
    user manage some connector at all (menus, the health report)?"""
    if connector is None:
        if policy.allows_some(user, "connector", action):
            return True
        raise PermissionDenied
    return policy.check(user, "connector", action, connector)


def can_access_connector(user, action="view"):
    return policy.allows_some(user, "connector", action)


def connectors_for(user, action="view"):
    """The connectors ``user`` may ``action`` (for lists and the health report)."""
    from .models import Connector

    return policy.filter_allowed(user, "connector", action, Connector.objects.all())


def access_connector_share(user, share, action="view"):
    """A share of a connector: its owner's administrators revoke it."""
    return policy.check(user, "connector_share", action, share)


def organisations_for_menu(user):
    """Organisations whose menu ``user`` may edit."""
    return policy.organisations_where(user, "organisation", "edit_menu")


def organisations_for_hubs(user):
    return policy.organisations_where(user, "hub", "edit")


def organisations_for_connectors(user):
    return policy.organisations_where(user, "connector", "edit")


# --- Wagtail's permission questions answered by the policy ------------------------------------

def ServicePermissionPolicy(model):
    return RulePermissionPolicy(model, "service", {"view": "edit"})


def HubPermissionPolicy(model):
    return RulePermissionPolicy(model, "hub", {"view": "edit"})


def MenuPermissionPolicy(model):
    return RulePermissionPolicy(model, "menu", {"view": "edit"})


def ConnectorPermissionPolicy(model):
    return RulePermissionPolicy(model, "connector")


def ConnectorSharePermissionPolicy(model):
    return RulePermissionPolicy(model, "connector_share",
                                {"view": "view", "add": None, "change": None, "delete": "revoke"},
                                add=lambda user: policy.allows_some(user, "connector", "share"))
