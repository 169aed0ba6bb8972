"""The fake department server: routes, key, modes and the real-time feed."""

from __future__ import annotations

import time

import httpx
from google.transit import gtfs_realtime_pb2

from civichall.contrib.demo import fake_department
from civichall.contrib.demo.departments import DEMO_API_KEY
from tests.services.core_support import WEDNESDAY_8AM, dept_mode, fake_dept  # noqa: F401 - fixtures

KEY = {"X-Api-Key": DEMO_API_KEY}

# Talk to the local server directly, whatever proxy the environment names.
client = httpx.Client(trust_env=False)


def test_health(fake_dept):
    r = client.get(f"{fake_dept}/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "mode": "ok"}


def test_api_needs_the_key(fake_dept):
    url = f"{fake_dept}/api/hospital-reports?resident_id=R0001"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"X-Api-Key": "nope"}).status_code == 401
    r = client.get(url, headers=KEY)
    assert r.status_code == 200
    body = r.json()
    assert body["code"] == 0 and body["data"]["resident_id"] == "R0001" and body["data"]["reports"]


def test_api_routes(fake_dept):
    get = lambda path: client.get(f"{fake_dept}{path}", headers=KEY)  # noqa: E731
    assert get("/api/social-security-card?resident_id=R0002").json()["data"]["card"]["card_status"] == "制卡中"
    assert get("/api/social-security-card?resident_id=R0999").json()["data"]["card"] is None
    assert len(get("/api/vehicles?resident_id=R0002").json()["data"]["vehicles"]) == 2
    assert get("/api/traffic-violations?plate=%E6%B2%AAB%C2%B77K521").json()["data"]["violations"]
    assert len(get("/api/road-conditions").json()["data"]["sections"]) >= 30
    assert get("/api/traffic-violations").status_code == 400
    assert get("/api/nothing").status_code == 404


def test_realtime_feed(fake_dept):
    r = client.get(f"{fake_dept}/gtfs-rt/trip-updates")
    assert r.headers["content-type"] == "application/x-protobuf"
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.ParseFromString(r.content)
    assert feed.header.timestamp == int(WEDNESDAY_8AM)
    assert len(feed.entity) > 20
    routes = {e.trip_update.trip.route_id for e in feed.entity}
    assert routes == {"71", "49", "926", "T3"}
    for e in feed.entity:
        delays = {u.arrival.delay for u in e.trip_update.stop_time_update}
        assert delays == {fake_department._delay_s(e.trip_update.trip.trip_id, 0)}


def _delays(now: float) -> dict[str, int]:
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.ParseFromString(fake_department.trip_updates_feed(now))
    return {e.trip_update.trip.trip_id: e.trip_update.stop_time_update[0].arrival.delay for e in feed.entity}


def test_delays_repeat_within_a_minute_and_change_with_it():
    first = _delays(WEDNESDAY_8AM)
    assert _delays(WEDNESDAY_8AM + 30) == first
    later = _delays(WEDNESDAY_8AM + 60)
    common = set(first) & set(later)
    assert common and any(first[t] != later[t] for t in common)
    assert {d for d in first.values()} <= {-60, 0, 60, 120, 180, 240, 300, 360}


def test_static_zip(fake_dept):
    r = client.get(f"{fake_dept}/gtfs/static.zip")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_modes_by_function_and_by_post(fake_dept, dept_mode):
    dept_mode("down")
    assert client.get(f"{fake_dept}/healthz").status_code == 503
    assert client.get(f"{fake_dept}/api/road-conditions", headers=KEY).status_code == 503
    r = client.post(f"{fake_dept}/_control/mode", json={"mode": "ok"})
    assert r.json()["mode"] == "ok" and fake_department.get_mode() == "ok"
    client.post(f"{fake_dept}/_control/mode", data={"mode": "slow", "slow_s": "0.4"})
    started = time.perf_counter()
    assert client.get(f"{fake_dept}/healthz").status_code == 200
    assert time.perf_counter() - started >= 0.35
    assert client.post(f"{fake_dept}/_control/mode", json={"mode": "broken"}).status_code == 400
    assert client.get(f"{fake_dept}/_control/mode").json()["mode"] == "slow"


def test_start_and_stop_free_the_port():
    server, base = fake_department.start(port=0)
    assert client.get(f"{base}/healthz").status_code == 200
    fake_department.stop(server)
    try:
        client.get(f"{base}/healthz", timeout=0.5)
    except httpx.HTTPError:
        pass
    else:  # pragma: no cover
        raise AssertionError("server still answering")


def test_stop_does_not_wait_for_a_slow_answer(dept_mode):
    server, base = fake_department.start(port=0)
    dept_mode("slow", slow_s=30)
    try:
        client.get(f"{base}/healthz", timeout=0.3)
    except httpx.TimeoutException:
        pass
    started = time.perf_counter()
    fake_department.stop(server)
    assert time.perf_counter() - started < 2
