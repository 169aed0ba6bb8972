"""csv_file connector against real local files."""

from __future__ import annotations

import os

import pytest

from civichall.contrib.demo.departments import data_path
from civichall.services.connectors import ConnectorConfigError, FetchContext
from civichall.services.connectors.csv_file import CsvFileConnector
from civichall.services.connectors.runner import run_query

CTX = FetchContext()

PLACES = """place,district,status,depth_cm,updated_at
龙吴路华泾路口,徐汇区,轻度积水,8,2025-07-15 07:00
漕宝路桂林路口,徐汇区,正常,0,2025-07-15 07:05
中山西路虹桥路口,长宁区,中度积水,18,2025-07-15 07:10
ＡＢＣ路口,长宁区,正常,0,2025-07-15 07:15
沪闵路莲花路口,闵行区,严重积水,30,2025-07-15 07:20
""".encode("utf-8")

TYPED = {"type": "array", "items": {"type": "object", "properties": {"depth_cm": {"type": "integer"}}}}


def connector(**kw):
    kw.setdefault("data", PLACES)
    kw.setdefault("output_schema", TYPED)
    return CsvFileConnector(**kw)


def test_exact_lookup_on_a_key_column():
    c = connector(key_columns=["district"])
    rows = c.fetch({"district": "徐汇区"}, CTX)
    assert [r["place"] for r in rows] == ["龙吴路华泾路口", "漕宝路桂林路口"]
    assert rows[0]["depth_cm"] == 8  # typed from the output schema
    assert c.fetch({"district": "徐汇"}, CTX) == []


def test_prefix_and_contains():
    c = connector(lookups={"start": {"column": "place", "match": "prefix"},
                           "part": {"column": "place", "match": "contains"}})
    assert [r["place"] for r in c.fetch({"start": "中山西路"}, CTX)] == ["中山西路虹桥路口"]
    assert [r["place"] for r in c.fetch({"part": "莲花"}, CTX)] == ["沪闵路莲花路口"]
    assert [r["place"] for r in c.fetch({"part": "abc"}, CTX)] == ["ＡＢＣ路口"]  # full-width folded


def test_words_match_segments_chinese():
    c = connector(lookups={"place": {"column": "place", "match": "words"}})
    assert [r["place"] for r in c.fetch({"place": "华泾路"}, CTX)] == ["龙吴路华泾路口"]
    assert [r["place"] for r in c.fetch({"place": "虹桥路 中山西路"}, CTX)] == ["中山西路虹桥路口"]
    assert c.fetch({"place": "南京东路"}, CTX) == []


def test_lookups_combine_with_and():
    c = connector(lookups={"district": {"match": "exact"}, "status": {"match": "exact"}})
    rows = c.fetch({"district": "长宁区", "status": "正常"}, CTX)
    assert [r["place"] for r in rows] == ["ＡＢＣ路口"]


def test_no_input_returns_nothing_unless_allowed_and_sorts():
    assert connector(key_columns=["district"]).fetch({}, CTX) == []
    c = connector(key_columns=["district"], allow_all=True, sort_by="-depth_cm", limit=2)
    assert [r["depth_cm"] for r in c.fetch({}, CTX)] == [30, 18]


def test_field_map():
    c = connector(key_columns=["district"], field_map={"where": "place", "level": "status"}, output_schema=None)
    assert c.fetch({"district": "闵行区"}, CTX) == [{"where": "沪闵路莲花路口", "level": "严重积水"}]


def test_plate_separators_are_folded():
    data = "plate,owner\n沪A·D12345,R0001\n".encode("utf-8")
    c = CsvFileConnector(data=data, key_columns=["plate"])
    assert c.fetch({"plate": "沪AD12345"}, CTX) == [{"plate": "沪A·D12345", "owner": "R0001"}]
    assert c.fetch({"plate": "沪a d12345"}, CTX)


def test_configuration_errors():
    with pytest.raises(ConnectorConfigError):
        connector(key_columns=["no_such_column"])
    with pytest.raises(ConnectorConfigError):
        connector(lookups={"place": {"match": "sounds_like"}})
    with pytest.raises(ConnectorConfigError):
        CsvFileConnector()
    with pytest.raises(ConnectorConfigError):
        CsvFileConnector(data="名字\n张三\n".encode("gbk"))


def test_file_changes_are_picked_up(tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes(PLACES)
    c = CsvFileConnector(path=path, key_columns=["district"])
    assert len(c.fetch({"district": "徐汇区"}, CTX)) == 2
    path.write_bytes(PLACES + "新增路口,徐汇区,正常,0,2025-07-15 08:00\n".encode("utf-8"))
    os.utime(path, (1_900_000_000, 1_900_000_000))
    assert len(c.fetch({"district": "徐汇区"}, CTX)) == 3
    assert c.health()["rows"] == 6
    path.unlink()
    assert run_query(c, {"district": "徐汇区"}).status == "unavailable"
    assert c.health()["status"] == "down"


def test_demo_school_file_by_street_and_district():
    c = CsvFileConnector(path=data_path("school_enrolment.csv"),
                         lookups={"district": {"match": "exact"}, "stage": {"match": "exact"},
                                  "street": {"column": "scope", "match": "contains"}})
    rows = c.fetch({"district": "黄浦区", "stage": "小学"}, CTX)
    assert len(rows) == 2 and all(r["stage"] == "小学" for r in rows)
    assert all("西藏南路" in r["scope"] for r in c.fetch({"street": "西藏南路"}, CTX))
