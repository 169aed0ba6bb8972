"""Demo department data: sizes, allowed values, and no personal data where
there must be none."""

from __future__ import annotations

import re

import pytest

from civichall.channels.wechat.menu import menu_to_wechat, parse_wechat_menu
from civichall.contrib.demo import catalog as demo_catalog
from civichall.contrib.demo import departments as demo
from civichall.contrib.demo.departments import DATA_DIR, read_csv
from civichall.services.connectors import get_connector_class

DISTRICTS = {"黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区",
             "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区"}


def test_waterlogging_points():
    rows = read_csv("waterlogging.csv")
    assert len(rows) >= 30
    assert set(rows[0]) == {"place", "district", "status", "depth_cm", "updated_at"}
    assert {r["status"] for r in rows} <= {"正常", "轻度积水", "中度积水", "严重积水", "已封闭"}
    assert {r["district"] for r in rows} <= DISTRICTS
    for r in rows:
        depth = int(r["depth_cm"])
        assert (depth == 0) == (r["status"] == "正常")


def test_road_conditions():
    rows = read_csv("road_conditions.csv")
    assert len(rows) >= 30
    assert {"road", "direction", "status", "speed_kmh", "updated_at", "note"} <= set(rows[0])
    assert {r["status"] for r in rows} == {"畅通", "缓行", "拥堵"}
    assert all(0 < int(r["speed_kmh"]) < 120 for r in rows)


def test_school_enrolment():
    rows = read_csv("school_enrolment.csv")
    assert len(rows) >= 60
    assert set(rows[0]) == {"district", "school", "stage", "address", "scope", "places", "hotline"}
    assert {r["stage"] for r in rows} == {"小学", "初中"}
    assert {r["district"] for r in rows} == DISTRICTS
    # Fictional hotlines: Shanghai numbers never start with 0 after the area code.
    assert all(re.fullmatch(r"021-0000\d{4}", r["hotline"]) for r in rows)
    assert len({r["school"] for r in rows}) == len(rows)


def test_population_names_are_aggregates_only():
    rows = read_csv("population_names.csv")
    assert len(rows) >= 300
    assert list(rows[0]) == ["name", "count", "male", "female"]
    names = [r["name"] for r in rows]
    assert len(set(names)) == len(names)  # one row per name: a count, not a person
    for r in rows:
        assert re.fullmatch(r"[\u4e00-\u9fa5]{2,4}", r["name"])
        count, male, female = int(r["count"]), int(r["male"]), int(r["female"])
        assert count == male + female
        assert count >= 10  # no small cells that could point at someone


def test_demo_residents_have_no_identity_numbers():
    rows = demo.residents()
    assert len(rows) >= 6
    assert all(re.fullmatch(r"R\d{4}", r["resident_id"]) for r in rows)
    assert all("演示" in r["display_name"] for r in rows)
    for column in rows[0]:
        assert not re.search(r"id_?(number|card|no)|身份证|phone|mobile", column, re.I)


def test_no_identity_or_phone_numbers_anywhere_in_the_data():
    for path in DATA_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        # a resident identity number: region, a birth date, sequence, check
        # (an organisation's credit code is 18 characters too, without a date)
        assert not re.search(r"\b\d{6}(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b", text), path.name
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), path.name  # mobile number


def test_private_records_belong_to_demo_residents():
    ids = {r["resident_id"] for r in demo.residents()}
    for name in ("hospital_reports.csv", "vehicles.csv", "social_security_cards.csv"):
        rows = read_csv(name)
        assert rows and {r["resident_id"] for r in rows} <= ids
    assert {r["card_status"] for r in read_csv("social_security_cards.csv")} <= {"正常", "制卡中", "已挂失", "待领取"}
    plates = {r["plate"] for r in read_csv("vehicles.csv")}
    assert all(re.fullmatch(demo.PLATE_PATTERN, p) for p in plates)
    violations = read_csv("traffic_violations.csv")
    assert {r["plate"] for r in violations} <= plates
    assert set(violations[0]) == {"plate", "time", "place", "behaviour", "points", "fine", "status"}


def test_record_readers():
    assert demo.hospital_reports("R0001")[0]["date"] >= demo.hospital_reports("R0001")[-1]["date"]
    assert demo.traffic_violations("沪AD12345") == demo.traffic_violations("沪A·D12345")
    assert demo.social_security_card("R0003")["card_status"] == "待领取"
    assert demo.social_security_card("R0999") is None
    assert [v["plate"] for v in demo.vehicles("R0002")] == ["沪B·7K521", "沪C·M3308"]
    assert all("延安" in r["road"] for r in demo.road_conditions("延安"))


def test_catalog():
    catalog = demo_catalog.service_catalog()
    codes = [s["code"] for s in catalog]
    assert len(codes) == len(set(codes))
    hall = demo_catalog.hall_services()
    assert len(hall) == 20
    seed = {"实时公交", "交通违法查询", "实时路况", "入学信息查询", "重名查询", "垃圾分类查询", "医院报告查询",
            "道路积水查询", "社会保障卡办理进度"}
    assert seed <= {s["name_zh"] for s in hall}
    for service in catalog:
        assert service["name_zh"] and service["name_en"] and service["org_name"]
        if service.get("connector"):
            get_connector_class(service["connector"])
    catalog[0]["name_zh"] = "changed"
    assert demo_catalog.service_catalog()[0]["name_zh"] != "changed"


def test_connector_specs_cover_the_query_services(tmp_path):
    specs = demo_catalog.connector_specs("http://127.0.0.1:9", tmp_path)
    queries = {s["code"] for s in demo_catalog.service_catalog() if s.get("connector")}
    assert set(specs) == queries
    assert (tmp_path / "demo_gtfs.zip").is_file() and (tmp_path / "population.sqlite3").is_file()
    connectors = demo_catalog.build_connectors("http://127.0.0.1:9", tmp_path)
    for code, c in connectors.items():
        assert c.kind == specs[code]["kind"]
        assert demo.DEMO_API_KEY not in repr(c)


def test_demo_menu_is_a_valid_wechat_menu():
    data = demo_catalog.demo_menu("https://hall.example.org/")
    assert [c["name"] for c in data["button"]] == ["市民大厅", "随申办", "来上海"]
    assert menu_to_wechat(parse_wechat_menu(data)) == data


@pytest.mark.parametrize("name", ["bus_lines.json", "waterlogging.csv"])  # garbage_items.csv: the product's garbage tests
def test_data_files_are_utf8_text(name):
    assert (DATA_DIR / name).read_text(encoding="utf-8")
