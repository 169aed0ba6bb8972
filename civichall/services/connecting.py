"""Connectors at run time: each stored connector built once per process
(rebuilt when its configuration changes), its shared circuit breaker, and the
form a citizen fills in for a service (the identity never among its fields)."""

from __future__ import annotations

import copy
import inspect
import logging
import threading

from civichall.core.config import setting

from .breaker import CircuitBreaker
from .connectors import base as connector_base
from .models import Service
from .stores import CacheBreakerStore

logger = logging.getLogger("civichall.services")

DEFAULT_TIMEOUT_S = connector_base.DEFAULT_TIMEOUT_S

# ----------------------------------------------------------------- settings


def _breaker_options():
    return {
        "failure_threshold": int(setting("CIVICHALL_BREAKER_FAILURES")),
        "cooldown_s": float(setting("CIVICHALL_BREAKER_COOLDOWN_S")),
    }


def ownership_registries():
    """For each owned parameter, the connector that lists what a citizen owns.

    ``{"plate": {"connector": "vehicle_registry", "identity_param":
    "resident_id", "field": "plate"}}``: to check that a plate belongs to the
    citizen, the ``vehicle_registry`` connector is asked with the citizen's
    identity and the ``plate`` of every row it answers is compared (letters
    and digits only) with the one given. Configured with the setting
    ``CIVICHALL_OWNERSHIP_REGISTRIES``.
    """
    return setting("CIVICHALL_OWNERSHIP_REGISTRIES")


# ----------------------------------------------------------- building blocks

_store_lock = threading.Lock()
_built: dict[int, tuple[tuple, connector_base.Connector]] = {}


def _stamp(connector):
    doc = connector.data_file
    return (
        connector.updated_at.isoformat() if connector.updated_at else "",
        connector.data_file_id,
        getattr(getattr(doc, "file", None), "name", "") if doc is not None else "",
    )


def _accepts(cls, name):
    try:
        return name in inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return False


def connector_config(connector):
    """The keyword arguments a connector kind is built with: the stored
    configuration plus the secret (for kinds that take one, or filled into a
    ``{secret}`` placeholder of a DSN), the uploaded data file, and the
    network timeout. Never logged, never shown."""
    cls = connector_base.get_connector_class(connector.kind)
    config = copy.deepcopy(connector.config or {})
    config.setdefault("name", connector.name)
    if connector.secret:
        if _accepts(cls, "secret"):
            config["secret"] = connector.secret
        if isinstance(config.get("dsn"), str) and "{secret}" in config["dsn"]:
            config["dsn"] = config["dsn"].replace("{secret}", connector.secret)
    if connector.data_file_id and _accepts(cls, "path"):
        config.pop("data", None)
        stored = connector.data_file.file
        try:
            config["path"] = stored.path
        except NotImplementedError:  # remote storage: read the bytes
            with stored.open("rb") as fh:
                config["data"] = fh.read()
            config.pop("path", None)
    if "timeout_s" not in config and _accepts(cls, "timeout_s"):
        # The department's own network timeout a little beyond ours, so a
        # hanging call's thread ends soon after the citizen got the message.
        config["timeout_s"] = float(connector.timeout_s or DEFAULT_TIMEOUT_S) + 0.5
    return config


def connector_for(service_or_connector):
    """The ready connector (plug-in instance) of a service, or of a stored
    ``Connector``; built once per process and rebuilt when the stored
    configuration changes (id + ``updated_at`` + data file). ``None`` when
    the service has no connector. A bad configuration raises
    ``ConnectorConfigError``."""
    connector = service_or_connector
    if isinstance(service_or_connector, Service):
        connector = service_or_connector.connector
    if connector is None:
        return None
    stamp = _stamp(connector)
    with _store_lock:
        entry = _built.get(connector.pk)
        if entry is not None and entry[0] == stamp:
            return entry[1]
    built = connector_base.build_connector(connector.kind, connector_config(connector))
    _warm_up(built)
    with _store_lock:
        old = _built.get(connector.pk)
        _built[connector.pk] = (stamp, built)
    if old is not None and old[1] is not built:
        try:
            old[1].close()
        except Exception:  # noqa: BLE001 - closing an old client is best effort
            pass
    return built


# Kinds whose first answer needs a large local index (the garbage list cut
# with jieba takes a second or two to load). It is built here, where no
# timeout runs, rather than inside the first citizen's query, where it would
# count as a slow department.
LOCAL_WARM_UP_KINDS = {"garbage_lookup"}


def _warm_up(built):
    if built.kind in LOCAL_WARM_UP_KINDS:
        try:
            built.health()
        except Exception:  # noqa: BLE001 - the query will report it
            logger.warning("warming up connector %s failed", built.kind)


def forget_connectors():
    """Drop every built connector of this process (tests, reconfiguration)."""
    with _store_lock:
        old = list(_built.values())
        _built.clear()
    for _stamp_, built in old:
        try:
            built.close()
        except Exception:  # noqa: BLE001
            pass


def breaker_for(connector):
    """The circuit breaker in front of a stored ``Connector`` (one per
    department system), its state in the shared cache."""
    return CircuitBreaker(f"connector:{connector.pk}", store=CacheBreakerStore(), **_breaker_options())


def _connector_schema(service):
    if service.connector_id is None:
        return {"type": "object", "properties": {}}
    try:
        built = connector_for(service)
    except connector_base.ConnectorError:
        return {"type": "object", "properties": {}}
    return copy.deepcopy(built.input_schema)


def _without(schema, names):
    schema = copy.deepcopy(schema)
    names = {n for n in names if n}
    if not names:
        return schema
    props = schema.get("properties")
    if isinstance(props, dict):
        for name in names:
            props.pop(name, None)
    if isinstance(schema.get("required"), list):
        schema["required"] = [r for r in schema["required"] if r not in names]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(key), list):
            kept = []
            for part in schema[key]:
                if isinstance(part, dict) and isinstance(part.get("required"), list):
                    part = {**part, "required": [r for r in part["required"] if r not in names]}
                    if not part["required"] and len(part) == 1:
                        continue
                kept.append(part)
            if kept:
                schema[key] = kept
            else:
                schema.pop(key)
    return schema


def input_schema(service):
    """The JSON Schema of what a citizen fills in for ``service``: the
    service's own schema, else its connector's — without the identity
    parameter, which is never typed by the citizen."""
    schema = service.input_schema or _connector_schema(service)
    return _without(schema, identity_params(service))


def full_input_schema(service):
    """The schema the connector is called with (identity included)."""
    return copy.deepcopy(service.input_schema or _connector_schema(service))


def needs_identity(service):
    """True when ``service`` answers only a signed-in, verified citizen --
    always when its connector returns personal data, whatever the service's
    own settings say."""
    return bool(service.requires_verified or service.identity_param or service.owned_param
                or personal_identity_param(service))


def personal_identity_param(service):
    """The identity parameter the connector of ``service`` declares when it
    returns personal data and the service does not check it as an owned
    value, else "". It is then filled from the verified citizen, so that a
    service saved around the rules still answers only the citizen's own."""
    connector = service.connector if service.connector_id else None
    if connector is not None and connector.personal_data and connector.identity_param != service.owned_param:
        return connector.identity_param or ""
    return ""


def identity_params(service):
    """Every input filled from the verified citizen (never typed)."""
    return {p for p in (service.identity_param, personal_identity_param(service)) if p}
