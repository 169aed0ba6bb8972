"""Who may touch the service matrix: services, menus, hubs and connectors.

One ``access_*`` function per object type decides; the admin, the API, the
actions, the CLI and the tests all ask it.

* a service — ``view``: anyone, while it is not retired (staff who may edit
  it still see a retired one); ``edit``: a liaison or an administrator of
  the owner organisation, or a superuser;
* an account's menu — ``view``: anyone; ``edit``: an administrator of that
  organisation, or a superuser;
* a hub — ``edit``: an administrator of the hub's organisation, or a
  superuser;
* connectors (department systems, secrets) and the health report —
  superusers and administrators of the municipal account.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from civichall.accounts.models import Organisation, OrganisationKind, Role
from civichall.accounts.permissions import has_role, organisations_for

from .models import ServiceStatus

SERVICE_EDITORS = (Role.LIAISON, Role.ADMINISTRATOR)
SERVICE_ACTIONS = ("view", "edit")
MENU_ACTIONS = ("view", "edit")
HUB_ACTIONS = ("view", "edit")
CONNECTOR_ACTIONS = ("view", "edit")


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def access_service(user, service, action="view"):
    """Return ``service`` if ``user`` may ``action`` ("view", "edit") it,
    else raise PermissionDenied. Unknown actions are refused."""
    if action not in SERVICE_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    may_edit = _active(user) and has_role(user, service.organisation_id, *SERVICE_EDITORS)
    if action == "view" and (service.status != ServiceStatus.RETIRED or may_edit):
        return service
    if action == "edit" and may_edit:
        return service
    raise PermissionDenied


def can_access_service(user, service, action="view"):
    try:
        return access_service(user, service, action) is not None
    except PermissionDenied:
        return False


def service_organisations(user):
    """Organisations whose services ``user`` may edit."""
    return organisations_for(user, *SERVICE_EDITORS)


def access_menu(user, organisation, action="view"):
    """Return ``organisation`` if ``user`` may ``action`` ("view", "edit")
    its account menu, else raise PermissionDenied."""
    if action not in MENU_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    if action == "view":
        return organisation
    if _active(user) and has_role(user, organisation, Role.ADMINISTRATOR):
        return organisation
    raise PermissionDenied


def access_hub(user, hub, action="view"):
    """Return ``hub`` if ``user`` may ``action`` it, else PermissionDenied."""
    if action not in HUB_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    if action == "view":
        return hub
    if _active(user) and has_role(user, hub.organisation_id, Role.ADMINISTRATOR):
        return hub
    raise PermissionDenied


def _municipal_administrator(user):
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return organisations_for(user, Role.ADMINISTRATOR).filter(kind=OrganisationKind.MUNICIPAL).exists()


def access_connector(user, connector=None, action="view"):
    """Return True if ``user`` may ``action`` connectors (or one connector),
    else raise PermissionDenied. Connectors reach department systems with
    secrets, so only municipal administrators and superusers manage them and
    read their health."""
    if action not in CONNECTOR_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    if _municipal_administrator(user):
        return True
    raise PermissionDenied


def can_access_connector(user, action="view"):
    try:
        return access_connector(user, None, action)
    except PermissionDenied:
        return False


# --- Wagtail's permission questions answered by the functions above ----------------------

_ADMIN_ACTIONS = {"view": "view", "add": "edit", "change": "edit", "delete": "edit"}


class ServicePermissionPolicy(BasePermissionPolicy):
    """Liaisons and administrators of an organisation work on its services;
    the admin list shows them only those (see ``instances_user_has_permission_for``)."""

    def user_has_permission(self, user, action):
        if action not in _ADMIN_ACTIONS:
            return False
        return _active(user) and (user.is_superuser or service_organisations(user).exists())

    def user_has_permission_for_instance(self, user, action, instance):
        ours = _ADMIN_ACTIONS.get(action)
        if ours is None:
            return False
        if not _active(user):
            return False
        # In the admin even "view" means "may work on it".
        return can_access_service(user, instance, "edit")

    def instances_user_has_any_permission_for(self, user, actions):
        if not _active(user):
            return self.model.objects.none()
        if user.is_superuser:
            return self.model.objects.all()
        return self.model.objects.filter(organisation__in=service_organisations(user))

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(Q(is_superuser=True) | Q(memberships__role__in=SERVICE_EDITORS)).distinct()


class OrganisationAdminPolicy(BasePermissionPolicy):
    """For hubs and account menus: administrators of the owning organisation."""

    def user_has_permission(self, user, action):
        if action not in _ADMIN_ACTIONS:
            return False
        return _active(user) and (user.is_superuser or organisations_for(user, Role.ADMINISTRATOR).exists())

    def user_has_permission_for_instance(self, user, action, instance):
        if action not in _ADMIN_ACTIONS or not _active(user):
            return False
        return has_role(user, instance.organisation_id, Role.ADMINISTRATOR)

    def instances_user_has_any_permission_for(self, user, actions):
        if not _active(user):
            return self.model.objects.none()
        if user.is_superuser:
            return self.model.objects.all()
        return self.model.objects.filter(organisation__in=organisations_for(user, Role.ADMINISTRATOR))

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(Q(is_superuser=True) | Q(memberships__role=Role.ADMINISTRATOR)).distinct()


class ConnectorPermissionPolicy(BasePermissionPolicy):
    """Connectors: municipal administrators and superusers."""

    def user_has_permission(self, user, action):
        return action in _ADMIN_ACTIONS and can_access_connector(user, _ADMIN_ACTIONS[action])

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(Q(is_superuser=True) | Q(
            memberships__role=Role.ADMINISTRATOR,
            memberships__organisation__kind=OrganisationKind.MUNICIPAL,
        )).distinct()


def organisations_for_menu(user):
    """Organisations whose menu ``user`` may edit."""
    if not _active(user):
        return Organisation.objects.none()
    return organisations_for(user, Role.ADMINISTRATOR)
