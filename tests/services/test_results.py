"""Query answers as cards (``services/results.py``): pure, no database."""

from civichall.services import garbage
from civichall.services.results import present, status_level


def test_garbage_answer_is_a_coloured_card_per_category():
    data = {**garbage.lookup("奶茶杯").as_dict(), "certain": True}
    p = present(data)
    assert p["layout"] == "garbage" and p["certain"]
    assert p["best"]["category"] == "干垃圾" and p["best"]["colour"] == "dry"
    assert p["best"]["category_tip"].startswith("尽量沥干")
    medicine = present({**garbage.lookup("过期药品").as_dict(), "certain": True})
    assert medicine["best"]["colour"] == "hazardous"
    english = present(data, lang="en")
    assert english["best"]["category_label"].startswith("Dry waste")
    assert english["best"]["category_tip"].startswith("Drain off water")


def test_unknown_garbage_item_gives_the_hint():
    data = {**garbage.lookup("量子计算机芯片组").as_dict(), "certain": False}
    p = present(data)
    if p["empty"]:
        assert p["hint"].startswith("没有找到")
    else:
        assert not p["certain"]


def test_bus_arrivals_in_minutes_with_delays():
    data = {"stop": {"name": "人民广场", "ids": ["S1", "S2"]}, "route": None, "realtime": True,
            "candidates": ["人民广场", "人民广场(西藏中路)"],
            "arrivals": [
                {"route": "49路", "headsign": "上海体育场", "minutes": 0, "scheduled": "08:00", "expected": "08:00",
                 "delay_s": 30, "realtime": True, "trip_id": "t1", "stop_id": "S1"},
                {"route": "71路", "headsign": "申昆路枢纽站", "minutes": 7, "scheduled": "08:03", "expected": "08:07",
                 "delay_s": 240, "realtime": True, "trip_id": "t2", "stop_id": "S2"},
                {"route": "71路", "headsign": "中山东一路", "minutes": 12, "scheduled": "08:14", "expected": "08:12",
                 "delay_s": -120, "realtime": False, "trip_id": "t3", "stop_id": "S2"},
            ]}
    p = present(data)
    assert p["layout"] == "bus" and p["stop"] == "人民广场" and p["realtime"]
    assert [a["minutes"] for a in p["arrivals"]] == [0, 7, 12]
    assert [a["late_min"] for a in p["arrivals"]] == [0, 4, 0]
    assert p["arrivals"][2]["early_min"] == 2
    assert p["candidates"] == ["人民广场(西藏中路)"]
    assert "trip_id" not in p["arrivals"][0]


def test_waterlogging_and_road_rows_become_status_lists():
    water = present([
        {"place": "漕宝路桂林路口", "district": "徐汇区", "status": "轻度积水", "depth_cm": 6, "updated_at": "08:07"},
        {"place": "龙吴路华泾路口", "district": "徐汇区", "status": "正常", "depth_cm": 0, "updated_at": "07:00"},
    ])
    assert water["layout"] == "status_list" and water["kind"] == "waterlogging"
    assert [r["level"] for r in water["rows"]] == ["warn", "ok"]
    assert water["rows"][0]["figure"] == "6厘米" and water["rows"][1]["figure"] == ""
    assert water["alerts"] == 1
    roads = present([{"road": "延安高架路", "direction": "西向东", "section": "虹许路—江苏路", "status": "拥堵",
                      "speed_kmh": 7, "updated_at": "08:03", "note": "上下班高峰车流量大"}], lang="en")
    assert roads["kind"] == "road" and roads["rows"][0]["level"] == "bad"
    assert roads["rows"][0]["figure"] == "7 km/h" and roads["rows"][0]["subtitle"] == "西向东 · 虹许路—江苏路"


