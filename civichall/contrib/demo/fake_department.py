"""A fake department system for the demo and the tests.

A small threaded HTTP server playing the city's department systems behind the
hall's query services, answering from the demo data:

=================================  ============================================
``GET /healthz``                   ``{"status": "ok", "mode": ...}``
``GET /gtfs-rt/trip-updates``      GTFS-realtime FeedMessage (protobuf) with
                                   TripUpdates for the demo bus lines; delays
                                   change with the current minute,
                                   deterministically
``GET /gtfs/static.zip``           the demo GTFS timetable
``GET /api/hospital-reports``      ``?resident_id=R0001``
``GET /api/social-security-card``  ``?resident_id=R0001``
``GET /api/vehicles``              ``?resident_id=R0001``
``GET /api/traffic-violations``    ``?plate=沪A·D12345``
``GET /api/road-conditions``       optional ``?road=延安高架路``
``GET /api/residents/<source>``    ``?resident_id=R0001``: what a department
                                   holds (identity, residence,
                                   social_security, medical_insurance,
                                   licences) for the applications' prefill
``GET|POST /_control/mode``        read or set the mode (below)
=================================  ============================================

``/api/*`` answers JSON in a department-style envelope
(``{"code": 0, "msg": "ok", "data": {...}}``) and requires the header
``X-Api-Key`` to equal the demo key (401 otherwise).

Modes, for tests and browser demos: ``ok``; ``down`` (every route but
``/_control`` answers 503); ``slow`` (every route but ``/_control`` waits
``slow_s`` seconds, default 10, before answering). Set them with
:func:`set_mode` in-process or ``POST /_control/mode`` with
``{"mode": "down"}`` (JSON or form data). The mode is shared by all servers
of the process.

Run it::

    python -m civichall.contrib.demo.fake_department --port 8765

or in-process: ``server, base_url = start(port=0)`` … ``stop(server)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hmac
import json
import socket
import threading
import time
import urllib.parse
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

from . import departments as demo

MODES = ("ok", "down", "slow")

# What the city's departments hold about the demo residents, for the
# applications' fill-once prefill (data/resident_records.json).
RESIDENT_SOURCES = ("identity", "residence", "social_security", "medical_insurance", "licences")


def resident_record(source: str, resident_id: str) -> dict[str, Any]:
    """The ``source`` department's record of a demo resident ({} when none).
    Identity (name and ID number) comes from the demo's identity service,
    where the made-up numbers are computed: no data file holds one."""
    if source == "identity":
        from .identity import DEMO_RESIDENTS

        found = next((r for r in DEMO_RESIDENTS if r["subject"] == resident_id), None)
        return {"name": found["name"], "id_number": found["id_number"]} if found else {}
    records = json.loads(demo.data_path("resident_records.json").read_text(encoding="utf-8"))["residents"]
    return dict(records.get(resident_id, {}).get(source) or {})
DEFAULT_SLOW_S = 10.0

_state: dict[str, Any] = {"mode": "ok", "slow_s": DEFAULT_SLOW_S}
_state_lock = threading.Lock()


def set_mode(mode: str, *, slow_s: float | None = None) -> None:
    """Switch every fake department server of this process to ``mode``."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    with _state_lock:
        _state["mode"] = mode
        if slow_s is not None:
            _state["slow_s"] = max(0.0, float(slow_s))
        elif mode != "slow":
            _state["slow_s"] = DEFAULT_SLOW_S


def get_mode() -> str:
    """The current mode."""
    with _state_lock:
        return str(_state["mode"])


def _slow_seconds() -> float:
    with _state_lock:
        return float(_state["slow_s"])


# -------------------------------------------------------------- realtime feed


def _delay_s(trip_id: str, minute: int) -> int:
    # Between one minute early and six minutes late, different per trip,
    # changing every minute, the same for everyone asking in that minute.
    return ((zlib.crc32(trip_id.encode("utf-8")) + minute * 7) % 8 - 1) * 60


