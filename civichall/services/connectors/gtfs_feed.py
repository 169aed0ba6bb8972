"""GTFS feeds: the static timetable and the GTFS-realtime ``TripUpdates``,
read into plain records for the ``gtfs`` connector (``gtfs.py``).

The static timetable (``agency``, ``stops``, ``routes``, ``trips``,
``stop_times``, ``calendar``, optional ``calendar_dates``) is read from a
folder, a zip file, zip bytes or a ``{filename: text}`` mapping; times are
seconds after the service day's start, so a trip after midnight keeps its
``25:10:00``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..messages import Message
from .base import ConnectorConfigError

REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt")


# ------------------------------------------------------------ static model


@dataclass(frozen=True)
class Stop:
    stop_id: str
    name: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Route:
    route_id: str
    short_name: str
    long_name: str = ""
    agency_id: str = ""

    @property
    def label(self) -> str:
        return self.short_name or self.long_name or self.route_id


@dataclass(frozen=True)
class Trip:
    trip_id: str
    route_id: str
    service_id: str
    headsign: str = ""
    direction_id: str = ""


@dataclass(frozen=True)
class StopTime:
    trip_id: str
    stop_id: str
    sequence: int
    arrival: int  # seconds after the service day's start (may pass 24:00)
    departure: int


@dataclass
class GtfsStatic:
    """A loaded timetable, indexed for "what calls at this stop"."""

    agencies: list[dict[str, str]]
    stops: dict[str, Stop]
    routes: dict[str, Route]
    trips: dict[str, Trip]
    calendar: dict[str, tuple[tuple[bool, ...], dt.date, dt.date]]
    calendar_dates: dict[tuple[str, dt.date], int]
    by_stop: dict[str, list[StopTime]] = field(default_factory=dict)
    by_trip: dict[str, list[StopTime]] = field(default_factory=dict)

    @property
    def timezone(self) -> str:
        for agency in self.agencies:
            if agency.get("agency_timezone"):
                return agency["agency_timezone"]
        return "Asia/Shanghai"

    def services_on(self, day: dt.date) -> set[str]:
        """Service ids running on ``day`` (calendar plus exceptions)."""
        active = {
            sid for sid, (days, start, end) in self.calendar.items()
            if start <= day <= end and days[day.weekday()]
        }
        for (sid, date), kind in self.calendar_dates.items():
            if date == day:
                if kind == 1:
                    active.add(sid)
                elif kind == 2:
                    active.discard(sid)
        return active

    def last_sequence(self, trip_id: str) -> int:
        times = self.by_trip.get(trip_id) or []
        return times[-1].sequence if times else 0


def parse_gtfs_time(value: str) -> int:
    """``"25:10:00"`` → seconds after the service day's start."""
    parts = value.strip().split(":")
    if len(parts) != 3:
        raise ValueError(f"bad GTFS time {value!r}")
    h, m, s = (int(p) for p in parts)
    return h * 3600 + m * 60 + s


