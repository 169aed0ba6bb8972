"""gtfs connector: the demo timetable, the fake department's real-time feed,
and hand-made feeds for the GTFS-realtime rules."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import httpx
import pytest
from google.transit import gtfs_realtime_pb2

from civichall.contrib.demo import departments as demo
from civichall.contrib.demo import fake_department
from civichall.services.connectors import (
    ConnectorConfigError,
    ConnectorInputError,
    ConnectorUnavailable,
    FetchContext,
)
from civichall.services.connectors.gtfs import (
    GtfsConnector,
    load_gtfs_static,
    parse_gtfs_time,
)
from civichall.services.connectors.runner import run_query
from tests.services.core_support import WEDNESDAY_8AM, at, dept_mode, fake_dept  # noqa: F401 - fixtures


def ctx(now: float) -> FetchContext:
    return FetchContext(clock=lambda: now, timeout_s=2.5)


# ----------------------------------------------------------- static loading


def test_static_loads_from_zip_folder_mapping_and_path(tmp_path):
    from_dict = load_gtfs_static(demo.gtfs_files())
    from_zip = load_gtfs_static(demo.gtfs_zip_bytes())
    from_folder = load_gtfs_static(demo.write_gtfs(tmp_path / "gtfs"))
    from_path = load_gtfs_static(demo.write_gtfs(tmp_path / "gtfs.zip"))
    for static in (from_zip, from_folder, from_path):
        assert static.stops == from_dict.stops and len(static.trips) == len(from_dict.trips)


def test_missing_files_are_named():
    files = demo.gtfs_files()
    del files["calendar.txt"]
    with pytest.raises(ConnectorConfigError) as info:
        load_gtfs_static(files)
    assert "calendar.txt" in info.value.message.zh
    with pytest.raises(ConnectorConfigError):
        load_gtfs_static(b"not a zip")


def test_demo_timetable_shape():
    static = demo.gtfs_static()
    assert sorted(r.short_name for r in static.routes.values()) == ["49路", "71路", "926路", "隧道三线"]
    for route in static.routes.values():
        stop_ids = {st.stop_id for t in static.trips.values() if t.route_id == route.route_id
                    for st in static.by_trip[t.trip_id]}
        assert len(stop_ids) >= 10
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in static.stops[s].name) for s in stop_ids)
    assert static.timezone == "Asia/Shanghai"


def test_demo_calendar_weekday_weekend_and_valid_through_2030():
    static = demo.gtfs_static()
    assert static.services_on(dt.date(2026, 3, 4)) == {"WKD"}  # Wednesday
    assert static.services_on(dt.date(2026, 3, 7)) == {"WKE"}  # Saturday
    assert static.services_on(dt.date(2030, 12, 31)) == {"WKD"}
    assert static.services_on(dt.date(2031, 1, 1)) == set()


def test_demo_trips_every_10_to_15_minutes_from_0530_to_2300():
    static = demo.gtfs_static()
    firsts: dict[tuple[str, str, str], list[int]] = {}
    for trip in static.trips.values():
        start = static.by_trip[trip.trip_id][0].departure
        firsts.setdefault((trip.route_id, trip.service_id, trip.direction_id), []).append(start)
    assert len(firsts) == 4 * 2 * 2
    for starts in firsts.values():
        starts.sort()
        assert starts[0] == parse_gtfs_time("05:30:00")
        assert parse_gtfs_time("22:45:00") <= starts[-1] <= parse_gtfs_time("23:00:00")
        gaps = {b - a for a, b in zip(starts, starts[1:])}
        assert gaps <= {600, 720, 900}


# ------------------------------------------------------- with the fake feed


def connector(base, **kw):
    return GtfsConnector(static=demo.gtfs_static(), realtime_url=f"{base}/gtfs-rt/trip-updates", **kw)


def test_next_arrivals_with_realtime_delays(fake_dept):
    data = connector(fake_dept).fetch({"stop": "人民广场"}, ctx(WEDNESDAY_8AM))
    assert data["realtime"] is True
    assert data["stop"]["name"] == "人民广场" and len(data["stop"]["ids"]) == 3
    arrivals = data["arrivals"]
    assert len(arrivals) == 6
    assert {a["route"] for a in arrivals} <= {"71路", "49路", "隧道三线"}
    minutes = [a["minutes"] for a in arrivals]
    assert minutes == sorted(minutes) and minutes[0] >= 0
    for a in arrivals:
        assert a["realtime"] is True
        # The fake feed's delay for that trip in that minute, applied to the timetable.
        assert a["delay_s"] == fake_department._delay_s(a["trip_id"], 0)
        scheduled = dt.datetime.strptime(a["scheduled"], "%H:%M")
        expected = dt.datetime.strptime(a["expected"], "%H:%M")
        assert (expected - scheduled).total_seconds() == a["delay_s"]


def test_route_filter_and_limit(fake_dept):
    data = connector(fake_dept).fetch({"stop": "人民广场站", "route": "71", "limit": 3}, ctx(WEDNESDAY_8AM))
    assert data["route"] == "71路"
    assert len(data["arrivals"]) == 3
    assert {a["route"] for a in data["arrivals"]} == {"71路"}
    assert {a["headsign"] for a in data["arrivals"]} <= {"延安东路外滩", "申昆路枢纽站"}


@pytest.mark.parametrize("query, name", [
    ("外滩", "延安东路外滩"),            # part of the name
    ("延安东路外摊", "延安东路外滩"),     # a wrong character
    ("71-10", "延安东路外滩"),           # a stop id
    ("  上海体育场站 ", "上海体育场"),
])
def test_stop_names_match_loosely(fake_dept, query, name):
    assert connector(fake_dept).find_stop(query)[0] == name


def test_ambiguous_stop_offers_candidates(fake_dept):
    name, _ids, candidates = connector(fake_dept).find_stop("东方路")
    assert name.startswith("东方路") or "东方路" in name
    assert candidates and all("东方路" in c for c in candidates)


def test_unknown_stop_and_wrong_route_are_input_errors(fake_dept):
    c = connector(fake_dept)
    with pytest.raises(ConnectorInputError) as info:
        c.fetch({"stop": "火星基地"}, ctx(WEDNESDAY_8AM))
    assert "火星基地" in info.value.errors["stop"].zh
    with pytest.raises(ConnectorInputError) as info:
        c.fetch({"stop": "上海体育场", "route": "71路"}, ctx(WEDNESDAY_8AM))
    assert "不经过" in info.value.errors["route"].zh
    result = run_query(c, {"stop": "人民广场", "route": "999路"}, clock=lambda: WEDNESDAY_8AM)
    assert result.status == "invalid" and "route" in result.errors


def test_feed_down_raises_so_the_breaker_counts_it(fake_dept, dept_mode):
    dept_mode("down")
    with pytest.raises(ConnectorUnavailable):
        connector(fake_dept).fetch({"stop": "人民广场"}, ctx(WEDNESDAY_8AM))
    result = run_query(connector(fake_dept), {"stop": "人民广场"}, clock=lambda: WEDNESDAY_8AM)
    assert result.status == "unavailable" and "稍后再试" in result.message.zh


def test_no_service_at_night(fake_dept):
    data = connector(fake_dept).fetch({"stop": "人民广场"}, ctx(at(2026, 3, 4, 3, 0)))
    assert data["arrivals"] == []


def test_timetable_only_without_a_feed():
    c = GtfsConnector(static=demo.gtfs_static())
    data = c.fetch({"stop": "上海体育场"}, ctx(WEDNESDAY_8AM))
    assert data["realtime"] is False
    assert all(a["realtime"] is False and a["delay_s"] is None and a["scheduled"] == a["expected"]
               for a in data["arrivals"])
    # 上海体育场 is a terminus: only buses leaving it are shown.
    assert {a["headsign"] for a in data["arrivals"]} == {"汉口路江西中路"}


# -------------------------------------------------------- hand-made feeds

SMALL = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,演示,https://a.example/,Asia/Shanghai\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,甲站,31.2,121.4\nS2,乙站,31.2,121.4\nS3,丙站,31.2,121.4\nS4,丁站,31.2,121.4\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A,1路,甲站—丁站,3\n",
    "trips.txt": "route_id,service_id,trip_id,trip_headsign\nR1,ALL,T1,丁站\nR1,ALL,T2,丁站\nR1,ALL,T3,丁站\nR1,ALL,LATE,丁站\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                      + "".join(f"T{n},08:{m + 10 * (n - 1):02d}:00,08:{m + 10 * (n - 1):02d}:00,S{i},{i}\n"
                                for n in (1, 2, 3) for i, m in ((1, 0), (2, 5), (3, 10), (4, 15)))
                      + "LATE,23:50:00,23:50:00,S1,1\nLATE,24:00:00,24:00:00,S2,2\nLATE,24:10:00,24:10:00,S3,3\n"
                      + "LATE,24:20:00,24:20:00,S4,4\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                    "ALL,1,1,1,1,1,1,1,20240101,20301231\n",
}


def feed(now: float, build) -> bytes:
    message = gtfs_realtime_pb2.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(now)
    build(message)
    return message.SerializeToString()


def trip(message, trip_id, *, canceled=False, delay=None):
    entity = message.entity.add()
    entity.id = trip_id
    tu = entity.trip_update
    tu.trip.trip_id = trip_id
    if canceled:
        tu.trip.schedule_relationship = gtfs_realtime_pb2.TripDescriptor.CANCELED
    if delay is not None:
        tu.delay = delay
    return tu


def small(content=None, status=200) -> GtfsConnector:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=content or b""))
    return GtfsConnector(static=SMALL, realtime_url="https://bus.example/rt", transport=transport)


SEVEN_58 = at(2026, 3, 4, 7, 58)


def test_delay_carries_on_to_later_stops_and_cancelled_trips_vanish():
    def build(m):
        u = trip(m, "T1").stop_time_update.add()
        u.stop_sequence, u.departure.delay = 1, 180  # three minutes late at 甲站
        trip(m, "T2", canceled=True)

    data = small(feed(SEVEN_58, build)).fetch({"stop": "丙站"}, ctx(SEVEN_58))
    by_trip = {a["trip_id"]: a for a in data["arrivals"]}
    assert by_trip["T1"]["expected"] == "08:13" and by_trip["T1"]["delay_s"] == 180
    assert "T2" not in by_trip
    assert by_trip["T3"]["realtime"] is False and by_trip["T3"]["expected"] == "08:30"


def test_skipped_stop_absolute_time_and_trip_delay():
    def build(m):
        u = trip(m, "T1").stop_time_update.add()
        u.stop_sequence = 2
        u.schedule_relationship = gtfs_realtime_pb2.TripUpdate.StopTimeUpdate.SKIPPED
        u = trip(m, "T2").stop_time_update.add()
        u.stop_id, u.arrival.time = "S2", int(at(2026, 3, 4, 8, 16, 30))
        trip(m, "T3", delay=-60)

    data = small(feed(SEVEN_58, build)).fetch({"stop": "乙站"}, ctx(SEVEN_58))
    by_trip = {a["trip_id"]: a for a in data["arrivals"]}
    assert "T1" not in by_trip
    assert by_trip["T2"]["delay_s"] == 90 and by_trip["T2"]["minutes"] == 18
    assert by_trip["T3"]["delay_s"] == -60 and by_trip["T3"]["expected"] == "08:24"


def test_trip_past_midnight_belongs_to_the_previous_service_day():
    now = at(2026, 3, 5, 0, 5)
    data = small(feed(now, lambda m: None)).fetch({"stop": "丙站"}, ctx(now))
    assert [(a["trip_id"], a["expected"], a["minutes"]) for a in data["arrivals"]] == [("LATE", "00:10", 5)]


@pytest.mark.parametrize("content, status, detail", [
    (b"\xff\x00 not protobuf", 200, "decode"),
    (b"", 500, "HTTP 500"),
])
def test_broken_feed_is_a_failure(content, status, detail):
    with pytest.raises(ConnectorUnavailable) as info:
        small(content, status).fetch({"stop": "甲站"}, ctx(SEVEN_58))
    assert detail in info.value.detail


def test_stale_feed_is_a_failure():
    old = feed(SEVEN_58 - 3600, lambda m: None)
    with pytest.raises(ConnectorUnavailable) as info:
        small(old).fetch({"stop": "甲站"}, ctx(SEVEN_58))
    assert "过期" in info.value.message.zh


def test_feed_is_reused_for_a_few_seconds():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(200, content=feed(SEVEN_58, lambda m: None))

    c = GtfsConnector(static=SMALL, realtime_url="https://bus.example/rt", transport=httpx.MockTransport(handler),
                      feed_ttl_s=15)
    c.fetch({"stop": "甲站"}, ctx(SEVEN_58))
    c.fetch({"stop": "乙站"}, ctx(SEVEN_58 + 10))
    assert len(calls) == 1
    c.fetch({"stop": "乙站"}, ctx(SEVEN_58 + 16))
    assert len(calls) == 2


def test_feed_secret_is_sent_but_never_shown():
    seen = []

    def handler(request):
        seen.append(request.headers.get("Authorization"))
        return httpx.Response(200, content=feed(SEVEN_58, lambda m: None))

    c = GtfsConnector(static=SMALL, realtime_url="https://bus.example/rt", realtime_headers={"Authorization": "Bearer {secret}"},
                      secret="feed-token-24680", transport=httpx.MockTransport(handler))
    c.fetch({"stop": "甲站"}, ctx(SEVEN_58))
    assert seen == ["Bearer feed-token-24680"]
    assert "feed-token-24680" not in repr(c) and "feed-token-24680" not in str(c.health(ctx(SEVEN_58)))


def test_zip_with_folder_inside():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in SMALL.items():
            zf.writestr(f"feed/{name}", text)
    assert set(load_gtfs_static(buf.getvalue()).stops) == {"S1", "S2", "S3", "S4"}