def trip_updates_feed(now: float) -> bytes:
    """A GTFS-realtime FeedMessage for the demo lines at time ``now``: every
    trip running now or starting within the hour, with a delay on each of its
    coming stops."""
    from google.transit import gtfs_realtime_pb2

    static = demo.gtfs_static()
    tz = ZoneInfo(static.timezone)
    local = dt.datetime.fromtimestamp(now, tz)
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.header.gtfs_realtime_version = "2.0"
    feed.header.incrementality = gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    feed.header.timestamp = int(now)
    for day in (local.date() - dt.timedelta(days=1), local.date()):
        services = static.services_on(day)
        day_start = dt.datetime.combine(day, dt.time(12), tzinfo=tz).timestamp() - 12 * 3600
        date_key = day.strftime("%Y%m%d")
        for trip_id, times in static.by_trip.items():
            trip = static.trips[trip_id]
            if trip.service_id not in services or not times:
                continue
            start, end = day_start + times[0].departure, day_start + times[-1].arrival
            if end < now - 600 or start > now + 3600:
                continue
            delay = _delay_s(trip_id, local.minute)
            coming = [st for st in times if day_start + st.arrival + delay >= now - 60]
            if not coming:
                continue
            entity = feed.entity.add()
            entity.id = f"{trip_id}-{date_key}"
            tu = entity.trip_update
            tu.trip.trip_id = trip_id
            tu.trip.route_id = trip.route_id
            tu.trip.start_date = date_key
            tu.trip.schedule_relationship = gtfs_realtime_pb2.TripDescriptor.SCHEDULED
            tu.timestamp = int(now)
            for st in coming:
                stu = tu.stop_time_update.add()
                stu.stop_sequence = st.sequence
                stu.stop_id = st.stop_id
                stu.arrival.delay = delay
                stu.departure.delay = delay
    return feed.SerializeToString()


# ---------------------------------------------------------------- the server


