"""Connector kind ``http_json``: a department's HTTP API that answers JSON.

Configuration::

    url_template  "https://dept.example/api/reports?id={citizen_id}"
                  placeholders name input fields (values are URL-encoded)
                  or ``{secret}``
    method        "GET" (default) or "POST" (input sent as a JSON body)
    headers       {"X-Api-Key": "{secret}"}; only ``{secret}`` is filled in
    secret        the API key or token; never logged, never shown
    result_path   dotted path to the part of the answer to return:
                  "data.reports", "data.items[0]", "" for all of it
    field_map     {"output field": "dotted.path.in.each.item"}; applied to
                  each item when the result is a list
    expect        {"code": 0}: dotted paths whose values must match, else the
                  answer is a failure (department envelopes say "error" in a
                  200 response)
    empty_on_404  a 404 means "no records" (``[]``) rather than a failure
    timeout_s     the network timeout (the runner's timeout also applies)
    health_url    a cheap URL for the status page

The secret is wrapped in :class:`~.base.Secret`; it appears in no ``repr``,
no error, no log line and no health output.
"""

from __future__ import annotations

import re
import string
import threading
import time
import urllib.parse
from collections.abc import Mapping
from typing import Any

import httpx

from ..messages import Message
from .base import (
    Connector,
    ConnectorConfigError,
    ConnectorUnavailable,
    FetchContext,
    Secret,
    register,
)

_MISSING = object()
_MISSING_RESULT = object()
_PATH_PART = re.compile(r"[^.\[\]]+|\[\d+\]")


def dig(data: Any, path: str, default: Any = _MISSING) -> Any:
    """The value at dotted ``path`` in ``data`` ("a.b[0].c", "a.b.0.c");
    ``""`` is ``data`` itself. Raises ``KeyError`` when absent and no
    default is given."""
    current = data
    for part in _PATH_PART.findall(path or ""):
        if part.startswith("["):
            part = part[1:-1]
        try:
            if isinstance(current, list):
                current = current[int(part)]
            elif isinstance(current, Mapping):
                current = current[part]
            else:
                raise KeyError(part)
        except (KeyError, IndexError, ValueError):
            if default is _MISSING:
                raise KeyError(path) from None
            return default
    return current


