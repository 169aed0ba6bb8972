"""The product's settings are declared once (civichall/core/config.py): code
reads them through ``setting``, ``docs/settings.md`` is generated from the
declarations, and a name read but not declared, a default repeated in code
or a stale table fails here."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civichall.core import config

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "civichall"


def python_sources():
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def test_the_docs_table_is_generated_from_the_declarations():
    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == config.markdown_table(), (
        "docs/settings.md is out of date: run `civichall settings_doc --write`")


def test_every_civichall_setting_read_in_code_is_declared():
    names = set()
    for path in python_sources():
        names |= set(re.findall(r"\bCIVICHALL_[A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8")))
    declared = {e.name for e in config.declared().values()} | {
        e.setting_name for e in config.declared().values() if e.setting_name}
    assert names, "no setting found: the scan is broken"
    assert not names - declared, f"declare these in civichall/core/config.py: {sorted(names - declared)}"


def test_no_default_is_repeated_where_a_setting_is_read():
    # The removable demo (civichall/contrib/) reads its own settings its own way.
    product = [p for p in python_sources() if p.name != "config.py" and "contrib" not in p.parts]
    # The product's own settings and the declared environment; Django's and
    # Wagtail's optional settings (e.g. WAGTAILFRONTENDCACHE) are theirs.
    ours = {e.setting_name for e in config.declared().values() if e.setting_name}
    read = re.compile(r"""getattr\(settings,\s*["']([A-Z0-9_]+)["']""")
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in product
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 for name in read.findall(line) if name in ours or name.startswith("CIVICHALL_")]
    assert not offenders, f"read these through civichall.core.config.setting: {offenders}"


def test_declared_defaults_are_what_the_settings_module_uses():
    """Started without these variables, the project's settings hold the
    declared defaults (computed defaults, documented in words, are left out)."""
    entries = [e for e in config.declared().values() if e.setting_name and e.from_env and not e.shown
               and isinstance(e.default, (bool, int, float, str))
               and e.name != "DEBUG"]  # on, so that the settings start without a key
    env = {k: v for k, v in os.environ.items() if k not in {e.name for e in config.declared().values()}}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="civichall.settings")
    names = [e.setting_name for e in entries]
    script = ("import json, civichall.settings as s; "
              f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))")
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    values = json.loads(out.strip().splitlines()[-1])
    assert len(entries) >= 15
    for entry in entries:
        if values[entry.setting_name] is not None:  # a setting the settings module leaves to Django
            assert values[entry.setting_name] == entry.default, entry.name


def test_setting_answers_the_declared_default_when_the_settings_have_none(settings):
    del settings.CIVICHALL_CITIZEN_TOKEN_DAYS
    assert config.setting("CIVICHALL_CITIZEN_TOKEN_DAYS") == 30
    settings.CIVICHALL_CITIZEN_TOKEN_DAYS = 7
    assert config.setting("CIVICHALL_CITIZEN_TOKEN_DAYS") == 7
    # a setting read under its Django name, declared under its variable
    assert config.setting("AXES_FAILURE_LIMIT") == settings.AXES_FAILURE_LIMIT
    with pytest.raises(KeyError):
        config.setting("CIVICHALL_NOT_DECLARED")


def test_environment_values_take_the_type_of_their_default():
    assert config.env("CIVICHALL_STAFF_TWO_FACTOR", {"CIVICHALL_STAFF_TWO_FACTOR": "0"}) is False
    assert config.env("CIVICHALL_STAFF_TWO_FACTOR", {"CIVICHALL_STAFF_TWO_FACTOR": "yes"}) is True
    assert config.env("CIVICHALL_PERIODIC_INTERVAL", {"CIVICHALL_PERIODIC_INTERVAL": "5"}) == 5
    assert config.env("CIVICHALL_BREAKER_COOLDOWN_S", {"CIVICHALL_BREAKER_COOLDOWN_S": "2.5"}) == 2.5
    assert config.env("CIVICHALL_SITE_NAME", {}) == "CivicHall"
    assert config.env("CIVICHALL_HOTLINE", {"CIVICHALL_HOTLINE": "0571-12345"}) == "0571-12345"


def test_a_setting_is_declared_once():
    config.declare("CIVICHALL_HOTLINE", "12345", config.declared()["CIVICHALL_HOTLINE"].doc,
                   group=config.declared()["CIVICHALL_HOTLINE"].group, django_name=None)
    with pytest.raises(ValueError):
        config.declare("CIVICHALL_HOTLINE", "110", "another default")


def test_the_command_writes_and_checks_the_table(tmp_path, capsys):
    target = tmp_path / "settings.md"
    with pytest.raises(CommandError):
        call_command("settings_doc", "--check", "--path", str(target))
    call_command("settings_doc", "--write", "--path", str(target))
    assert target.read_text(encoding="utf-8") == config.markdown_table()
    call_command("settings_doc", "--check", "--path", str(target))
    call_command("settings_doc")
    assert "| `CIVICHALL_HOTLINE` | `12345` |" in capsys.readouterr().out
