"""The connector plug-in contract: how a query service reaches a department.

A *connector kind* is a class that knows one way of getting data — an HTTP
JSON API, a CSV open-data file, a read-only SQL query, a GTFS bus feed. A
*connector* is an instance of a kind, configured for one service (which URL,
which file, which query). Every connector has:

* ``kind`` — the registered name of its class;
* ``input_schema`` / ``output_schema`` — JSON Schema of what the citizen
  provides and what comes back (the web form and the API docs are built from
  them);
* ``fetch(params, ctx)`` — the call itself, returning a dict or a list, or
  raising one of the errors below.

To add a kind, write one module in this package::

    @register("weather")
    class WeatherConnector(Connector):
        default_input_schema = {...}
        def fetch(self, params, ctx): ...

Modules in this package are discovered automatically on the first lookup.

Connectors never log or show their secrets: :meth:`Connector.secrets` lists
them and :meth:`Connector.redact` blanks them out of any text.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from civichall.core.inputs import MAX_ID, NotANumber, parse_int, parse_number
from civichall.core.text import drop_invisible

from ..messages import Message

# ------------------------------------------------------------------- errors


class ConnectorError(Exception):
    """Base of connector errors. ``message`` is safe to show a citizen;
    ``detail`` is for operators and must not contain secrets or personal data."""

    default_message = Message("查询服务出现问题，请稍后再试。", "The query service ran into a problem. Please try again later.")

    def __init__(self, message: Message | str | None = None, *, detail: str = "") -> None:
        if message is None:
            message = self.default_message
        elif isinstance(message, str):
            message = Message(message, message)
        self.message = message
        self.detail = detail
        text = f"{message.en}" + (f" ({detail})" if detail else "")
        super().__init__(text)


class ConnectorUnavailable(ConnectorError):
    """The department system failed: down, too slow, or an unusable answer.
    Counts as a failure on the circuit breaker."""

    default_message = Message("部门系统暂时无法访问。", "The department's system cannot be reached right now.")


class ConnectorConfigError(ConnectorError):
    """The connector is configured wrongly; an administrator must fix it."""

    default_message = Message("查询服务配置有误，请联系管理员。", "The query service is misconfigured; please tell an administrator.")


class ConnectorInputError(ConnectorError):
    """The department answered, but the citizen's input cannot be served
    (an unknown bus stop, a route that does not stop there). Not a failure of
    the department: the breaker counts it as a success."""

    default_message = Message("请检查填写的内容。", "Please check what you entered.")

    def __init__(self, errors: Mapping[str, Message], message: Message | str | None = None) -> None:
        self.errors = dict(errors)
        super().__init__(message, detail=", ".join(sorted(self.errors)))


class InvalidParams(ConnectorError):
    """Input that does not satisfy the connector's input schema."""

    default_message = Message("请检查填写的内容。", "Please check what you entered.")

    def __init__(self, errors: Mapping[str, Message]) -> None:
        self.errors = dict(errors)
        super().__init__(None, detail=", ".join(sorted(self.errors)))


# ------------------------------------------------------------------ secrets


class Secret:
    """A secret value (API key, password) that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = str(value)

    def reveal(self) -> str:
        """The actual value, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self):  # pragma: no cover - guard, not behaviour
        raise TypeError("a Secret is not pickled")


REDACTED = "***"


