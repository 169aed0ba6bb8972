"""Defaults of a start: DEBUG only when asked for, a secret key required
otherwise, and no several web workers on a per-process cache in production."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from civichall.core.checks import local_cache_problem

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "civichall.core.cache.FailOpenRedisCache", "LOCATION": "redis://h/0"}}


def start(*args, **env_vars):
    """Run ``python -c``/``-m`` with the project's own settings and ``env_vars``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "SECRET_KEY", "REDIS_URL", "CIVICHALL_ALLOW_LOCAL_CACHE")}
    env.update(DJANGO_SETTINGS_MODULE="civichall.settings", **env_vars)
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120)


def test_a_bare_start_without_a_secret_key_is_refused(tmp_path):
    done = start("-c", "import django; django.setup()", CIVICHALL_VAR=str(tmp_path))
    assert done.returncode != 0
    assert "SECRET_KEY must be set (or DEBUG=1 for development and the demo" in done.stderr
    assert "必须设置 SECRET_KEY" in done.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    show = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    production = start("-c", show, SECRET_KEY="k" * 50, CIVICHALL_VAR=str(tmp_path))
    assert production.stdout.strip() == "False", production.stderr[-2000:]
    demo = start("-c", show, DEBUG="1", CIVICHALL_VAR=str(tmp_path))
    assert demo.stdout.strip() == "True", demo.stderr[-2000:]


def test_serve_refuses_several_workers_on_the_local_cache(tmp_path):
    done = start("-m", "civichall", "serve", "--workers", "3", "--bind", "127.0.0.1:0",
                 SECRET_KEY="k" * 50, CIVICHALL_VAR=str(tmp_path))
    assert done.returncode == 1
    assert "Refusing to start: 3 web worker processes on the local-memory cache" in done.stderr
    assert "CIVICHALL_ALLOW_LOCAL_CACHE=1" in done.stderr


@pytest.mark.parametrize("caches, workers, debug, allowed, expected", [
    (LOCMEM, 4, False, False, "refuse"),
    (LOCMEM, 4, False, True, "warn"),
    (LOCMEM, 4, True, False, "warn"),
    (LOCMEM, 1, False, False, None),
    (REDIS, 4, False, False, None),
])
def test_when_the_local_cache_is_a_problem(caches, workers, debug, allowed, expected):
    problem = local_cache_problem(caches, workers, debug=debug, allowed=allowed)
    assert (problem[0] if problem else None) == expected
    if problem:
        assert f"{workers} web worker processes" in problem[1] and "REDIS_URL" in problem[1]


def test_check_deploy_warns_about_the_local_cache(settings, capsys):
    settings.DEBUG = False
    settings.CACHES = LOCMEM
    settings.CIVICHALL_ALLOW_LOCAL_CACHE = False
    call_command("check", deploy=True, tags=["caches"])
    assert "civichall.W001" in capsys.readouterr().err
    settings.CIVICHALL_ALLOW_LOCAL_CACHE = True
    call_command("check", deploy=True, tags=["caches"])
    assert "civichall.W001" not in capsys.readouterr().err
