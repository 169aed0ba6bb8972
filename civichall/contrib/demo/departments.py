"""The demo departments' data: what their made-up systems know.

Everything here is made up for the demo and the tests — no real person is in
it. Demo residents have internal ids (``R0001`` ...) and no identity numbers;
the same-name table holds only aggregate counts; schools, hospitals and
hotlines are fictional (hotlines use the unassigned ``021-0000`` range).

What it provides:

* data files in ``data/`` and readers for them;
* a GTFS timetable for four bus lines, generated from the compact
  ``data/bus_lines.json`` (stop lists, minutes between stops, headways):
  trips every 10–15 minutes from 05:30 to 23:00, weekday and weekend
  calendars valid until the end of 2030;
* the services, connectors and menu built on them are in :mod:`.catalog`.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")

# The key the fake department system asks for in ``X-Api-Key``. A demo value:
# real keys come from the environment and are stored as connector secrets.
DEMO_API_KEY = "demo-dept-key-7f3a9c"

PLATE_PATTERN = r"^沪[A-Z]·?[A-Z0-9]{5,6}$"
RESIDENT_PATTERN = r"^R[0-9]{4}$"


# ------------------------------------------------------------------- files


def data_path(name: str) -> Path:
    """Path of a demo data file."""
    return DATA_DIR / name


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a demo CSV file as dicts."""
    with open(data_path(name), encoding="utf-8-sig", newline="") as f:
        return [dict(row) for row in csv.DictReader(f)]


@functools.lru_cache(maxsize=None)
def _rows(name: str) -> tuple[dict[str, str], ...]:
    return tuple(read_csv(name))


def residents() -> list[dict[str, str]]:
    """The demo residents (``resident_id``, ``display_name``, ``district``)."""
    return [dict(r) for r in _rows("demo_residents.csv")]


def resident(resident_id: str) -> dict[str, str] | None:
    """One demo resident, or ``None``."""
    return next((dict(r) for r in _rows("demo_residents.csv") if r["resident_id"] == resident_id), None)


def hospital_reports(resident_id: str) -> list[dict[str, str]]:
    """A resident's hospital reports, newest first."""
    rows = [dict(r) for r in _rows("hospital_reports.csv") if r["resident_id"] == resident_id]
    return sorted(rows, key=lambda r: r["date"], reverse=True)


def vehicles(resident_id: str) -> list[dict[str, str]]:
    """Vehicles registered to a resident."""
    return [dict(r) for r in _rows("vehicles.csv") if r["resident_id"] == resident_id]


def _plate_key(plate: str) -> str:
    return "".join(ch for ch in plate.upper() if ch.isalnum())


def traffic_violations(plate: str) -> list[dict[str, Any]]:
    """Violations recorded for a plate ("沪A·D12345" or "沪AD12345"), newest first."""
    key = _plate_key(plate)
    rows = [dict(r) for r in _rows("traffic_violations.csv") if _plate_key(r["plate"]) == key]
    for r in rows:
        r["points"] = int(r["points"])
        r["fine"] = int(r["fine"])
    return sorted(rows, key=lambda r: r["time"], reverse=True)


def social_security_card(resident_id: str) -> dict[str, str] | None:
    """A resident's social security card record, or ``None``."""
    row = next((r for r in _rows("social_security_cards.csv") if r["resident_id"] == resident_id), None)
    return dict(row) if row else None


def road_conditions(road: str | None = None) -> list[dict[str, Any]]:
    """Road sections, optionally those whose road name contains ``road``."""
    rows = [dict(r) for r in _rows("road_conditions.csv") if not road or road in r["road"]]
    for r in rows:
        r["speed_kmh"] = int(r["speed_kmh"])
    return rows


