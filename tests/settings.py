"""Settings of the test run: the project's settings with DEBUG on at start
(static files from the source folders, a development key), as ``make demo``
starts them. Django's test runner turns DEBUG off again while tests run.

Commands the tests start in child processes (``civichall ...``) inherit
``DEBUG=1`` and are pointed back at the project's own settings module, which
they can import from anywhere (this one needs the repository on the path).
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "civichall.settings"

from civichall.settings import *  # noqa: E402,F401,F403