def test_generic_cards_use_schema_titles_then_known_labels_and_hide_identifiers():
    schema = {"type": "array", "items": {"type": "object", "properties": {
        "summary": {"title": "结论", "x-title-en": "Finding"}}}}
    p = present([{"resident_id": "R0001", "hospital": "浦江演示医院", "report_type": "血常规",
                  "date": "2025-07-10", "status": "已出报告", "summary": "正常"}], output_schema=schema)
    assert p["layout"] == "cards" and p["total"] == 1
    card = p["cards"][0]
    assert card["title"] == "血常规" and card["status"] == "已出报告" and card["level"] == "ok"
    labels = {f["label"]: f["value"] for f in card["fields"]}
    assert labels == {"医院": "浦江演示医院", "日期": "2025-07-10", "结论": "正常"}
    assert "R0001" not in repr(p)
    english = present([{"summary": "正常", "fine": 200}], output_schema=schema, lang="en")
    assert {f["label"]: f["value"] for f in english["cards"][0]["fields"]} == {"Finding": "正常", "Fine": "200 yuan"}


def test_an_envelope_with_one_record_is_unwrapped():
    p = present({"resident_id": "R0003", "card": {"card_status": "待领取", "issuing_bank": "中国农业银行",
                                                  "pickup_place": "浦东新区社区事务受理服务中心（演示）"}})
    assert p["layout"] == "cards" and p["cards"][0]["status"] == "待领取"
    assert p["cards"][0]["level"] == "info"
    nothing = present({"resident_id": "R0009", "card": None})
    assert nothing["layout"] == "empty" and nothing["empty"]


def test_same_name_count_and_empty_answers():
    p = present({"name": "王伟", "count": 9522, "male": 9000, "female": 522})
    assert p["layout"] == "count" and p["count"] == 9522
    assert present([])["layout"] == "empty"
    assert present(None)["layout"] == "empty"
    assert present("一段文字")["cards"][0]["fields"][0]["value"] == "一段文字"


def test_telephone_fields_become_dialable():
    p = present([{"school": "黄浦梧桐实验小学", "hotline": "021-00000001", "places": 240, "scope": "西藏南路"}])
    fields = {f["key"]: f for f in p["cards"][0]["fields"]}
    assert fields["hotline"]["tel"] == "021-00000001"
    assert fields["places"]["value"] == "240人"


def test_status_levels():
    assert status_level("畅通") == "ok" and status_level("缓行") == "warn" and status_level("已封闭") == "bad"
    assert status_level("制卡中") == "info" and status_level("") == "info"


# --- how old "real-time" data is ------------------------------------------------------

ROADS = [
    {"road": "延安高架路", "section": "外滩—成都北路", "status": "畅通", "speed_kmh": 46, "updated_at": "2025-07-15 08:00"},
    {"road": "南北高架路", "section": "中山北路—共和新路", "status": "拥堵", "speed_kmh": 7, "updated_at": "2025-07-15 08:03"},
]


def shanghai(text):
    import datetime
    from zoneinfo import ZoneInfo

    return datetime.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))


def test_old_real_time_data_says_from_when_it_is():
    shown = present(ROADS, now=shanghai("2026-11-30 16:00"))
    assert shown["layout"] == "status_list"
    assert shown["stale_since"] == "2025-07-15 08:03"  # the newest row's time


def test_fresh_data_says_nothing():
    assert present(ROADS, now=shanghai("2025-07-15 08:30"))["stale_since"] == ""


def test_each_service_sets_its_own_limit():
    now = shanghai("2025-07-15 08:30")
    assert present(ROADS, now=now, output_schema={"x-fresh-for-minutes": 10})["stale_since"] == "2025-07-15 08:03"
    assert present(ROADS, now=now, output_schema={"x-fresh-for-minutes": 30})["stale_since"] == ""


def test_times_with_a_zone_and_unreadable_times():
    rows = [dict(ROADS[0], updated_at="2025-07-15T00:00:00+00:00")]  # 08:00 in Shanghai
    assert present(rows, now=shanghai("2025-07-15 08:30"))["stale_since"] == ""
    assert present(rows, now=shanghai("2025-07-15 10:00"))["stale_since"] == "2025-07-15 08:00"
    unreadable = [dict(ROADS[0], updated_at="刚刚")]
    assert present(unreadable, now=shanghai("2030-01-01 00:00"))["stale_since"] == ""
