"""Settings of the test run: the project's settings with DEBUG on at start
(static files from the source folders, a development key), as ``make demo``
starts them. Django's test runner turns DEBUG off again while tests run."""

import os

os.environ.setdefault("DEBUG", "1")

from civichall.settings import *  # noqa: E402,F401,F403
