"""What the benchmarks share: their environment, a free loopback port, a
PostgreSQL command, gunicorn serving this checkout, and reading wrk's report."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

__all__ = ["benchmark_environment", "client_timings", "free_port", "psql", "start_gunicorn", "wrk_figures"]

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    """Run ``sql`` as postgres on 127.0.0.1 (database ``postgres``)."""
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
                   check=True, capture_output=True)


def wrk_figures(out: str) -> dict:
    """From wrk's ``--latency`` report: requests/s, p50/p99 in ms, errors
    (socket errors and non-2xx/3xx answers) and the number of requests."""

    def latency(label):
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": errors + (int(non_ok.group(1)) if non_ok else 0),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def benchmark_environment(database_url: str, redis_url: str, **extra: str) -> dict:
    """The environment of a benchmark run (DEBUG off, its own database, Redis
    database and var directory), set in this process too; ``extra`` adds or
    overrides variables. Returns it for the subprocesses."""
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "CIVICHALL_DEMO": "1",
        # Static files and media of this run, not the checkout's var/.
        "CIVICHALL_VAR": os.environ.get("CIVICHALL_VAR") or tempfile.mkdtemp(prefix="civichall-bench-"),
        **extra,
    })
    os.environ.update(env)
    return env


def start_gunicorn(env: dict, port: int, settings_module: str, **extra: str) -> subprocess.Popen:
    """gunicorn with 2 workers on 127.0.0.1:``port`` serving this checkout
    with ``settings_module``; returns once ``/healthz`` answers."""
    server_env = dict(env, DJANGO_SETTINGS_MODULE=settings_module, WEB_CONCURRENCY="2",
                      CIVICHALL_BIND=f"127.0.0.1:{port}", PYTHONPATH=str(ROOT), **extra)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:civichall.gunicorn_conf",
         "--access-logfile", "/dev/null", "civichall.wsgi:application"],
        env=server_env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def client_timings(client, path, times) -> list[float]:
    """Milliseconds of ``times`` GETs of ``path`` through Django's test
    ``client`` (server time), after one to warm up; sorted."""
    client.get(path)  # warm: templates, the catalog, the session
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(path)
        spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return sorted(spent)
