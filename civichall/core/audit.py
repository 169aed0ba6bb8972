"""What actions write into the audit log about a change: the values of an
object's fields (relations as ids), what changed between two such
snapshots, and a JSON-safe copy of the entry's data."""

import json


def field_values(obj, fields):
    """``{field: value}`` for ``fields`` of ``obj``; a relation gives its id
    (read from the row, no query)."""
    values = {}
    for name in fields:
        if hasattr(obj, f"{name}_id"):
            values[name] = getattr(obj, f"{name}_id")
        else:
            value = getattr(obj, name, None)
            values[name] = getattr(value, "pk", value)
    return values


def changes(before, after):
    """``{field: [old, new]}`` for the fields whose value differs."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def jsonable(data):
    """``data`` with objects turned into ids (or text), ready for the log."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=lambda v: getattr(v, "pk", str(v))))
