"""What a Redis outage costs a request: throughput with the site's Redis
cache reachable against the same cache aimed at a closed port (every call
fails to connect, the fail-open backend answers "empty" and pauses 2 s
between attempts), measured side by side in one process.

Paths: the organisations API, the one-window service search (its index is
memoised under a catalogue version kept in the cache: with the cache down it
is rebuilt for every request), the services index page, and a rate-limited
citizen sign-in code request (counted in the process while Redis is down).

Setup: a fresh SQLite database in a temporary folder (or ``DATABASE_URL``),
the demo organisations and service matrix. Redis: ``REDIS_URL`` (default
redis://127.0.0.1:6379/14; it is cleared).

Run from the repository root:  python benchmarks/cache_outage.py [--requests N] [--rounds R]
It prints figures and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per round and path")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (best reported)")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
    with tempfile.TemporaryDirectory() as var_dir:
        os.environ.setdefault("CIVICHALL_VAR", var_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")
        os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
        os.environ.setdefault("DEBUG", "0")
        os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
        os.environ.setdefault("LOG_LEVEL", "CRITICAL")
        os.environ["REDIS_URL"] = redis_url
        import django
        from django.conf import settings

        settings.STORAGES = {**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        django.setup()
        import logging

        logging.disable(logging.WARNING)  # the outage's own warnings are not the subject here
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client, override_settings

        from civichall.contrib.demo import load_accounts as accounts_demo
        from civichall.contrib.demo import load_services as services_demo

        call_command("migrate", interactive=False, verbosity=0)
        accounts_demo.load_organisations()
        services_demo.load_services("http://127.0.0.1:9")
        settings.CIVICHALL_SMS_SENDER = "civichall.accounts.sms.MemorySender"
        cache.clear()

        up = {"default": {"BACKEND": "civichall.core.cache.FailOpenRedisCache", "LOCATION": redis_url,
                          "KEY_PREFIX": "bench"}}
        down = {"default": {"BACKEND": "civichall.core.cache.FailOpenRedisCache",
                            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
        client = Client()
        counter = iter(range(10**9))

        def code_request(i):
            return client.post("/api/v1/citizen/code", {"mobile": f"139{i:08d}"}, content_type="application/json",
                               REMOTE_ADDR=f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}")
        paths = {
            "organisations API": lambda: client.get("/api/v1/organisations"),
            "service search (社保)": lambda: client.get("/services/search/", {"q": "社保"}),
            "services index": lambda: client.get("/services/"),
            # A new number and address each time, so no limit refuses: every
            # request counts (in Redis, or in the process while it is down).
            "sign-in code (rate-limited)": lambda: code_request(next(counter)),
        }

        def rate(fn, n):
            t0 = time.perf_counter()
            for _ in range(n):
                status = fn().status_code
                if status >= 400:
                    raise SystemExit(f"answered {status}")
            return n / (time.perf_counter() - t0)

        print(f"{args.requests} requests x {args.rounds} rounds per path; Redis {redis_url} "
              f"against a closed port\n")
        for label, fn in paths.items():
            best = {"up": 0.0, "down": 0.0}
            for _ in range(args.rounds):
                for mode, caches in (("up", up), ("down", down)):
                    with override_settings(CACHES=caches):
                        fn()  # warm
                        best[mode] = max(best[mode], rate(fn, args.requests))
            ratio = best["down"] / best["up"]
            print(f"{label:<30} Redis up {best['up']:>7.0f} req/s   down {best['down']:>7.0f} req/s   "
                  f"ratio {ratio:5.2f}   ({1000 / best['up']:.2f} ms vs {1000 / best['down']:.2f} ms)")
        print("\nratio = throughput with Redis unreachable / with Redis reachable (1.0 = the outage costs nothing).")


if __name__ == "__main__":
    main()
