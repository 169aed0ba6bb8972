"""The `civichall` command on a database that is not migrated or not there:
one line that says what to do, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CIVICHALL = str(Path(sys.executable).with_name("civichall"))


def run(args, tmp_path, database_url=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(CIVICHALL_VAR=str(tmp_path), DEBUG="1", PYTHONWARNINGS="ignore")
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run([CIVICHALL, *args], capture_output=True, text=True, env=env, timeout=300,
                          stdin=subprocess.DEVNULL)


# Every command of the product, and Django's that read the database (the
# demo's commands: tests/contrib/demo/test_commands.py).
COMMANDS = [
    ["api_token", "someone"],
    ["worker", "--once"],
    ["safety", "check", "地铁几点开"],
    ["safety", "export_lexicon"],
    ["wechat_menu", "export", "shanghai"],
    ["changepassword", "someone"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_a_command_on_an_empty_database_says_run_migrate_first(tmp_path, args):
    result = run(args, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if "run civichall migrate first" in line]
    assert len(lines) == 1, result.stderr
    # Django's own warning about unapplied migrations may come first; nothing else does.
    other = [line for line in result.stderr.splitlines()
             if line.strip() and line not in lines and "unapplied migration" not in line
             and "manage.py migrate" not in line]
    assert other == [], other


def test_an_unreachable_database_is_named_in_one_line(tmp_path):
    result = run(["api_token", "someone"], tmp_path, database_url="postgresql://nobody@127.0.0.1:1/civichall")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "DATABASE_URL" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_traceback_option_still_shows_the_whole_story(tmp_path):
    result = run(["api_token", "someone", "--traceback"], tmp_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr
