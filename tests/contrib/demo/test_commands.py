"""The demo's commands through the `civichall` console command: it installs
the demo app for them, and they answer like the product's commands on a
database that is not there."""

import os
import subprocess
import sys
from pathlib import Path

CIVICHALL = str(Path(sys.executable).with_name("civichall"))


def run(args, tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "CIVICHALL_DEMO")}
    env.update({"CIVICHALL_VAR": str(tmp_path), "DEBUG": "1", "PYTHONWARNINGS": "ignore", **extra})
    return subprocess.run([CIVICHALL, *args], capture_output=True, text=True, env=env, timeout=300,
                          stdin=subprocess.DEVNULL)


def test_load_demo_on_an_empty_database_says_run_migrate_first(tmp_path):
    result = run(["load_demo"], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "run civichall migrate first" in result.stderr


def test_load_demo_on_an_unreachable_database_is_named_in_one_line(tmp_path):
    result = run(["load_demo"], tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:1/civichall")
    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_demo_commands_install_the_demo_even_when_debug_alone_would_not(tmp_path):
    """``civichall demo`` turns the demo app on; ``CIVICHALL_DEMO=0`` still wins."""
    on = run(["load_demo", "--help"], tmp_path, SECRET_KEY="x" * 50, DEBUG="0")
    assert on.returncode == 0 and "Load the demo data" in on.stdout, on.stderr[-2000:]
    off = run(["load_demo", "--help"], tmp_path, CIVICHALL_DEMO="0")
    assert off.returncode != 0 and "Unknown command" in off.stderr, off.stdout + off.stderr
    product = run(["help"], tmp_path, CIVICHALL_DEMO="0")
    assert product.returncode == 0 and "load_demo" not in product.stdout, product.stderr[-2000:]
