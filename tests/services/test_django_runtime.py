"""The service matrix at run time: each demo query service answers a real
query through ``runtime.query_service`` against the fake department system;
bad input, identity, cache, a department that is down or slow."""

import time

import pytest

from civichall.contrib.demo import fake_department
from civichall.services import runtime
from civichall.services.models import Service, ServiceStatus

from .django_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

KEYS = {"status", "data", "errors", "message", "alternative", "from_cache", "latency_ms"}


def ask(svc, code, params, user=None, lang="zh"):
    answer = runtime.query_service(svc(code), params, user=user, lang=lang)
    assert set(answer) == KEYS
    assert answer["status"] in runtime.STATUSES
    return answer


# --- the eight demo query services answer --------------------------------------------------


@pytest.mark.parametrize("item, category", [
    ("奶茶杯", "干垃圾"), ("用过的纸巾", "干垃圾"), ("过期药品", "有害垃圾"),
])
def test_garbage_sorting(svc, item, category):
    answer = ask(svc, "garbage_sorting", {"item": item})
    assert answer["status"] == "ok", answer
    assert answer["data"]["matches"][0]["category"] == category
    assert answer["data"]["matches"][0]["tip"]


def test_bus_arrival(svc, buses_running):
    answer = ask(svc, "bus_realtime", {"stop": "人民广场"})
    assert answer["status"] == "ok", answer
    assert answer["data"]["stop"]["name"] == "人民广场"
    assert answer["data"]["arrivals"]
    assert {a["route"] for a in answer["data"]["arrivals"]} & {"49路", "隧道三线"}


def test_bus_unknown_stop_is_invalid_for_that_field(svc):
    answer = ask(svc, "bus_realtime", {"stop": "不存在的站点名称"})
    assert answer["status"] == "invalid"
    assert "stop" in answer["errors"]


def test_waterlogging(svc):
    answer = ask(svc, "waterlogging", {"district": "徐汇区"})
    assert answer["status"] == "ok", answer
    assert answer["data"] and all(row["district"] == "徐汇区" for row in answer["data"])
    everything = ask(svc, "waterlogging", {})
    assert everything["status"] == "ok" and len(everything["data"]) >= len(answer["data"])


def test_road_conditions(svc):
    answer = ask(svc, "road_conditions", {"road": "延安高架"})
    assert answer["status"] == "ok", answer
    assert answer["data"] and all("延安高架" in row["road"] for row in answer["data"])


def test_school_enrolment(svc):
    answer = ask(svc, "school_enrolment", {"district": "黄浦区", "stage": "小学"})
    assert answer["status"] == "ok", answer
    assert answer["data"] and all(row["district"] == "黄浦区" for row in answer["data"])
    by_street = ask(svc, "school_enrolment", {"street": "西藏南路"})
    assert by_street["status"] == "ok" and any("西藏南路" in r["scope"] for r in by_street["data"])


def test_same_name_answers_aggregates_only(svc):
    answer = ask(svc, "same_name", {"name": "王伟"})
    assert answer["status"] == "ok", answer
    assert answer["data"]["count"] == 9522
    assert set(answer["data"]) <= {"name", "count", "male", "female"}
    nobody = ask(svc, "same_name", {"name": "甲乙丙丁"})
    assert nobody["status"] == "ok" and nobody["data"]["count"] == 0


def test_hospital_reports_only_the_citizens_own(svc, verified):
    user = verified("R0001")
    answer = ask(svc, "hospital_reports", {}, user=user)
    assert answer["status"] == "ok", answer
    assert answer["data"] and {r["hospital"] for r in answer["data"]} <= {"浦江演示医院", "申城演示中心医院"}
    # Asking for someone else's id changes nothing: the identity is the citizen's.
    other = ask(svc, "hospital_reports", {"resident_id": "R0002"}, user=user)
    assert other["status"] == "ok" and other["data"] == answer["data"]
    second = ask(svc, "hospital_reports", {}, user=verified("R0002"))
    assert second["status"] == "ok" and second["data"] != answer["data"]


def test_identity_services_refuse_anonymous_and_unverified(svc, unverified):
    for code, params in [("hospital_reports", {}), ("social_security_card", {}),
                         ("traffic_violations", {"plate": "沪A·D12345"})]:
        assert ask(svc, code, params)["status"] == "unauthorized"
        refused = ask(svc, code, params, user=unverified)
        assert refused["status"] == "forbidden"
        assert refused["data"] is None and refused["message"]


