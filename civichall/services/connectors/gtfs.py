"""Connector kind ``gtfs``: real-time bus arrivals from GTFS and GTFS-realtime.

The static timetable (GTFS: ``agency``, ``stops``, ``routes``, ``trips``,
``stop_times``, ``calendar``, optional ``calendar_dates``) is read from a
folder, a zip file, zip bytes or a ``{filename: text}`` mapping. The
real-time feed (GTFS-realtime ``TripUpdates``, protobuf) is fetched from
``realtime_url`` and kept for ``feed_ttl_s`` seconds.

For a stop — given by id or by its Chinese name, matched loosely ("人民广场站",
"外滩", a typo) — and an optional route, :meth:`GtfsConnector.fetch` returns
the next arrivals in minutes: the scheduled time moved by the real-time delay
(a delay reported at an earlier stop of the trip carries on to later stops,
as GTFS-realtime specifies; cancelled trips and skipped stops are left out).

When ``realtime_url`` is configured and the feed cannot be fetched, cannot be
read, or is older than ``max_feed_age_s``, the connector *raises*
:class:`~.base.ConnectorUnavailable`: the breaker counts the failure and the
citizen sees the friendly message, rather than a timetable dressed up as
real-time data. Without ``realtime_url`` it answers from the timetable with
``realtime: false``.
"""


from __future__ import annotations

import datetime as dt
import difflib
import threading
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from .. import _text
from ..messages import Message
from .base import (
    Connector,
    ConnectorInputError,
    ConnectorUnavailable,
    FetchContext,
    Secret,
    register,
)

# The feeds are read in ``gtfs_feed``; these names are importable from here too.
from .gtfs_feed import (  # noqa: F401
    REQUIRED_FILES,
    GtfsStatic,
    Route,
    Stop,
    StopTime,
    Trip,
    _TripRealtime,
    _Update,
    format_gtfs_time,
    load_gtfs_static,
    parse_gtfs_time,
    parse_trip_updates,
)

# --------------------------------------------------------------- connector

_STOP_SUFFIXES = ("公交站", "车站", "站")


def _stop_key(name: str) -> str:
    key = _text.normalize(name)
    for suffix in _STOP_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


def _route_key(name: str) -> str:
    key = _text.normalize(name)
    return key[:-1] if key.endswith("路") and len(key) > 1 else key


INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["stop"],
    "additionalProperties": False,
    "properties": {
        "stop": {"type": "string", "minLength": 1, "maxLength": 40, "title": "站点", "x-title-en": "Stop",
                 "x-example": "人民广场"},
        "route": {"type": "string", "maxLength": 20, "title": "线路", "x-title-en": "Route", "x-example": "71路"},
        "limit": {"type": "integer", "minimum": 1, "maximum": 20, "title": "显示条数", "x-title-en": "How many"},
    },
}

OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["stop", "arrivals", "realtime"],
    "properties": {
        "stop": {"type": "object", "required": ["name", "ids"],
                 "properties": {"name": {"type": "string"}, "ids": {"type": "array", "items": {"type": "string"}}}},
        "route": {"type": ["string", "null"]},
        "realtime": {"type": "boolean"},
        "candidates": {"type": "array", "items": {"type": "string"}},
        "arrivals": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["route", "headsign", "minutes", "scheduled", "expected", "realtime"],
                "properties": {
                    "route": {"type": "string"},
                    "headsign": {"type": "string"},
                    "minutes": {"type": "integer", "minimum": 0},
                    "scheduled": {"type": "string"},
                    "expected": {"type": "string"},
                    "delay_s": {"type": ["integer", "null"]},
                    "realtime": {"type": "boolean"},
                    "trip_id": {"type": "string"},
                    "stop_id": {"type": "string"},
                },
            },
        },
    },
}


