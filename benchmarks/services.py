"""Throughput of the service matrix's two hot paths, each against a bare
Django view returning the same bytes, measured side by side in one process.

  (a) the Municipal Hall hub page, ``GET /services/hub/municipal-hall/``;
  (b) a cached query, ``POST /api/v1/services/garbage_sorting/query`` with
      ``{"item": "奶茶杯"}`` (the first call fills the cache; every measured
      call is answered from it).

Both go through the full middleware stack with Django's test client; the
bare views sit behind the same middleware, so the ratio is what the page or
the API endpoint itself costs. Rounds alternate bare / real and the best
round of each is reported (least disturbed by the machine).

Setup: a fresh SQLite database in a temporary folder (or ``DATABASE_URL``),
the demo organisations and service matrix, the fake department system on a
free port. The cache is whatever the settings give (local memory, or Redis
with ``REDIS_URL``).

Run from the repository root:  python benchmarks/services.py [--quick] [--requests N] [--rounds R]
It prints figures and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    os.environ.setdefault("CIVICHALL_VAR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")
    # Production-like: no per-query debug bookkeeping.
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django
    from django.conf import settings

    # Templates use {% static %}; without collectstatic's manifest use plain names.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    django.setup()


def prepare(base_url: str) -> None:
    from django.core.management import call_command

    from civichall.contrib.demo import load_accounts as accounts_demo
    from civichall.contrib.demo import load_services as services_demo

    call_command("migrate", interactive=False, verbosity=0)
    accounts_demo.load_organisations()
    services_demo.load_services(base_url)


def install_bare_views(hub_bytes: bytes, hub_type: str, query_bytes: bytes, query_type: str) -> None:
    """A URLconf with two bare views in front of the project's own."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path
    from django.views.decorators.csrf import csrf_exempt

    import civichall.urls

    def bare_hub(request):
        return HttpResponse(hub_bytes, content_type=hub_type)

    @csrf_exempt
    def bare_query(request):
        return HttpResponse(query_bytes, content_type=query_type)

    module = types.ModuleType("benchmark_urls")
    module.urlpatterns = [path("__bare__/hub/", bare_hub), path("__bare__/query/", bare_query),
                          *civichall.urls.urlpatterns]
    for name in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, name, getattr(civichall.urls, name))
    sys.modules["benchmark_urls"] = module
    settings.ROOT_URLCONF = "benchmark_urls"
    clear_url_caches()


def timed(fn, n: int) -> float:
    """Requests per second over ``n`` calls of ``fn``."""
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    elapsed = time.perf_counter() - t0
    return n / elapsed if elapsed > 0 else float("inf")


def side_by_side(label: str, real, bare, n: int, rounds: int) -> dict:
    best_real = best_bare = 0.0
    for _ in range(rounds):
        best_bare = max(best_bare, timed(bare, n))
        best_real = max(best_real, timed(real, n))
    ratio = best_real / best_bare if best_bare else float("nan")
    print(f"{label:<34} {best_real:>9.0f} req/s   bare view {best_bare:>9.0f} req/s   "
          f"ratio {ratio:5.3f}   ({1000 / best_real:.2f} ms vs {1000 / best_bare:.2f} ms per request)")
    return {"real": best_real, "bare": best_bare, "ratio": ratio}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    parser.add_argument("--requests", type=int, default=None, help="requests per round (default 400, quick 50)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per measurement (default 5, quick 2)")
    args = parser.parse_args(argv)
    n = args.requests or (50 if args.quick else 400)
    rounds = args.rounds or (2 if args.quick else 5)

    with tempfile.TemporaryDirectory(prefix="civichall-bench-") as var_dir:
        setup_django(var_dir)
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from civichall.contrib.demo import fake_department

        server, base_url = fake_department.start(port=0)
        try:
            t0 = time.perf_counter()
            prepare(base_url)
            print(f"setup: {time.perf_counter() - t0:.1f} s; database {connection.vendor}; "
                  f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
                  f"{n} requests x {rounds} rounds, best round reported\n")

            client = Client()
            hub_url = "/services/hub/municipal-hall/"
            query_url = "/api/v1/services/garbage_sorting/query"
            body = {"item": "奶茶杯"}
            hub = client.get(hub_url)
            if hub.status_code != 200:
                raise SystemExit(f"{hub_url} answered {hub.status_code}; is the public hub page in place?")
            first = client.post(query_url, body, content_type="application/json")
            cached = client.post(query_url, body, content_type="application/json")
            if cached.status_code != 200 or not cached.json().get("from_cache"):
                raise SystemExit(f"the query is not answered from the cache: {cached.status_code} {cached.content[:200]!r}")
            print(f"hub page: {len(hub.content):,} bytes; query answer: {len(cached.content):,} bytes "
                  f"(first call {first.json()['latency_ms']} ms at the department, then from the cache)\n")

            install_bare_views(hub.content, hub["Content-Type"], cached.content, cached["Content-Type"])

            def real_hub():
                client.get(hub_url)

            def bare_hub():
                client.get("/__bare__/hub/")

            def real_query():
                client.post(query_url, body, content_type="application/json")

            def bare_query():
                client.post("/__bare__/query/", body, content_type="application/json")

            side_by_side("hub page (municipal-hall)", real_hub, bare_hub, n, rounds)
            side_by_side("cached query (garbage_sorting)", real_query, bare_query, n, rounds)
            print("\nratio = throughput of the real view / throughput of a bare view returning the same bytes "
                  "behind the same middleware (1.0 = free).")
        finally:
            fake_department.stop(server)


if __name__ == "__main__":
    main()
