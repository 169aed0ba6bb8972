"""WSGI entry point: `gunicorn civichall.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")
application = get_wsgi_application()
