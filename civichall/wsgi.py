"""WSGI entry point. In production start it with `civichall serve` (gunicorn
with civichall/gunicorn_conf.py), or `gunicorn -c python:civichall.gunicorn_conf civichall.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")
application = get_wsgi_application()
