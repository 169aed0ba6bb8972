"""What the service matrix's actions share: audit snapshots of changed fields, uniqueness checks, the language of messages."""

import json

from civichall.accounts.policy import is_system
from civichall.core.i18n import message_lang


def _lang():
    return message_lang()


def _value(v):
    """A JSON-able form of a field value, for the audit log."""
    if hasattr(v, "pk"):
        return v.pk
    return v


def _changes(before, after):
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _snapshot(obj, fields):
    return {f: _value(getattr(obj, f, None)) for f in fields}



def _taken(model, instance, **lookup):
    """True if another row than ``instance`` already has these values."""
    clash = model.objects.filter(**lookup)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    return clash.exists()


def _jsonable(data):
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def _user_or_none(actor):
    """The user to record for ``actor`` (None for the system)."""
    return None if is_system(actor) else actor