def build_population_db(path: str | Path) -> str:
    """Write the same-name table (aggregates only) into an SQLite file and
    return its DSN for the ``sql_query`` connector."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute(
            "CREATE TABLE population_names (name TEXT PRIMARY KEY, count INTEGER NOT NULL,"
            " male INTEGER NOT NULL, female INTEGER NOT NULL)"
        )
        conn.executemany(
            "INSERT INTO population_names VALUES (?, ?, ?, ?)",
            [(r["name"], int(r["count"]), int(r["male"]), int(r["female"])) for r in _rows("population_names.csv")],
        )
        conn.commit()
    finally:
        conn.close()
    tmp.replace(path)  # readers never see a half-written file
    return f"sqlite:///{path.resolve()}"


# -------------------------------------------------------------------- GTFS


@functools.lru_cache(maxsize=1)
def bus_lines() -> dict[str, Any]:
    """The compact description of the demo bus lines."""
    return json.loads(data_path("bus_lines.json").read_text(encoding="utf-8"))


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _gtfs_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@functools.lru_cache(maxsize=1)
def _gtfs_files() -> tuple[tuple[str, str], ...]:
    spec = bus_lines()
    agency = spec["agency"]
    period = spec["service_period"]
    first, last = _minutes(spec["service_hours"]["first"]), _minutes(spec["service_hours"]["last"])
    services = {"WKD": ("weekday", [1, 1, 1, 1, 1, 0, 0]), "WKE": ("weekend", [0, 0, 0, 0, 0, 1, 1])}

    stops: list[list[Any]] = []
    routes: list[list[Any]] = []
    trips: list[list[Any]] = []
    stop_times: list[list[Any]] = []
    for line in spec["lines"]:
        rid = line["route_id"]
        routes.append([rid, agency["agency_id"], line["short_name"], line["long_name"], 3])
        for stop_id, name, lat, lon in line["stops"]:
            stops.append([stop_id, name, lat, lon])
        for direction in (0, 1):
            line_stops = line["stops"] if direction == 0 else list(reversed(line["stops"]))
            gaps = line["minutes_between"] if direction == 0 else list(reversed(line["minutes_between"]))
            headsign = line_stops[-1][1]
            offsets = [0]
            for gap in gaps:
                offsets.append(offsets[-1] + gap)
            for service_id, (day_kind, _days) in services.items():
                headway = line["headway_min"][day_kind]
                start = first
                while start <= last:
                    trip_id = f"{rid}-{service_id}-{direction}-{start // 60:02d}{start % 60:02d}"
                    trips.append([rid, service_id, trip_id, headsign, direction])
                    for seq, ((stop_id, *_rest), offset) in enumerate(zip(line_stops, offsets), start=1):
                        t = _gtfs_time(start + offset)
                        stop_times.append([trip_id, t, t, stop_id, seq])
                    start += headway
    files = {
        "agency.txt": _csv_text(["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
                                [[agency[k] for k in ("agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang")]]),
        "stops.txt": _csv_text(["stop_id", "stop_name", "stop_lat", "stop_lon"], stops),
        "routes.txt": _csv_text(["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"], routes),
        "trips.txt": _csv_text(["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"], trips),
        "stop_times.txt": _csv_text(["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], stop_times),
        "calendar.txt": _csv_text(
            ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "start_date", "end_date"],
            [[sid, *days, period["start_date"], period["end_date"]] for sid, (_k, days) in services.items()],
        ),
    }
    return tuple(files.items())


def gtfs_files() -> dict[str, str]:
    """The demo timetable as GTFS files: ``{"stops.txt": "...", ...}``."""
    return dict(_gtfs_files())


def gtfs_zip_bytes() -> bytes:
    """The demo timetable as a GTFS zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in _gtfs_files():
            zf.writestr(name, text)
    return buf.getvalue()


def write_gtfs(target: str | Path) -> Path:
    """Write the demo timetable to ``target``: a folder, or a ``.zip`` file."""
    target = Path(target)
    if target.suffix == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gtfs_zip_bytes())
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, text in _gtfs_files():
        (target / name).write_text(text, encoding="utf-8")
    return target


@functools.lru_cache(maxsize=1)
def gtfs_static():
    """The demo timetable, loaded (shared, read-only)."""
    from civichall.services.connectors.gtfs import load_gtfs_static

    return load_gtfs_static(gtfs_files())
