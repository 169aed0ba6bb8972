"""The demo residents and the identity provider that verifies them.

Made-up people with made-up, check-digit-valid ID numbers; the subject is
the fake department systems' resident id, the mobile their demo sign-in
number. ``CIVICHALL_IDENTITY_PROVIDER`` names :class:`DemoIdentityProvider`
when the demo app is installed and no provider is configured.
"""

from civichall.accounts.identity import id_check_digit, normalise_id_number


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


class DemoIdentityProvider:
    """Verifies the demo residents only."""

    def verify(self, name, id_number):
        name = (name or "").strip()
        number = normalise_id_number(id_number)
        for resident in DEMO_RESIDENTS:
            if resident["name"] == name and resident["id_number"] == number:
                return resident["subject"]
        return None
