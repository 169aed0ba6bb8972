"""Gunicorn configuration of CivicHall (``civichall serve`` uses it; with
gunicorn itself: ``gunicorn -c python:civichall.gunicorn_conf civichall.wsgi``).

At start it refuses to run several workers on the local-memory cache in
production (see ``civichall/core/checks.py``) unless
``CIVICHALL_ALLOW_LOCAL_CACHE=1``, in which case it warns loudly.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")

wsgi_app = "civichall.wsgi:application"
bind = os.environ.get("CIVICHALL_BIND", "127.0.0.1:8000")
# Several workers need a shared cache; without REDIS_URL one is the default.
workers = int(os.environ.get("WEB_CONCURRENCY") or (2 if os.environ.get("REDIS_URL") else 1))
# Threads: a request mostly waits on PostgreSQL and Redis (a WeChat message:
# its commit), and a thread lets the worker serve another meanwhile. At 200
# concurrent connections (benchmarks/wechat.py, docs/wechat.md) four per
# worker served as many requests or more in 7 of 8 paired runs: a bare view
# +60 % at load 3, the WeChat callback 2.5-3x at load 8-12 (equal at load 3).
# Override with GUNICORN_CMD_ARGS="--threads N".
worker_class = "gthread"
threads = 4
# Proxies in front set X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"


def on_starting(server):
    import django
    from django.conf import settings

    django.setup()
    from civichall.core.checks import local_cache_problem
    from civichall.core.config import setting

    problem = local_cache_problem(
        settings.CACHES, server.cfg.workers, debug=settings.DEBUG,
        allowed=setting("CIVICHALL_ALLOW_LOCAL_CACHE"),
    )
    if problem is None:
        return
    level, message = problem
    if level == "refuse":
        raise RuntimeError(f"Refusing to start: {message}")
    banner = "!" * 78
    server.log.warning("%s\nWARNING: %s\n%s", banner, message, banner)
