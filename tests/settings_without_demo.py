"""Settings of the product's tests without the demo app: the test settings
with ``CIVICHALL_DEMO=0``, so that ``migrate`` and the product's tests show
that nothing outside ``civichall/contrib/demo`` needs it.

    python -m pytest --ds tests.settings_without_demo --ignore tests/contrib

Commands the tests start in child processes inherit ``CIVICHALL_DEMO=0``.
"""

import os

os.environ["CIVICHALL_DEMO"] = "0"

from tests.settings import *  # noqa: E402,F401,F403

assert "civichall.contrib.demo" not in INSTALLED_APPS  # noqa: F405
