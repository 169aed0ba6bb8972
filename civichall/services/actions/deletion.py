"""Deleting from the service matrix (the log keeps what it was)."""


from django.db import transaction
from wagtail.log_actions import log

from ..models import (
    AccountMenu,
    Connector,
    Hub,
    Service,
)
from ..permissions import access_connector, access_hub, access_menu, access_service
from .common import _jsonable, _snapshot, _user_or_none
from .connectors import CONNECTOR_FIELDS
from .hubs import HUB_FIELDS
from .service import SERVICE_FIELDS


@transaction.atomic
def do_delete(user, obj, source=""):
    """Delete a service, hub, connector or account menu (the log keeps what
    it was). Services are better retired: their codes stay reserved."""
    if isinstance(obj, Service):
        access_service(user, obj, "edit")
        kind, snapshot = "service", _snapshot(obj, SERVICE_FIELDS)
    elif isinstance(obj, Hub):
        access_hub(user, obj, "edit")
        kind, snapshot = "hub", _snapshot(obj, HUB_FIELDS)
    elif isinstance(obj, Connector):
        access_connector(user, obj, "edit")
        kind, snapshot = "connector", _snapshot(obj, CONNECTOR_FIELDS)
    elif isinstance(obj, AccountMenu):
        access_menu(user, obj.organisation, "edit")
        kind, snapshot = "menu", {"organisation": obj.organisation.slug, "menu": obj.menu}
    else:
        raise TypeError(f"cannot delete {type(obj).__name__} here")
    data = {kind: snapshot}
    if source:
        data["source"] = source
    log(instance=obj, action=f"civichall.services.{kind}.delete", user=_user_or_none(user), data=_jsonable(data))
    obj.delete()
