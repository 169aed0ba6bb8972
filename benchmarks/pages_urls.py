"""URLs for ``benchmarks/pages.py``: the product's, plus a bare Django view at
``/__bare__/<name>`` answering with bytes captured from the product's own
pages, through the same server and middleware."""

import json
import os

from django.http import Http404, HttpResponse
from django.urls import path

from civichall.urls import urlpatterns as product_urlpatterns

_bodies = None


def bare(request, name):
    """The captured page ``name``: no query, no template, no session work."""
    global _bodies
    if _bodies is None:
        with open(os.environ["CIVICHALL_BENCH_BODIES"], encoding="utf-8") as f:
            _bodies = json.load(f)
    if name not in _bodies:
        raise Http404
    return HttpResponse(_bodies[name].encode("utf-8"), content_type="text/html; charset=utf-8")


urlpatterns = [path("__bare__/<str:name>", bare)] + product_urlpatterns
