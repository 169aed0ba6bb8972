"""What the benchmarks share: a free loopback port, a PostgreSQL command,
and reading wrk's report."""

from __future__ import annotations

import re
import socket
import subprocess

__all__ = ["free_port", "psql", "wrk_figures"]


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
