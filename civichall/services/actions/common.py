"""What the service matrix's actions share: audit snapshots of changed fields, uniqueness checks, the language of messages."""

from civichall.accounts.policy import recorded_user
from civichall.core import audit
from civichall.core.i18n import message_lang

_changes = audit.changes
_snapshot = audit.field_values
_jsonable = audit.jsonable
_user_or_none = recorded_user


def _lang():
    return message_lang()


def _taken(model, instance, **lookup):
    """True if another row than ``instance`` already has these values."""
    clash = model.objects.filter(**lookup)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    return clash.exists()

