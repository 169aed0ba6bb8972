"""URLs for ``benchmarks/wechat.py``: the product's, plus a bare Django view
at ``/__bare__/wechat`` answering a POST with the bytes of a real reply of
the message server, through the same server and middleware."""

import os

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from civichall.urls import urlpatterns as product_urlpatterns

_reply = None


@csrf_exempt
def bare(request):
    """The captured reply: no signature, no parsing, no storing."""
    global _reply
    if _reply is None:
        with open(os.environ["CIVICHALL_BENCH_REPLY"], "rb") as f:
            _reply = f.read()
    request.body  # read the body, as the callback does
    return HttpResponse(_reply, content_type="application/xml; charset=utf-8")


urlpatterns = [path("__bare__/wechat", bare)] + product_urlpatterns
