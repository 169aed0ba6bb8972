"""Subscription notifications (订阅通知) in the platform's shape (pure: no Django).

An account names, per purpose (a question answered, an application's state
changed), the template its followers subscribe to and which of the
template's keys takes which value of the notice::

    thing1=kind, thing2=text, time3=time

The platform refuses a value longer than its key's type allows (``thing``
20 characters, ``phrase`` 5, ``character_string`` 32 …): values are cut to
fit, never refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: What a key can be filled with.
SOURCES = ("kind", "text", "time", "account")

#: Which notification kinds go out under which purpose's template.
PURPOSES = {"answer": "answer", "reply": "answer", "question_closed": "answer", "case": "case"}

_KEY = re.compile(r"^(?P<type>[a-z_]+?)\d{1,3}$")
_LIMITS = {"thing": 20, "phrase": 5, "name": 10, "character_string": 32, "letter": 32, "number": 32,
           "symbol": 5, "amount": 10, "car_number": 8, "phone_number": 17, "time": 30, "date": 30}
DEFAULT_LIMIT = 20


class MappingError(ValueError):
    """A field mapping the platform could not use: ``code`` (``shape``,
    ``source``, ``twice``) and the ``part`` at fault, for the caller's message."""

    def __init__(self, code: str, part: str):
        self.code, self.part = code, part
        super().__init__(f"{code}: {part}")


def parse_mapping(text: str) -> dict[str, str]:
    """``"thing1=kind, time2=time"`` as ``{"thing1": "kind", "time2": "time"}``."""
    mapping: dict[str, str] = {}
    for part in re.split(r"[,，;；\s]+", text or ""):
        if not part:
            continue
        key, sep, source = part.partition("=")
        key, source = key.strip(), source.strip()
        if not sep or not _KEY.match(key):
            raise MappingError("shape", part)
        if source not in SOURCES:
            raise MappingError("source", source)
        if key in mapping:
            raise MappingError("twice", key)
        mapping[key] = source
    return mapping


def mapping_text(mapping: Mapping[str, str]) -> str:
    """The mapping as an operator writes it."""
    return ", ".join(f"{key}={source}" for key, source in mapping.items())


def fit(key: str, value: str) -> str:
    """``value`` cut to what the platform takes for ``key``'s type."""
    match = _KEY.match(key)
    limit = _LIMITS.get(match.group("type") if match else "", DEFAULT_LIMIT)
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def template_data(mapping: Mapping[str, str], values: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The ``data`` of a ``bizsend`` call: each key with its value, fitted."""
    return {key: {"value": fit(key, values.get(source, ""))} for key, source in mapping.items()}
