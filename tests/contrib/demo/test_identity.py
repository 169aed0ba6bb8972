"""The demo residents and the demo identity provider; the demo turns the
provider on when it is installed."""

import os
import subprocess
import sys
from pathlib import Path

from civichall.accounts import citizens
from civichall.accounts.identity import id_check_digit
from civichall.contrib.demo.identity import DEMO_RESIDENTS, DemoIdentityProvider
from civichall.contrib.demo.loader import demo_residents

ROOT = Path(__file__).resolve().parents[3]


def test_demo_provider_verifies_demo_residents_only():
    provider = DemoIdentityProvider()
    resident = DEMO_RESIDENTS[0]
    assert provider.verify(resident["name"], resident["id_number"].lower()) == resident["subject"]
    assert provider.verify("别人", resident["id_number"]) is None
    assert provider.verify(resident["name"], resident["id_number"][:-1] + "0") is None
    for r in DEMO_RESIDENTS:
        assert id_check_digit(r["id_number"][:17]) == r["id_number"][17]


def test_a_demo_resident_verifies_through_the_product(make_citizen):
    citizen = make_citizen("13900000021")
    resident = DEMO_RESIDENTS[3]
    citizens.do_verify_identity(citizen, resident["name"], resident["id_number"])
    citizen.refresh_from_db()
    assert citizen.verified_subject == resident["subject"]


def test_the_demo_residents_have_their_plates():
    by_subject = {r["subject"]: r for r in demo_residents()}
    assert by_subject["R0002"]["plates"] == ["沪B·7K521", "沪C·M3308"]


def settings_value(name, **env):
    """A setting as ``civichall.settings`` computes it in a fresh process."""
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("CIVICHALL_DEMO", "DJANGO_")) and k not in ("DEBUG", "SECRET_KEY")}
    environ.pop("CIVICHALL_IDENTITY_PROVIDER", None)
    environ.update(env)
    code = f"import civichall.settings as s; print(repr(getattr(s, {name!r})))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_the_demo_app_and_its_provider_follow_debug_unless_told(tmp_path):
    var = str(tmp_path)
    demo = "'civichall.contrib.demo.identity.DemoIdentityProvider'"
    assert settings_value("CIVICHALL_IDENTITY_PROVIDER", DEBUG="1", CIVICHALL_VAR=var) == demo
    assert "'civichall.contrib.demo'" in settings_value("INSTALLED_APPS", DEBUG="1", CIVICHALL_VAR=var)
    # A production start carries neither, unless asked.
    production = {"SECRET_KEY": "x" * 50, "CIVICHALL_VAR": var}
    assert settings_value("CIVICHALL_IDENTITY_PROVIDER", **production) == "''"
    assert "contrib.demo" not in settings_value("INSTALLED_APPS", **production)
    assert "'civichall.contrib.demo'" in settings_value("INSTALLED_APPS", CIVICHALL_DEMO="1", **production)
    assert "contrib.demo" not in settings_value("INSTALLED_APPS", DEBUG="1", CIVICHALL_DEMO="0", CIVICHALL_VAR=var)