class FakeDepartmentServer(ThreadingHTTPServer):
    """The HTTP server; ``clock`` drives the real-time feed."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], *, clock: Callable[[], float] = time.time,
                 api_key: str = demo.DEMO_API_KEY, verbose: bool = False) -> None:
        self.clock = clock
        self.api_key = api_key
        self.verbose = verbose
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    # Kept-alive connections outlive ``shutdown()``; they are tracked so that
    # a stopped server really stops answering.
    def get_request(self):
        conn, address = super().get_request()
        with self._connections_lock:
            self._connections.add(conn)
        return conn, address

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut every open client connection."""
        with self._connections_lock:
            open_now = list(self._connections)
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    server: FakeDepartmentServer
    server_version = "FakeDepartment/1.0"
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate small writes; without this, Nagle's
    # algorithm and delayed ACKs add ~40 ms to every answer.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.verbose:
            # The path only: query strings carry resident ids and plates.
            path = self.path.split("?", 1)[0]
            print(f"{self.command} {path} {args[1] if len(args) > 1 else ''}", flush=True)

    # -- responses

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _envelope(self, data: Any) -> None:
        self._json(200, {"code": 0, "msg": "ok", "data": data})

    def _error(self, status: int, msg: str) -> None:
        self._json(status, {"code": status, "msg": msg, "data": None})

    # -- routing

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._route()

    def do_HEAD(self) -> None:  # noqa: N802
        self._route()

    def do_POST(self) -> None:  # noqa: N802
        self._route()

    def _route(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path.rstrip("/") or "/"
        query = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        if path == "/_control/mode":
            return self._control()
        mode = get_mode()
        if mode == "down":
            return self._error(503, "department system is down")
        if mode == "slow":
            # Wait, but give up at once when the server is being stopped.
            if self.server.stopping.wait(_slow_seconds()):
                return
        if self.command == "POST":
            # Drain the body so that a kept-alive connection stays in step.
            self.rfile.read(min(int(self.headers.get("Content-Length") or 0), 1_000_000))
            return self._error(405, "method not allowed")
        if path == "/healthz":
            return self._json(200, {"status": "ok", "mode": mode})
        if path == "/gtfs-rt/trip-updates":
            return self._send(200, trip_updates_feed(self.server.clock()), "application/x-protobuf")
        if path == "/gtfs/static.zip":
            return self._send(200, demo.gtfs_zip_bytes(), "application/zip")
        if path.startswith("/api/"):
            given = self.headers.get("X-Api-Key", "")
            if not hmac.compare_digest(given.encode("utf-8"), self.server.api_key.encode("utf-8")):
                return self._error(401, "invalid or missing X-Api-Key")
            return self._api(path, query)
        return self._error(404, "not found")

    def _api(self, path: str, query: dict[str, str]) -> None:
        if path == "/api/road-conditions":
            return self._envelope({"sections": demo.road_conditions(query.get("road") or None)})
        if path == "/api/traffic-violations":
            plate = query.get("plate", "").strip()
            if not plate:
                return self._error(400, "missing plate")
            return self._envelope({"plate": plate, "violations": demo.traffic_violations(plate)})
        if path in ("/api/hospital-reports", "/api/social-security-card", "/api/vehicles"):
            resident_id = query.get("resident_id", "").strip()
            if not resident_id:
                return self._error(400, "missing resident_id")
            if path == "/api/hospital-reports":
                return self._envelope({"resident_id": resident_id, "reports": demo.hospital_reports(resident_id)})
            if path == "/api/vehicles":
                return self._envelope({"resident_id": resident_id, "vehicles": demo.vehicles(resident_id)})
            return self._envelope({"resident_id": resident_id, "card": demo.social_security_card(resident_id)})
        if path.startswith("/api/residents/"):
            source, resident_id = path.rsplit("/", 1)[1], query.get("resident_id", "").strip()
            if source not in RESIDENT_SOURCES or not resident_id:
                return self._error(400, "unknown source or missing resident_id")
            return self._envelope(resident_record(source, resident_id))
        return self._error(404, "not found")

    def _control(self) -> None:
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(min(length, 10_000)).decode("utf-8", "replace") if length else ""
            ctype = self.headers.get("Content-Type", "")
            try:
                if "json" in ctype:
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                slow = body.get("slow_s")
                set_mode(str(body.get("mode", "")), slow_s=float(slow) if slow not in (None, "") else None)
            except (ValueError, TypeError, AttributeError):
                return self._error(400, f"mode must be one of {', '.join(MODES)}")
        return self._json(200, {"mode": get_mode(), "slow_s": _slow_seconds()})


def start(port: int = 0, *, host: str = "127.0.0.1", clock: Callable[[], float] | None = None,
          api_key: str = demo.DEMO_API_KEY, verbose: bool = False) -> tuple[FakeDepartmentServer, str]:
    """Start a server in a background thread; return it and its base URL
    (``port=0`` picks a free port)."""
    server = FakeDepartmentServer((host, port), clock=clock or time.time, api_key=api_key, verbose=verbose)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="fake-department", daemon=True)
    thread.start()
    server._thread = thread  # type: ignore[attr-defined]
    host_, port_ = server.server_address[:2]
    return server, f"http://{host_}:{port_}"


def stop(server: FakeDepartmentServer) -> None:
    """Stop a server started with :func:`start` and free its port."""
    server.stopping.set()
    server.shutdown()
    server.server_close()
    server.close_connections()
    thread = getattr(server, "_thread", None)
    if thread is not None:
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    """Command line: serve until interrupted."""
    parser = argparse.ArgumentParser(description="Fake department system for the CivicHall demo.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--mode", choices=MODES, default="ok")
    parser.add_argument("--quiet", action="store_true", help="do not print requests")
    args = parser.parse_args(argv)
    set_mode(args.mode)
    server = FakeDepartmentServer((args.host, args.port), verbose=not args.quiet)
    host, port = server.server_address[:2]
    print(f"Fake department system on http://{host}:{port}/ (mode: {args.mode}); "
          "the /api/ routes need the X-Api-Key of departments.DEMO_API_KEY. Ctrl-C stops it.", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()


if __name__ == "__main__":
    main()