def test_traffic_violations_own_plate_only(svc, verified):
    owner = verified("R0001")
    answer = ask(svc, "traffic_violations", {"plate": "沪A·D12345"}, user=owner)
    assert answer["status"] == "ok", answer
    assert len(answer["data"]) == 2 and answer["data"][0]["fine"] == 200
    # The same plate written without the dot is still theirs.
    assert ask(svc, "traffic_violations", {"plate": "沪AD12345"}, user=owner)["status"] == "ok"
    # Another citizen's plate is refused, with nothing of its data.
    refused = ask(svc, "traffic_violations", {"plate": "沪B·7K521"}, user=owner)
    assert refused["status"] == "forbidden"
    assert refused["data"] is None and "plate" in refused["errors"]
    # ... even after its owner's answer is in the cache.
    assert ask(svc, "traffic_violations", {"plate": "沪B·7K521"}, user=verified("R0002"))["status"] == "ok"
    assert ask(svc, "traffic_violations", {"plate": "沪B·7K521"}, user=owner)["status"] == "forbidden"


def test_social_security_card(svc, verified):
    answer = ask(svc, "social_security_card", {}, user=verified("R0003"))
    assert answer["status"] == "ok", answer
    assert answer["data"]["card"]["card_status"] == "待领取"


# --- bad input ------------------------------------------------------------------------------

BAD_INPUTS = [
    ("garbage_sorting", {}, "item", "请填写"),
    ("garbage_sorting", {"item": "   "}, "item", "请填写"),
    ("garbage_sorting", {"item": "垃" * 31}, "item", "最多"),
    ("bus_realtime", {}, "stop", "请填写"),
    ("bus_realtime", {"stop": "站" * 41}, "stop", "最多"),
    ("bus_realtime", {"stop": "人民广场", "limit": "很多"}, "limit", "整数"),
    ("road_conditions", {"road": "路" * 21}, "road", "最多"),
    ("road_conditions", {"speed": "1"}, "speed", "不支持"),
    ("waterlogging", {"place": "路" * 31}, "place", "最多"),
    ("school_enrolment", {}, "__all__", "至少"),
    ("school_enrolment", {"district": "黄浦区", "stage": "大学"}, "stage", "只能是"),
    ("same_name", {}, "name", "汉字"),
    ("same_name", {"name": "Zhang Wei"}, "name", "汉字"),
    ("same_name", {"name": "张" * 11}, "name", "汉字"),
    ("traffic_violations", {}, "plate", "请填写"),
    ("traffic_violations", {"plate": "ABC123"}, "plate", "格式不正确"),
    ("traffic_violations", {"plate": "沪" * 30}, "plate", "格式不正确"),
    # Personal services take no input of their own: anything else is refused.
    ("hospital_reports", {"hospital": "浦江演示医院"}, "hospital", "不支持"),
    ("social_security_card", {"card_no": "123"}, "card_no", "不支持"),
]


@pytest.mark.parametrize("code, params, field, words", BAD_INPUTS,
                         ids=[f"{c}-{f}-{i}" for i, (c, _p, f, _w) in enumerate(BAD_INPUTS)])
def test_bad_input_is_invalid_with_a_chinese_message_per_field(svc, verified, code, params, field, words):
    answer = ask(svc, code, params, user=verified("R0001"))
    assert answer["status"] == "invalid", answer
    assert words in answer["errors"][field]
    assert answer["message"]


def test_messages_in_english_when_asked(svc):
    answer = ask(svc, "garbage_sorting", {}, lang="en")
    assert answer["status"] == "invalid"
    assert "required" in answer["errors"]["item"]
    assert answer["message"] == "Please check what you entered."


# --- cache, statuses, failing departments ---------------------------------------------------


def test_repeat_query_is_served_from_the_cache(svc):
    first = ask(svc, "garbage_sorting", {"item": "西瓜皮"})
    again = ask(svc, "garbage_sorting", {"item": " 西瓜皮 "})
    assert first["status"] == again["status"] == "ok"
    assert not first["from_cache"] and again["from_cache"]
    assert again["data"] == first["data"]


