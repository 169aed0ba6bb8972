"""Pluggable real-name verification.

In production the identity provider is the city's unified identity service;
set ``CIVICHALL_IDENTITY_PROVIDER`` to a class with
``verify(name, id_number) -> subject id or None``. The demo provider verifies
the demo residents below (made-up people with made-up, check-digit-valid
numbers); identity-bound services look up a citizen's own records by the
subject id, never by what the citizen typed.
"""

from django.conf import settings
from django.utils.module_loading import import_string

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_digit(first17):
    """The ISO 7064 MOD 11-2 check character of a mainland resident ID."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def _demo_id(region, birth, seq):
    first17 = f"{region}{birth}{seq}"
    return first17 + id_check_digit(first17)


# subject = the demo departments' resident id; mobile = their demo sign-in number.
DEMO_RESIDENTS = [
    {"subject": "R0001", "name": "陈晓雯", "mobile": "13800000001", "id_number": _demo_id("310101", "19880312", "002")},
    {"subject": "R0002", "name": "王建平", "mobile": "13800000002", "id_number": _demo_id("310104", "19750621", "013")},
    {"subject": "R0003", "name": "李思远", "mobile": "13800000003", "id_number": _demo_id("310115", "19920905", "031")},
    {"subject": "R0004", "name": "张秀兰", "mobile": "13800000004", "id_number": _demo_id("310106", "19580117", "024")},
    {"subject": "R0005", "name": "刘浩然", "mobile": "13800000005", "id_number": _demo_id("310110", "20010730", "017")},
    {"subject": "R0006", "name": "赵敏", "mobile": "13800000006", "id_number": _demo_id("310112", "19831102", "048")},
]


def normalise_id_number(value):
    return (value or "").strip().upper().replace(" ", "")


class DemoIdentityProvider:
    """Verifies the demo residents only."""

    def verify(self, name, id_number):
        name = (name or "").strip()
        number = normalise_id_number(id_number)
        for resident in DEMO_RESIDENTS:
            if resident["name"] == name and resident["id_number"] == number:
                return resident["subject"]
        return None


def get_provider():
    path = getattr(settings, "CIVICHALL_IDENTITY_PROVIDER", "civichall.accounts.identity.DemoIdentityProvider")
    return import_string(path)()


def mask_name(name):
    """陈晓雯 → 陈**; keeps the family name only."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
