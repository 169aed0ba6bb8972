""""One window" search over the service catalog."""

from __future__ import annotations

import time

import jieba
import pytest

from civichall.contrib.demo.catalog import service_catalog
from civichall.services.search import build_index, search


@pytest.fixture(scope="module")
def index():
    return build_index(service_catalog())


def top(index, query, n=1):
    return [h.code for h in search(index, query)[:n]]


@pytest.mark.parametrize("query, code", [
    ("社保", "social_security_card"),
    ("社保卡", "social_security_card"),
    ("社会保障", "social_security_card"),
    ("巴士", "bus_realtime"),
    ("公共汽车几点到", "bus_realtime"),
    ("实时公交", "bus_realtime"),
    ("Real-time bus", "bus_realtime"),
    ("违章", "traffic_violations"),
    ("交通违法", "traffic_violations"),
    ("内涝", "waterlogging"),
    ("积水", "waterlogging"),
    ("择校", "school_enrolment"),
    ("招生", "school_enrolment"),
    ("同名", "same_name"),
    ("重名查询", "same_name"),
    ("垃圾", "garbage_sorting"),
    ("化验单", "hospital_reports"),
    ("住房公积金", "housing_fund"),
    ("残疾人", "disability_living_subsidy"),
    ("失业金", "unemployment_insurance"),
    ("堵车", "road_conditions"),
    ("护照", "exit_entry"),
])
def test_citizens_words_find_the_service(index, query, code):
    assert top(index, query) == [code], search(index, query)[:3]


def test_synonym_groups_go_both_ways(index):
    assert "residence_registration" in top(index, "居住证", 2)
    assert "residence_permit" in top(index, "居住登记", 2)
    hospital = top(index, "医院", 3)
    assert "hospital_reports" in hospital and "hospital_appointment" in hospital
    assert "hospital_reports" in top(index, "就医", 3)


def test_matched_terms_say_why(index):
    hit = search(index, "社保")[0]
    assert hit.code == "social_security_card"
    assert "社保" in hit.matched_terms
    assert hit.score > 0


def test_exact_name_ranks_first():
    hits = search(build_index(RECORDS), "实时公交")
    assert [h.code for h in hits] == ["exact", "contains", "keyword", "description"]
    assert [h.tier for h in hits] == [4, 3, 2, 1]


RECORDS = [
    {"code": "description", "name_zh": "出行服务", "description": "含实时公交信息", "status": "available"},
    {"code": "keyword", "name_zh": "交通出行", "keywords": ["实时公交"], "status": "available"},
    {"code": "contains", "name_zh": "实时公交到站提醒", "status": "available"},
    {"code": "exact", "name_zh": "实时公交", "status": "available"},
    {"code": "retired", "name_zh": "实时公交", "status": "retired"},
    {"code": "unrelated", "name_zh": "天气预报", "status": "available"},
]


def test_available_ranks_over_maintenance_and_retired_is_never_found():
    records = [
        {"code": "down", "name_zh": "公共自行车查询", "status": "maintenance"},
        {"code": "up", "name_zh": "公共自行车地图", "status": "available"},
        {"code": "gone", "name_zh": "公共自行车", "status": "retired"},
    ]
    hits = search(build_index(records), "公共自行车")
    assert [h.code for h in hits] == ["up", "down"]
    assert hits[1].status == "maintenance"


def test_kinds_filter_and_limit(index):
    assert {h.kind for h in search(index, "居住", kinds=["application"])} == {"application"}
    assert len(search(index, "查询", limit=3)) <= 3


@pytest.mark.parametrize("query", ["", "   ", "？！", "火星殖民签证"])
def test_nothing_to_find(index, query):
    assert search(index, query) == []


def test_retired_demo_service_is_excluded(index):
    assert "nat_booking" not in {h.code for h in search(index, "核酸")}


def test_words_are_added_to_a_private_dictionary_only(index):
    jieba.lcut("初始化")  # make sure the global dictionary is loaded
    assert "社会保障卡办理进度" not in jieba.dt.FREQ
    assert "入学信息查询" not in jieba.dt.FREQ


def test_fast_after_the_index_is_built(index):
    queries = ["社保", "巴士", "积水", "违章", "入学", "垃圾分类", "医院报告", "公积金", "bus", "居住证"] * 50
    started = time.perf_counter()
    for q in queries:
        search(index, q)
    assert (time.perf_counter() - started) / len(queries) < 0.005
