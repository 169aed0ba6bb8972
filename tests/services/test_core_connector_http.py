"""http_json connector against the fake department server (and a mock transport)."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest

from civichall.contrib.demo.departments import DEMO_API_KEY
from civichall.services.breaker import CircuitBreaker, MemoryBreakerStore
from civichall.services.connectors import (
    ConnectorConfigError,
    ConnectorUnavailable,
    FetchContext,
)
from civichall.services.connectors.http_json import HttpJsonConnector, dig
from civichall.services.connectors.runner import run_query
from tests.services.core_support import dept_mode, fake_dept  # noqa: F401 - fixtures

CTX = FetchContext(timeout_s=2.5)
PLATE = {"type": "object", "required": ["plate"], "properties": {"plate": {"type": "string", "title": "车牌号"}}}
RESIDENT = {"type": "object", "required": ["resident_id"], "properties": {"resident_id": {"type": "string"}}}


def violations(base, secret=DEMO_API_KEY, **kw):
    return HttpJsonConnector(
        url_template=f"{base}/api/traffic-violations?plate={{plate}}",
        headers={"X-Api-Key": "{secret}"}, secret=secret,
        result_path="data.violations", expect={"code": 0}, input_schema=PLATE, **kw)


def test_traffic_violations_with_the_key(fake_dept):
    rows = violations(fake_dept).fetch({"plate": "沪A·D12345"}, CTX)
    assert [r["behaviour"] for r in rows] == ["机动车违反禁令标志指示", "机动车违反规定停放、临时停车"]
    assert rows[0]["points"] == 1 and rows[0]["fine"] == 200


def test_hospital_reports_and_field_map(fake_dept):
    c = HttpJsonConnector(
        url_template=f"{fake_dept}/api/hospital-reports?resident_id={{resident_id}}",
        headers={"X-Api-Key": "{secret}"}, secret=DEMO_API_KEY, result_path="data.reports",
        field_map={"where": "hospital", "what": "report_type", "state": "status"}, input_schema=RESIDENT)
    rows = c.fetch({"resident_id": "R0001"}, CTX)
    assert rows[0] == {"where": "申城演示中心医院", "what": "肝功能", "state": "检验中"}
    assert c.fetch({"resident_id": "R0999"}, CTX) == []


def test_social_security_card(fake_dept):
    c = HttpJsonConnector(
        url_template=f"{fake_dept}/api/social-security-card?resident_id={{resident_id}}",
        headers={"X-Api-Key": "{secret}"}, secret=DEMO_API_KEY, result_path="data.card", input_schema=RESIDENT)
    assert c.fetch({"resident_id": "R0003"}, CTX)["card_status"] == "待领取"


def test_wrong_key_is_a_failure_and_the_secret_never_shows(fake_dept, caplog):
    secret = "wrong-key-1234567"
    c = violations(fake_dept, secret=secret)
    with pytest.raises(ConnectorUnavailable) as info:
        c.fetch({"plate": "沪A·D12345"}, CTX)
    assert "401" in info.value.detail
    assert secret not in str(info.value)
    for text in (repr(c), str(c.describe()), json.dumps(c.health()), repr(c.secret), str(c.secret)):
        assert secret not in text
    assert c.describe()["headers"] == {"X-Api-Key": "{secret}"}
    breaker = CircuitBreaker("violations", store=MemoryBreakerStore())
    with caplog.at_level(logging.DEBUG):
        assert run_query(c, {"plate": "沪A·D12345"}, breaker=breaker).status == "unavailable"
    assert secret not in caplog.text and secret not in breaker.stats().last_error


def test_secret_in_the_url_is_redacted_from_errors():
    secret = "url-secret-98765"

    def handler(request):
        raise httpx.ConnectError(f"cannot reach {request.url}")

    c = HttpJsonConnector(url_template="https://dept.example/api?key={secret}&id={id}", secret=secret,
                          input_schema={"type": "object", "properties": {"id": {"type": "string"}}},
                          transport=httpx.MockTransport(handler), health_url="https://dept.example/health?key=" + secret)
    with pytest.raises(ConnectorUnavailable) as info:
        c.fetch({"id": "1"}, CTX)
    assert secret not in str(info.value) and info.value.__cause__ is None and info.value.__context__ is None
    assert c.redact("https://dept.example/api?key=" + secret) == "https://dept.example/api?key=***"
    assert secret not in json.dumps(c.health())


def test_values_are_url_encoded():
    seen = []

    def handler(request):
        seen.append(request.url)
        return httpx.Response(200, json={"ok": True})

    c = HttpJsonConnector(url_template="https://dept.example/api/{kind}/items?q={q}",
                          input_schema={"type": "object", "properties": {"q": {"type": "string"}, "kind": {"type": "string"}}},
                          transport=httpx.MockTransport(handler))
    c.fetch({"q": "沪A·D12345&admin=1#x", "kind": ".."}, CTX)
    raw = seen[0].raw_path.decode()
    assert raw.startswith("/api/%2E%2E/items?q=")
    assert "&admin=1" not in raw and "#" not in raw
    assert seen[0].params["q"] == "沪A·D12345&admin=1#x"


def test_post_sends_declared_fields_as_json():
    bodies = []

    def handler(request):
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"data": {"items": [{"a": {"b": 1}}, {"a": {"b": 2}}]}})

    c = HttpJsonConnector(url_template="https://dept.example/api/search", method="POST",
                          input_schema={"type": "object", "properties": {"q": {"type": "string"}}},
                          result_path="data.items", field_map={"value": "a.b"},
                          transport=httpx.MockTransport(handler))
    assert c.fetch({"q": "积水", "extra": "x"}, CTX) == [{"value": 1}, {"value": 2}]
    assert bodies == [{"q": "积水"}]


@pytest.mark.parametrize("response, detail", [
    (httpx.Response(500, text="oops"), "HTTP 500"),
    (httpx.Response(200, text="<html>not json</html>"), "not JSON"),
    (httpx.Response(200, json={"code": 1, "msg": "busy"}), "code"),
    (httpx.Response(200, json={"code": 0, "other": 1}), "result_path"),
])
def test_unusable_answers_are_failures(response, detail):
    c = HttpJsonConnector(url_template="https://dept.example/api", result_path="data.items", expect={"code": 0},
                          transport=httpx.MockTransport(lambda request: response))
    with pytest.raises(ConnectorUnavailable) as info:
        c.fetch({}, CTX)
    assert detail in info.value.detail


def test_404_can_mean_no_records():
    c = HttpJsonConnector(url_template="https://dept.example/api", empty_on_404=True,
                          transport=httpx.MockTransport(lambda request: httpx.Response(404)))
    assert c.fetch({}, CTX) == []


@pytest.mark.parametrize("config", [
    {"url_template": "https://{host}/api"},
    {"url_template": "ftp://dept.example/api"},
    {"url_template": "https://dept.example/api?id={unknown}"},
    {"url_template": "https://dept.example/api?id={id.__class__}"},
    {"url_template": "https://dept.example/api?id={id!r}"},
    {"url_template": "https://dept.example/api?id={id"},
    {"url_template": "https://dept.example/api", "headers": {"X-Api-Key": "{secret}"}},
    {"url_template": "https://dept.example/api", "headers": {"X-Api-Key": "{id}"}, "secret": "abcdef"},
    {"url_template": "https://dept.example/api", "headers": {"X-A": "a\r\nX-B: b"}},
    {"url_template": "https://dept.example/api", "method": "DELETE"},
    {"url_template": "https://dept.example/api", "secret": "abc"},
])
def test_configuration_is_checked(config):
    with pytest.raises(ConnectorConfigError):
        HttpJsonConnector(input_schema={"type": "object", "properties": {"id": {"type": "string"}}}, **config)


def test_dig():
    data = {"a": {"b": [{"c": 1}, {"c": 2}]}}
    assert dig(data, "a.b[1].c") == 2 and dig(data, "a.b.0.c") == 1 and dig(data, "") is data
    assert dig(data, "a.x", None) is None
    with pytest.raises(KeyError):
        dig(data, "a.b.9")


def test_down_department_opens_the_breaker(fake_dept, dept_mode):
    dept_mode("down")
    breaker = CircuitBreaker("violations-down", store=MemoryBreakerStore(), failure_threshold=2, cooldown_s=60)
    c = violations(fake_dept)
    for _ in range(2):
        assert run_query(c, {"plate": "沪A·D12345"}, breaker=breaker).status == "unavailable"
    assert breaker.state == "open"
    dept_mode("ok")
    started = time.perf_counter()
    result = run_query(c, {"plate": "沪A·D12345"}, breaker=breaker)
    assert result.status == "unavailable" and time.perf_counter() - started < 0.1


def test_slow_department_answers_unavailable_within_the_timeout(fake_dept, dept_mode):
    dept_mode("slow", slow_s=5)
    started = time.perf_counter()
    result = run_query(violations(fake_dept), {"plate": "沪A·D12345"}, timeout_s=1.0)
    assert result.status == "unavailable"
    assert time.perf_counter() - started < 1.5
    assert "稍后再试" in result.message.zh


def test_health(fake_dept, dept_mode):
    c = violations(fake_dept, health_url=f"{fake_dept}/healthz")
    assert c.health()["status"] == "ok"
    dept_mode("down")
    assert c.health()["status"] == "down"
    assert violations(fake_dept).health()["status"] == "unknown"
