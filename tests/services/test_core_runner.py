"""run_query: validation, cache, breaker and the hard timeout."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from civichall.services.breaker import CircuitBreaker, MemoryBreakerStore
from civichall.services.connectors import (
    Connector,
    ConnectorConfigError,
    ConnectorInputError,
    available_kinds,
    build_connector,
    get_connector_class,
    prepare_params,
    register,
    validate_input,
)
from civichall.services.connectors.runner import (
    DEFAULT_TIMEOUT_S,
    UNAVAILABLE,
    MemoryCache,
    cache_key,
    run_query,
)
from civichall.services.messages import Message
from tests.services.core_support import FakeClock

SCHEMA = {
    "type": "object",
    "required": ["plate", "year"],
    "additionalProperties": False,
    "properties": {
        "plate": {"type": "string", "pattern": "^沪[A-Z]", "title": "车牌号", "x-title-en": "Plate number",
                  "x-example": "沪A·D12345"},
        "year": {"type": "integer", "minimum": 2000, "maximum": 2030, "title": "年份", "x-title-en": "Year"},
        "kind": {"enum": ["小型汽车", "大型汽车"], "title": "车辆类型", "x-title-en": "Vehicle type"},
    },
}


class Echo(Connector):
    """Counts its calls and answers with the parameters."""

    kind = "test_echo"
    default_input_schema = SCHEMA
    default_output_schema = {"type": "object", "required": ["plate"]}

    def __init__(self, **kw):
        super().__init__(**kw)
        self.calls = 0

    def fetch(self, params, ctx):
        self.calls += 1
        return dict(params)


class Sleeper(Connector):
    kind = "test_sleeper"

    def __init__(self, seconds, **kw):
        super().__init__(**kw)
        self.seconds = seconds
        self.started = threading.Event()

    def fetch(self, params, ctx):
        self.started.set()
        time.sleep(self.seconds)
        return {"late": True}


class Failing(Connector):
    kind = "test_failing"

    def secrets(self):
        return ["s3cr3t-token-value"]

    def fetch(self, params, ctx):
        raise RuntimeError("department said no to s3cr3t-token-value")


VALID = {"plate": "沪A·D12345", "year": "2025"}


def test_default_timeout_leaves_room_for_a_three_second_answer():
    assert DEFAULT_TIMEOUT_S == 2.5


def test_ok_result():
    result = run_query(Echo(), VALID)
    assert result.status == "ok" and result.ok
    assert result.data == {"plate": "沪A·D12345", "year": 2025}  # "2025" tidied into a number
    assert not result.from_cache
    assert result.message is None


def test_invalid_input_gives_a_message_per_field():
    connector = Echo()
    result = run_query(connector, {"plate": "京A12345", "year": "1999", "kind": "拖拉机", "colour": "red"})
    assert result.status == "invalid"
    assert set(result.errors) == {"plate", "year", "kind", "colour"}
    assert result.errors["plate"].zh == "车牌号的格式不正确，例如：沪A·D12345。"
    assert result.errors["plate"].en == "Plate number is not in the expected format, for example: 沪A·D12345."
    assert "2000" in result.errors["year"].zh and "at least 2000" in result.errors["year"].en
    assert "小型汽车" in result.errors["kind"].zh
    assert connector.calls == 0


def test_missing_and_wrong_type():
    errors = validate_input(SCHEMA, {"year": "abc"})
    assert errors["plate"] == Message("请填写车牌号。", "Plate number is required.")
    assert errors["year"].zh == "年份应为整数。"
    assert errors["year"].en == "Year must be a whole number."
    assert validate_input(SCHEMA, {"plate": "沪A1", "year": 2020}) == {}


def test_prepare_params():
    assert prepare_params(SCHEMA, {"plate": "  沪A1 ", "year": "2020", "kind": ""}) == {"plate": "沪A1", "year": 2020}
    assert prepare_params(SCHEMA, {"year": "twenty"}) == {"year": "twenty"}


def test_custom_field_message():
    schema = {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "pattern": "^[\u4e00-\u9fa5]{2,4}$",
                 "x-message": {"zh": "请输入 2 到 4 个汉字。", "en": "Enter 2 to 4 Chinese characters."}}}}
    assert validate_input(schema, {"name": "Bob"})["name"].en == "Enter 2 to 4 Chinese characters."
    assert validate_input(schema, {})["name"].zh == "请输入 2 到 4 个汉字。"


def test_cache_hit_miss_and_expiry():
    clock = FakeClock()
    cache = MemoryCache(clock)
    connector = Echo()
    first = run_query(connector, VALID, cache=cache, ttl_s=60, clock=clock)
    assert not first.from_cache and connector.calls == 1
    clock.advance(59)
    second = run_query(connector, {"year": 2025, "plate": "沪A·D12345"}, cache=cache, ttl_s=60, clock=clock)
    assert second.from_cache and second.data == first.data and connector.calls == 1
    other = run_query(connector, {**VALID, "year": "2024"}, cache=cache, ttl_s=60, clock=clock)
    assert not other.from_cache and connector.calls == 2
    clock.advance(1)
    third = run_query(connector, VALID, cache=cache, ttl_s=60, clock=clock)
    assert not third.from_cache and connector.calls == 3


def test_freshness_is_judged_by_the_runner_clock():
    # A shared cache (Django's, Redis) keeps entries by real time; the runner
    # still refuses an entry older than ttl_s by its own clock.
    class ForeverCache(dict):
        def set(self, key, value, ttl):
            self[key] = value

    clock, cache, connector = FakeClock(), ForeverCache(), Echo()
    run_query(connector, VALID, cache=cache, ttl_s=10, clock=clock)
    clock.advance(11)
    assert not run_query(connector, VALID, cache=cache, ttl_s=10, clock=clock).from_cache
    assert connector.calls == 2


def test_ttl_zero_disables_the_cache():
    cache, connector = MemoryCache(), Echo()
    run_query(connector, VALID, cache=cache, ttl_s=0)
    run_query(connector, VALID, cache=cache, ttl_s=0)
    assert connector.calls == 2


def test_cache_key_has_no_personal_data():
    key = cache_key("http_json", "traffic violations", {"plate": "沪A·D12345", "resident_id": "R0001"})
    assert key.startswith("svc:http_json:traffic_violations:")
    assert "D12345" not in key and "R0001" not in key and " " not in key
    assert key == cache_key("http_json", "traffic violations", {"resident_id": "R0001", "plate": "沪A·D12345"})


def test_broken_cache_does_not_break_the_service():
    class Broken:
        def get(self, key):
            raise ConnectionError("cache down")

        def set(self, key, value, ttl):
            raise ConnectionError("cache down")

    assert run_query(Echo(), VALID, cache=Broken()).status == "ok"


def test_hung_department_gives_unavailable_within_the_timeout():
    clock = FakeClock()
    breaker = CircuitBreaker("hung", store=MemoryBreakerStore(), clock=clock, failure_threshold=2)
    connector = Sleeper(5.0)
    started = time.perf_counter()
    result = run_query(connector, {}, breaker=breaker, timeout_s=0.5, clock=clock)
    elapsed = time.perf_counter() - started
    assert result.status == "unavailable"
    assert result.message == UNAVAILABLE
    assert elapsed < 0.5 + 0.5
    assert connector.started.is_set()
    stats = breaker.stats()
    assert stats.errors == 1 and "timeout" in stats.last_error
    assert stats.last_latency_ms >= 450


def test_open_breaker_refuses_at_once():
    clock = FakeClock()
    breaker = CircuitBreaker("down", store=MemoryBreakerStore(), clock=clock, failure_threshold=2, cooldown_s=60)
    connector = Echo()
    for _ in range(2):
        breaker.record_failure(1.0)
    started = time.perf_counter()
    result = run_query(connector, VALID, breaker=breaker, clock=clock)
    assert result.status == "unavailable"
    assert time.perf_counter() - started < 0.1
    assert connector.calls == 0
    clock.advance(60)
    assert run_query(connector, VALID, breaker=breaker, clock=clock).status == "ok"  # the trial
    assert breaker.state == "closed"


def test_a_cached_answer_is_served_even_when_the_breaker_is_open():
    clock, cache = FakeClock(), MemoryCache()
    breaker = CircuitBreaker("cached", store=MemoryBreakerStore(), clock=clock, failure_threshold=1)
    connector = Echo()
    run_query(connector, VALID, cache=cache, breaker=breaker, clock=clock)
    breaker.record_failure()
    assert run_query(connector, VALID, cache=cache, breaker=breaker, clock=clock).from_cache


def test_failure_is_recorded_and_secrets_never_logged(caplog):
    clock = FakeClock()
    breaker = CircuitBreaker("failing", store=MemoryBreakerStore(), clock=clock, failure_threshold=2)
    with caplog.at_level(logging.WARNING, logger="civichall.services.connectors"):
        for _ in range(2):
            result = run_query(Failing(), {"who": "R0001"}, breaker=breaker, clock=clock, service_code="failing")
            assert result.status == "unavailable"
    assert breaker.state == "open"
    assert "s3cr3t-token-value" not in caplog.text
    assert "***" in caplog.text
    assert "R0001" not in caplog.text  # parameters are personal data
    assert "s3cr3t-token-value" not in breaker.stats().last_error
    assert "s3cr3t-token-value" not in repr(Failing())


def test_input_the_department_cannot_serve_is_invalid_not_a_failure():
    class UnknownStop(Connector):
        kind = "test_unknown_stop"

        def fetch(self, params, ctx):
            raise ConnectorInputError({"stop": Message("没有找到这个站点。", "No such stop.")})

    breaker = CircuitBreaker("stops", store=MemoryBreakerStore(), failure_threshold=1)
    result = run_query(UnknownStop(), {}, breaker=breaker)
    assert result.status == "invalid"
    assert result.errors["stop"].en == "No such stop."
    assert breaker.state == "closed"


def test_an_answer_that_does_not_fit_the_output_schema_is_a_failure():
    class Garbled(Echo):
        def fetch(self, params, ctx):
            return {"unexpected": True}

    breaker = CircuitBreaker("garbled", store=MemoryBreakerStore(), failure_threshold=1)
    assert run_query(Garbled(), VALID, breaker=breaker).status == "unavailable"
    assert "output schema" in breaker.stats().last_error
    assert run_query(Garbled(), VALID, check_output=False).status == "ok"


def test_result_as_dict_in_one_language():
    result = run_query(Echo(), {"plate": "x"})
    out = result.as_dict(lang="en")
    assert out["status"] == "invalid"
    assert out["errors"]["year"] == "Year is required."
    assert out["message"] == "Please check what you entered."
    assert result.as_dict()["errors"]["year"] == {"zh": "请填写年份。", "en": "Year is required."}


# ------------------------------------------------------------------ registry


def test_builtin_kinds_are_discovered():
    assert {"http_json", "csv_file", "sql_query", "gtfs", "garbage_lookup"} <= set(available_kinds())


def test_unknown_kind_and_bad_option():
    with pytest.raises(ConnectorConfigError) as info:
        get_connector_class("fax_machine")
    assert "fax_machine" in info.value.message.zh
    with pytest.raises(ConnectorConfigError):
        build_connector("garbage_lookup", {"colour": "red"})


def test_a_new_kind_is_one_class():
    @register("test_weather")
    class Weather(Connector):
        default_input_schema = {"type": "object", "properties": {"city": {"type": "string"}}}

        def fetch(self, params, ctx):
            return {"city": params.get("city", "上海"), "weather": "晴"}

    assert get_connector_class("test_weather") is Weather
    connector = build_connector("test_weather", {"name": "weather"})
    assert run_query(connector, {"city": "上海"}).data == {"city": "上海", "weather": "晴"}
    with pytest.raises(ValueError):
        register("test_weather")(type("Other", (Weather,), {}))


def test_bad_schema_is_a_config_error():
    with pytest.raises(ConnectorConfigError):
        Echo(input_schema={"type": "no-such-type"})