@register("gtfs")
class GtfsConnector(Connector):
    """Next bus arrivals at a stop from a timetable and a real-time feed."""

    default_input_schema = INPUT_SCHEMA
    default_output_schema = OUTPUT_SCHEMA

    def __init__(
        self,
        *,
        static: Any,
        realtime_url: str | None = None,
        realtime_headers: Mapping[str, str] | None = None,
        secret: str | Secret | None = None,
        timezone: str | None = None,
        horizon_min: int = 120,
        limit: int = 6,
        feed_ttl_s: float = 15.0,
        max_feed_age_s: float = 300.0,
        timeout_s: float = 3.0,
        fuzzy_cutoff: float = 0.5,
        transport: httpx.BaseTransport | None = None,
        input_schema: Mapping[str, Any] | None = None,
        output_schema: Mapping[str, Any] | None = None,
        name: str = "",
    ) -> None:
        super().__init__(input_schema=input_schema, output_schema=output_schema, name=name)
        self.static = static if isinstance(static, GtfsStatic) else load_gtfs_static(static)
        self.realtime_url = realtime_url
        self.realtime_headers = dict(realtime_headers or {})
        self.secret = secret if isinstance(secret, Secret) or secret is None else Secret(secret)
        self.tz = ZoneInfo(timezone or self.static.timezone)
        self.horizon_s = int(horizon_min) * 60
        self.limit = int(limit)
        self.feed_ttl_s = float(feed_ttl_s)
        self.max_feed_age_s = float(max_feed_age_s)
        self.timeout_s = float(timeout_s)
        self.fuzzy_cutoff = float(fuzzy_cutoff)
        self._transport = transport
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._feed: tuple[float, dict[tuple[str, str | None], _TripRealtime]] | None = None
        # Stops grouped by folded name: one platform each way shares a name.
        self._by_name: dict[str, list[str]] = {}
        for stop in self.static.stops.values():
            self._by_name.setdefault(_stop_key(stop.name), []).append(stop.stop_id)
        self._names = {key: self.static.stops[ids[0]].name for key, ids in self._by_name.items()}

    def secrets(self) -> list[str]:
        return [self.secret.reveal()] if self.secret else []

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "routes": sorted(r.label for r in self.static.routes.values()),
            "stops": len(self.static.stops),
            "realtime_url": self.redact(self.realtime_url) if self.realtime_url else None,
            "has_secret": bool(self.secret),
        }

    # -- stops and routes

    def find_stop(self, query: str) -> tuple[str, list[str], list[str]]:
        """``(display name, stop ids, other candidate names)`` for a stop id
        or name; :class:`~.base.ConnectorInputError` when nothing is close."""
        raw = (query or "").strip()
        if raw in self.static.stops:
            stop = self.static.stops[raw]
            return stop.name, [raw], []
        key = _stop_key(raw)
        if key in self._by_name:
            return self._names[key], sorted(self._by_name[key]), []
        containing = [k for k in self._by_name if key and (key in k or k in key)]
        if containing:
            ranked = sorted(containing, key=lambda k: (-difflib.SequenceMatcher(None, key, k).ratio(), k))
            best = ranked[0]
            return self._names[best], sorted(self._by_name[best]), [self._names[k] for k in ranked[1:6]]
        close = difflib.get_close_matches(key, list(self._by_name), n=6, cutoff=self.fuzzy_cutoff)
        if close:
            return self._names[close[0]], sorted(self._by_name[close[0]]), [self._names[k] for k in close[1:]]
        raise ConnectorInputError({"stop": Message(
            f"没有找到“{raw}”站点，请检查站名，或输入站点附近的路名试试。",
            f"No stop called '{raw}' was found. Check the name, or try a nearby road name.",
        )})

    def find_route(self, query: str) -> Route:
        """A route by short name ("71路", "71"), long name or id."""
        key = _route_key(query)
        for route in self.static.routes.values():
            if key in (_route_key(route.short_name), _route_key(route.route_id), _text.normalize(route.long_name)):
                return route
        raise ConnectorInputError({"route": Message(
            f"没有找到“{query}”这条线路。", f"No route called '{query}' was found.",
        )})

    # -- realtime feed

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(transport=self._transport, follow_redirects=False, trust_env=False)
        return self._client

    def _realtime(self, ctx: FetchContext) -> dict[tuple[str, str | None], _TripRealtime] | None:
        if not self.realtime_url:
            return None
        now = ctx.clock()
        with self._lock:
            if self._feed is not None and now - self._feed[0] < self.feed_ttl_s:
                return self._feed[1]
            secret = self.secret.reveal() if self.secret else ""
            headers = {k: v.replace("{secret}", secret) for k, v in self.realtime_headers.items()}
            # Raised outside the except blocks so that httpx's exception (which
            # may quote a URL holding a secret) is not kept as __context__.
            failure: ConnectorUnavailable | None = None
            try:
                response = self._http().get(self.realtime_url, headers=headers,
                                            timeout=max(0.1, min(self.timeout_s, ctx.timeout_s)))
            except httpx.TimeoutException:
                failure = ConnectorUnavailable(Message("实时公交数据响应超时。", "The real-time bus feed timed out."),
                                               detail="feed timeout")
            except httpx.HTTPError as exc:
                failure = ConnectorUnavailable(Message("实时公交数据暂时无法获取。", "The real-time bus feed is unavailable."),
                                               detail=f"feed network error: {type(exc).__name__}")
            if failure is not None:
                raise failure
            if response.status_code != 200:
                raise ConnectorUnavailable(Message("实时公交数据暂时无法获取。", "The real-time bus feed is unavailable."),
                                           detail=f"feed HTTP {response.status_code}")
            try:
                stamp, trips = parse_trip_updates(response.content)
            except Exception as exc:  # noqa: BLE001 - any decode failure is the feed's fault
                failure = ConnectorUnavailable(Message("实时公交数据无法识别。", "The real-time bus feed could not be read."),
                                               detail=f"feed decode error: {type(exc).__name__}")
            if failure is not None:
                raise failure
            if stamp is not None and now - stamp > self.max_feed_age_s:
                raise ConnectorUnavailable(Message("实时公交数据已过期。", "The real-time bus feed is out of date."),
                                           detail=f"feed is {int(now - stamp)} s old")
            self._feed = (now, trips)
            return trips

    # -- the query

    def _day_start(self, day: dt.date) -> float:
        # GTFS measures times from "noon minus 12 hours" of the service day,
        # which is midnight except on days when clocks change.
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=self.tz)
        return noon.timestamp() - 12 * 3600

    def _expected(self, rt: _TripRealtime | None, st: StopTime, day_start: float) -> tuple[float | None, int | None, bool]:
        """(expected epoch or None if the bus will not call, delay, realtime?)"""
        scheduled = day_start + st.arrival
        if rt is None:
            return scheduled, None, False
        if rt.canceled:
            return None, None, True
        trip_times = {s.sequence: s for s in self.static.by_trip.get(st.trip_id, [])}
        seq_of_stop = {s.stop_id: s.sequence for s in trip_times.values()}
        prior: tuple[_Update, int] | None = None
        for u in sorted(rt.updates, key=lambda u: u.sequence if u.sequence is not None else seq_of_stop.get(u.stop_id or "", 0)):
            useq = u.sequence if u.sequence is not None else seq_of_stop.get(u.stop_id or "")
            if useq is None:
                continue
            if useq == st.sequence:
                if u.skipped:
                    return None, None, True
                if u.arrival_time is not None:
                    return float(u.arrival_time), int(u.arrival_time - scheduled), True
                if u.arrival_delay is not None:
                    return scheduled + u.arrival_delay, u.arrival_delay, True
                if u.departure_time is not None:
                    return float(u.departure_time), int(u.departure_time - scheduled), True
                if u.departure_delay is not None:
                    return scheduled + u.departure_delay, u.departure_delay, True
            if useq < st.sequence:
                prior = (u, useq)
            else:
                break
        if prior is not None:
            u, useq = prior
            delay = u.departure_delay if u.departure_delay is not None else u.arrival_delay
            if delay is None:
                ref = trip_times.get(useq)
                absolute = u.departure_time or u.arrival_time
                if ref is not None and absolute is not None:
                    delay = int(absolute - (day_start + (ref.departure if u.departure_time else ref.arrival)))
            if delay is not None:
                return scheduled + delay, delay, True
        if rt.trip_delay is not None:
            return scheduled + rt.trip_delay, rt.trip_delay, True
        return scheduled, None, False

    def fetch(self, params: dict[str, Any], ctx: FetchContext) -> dict[str, Any]:
        """The next arrivals at the stop, soonest first."""
        name, stop_ids, candidates = self.find_stop(str(params["stop"]))
        route = self.find_route(str(params["route"])) if params.get("route") else None
        limit = int(params.get("limit") or self.limit)
        if route is not None:
            serving = {self.static.trips[st.trip_id].route_id
                       for sid in stop_ids for st in self.static.by_stop.get(sid, []) if st.trip_id in self.static.trips}
            if route.route_id not in serving:
                raise ConnectorInputError({"route": Message(
                    f"{route.label}不经过“{name}”站。", f"Route {route.label} does not call at '{name}'.",
                )})
        realtime = self._realtime(ctx)
        now = ctx.clock()
        today = dt.datetime.fromtimestamp(now, self.tz).date()
        arrivals: list[dict[str, Any]] = []
        for day in (today - dt.timedelta(days=1), today):
            services = self.static.services_on(day)
            if not services:
                continue
            day_start = self._day_start(day)
            date_key = day.strftime("%Y%m%d")
            for sid in stop_ids:
                for st in self.static.by_stop.get(sid, []):
                    trip = self.static.trips.get(st.trip_id)
                    if trip is None or trip.service_id not in services:
                        continue
                    if route is not None and trip.route_id != route.route_id:
                        continue
                    scheduled = day_start + st.arrival
                    # Cheap window test first; delays rarely exceed an hour.
                    if scheduled < now - 3600 or scheduled > now + self.horizon_s + 3600:
                        continue
                    if st.sequence >= self.static.last_sequence(st.trip_id):
                        continue  # the bus ends here: nobody boards it
                    rt = None
                    if realtime is not None:
                        rt = realtime.get((st.trip_id, date_key)) or realtime.get((st.trip_id, None))
                    expected, delay, is_rt = self._expected(rt, st, day_start)
                    if expected is None or expected < now or expected > now + self.horizon_s:
                        continue
                    r = self.static.routes.get(trip.route_id)
                    arrivals.append({
                        "route": r.label if r else trip.route_id,
                        "headsign": trip.headsign,
                        "minutes": int((expected - now) // 60),
                        "scheduled": dt.datetime.fromtimestamp(scheduled, self.tz).strftime("%H:%M"),
                        "expected": dt.datetime.fromtimestamp(expected, self.tz).strftime("%H:%M"),
                        "delay_s": delay,
                        "realtime": is_rt,
                        "trip_id": st.trip_id,
                        "stop_id": sid,
                        "_sort": expected,
                    })
        arrivals.sort(key=lambda a: (a["_sort"], a["route"]))
        for a in arrivals:
            del a["_sort"]
        return {
            "stop": {"name": name, "ids": stop_ids},
            "route": route.label if route else None,
            "realtime": realtime is not None,
            "candidates": candidates,
            "arrivals": arrivals[:limit],
        }

    def health(self, ctx: FetchContext | None = None) -> dict[str, Any]:
        report: dict[str, Any] = {"kind": self.kind, "name": self.name, "stops": len(self.static.stops)}
        if not self.realtime_url:
            return {**report, "status": "ok", "realtime": False}
        try:
            self._realtime(ctx or FetchContext())
        except ConnectorUnavailable as exc:
            return {**report, "status": "down", "error": self.redact(exc.detail)}
        return {**report, "status": "ok", "realtime": True}

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