def redact_text(text: str, secrets: list[str]) -> str:
    """``text`` with every occurrence of each secret replaced by ``***``."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        # Very short values would blank out ordinary text; they are not
        # secrets worth the name, so configuration refuses them anyway.
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


# ------------------------------------------------------------------ context


# How long a department may take: the friendly message must reach the
# citizen within 3 seconds. The one place this number is written.
DEFAULT_TIMEOUT_S = 2.5


@dataclass(frozen=True)
class FetchContext:
    """What a fetch may know about its call besides the parameters."""

    service_code: str = ""
    timeout_s: float = DEFAULT_TIMEOUT_S
    clock: Callable[[], float] = field(default=time.time)
    lang: str = "zh"


# ---------------------------------------------------------------- connector


class Connector(ABC):
    """Base class of connector kinds. Subclasses set ``kind`` (through
    :func:`register`), default schemas, and implement :meth:`fetch`."""

    kind: ClassVar[str] = ""
    default_input_schema: ClassVar[dict[str, Any]] = {"type": "object", "properties": {}}
    default_output_schema: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        *,
        input_schema: Mapping[str, Any] | None = None,
        output_schema: Mapping[str, Any] | None = None,
        name: str = "",
    ) -> None:
        self.input_schema: dict[str, Any] = dict(input_schema or self.default_input_schema)
        self.output_schema: dict[str, Any] = dict(output_schema or self.default_output_schema)
        self.name = name
        for label, schema in (("input_schema", self.input_schema), ("output_schema", self.output_schema)):
            try:
                Draft202012Validator.check_schema(schema)
            except SchemaError as exc:
                raise ConnectorConfigError(
                    Message(f"{label} 不是有效的 JSON Schema。", f"{label} is not a valid JSON Schema."),
                    detail=exc.message,
                ) from None

    @abstractmethod
    def fetch(self, params: dict[str, Any], ctx: FetchContext) -> dict[str, Any] | list[Any]:
        """Ask the department. ``params`` are already validated against
        ``input_schema``. Raise :class:`ConnectorUnavailable` when the
        department fails, :class:`ConnectorInputError` when the input cannot
        be served."""

    def secrets(self) -> list[str]:
        """Values that must never appear in logs, errors or health output."""
        return []

    def redact(self, text: str) -> str:
        """``text`` with this connector's secrets blanked out."""
        return redact_text(str(text), self.secrets())

    def describe(self) -> dict[str, Any]:
        """The configuration, safe to show an administrator (no secrets)."""
        return {"kind": self.kind, "name": self.name}

    def health(self, ctx: FetchContext | None = None) -> dict[str, Any]:
        """A quick check of the department, for the status page. Kinds that
        can check cheaply override this; the answer holds no secrets."""
        return {"kind": self.kind, "status": "unknown"}

    def close(self) -> None:
        """Release network clients or files; the connector may not be used after."""

    def __repr__(self) -> str:
        described = self.describe()
        fields = " ".join(f"{k}={v!r}" for k, v in described.items() if k != "kind")
        return self.redact(f"<{type(self).__name__} kind={self.kind!r} {fields}>")


# ----------------------------------------------------------------- registry

_registry: dict[str, type[Connector]] = {}
_discovered = False
_discover_lock = threading.Lock()
_NOT_KINDS = {"base", "runner"}


def register(kind: str) -> Callable[[type[Connector]], type[Connector]]:
    """Class decorator: make ``cls`` the connector kind called ``kind``."""

    def decorate(cls: type[Connector]) -> type[Connector]:
        if not kind or not kind.replace("_", "").isalnum():
            raise ValueError(f"connector kind must be a simple name, got {kind!r}")
        existing = _registry.get(kind)
        if existing is not None and existing is not cls and (
            existing.__module__, existing.__qualname__) != (cls.__module__, cls.__qualname__):
            raise ValueError(f"connector kind {kind!r} is already registered by {existing.__qualname__}")
        cls.kind = kind
        _registry[kind] = cls
        return cls

    return decorate


def _discover() -> None:
    """Import every module of this package once, so their ``@register``
    decorators run. A new kind is one new file."""
    global _discovered
    if _discovered:
        return
    with _discover_lock:
        if _discovered:
            return
        package = __name__.rsplit(".", 1)[0]
        path = importlib.import_module(package).__path__
        for info in pkgutil.iter_modules(path):
            if info.name.startswith("_") or info.name in _NOT_KINDS:
                continue
            importlib.import_module(f"{package}.{info.name}")
        _discovered = True