def _template_fields(template: str) -> list[str]:
    """Placeholder names in ``template``; only plain names are allowed
    (``{a.b}``, ``{a[0]}``, ``{a!r}`` and format specs could read object
    attributes or reshape values, so they are refused)."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConnectorConfigError(
            Message("URL 模板的花括号不成对。", "The URL template has unbalanced braces."), detail=str(exc)
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ConnectorConfigError(
                Message(f"URL 模板中的占位符“{{{name}}}”只能是简单的字段名。",
                        f"Placeholder '{{{name}}}' in the URL template must be a plain field name."),
            )
        names.append(name)
    return names


@register("http_json")
class HttpJsonConnector(Connector):
    """Calls a department's JSON API built from a URL template."""

    default_input_schema = {"type": "object", "properties": {}}
    default_output_schema: dict[str, Any] = {}

    def __init__(
        self,
        *,
        url_template: str,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        secret: str | Secret | None = None,
        result_path: str = "",
        field_map: Mapping[str, str] | None = None,
        expect: Mapping[str, Any] | None = None,
        empty_on_404: bool = False,
        timeout_s: float = 5.0,
        health_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        input_schema: Mapping[str, Any] | None = None,
        output_schema: Mapping[str, Any] | None = None,
        name: str = "",
    ) -> None:
        super().__init__(input_schema=input_schema, output_schema=output_schema, name=name)
        self.url_template = url_template
        self.method = method.upper()
        if self.method not in ("GET", "POST"):
            raise ConnectorConfigError(Message("请求方法只能是 GET 或 POST。", "The method must be GET or POST."))
        scheme = urllib.parse.urlsplit(url_template.replace("{", "").replace("}", "")).scheme
        if scheme not in ("http", "https"):
            raise ConnectorConfigError(
                Message("URL 模板须以 http:// 或 https:// 开头。", "The URL template must start with http:// or https://.")
            )
        # The host is fixed by configuration: a citizen's input may fill the
        # path or the query string, never choose which server is called.
        if "{" in url_template.split("://", 1)[-1].split("/", 1)[0]:
            raise ConnectorConfigError(
                Message("URL 模板的主机名部分不能含占位符。", "The host part of the URL template cannot contain placeholders.")
            )
        properties = set((self.input_schema.get("properties") or {}).keys())
        self._url_fields = _template_fields(url_template)
        unknown = [f for f in self._url_fields if f != "secret" and f not in properties]
        if unknown:
            raise ConnectorConfigError(
                Message(f"URL 模板引用了输入中没有的字段：{'、'.join(unknown)}。",
                        f"The URL template names fields the input does not have: {', '.join(unknown)}."),
            )
        self.headers = dict(headers or {})
        for key, value in self.headers.items():
            if any(c in str(key) + str(value) for c in "\r\n"):
                raise ConnectorConfigError(Message("请求头不能包含换行。", "Headers must not contain line breaks."))
            fields = _template_fields(str(value))
            if any(f != "secret" for f in fields):
                raise ConnectorConfigError(
                    Message("请求头中只能使用 {secret} 占位符。", "Headers may only use the {secret} placeholder.")
                )
        self.secret = secret if isinstance(secret, Secret) or secret is None else Secret(secret)
        uses_secret = "secret" in self._url_fields or any(
            "secret" in _template_fields(str(v)) for v in self.headers.values())
        if uses_secret and not self.secret:
            raise ConnectorConfigError(
                Message("配置引用了 {secret}，但没有提供密钥。", "The configuration uses {secret} but no secret is set.")
            )
        if self.secret and len(self.secret.reveal()) < 4:
            raise ConnectorConfigError(Message("密钥太短。", "The secret is too short."))
        self.result_path = result_path
        self.field_map = dict(field_map or {})
        self.expect = dict(expect or {})
        self.empty_on_404 = empty_on_404
        self.timeout_s = float(timeout_s)
        self.health_url = health_url
        self._transport = transport
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()

    # -- secrets

    def secrets(self) -> list[str]:
        if not self.secret:
            return []
        raw = self.secret.reveal()
        return [raw, urllib.parse.quote(raw, safe=""), urllib.parse.quote_plus(raw)]

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "method": self.method,
            "url_template": self.url_template,
            "headers": {k: v for k, v in self.headers.items()},
            "has_secret": bool(self.secret),
            "result_path": self.result_path,
            "field_map": dict(self.field_map),
            "timeout_s": self.timeout_s,
        }

    # -- the call

    def _http(self) -> httpx.Client:
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = httpx.Client(
                        transport=self._transport, follow_redirects=False, trust_env=False,
                        headers={"Accept": "application/json", "User-Agent": "CivicHall-connector/1"},
                    )
        return self._client

    def build_url(self, params: Mapping[str, Any]) -> str:
        """The request URL for ``params`` (values URL-encoded). Contains the
        secret when the template uses it: never log it."""
        values: dict[str, str] = {}
        for name in self._url_fields:
            if name == "secret":
                raw = self.secret.reveal() if self.secret else ""
            else:
                value = params.get(name)
                raw = "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
            encoded = urllib.parse.quote(raw, safe="")
            if encoded in (".", ".."):
                # A bare dot segment would climb the URL path.
                encoded = encoded.replace(".", "%2E")
            values[name] = encoded
        return self.url_template.format(**values)

    def _headers(self) -> dict[str, str]:
        secret = self.secret.reveal() if self.secret else ""
        return {k: str(v).format(secret=secret) if "{" in str(v) else str(v) for k, v in self.headers.items()}

    def fetch(self, params: dict[str, Any], ctx: FetchContext) -> dict[str, Any] | list[Any]:
        """Call the API and return the mapped result."""
        url = self.build_url(params)
        timeout = max(0.1, min(self.timeout_s, ctx.timeout_s))
        body = None
        if self.method == "POST":
            declared = (self.input_schema.get("properties") or {}).keys()
            body = {k: v for k, v in params.items() if k in declared}
        # Failures are raised outside the except blocks: httpx's exception
        # may quote the URL, which may hold the secret, and must not ride
        # along as __context__. Only its class name is kept.
        failure: ConnectorUnavailable | None = None
        try:
            response = self._http().request(self.method, url, headers=self._headers(), json=body, timeout=timeout)
        except httpx.TimeoutException:
            failure = ConnectorUnavailable(
                Message("部门系统响应超时。", "The department's system timed out."), detail="timeout")
        except httpx.HTTPError as exc:
            failure = ConnectorUnavailable(detail=f"network error: {type(exc).__name__}")
        if failure is not None:
            raise failure
        if response.status_code == 404 and self.empty_on_404:
            return []
        if not 200 <= response.status_code < 300:
            raise ConnectorUnavailable(detail=f"HTTP {response.status_code}")
        payload: Any = None
        try:
            payload = response.json()
        except ValueError:
            failure = ConnectorUnavailable(
                Message("部门系统返回的数据无法识别。", "The department's answer could not be read."),
                detail="answer is not JSON",
            )
        if failure is not None:
            raise failure
        for path, wanted in self.expect.items():
            got = dig(payload, path, None)
            if got != wanted:
                raise ConnectorUnavailable(detail=f"answer field {path!r} is {self.redact(repr(got))[:60]}, expected {wanted!r}")
        result = dig(payload, self.result_path, _MISSING_RESULT)
        if result is _MISSING_RESULT:
            raise ConnectorUnavailable(
                Message("部门系统返回的数据无法识别。", "The department's answer could not be read."),
                detail=f"result_path {self.result_path!r} not in the answer",
            )
        if result is None:
            return []
        return self._map(result)

    def _map(self, result: Any) -> Any:
        if not self.field_map:
            return result
        if isinstance(result, list):
            return [self._map_one(item) for item in result]
        return self._map_one(result)

    def _map_one(self, item: Any) -> dict[str, Any]:
        return {out: dig(item, src, None) for out, src in self.field_map.items()}

    def health(self, ctx: FetchContext | None = None) -> dict[str, Any]:
        """GET ``health_url``; status ``ok`` on a 2xx answer, else ``down``."""
        report: dict[str, Any] = {"kind": self.kind, "name": self.name}
        if not self.health_url:
            return {**report, "status": "unknown"}
        started = time.perf_counter()
        try:
            response = self._http().get(self.health_url, headers=self._headers(), timeout=min(self.timeout_s, 2.0))
            ok = 200 <= response.status_code < 300
            report.update(status="ok" if ok else "down", http_status=response.status_code)
        except httpx.HTTPError as exc:
            report.update(status="down", error=type(exc).__name__)
        report["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        report["url"] = self.redact(self.health_url)
        return report

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


__all__ = ["HttpJsonConnector", "dig"]