def format_gtfs_time(seconds: int) -> str:
    """Seconds after the service day's start → ``"HH:MM:SS"`` (hours may pass 24)."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _date(value: str) -> dt.date:
    return dt.datetime.strptime(value.strip(), "%Y%m%d").date()


def _read_files(source: Any) -> dict[str, str]:
    if isinstance(source, Mapping):
        return {str(k): v if isinstance(v, str) else v.decode("utf-8-sig") for k, v in source.items()}
    if isinstance(source, (bytes, bytearray)):
        with zipfile.ZipFile(io.BytesIO(source)) as zf:
            return {Path(n).name: zf.read(n).decode("utf-8-sig") for n in zf.namelist() if n.endswith(".txt")}
    path = Path(source)
    if path.is_dir():
        return {p.name: p.read_text(encoding="utf-8-sig") for p in path.glob("*.txt")}
    if path.is_file():
        with zipfile.ZipFile(path) as zf:
            return {Path(n).name: zf.read(n).decode("utf-8-sig") for n in zf.namelist() if n.endswith(".txt")}
    raise FileNotFoundError(str(path))


def load_gtfs_static(source: Any) -> GtfsStatic:
    """Load a GTFS timetable from a folder, a zip path, zip bytes or a
    ``{filename: text}`` mapping. Missing files or columns raise
    :class:`~.base.ConnectorConfigError` naming them."""
    try:
        files = _read_files(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ConnectorConfigError(
            Message("无法读取公交时刻表（GTFS）文件。", "The bus timetable (GTFS) cannot be read."),
            detail=type(exc).__name__,
        ) from None
    missing = [f for f in REQUIRED_FILES if f not in files]
    if missing:
        raise ConnectorConfigError(
            Message(f"公交时刻表缺少文件：{'、'.join(missing)}。", f"The GTFS timetable lacks: {', '.join(missing)}."),
        )

    def rows(name: str) -> list[dict[str, str]]:
        reader = csv.DictReader(io.StringIO(files.get(name, ""), newline=""))
        return [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in reader]

    try:
        stops = {
            r["stop_id"]: Stop(r["stop_id"], r.get("stop_name", ""),
                               float(r["stop_lat"]) if r.get("stop_lat") else None,
                               float(r["stop_lon"]) if r.get("stop_lon") else None)
            for r in rows("stops.txt")
        }
        routes = {
            r["route_id"]: Route(r["route_id"], r.get("route_short_name", ""), r.get("route_long_name", ""),
                                 r.get("agency_id", ""))
            for r in rows("routes.txt")
        }
        trips = {
            r["trip_id"]: Trip(r["trip_id"], r["route_id"], r["service_id"], r.get("trip_headsign", ""),
                               r.get("direction_id", ""))
            for r in rows("trips.txt")
        }
        calendar = {
            r["service_id"]: (
                tuple(r[d] == "1" for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")),
                _date(r["start_date"]), _date(r["end_date"]),
            )
            for r in rows("calendar.txt")
        }
        calendar_dates = {
            (r["service_id"], _date(r["date"])): int(r["exception_type"]) for r in rows("calendar_dates.txt")
        }
        static = GtfsStatic(rows("agency.txt"), stops, routes, trips, calendar, calendar_dates)
        for r in rows("stop_times.txt"):
            arrival = r.get("arrival_time") or r.get("departure_time")
            departure = r.get("departure_time") or arrival
            if not arrival:
                continue  # untimed stop: GTFS allows it; we only use timed ones
            st = StopTime(r["trip_id"], r["stop_id"], int(r["stop_sequence"]),
                          parse_gtfs_time(arrival), parse_gtfs_time(departure or arrival))
            static.by_stop.setdefault(st.stop_id, []).append(st)
            static.by_trip.setdefault(st.trip_id, []).append(st)
    except (KeyError, ValueError) as exc:
        raise ConnectorConfigError(
            Message("公交时刻表（GTFS）格式有误。", "The bus timetable (GTFS) is malformed."), detail=repr(exc)[:200]
        ) from None
    for times in static.by_stop.values():
        times.sort(key=lambda s: s.arrival)
    for times in static.by_trip.values():
        times.sort(key=lambda s: s.sequence)
    return static


# ------------------------------------------------------------ realtime model


@dataclass(frozen=True)
class _Update:
    sequence: int | None
    stop_id: str | None
    skipped: bool
    arrival_delay: int | None
    arrival_time: int | None
    departure_delay: int | None
    departure_time: int | None


@dataclass(frozen=True)
class _TripRealtime:
    canceled: bool
    trip_delay: int | None
    updates: tuple[_Update, ...]


def parse_trip_updates(content: bytes) -> tuple[int | None, dict[tuple[str, str | None], _TripRealtime]]:
    """Read a GTFS-realtime FeedMessage: the header timestamp and, per
    ``(trip_id, start_date or None)``, the trip's updates."""
    from google.transit import gtfs_realtime_pb2

    feed = gtfs_realtime_pb2.FeedMessage()
    feed.ParseFromString(content)
    rel = gtfs_realtime_pb2.TripDescriptor
    stu_rel = gtfs_realtime_pb2.TripUpdate.StopTimeUpdate
    trips: dict[tuple[str, str | None], _TripRealtime] = {}
    for entity in feed.entity:
        if entity.is_deleted or not entity.HasField("trip_update"):
            continue
        tu = entity.trip_update
        if not tu.trip.trip_id:
            continue  # frequency-based or unmatched trips: nothing to attach to
        updates = []
        for u in tu.stop_time_update:
            arr = u.arrival if u.HasField("arrival") else None
            dep = u.departure if u.HasField("departure") else None
            updates.append(_Update(
                sequence=u.stop_sequence if u.HasField("stop_sequence") else None,
                stop_id=u.stop_id or None,
                skipped=u.schedule_relationship == stu_rel.SKIPPED,
                arrival_delay=arr.delay if arr is not None and arr.HasField("delay") else None,
                arrival_time=arr.time if arr is not None and arr.HasField("time") and arr.time else None,
                departure_delay=dep.delay if dep is not None and dep.HasField("delay") else None,
                departure_time=dep.time if dep is not None and dep.HasField("time") and dep.time else None,
            ))
        trips[(tu.trip.trip_id, tu.trip.start_date or None)] = _TripRealtime(
            canceled=tu.trip.schedule_relationship == rel.CANCELED,
            trip_delay=tu.delay if tu.HasField("delay") else None,
            updates=tuple(updates),
        )
    stamp = feed.header.timestamp if feed.header.HasField("timestamp") else None
    return stamp, trips
