"""Hubs: the services a hub shows, in order."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import (
    Hub,
    HubEntry,
)
from ..permissions import access_hub
from .common import _changes, _jsonable, _snapshot, _user_or_none

HUB_FIELDS = ("slug", "organisation", "name_zh", "name_en", "description_zh", "show_linked", "sort_order")

# --- hubs ---------------------------------------------------------------------------------


@transaction.atomic
def do_save_hub(user, hub, services=None, source="", **fields):
    """Create or change a hub; ``services`` (a list, in order) replaces its entries."""
    creating = hub is None or hub.pk is None
    hub = hub or Hub()
    before = {} if creating else _snapshot(hub, HUB_FIELDS)
    for name, value in fields.items():
        if name not in HUB_FIELDS:
            raise ValueError(f"unknown field {name}")
        setattr(hub, name, value)
    access_hub(user, hub, "edit")
    if not (hub.slug or "").strip():
        raise ValidationError({"slug": _("Enter a slug.")})
    if not (hub.name_zh or "").strip():
        raise ValidationError({"name_zh": _("Enter the Chinese name.")})
    hub.save()
    if services is not None:
        hub.entries.all().delete()
        HubEntry.objects.bulk_create(
            [HubEntry(hub=hub, service=s, sort_order=i) for i, s in enumerate(services)])
        from ..runtime import catalog_changed

        catalog_changed()  # bulk_create sends no signal
    changed = _changes(before, _snapshot(hub, HUB_FIELDS))
    data = {"hub": hub.slug, "changed": changed}
    if services is not None:
        data["services"] = [s.code for s in services]
    if source:
        data["source"] = source
    log(instance=hub, action="civichall.services.hub.create" if creating else "civichall.services.hub.edit",
        user=_user_or_none(user), data=_jsonable(data))
    return hub


def log_hub_saved(user, hub, creating, source="admin"):
    """Audit a hub saved by the admin's form (with its inline entries)."""
    data = {"hub": hub.slug, "services": list(hub.entries.order_by("sort_order")
                                              .values_list("service__code", flat=True))}
    if source:
        data["source"] = source
    log(instance=hub, action="civichall.services.hub.create" if creating else "civichall.services.hub.edit",
        user=_user_or_none(user), data=data)


@transaction.atomic
def do_save_hub_form(user, form, source="admin"):
    """Save a hub from the admin's form (its fields and its ordered entries)."""
    hub = form.instance
    creating = hub.pk is None
    access_hub(user, hub, "edit")
    hub = form.save()
    log_hub_saved(user, hub, creating, source=source)
    return hub
