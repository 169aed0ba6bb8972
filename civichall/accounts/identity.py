"""Pluggable real-name verification.

In production the identity provider is the city's unified identity service;
set ``CIVICHALL_IDENTITY_PROVIDER`` to a class with
``verify(name, id_number) -> subject id or None``. With no provider
configured, verification is refused with a clear message (the demo app
brings a provider for its made-up residents). Identity-bound services look
up a citizen's own records by the subject id, never by what the citizen
typed.
"""

from django.utils.module_loading import import_string

from civichall.core.config import setting

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_digit(first17):
    """The ISO 7064 MOD 11-2 check character of a mainland resident ID."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def normalise_id_number(value):
    return (value or "").strip().upper().replace(" ", "")


class NoIdentityProvider(Exception):
    """No identity provider is configured: real-name verification is off."""


def get_provider():
    """The configured identity provider; raises :class:`NoIdentityProvider` when
    ``CIVICHALL_IDENTITY_PROVIDER`` is empty (a deployment names its own;
    the demo app names its demo provider)."""
    path = setting("CIVICHALL_IDENTITY_PROVIDER")
    if not path:
        raise NoIdentityProvider()
    return import_string(path)()


def mask_name(name):
    """陈晓雯 → 陈**; keeps the family name only."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