def test_personal_answers_are_cached_per_citizen(svc, verified):
    one, two = verified("R0001"), verified("R0002")
    a1 = ask(svc, "social_security_card", {}, user=one)
    a2 = ask(svc, "social_security_card", {}, user=two)
    assert not a1["from_cache"] and not a2["from_cache"]
    assert a1["data"] != a2["data"]
    assert ask(svc, "social_security_card", {}, user=one)["from_cache"]


def test_maintenance_and_retired(svc):
    service = svc("garbage_sorting")
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.MAINTENANCE, maintenance_message="系统升级，明早恢复。")
    answer = ask(svc, "garbage_sorting", {"item": "奶茶杯"})
    assert answer["status"] == "maintenance" and answer["message"] == "系统升级，明早恢复。"
    assert answer["alternative"]
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.RETIRED)
    assert ask(svc, "garbage_sorting", {"item": "奶茶杯"})["status"] == "retired"


def test_a_link_service_does_not_answer_queries(svc):
    assert ask(svc, "weather", {})["status"] == "invalid"


def test_department_down_degrades_one_service_within_3_seconds(svc):
    fake_department.set_mode("down")
    started = time.monotonic()
    answer = ask(svc, "road_conditions", {"road": "延安高架"})
    assert time.monotonic() - started < 3
    assert answer["status"] == "unavailable"
    assert answer["message"] and answer["alternative"] == svc("road_conditions").alternative
    # Enough failures open the breaker: the next calls are refused at once.
    for _ in range(3):
        ask(svc, "road_conditions", {"road": "南北高架"})
    stats = {row["name"]: row for row in runtime.health()}["road_conditions"]
    assert stats["state"] == "open" and stats["errors"] >= 3
    started = time.monotonic()
    assert ask(svc, "road_conditions", {"road": "内环高架"})["status"] == "unavailable"
    assert time.monotonic() - started < 0.5
    # Services that do not need that department still answer.
    assert ask(svc, "garbage_sorting", {"item": "过期药品"})["status"] == "ok"
    assert ask(svc, "same_name", {"name": "李伟"})["status"] == "ok"
    assert ask(svc, "school_enrolment", {"district": "黄浦区"})["status"] == "ok"


def test_slow_department_answers_unavailable_within_the_timeout(svc):
    fake_department.set_mode("slow", slow_s=5)
    started = time.monotonic()
    answer = ask(svc, "road_conditions", {"road": "延安高架"})
    elapsed = time.monotonic() - started
    assert answer["status"] == "unavailable"
    assert elapsed < 3, elapsed
    assert answer["alternative"]


def test_a_misconfigured_connector_is_unavailable_not_an_error(svc, caplog):
    from django.utils import timezone

    from civichall.services.models import Connector

    Connector.objects.filter(name="road_conditions").update(
        config={"url_template": "ftp://nowhere/"}, updated_at=timezone.now())
    answer = ask(svc, "road_conditions", {"road": "延安高架"})
    assert answer["status"] == "unavailable" and answer["alternative"]
    assert "Traceback" not in caplog.text
    row = next(r for r in runtime.health() if r["name"] == "road_conditions")
    assert row["config_error"]


def test_health_lists_every_connector_without_secrets(svc):
    ask(svc, "garbage_sorting", {"item": "奶茶杯"})
    rows = runtime.health()
    names = {row["name"] for row in rows}
    assert {"garbage_sorting", "bus_realtime", "traffic_violations", "vehicle_registry"} <= names
    garbage = next(r for r in rows if r["name"] == "garbage_sorting")
    assert garbage["calls"] == 1 and garbage["state"] == "closed" and garbage["avg_latency_ms"] is not None
    assert "demo-dept-key" not in repr(rows)


def test_input_schema_hides_the_identity_parameter(svc):
    schema = runtime.input_schema(svc("hospital_reports"))
    assert "resident_id" not in schema.get("properties", {})
    assert "resident_id" not in schema.get("required", [])
    assert runtime.input_schema(svc("garbage_sorting"))["required"] == ["item"]


def test_connector_is_built_once_and_rebuilt_after_a_change(svc):
    service = svc("garbage_sorting")
    first = runtime.connector_for(service)
    assert runtime.connector_for(svc("garbage_sorting")) is first
    connector = service.connector
    connector.timeout_s = 2.0
    connector.save()
    assert runtime.connector_for(svc("garbage_sorting")) is not first