def get_connector_class(kind: str) -> type[Connector]:
    """The class registered as ``kind``; :class:`ConnectorConfigError` if none."""
    _discover()
    try:
        return _registry[kind]
    except KeyError:
        raise ConnectorConfigError(
            Message(f"未知的连接器类型“{kind}”。", f"Unknown connector kind '{kind}'."),
            detail=f"known kinds: {', '.join(sorted(_registry))}",
        ) from None


def available_kinds() -> list[str]:
    """Names of all registered connector kinds."""
    _discover()
    return sorted(_registry)


def build_connector(kind: str, config: Mapping[str, Any]) -> Connector:
    """Make a connector of ``kind`` from its configuration (keyword
    arguments of the kind's constructor); a bad option is a
    :class:`ConnectorConfigError` naming it."""
    cls = get_connector_class(kind)
    try:
        return cls(**dict(config))
    except TypeError as exc:
        raise ConnectorConfigError(
            Message(f"连接器“{kind}”的配置项有误。", f"The configuration of connector '{kind}' is wrong."),
            detail=str(exc),
        ) from None


# --------------------------------------------------------- input validation

_TYPE_NAMES = {
    "string": ("文字", "text"),
    "integer": ("整数", "a whole number"),
    "number": ("数字", "a number"),
    "boolean": ("是或否", "yes or no"),
    "array": ("列表", "a list"),
    "object": ("对象", "an object"),
    "null": ("空值", "empty"),
}


def _label(prop: Mapping[str, Any], name: str) -> tuple[str, str]:
    zh = prop.get("title") or name
    en = prop.get("x-title-en") or prop.get("title_en") or name
    return str(zh), str(en)


def _message_for(error: Any, prop: Mapping[str, Any], name: str) -> Message:
    custom = prop.get("x-message")
    if isinstance(custom, Mapping) and "zh" in custom:
        return Message(str(custom["zh"]), str(custom.get("en", custom["zh"])))
    zh, en = _label(prop, name)
    example = prop.get("x-example") or (prop.get("examples") or [None])[0]
    eg_zh = f"，例如：{example}" if example else ""
    eg_en = f", for example: {example}" if example else ""
    kw = error.validator
    value = error.validator_value
    if kw == "type":
        types = value if isinstance(value, list) else [value]
        t_zh = "或".join(_TYPE_NAMES.get(t, (t, t))[0] for t in types)
        t_en = " or ".join(_TYPE_NAMES.get(t, (t, t))[1] for t in types)
        return Message(f"{zh}应为{t_zh}。", f"{en} must be {t_en}.")
    if kw == "minLength":
        if value <= 1:
            return Message(f"请填写{zh}。", f"{en} is required.")
        return Message(f"{zh}至少需要 {value} 个字。", f"{en} needs at least {value} characters.")
    if kw == "maxLength":
        return Message(f"{zh}最多 {value} 个字。", f"{en} has at most {value} characters.")
    if kw == "pattern":
        return Message(f"{zh}的格式不正确{eg_zh}。", f"{en} is not in the expected format{eg_en}.")
    if kw in ("minimum", "exclusiveMinimum"):
        return Message(f"{zh}不能小于 {value}。" if kw == "minimum" else f"{zh}必须大于 {value}。",
                       f"{en} must be at least {value}." if kw == "minimum" else f"{en} must be more than {value}.")
    if kw in ("maximum", "exclusiveMaximum"):
        return Message(f"{zh}不能大于 {value}。" if kw == "maximum" else f"{zh}必须小于 {value}。",
                       f"{en} must be at most {value}." if kw == "maximum" else f"{en} must be less than {value}.")
    if kw == "enum":
        options = "、".join(str(v) for v in value)
        return Message(f"{zh}只能是：{options}。", f"{en} must be one of: {', '.join(str(v) for v in value)}.")
    if kw == "const":
        return Message(f"{zh}只能是 {value}。", f"{en} must be {value}.")
    if kw == "format":
        return Message(f"{zh}的格式不正确{eg_zh}。", f"{en} is not a valid {value}{eg_en}.")
    return Message(f"{zh}填写有误{eg_zh}。", f"{en} is not valid{eg_en}.")


