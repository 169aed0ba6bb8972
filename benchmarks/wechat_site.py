"""Settings for ``benchmarks/wechat.py``: the product's, with the URLs of
``benchmarks/wechat_urls.py`` (the product's plus a bare view).

Not part of the product; gunicorn loads it with
``DJANGO_SETTINGS_MODULE=benchmarks.wechat_site``.
"""

from civichall.settings import *  # noqa: F401,F403 -- the product's settings, unchanged

ROOT_URLCONF = "benchmarks.wechat_urls"