def validate_input(schema: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Message]:
    """Check ``params`` against ``schema``: an empty dict when valid,
    otherwise one person-readable message per field (``__all__`` for the
    input as a whole).

    Property schemas may carry ``title`` (Chinese label), ``x-title-en``
    (English label), ``x-example`` (shown with format errors) and
    ``x-message`` (``{"zh", "en"}``: the message for any error of that field).
    An ``x-message`` on the schema itself words errors of the input as a
    whole (an ``anyOf`` "fill in at least one of ...").
    """
    errors: dict[str, Message] = {}
    if not isinstance(params, Mapping):
        return {"__all__": Message("提交的内容格式不正确。", "The submitted input has the wrong shape.")}
    properties: Mapping[str, Any] = schema.get("properties", {}) or {}
    for name in schema.get("required", []) or []:
        if name not in params or params[name] is None or params[name] == "":
            zh, en = _label(properties.get(name, {}), name)
            custom = (properties.get(name) or {}).get("x-message")
            if isinstance(custom, Mapping) and "zh" in custom:
                errors[name] = Message(str(custom["zh"]), str(custom.get("en", custom["zh"])))
            else:
                errors[name] = Message(f"请填写{zh}。", f"{en} is required.")
    if schema.get("additionalProperties") is False:
        for name in params:
            if name not in properties and name not in errors:
                errors[str(name)] = Message("不支持这个填写项。", "This field is not accepted.")
    validator = Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(dict(params)), key=lambda e: list(e.path)):
        if error.validator in ("required", "additionalProperties"):
            continue  # handled above, with the field named
        if error.path:
            name = str(error.path[0])
            prop = properties.get(name, {})
        else:
            name, prop = "__all__", schema
        if name not in errors:
            if name == "__all__":
                custom = schema.get("x-message")
                if isinstance(custom, Mapping) and "zh" in custom:
                    errors[name] = Message(str(custom["zh"]), str(custom.get("en", custom["zh"])))
                else:
                    errors[name] = Message("填写的内容不符合要求。", "The input does not meet the requirements.")
            else:
                errors[name] = _message_for(error, prop, name)
    return errors


def prepare_params(schema: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """Tidy form input before validation: strings are stripped, empty
    strings dropped (so that "required" says "please fill in"), and numeric
    or boolean strings converted where the schema asks for a number or a
    boolean. Values that cannot be converted are left for validation to
    report."""
    properties: Mapping[str, Any] = schema.get("properties", {}) or {}
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, str):
            # Invisible characters (zero-width, fillers, bidi) carry nothing:
            # 奶\u200b茶杯 is 奶茶杯 for a lookup, a plate is its letters.
            value = drop_invisible(value).strip()
            if value == "":
                continue
        types = (properties.get(name) or {}).get("type")
        types = types if isinstance(types, list) else [types]
        if isinstance(value, str):
            # Strict: ASCII digits only ("²" or "١٢" stay text and are
            # reported by validation), finite numbers only ("nan", "1e999").
            if "integer" in types:
                try:
                    value = parse_int(value, -MAX_ID - 1, MAX_ID)
                except NotANumber:
                    pass
            elif "number" in types:
                try:
                    value = parse_number(value)
                except NotANumber:
                    pass
            elif "boolean" in types and value.lower() in ("true", "false", "1", "0", "yes", "no", "是", "否"):
                value = value.lower() in ("true", "1", "yes", "是")
        out[name] = value
    return out


def validate_output(schema: Mapping[str, Any], data: Any) -> str | None:
    """``None`` if ``data`` fits ``schema``; otherwise a short description of
    the first mismatch, for operators (a department changed its answer)."""
    if not schema:
        return None
    error = next(iter(Draft202012Validator(schema).iter_errors(data)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"{where}: {error.validator} {error.validator_value!r}"[:300]
