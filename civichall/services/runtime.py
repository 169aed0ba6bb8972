"""The service matrix at run time: the door other rooms call.

The public pages, the API, the WeChat channel and the assistant all come in
here; none of them touches connectors, caches or breakers directly.

* :func:`query_service` — run a citizen's query against a service: input
  checked against the service's schema, identity enforced (an identity
  parameter is filled from the verified citizen, never from the caller; an
  owned parameter such as a plate must belong to the citizen), the department
  called through its connector with a timeout, a shared result cache and a
  shared circuit breaker. Always answers a dict, never raises for what a
  citizen or a department does.
* :func:`connector_for`, :func:`input_schema`, :func:`health` — connectors
  built from their stored configuration, the form a citizen fills in, and
  per-connector statistics for administrators.
* :func:`search_services` — the "one window" search across every account.
* :func:`hub_sections` — what a hub shows, grouped by owner.
* :func:`menu_for` — an account's WeChat menu (or the one it inherits).

Personal data: parameters are never logged; a personal answer is cached only
under its owner's identity (a one-way token), so it is never served to
anyone else.
"""

from __future__ import annotations

import copy
import inspect
import logging
import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from civichall.core.text import drop_invisible

from . import search as search_core
from .breaker import CircuitBreaker
from .connectors import base as connector_base
from .connectors.runner import run_query
from .messages import Message
from .models import AccountMenu, Connector, Hub, Service, ServiceKind, ServiceStatus
from .stores import CacheBreakerStore, DjangoCacheStore

logger = logging.getLogger("civichall.services")

STATUSES = ("ok", "unavailable", "invalid", "forbidden", "unauthorized", "maintenance", "retired")

DEFAULT_TIMEOUT_S = 2.5
# Kinds of organisations whose services a hub lists after its own, in order.
LINKED_KIND_ORDER = {"municipal": 0, "district": 1, "bureau": 2, "institution": 3}


# ----------------------------------------------------------------- settings


def _setting(name, default):
    return getattr(settings, name, default)


def _breaker_options():
    return {
        "failure_threshold": int(_setting("CIVICHALL_BREAKER_FAILURES", 3)),
        "cooldown_s": float(_setting("CIVICHALL_BREAKER_COOLDOWN_S", 30.0)),
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
    return _setting("CIVICHALL_OWNERSHIP_REGISTRIES", {
        "plate": {"connector": "vehicle_registry", "identity_param": "resident_id", "field": "plate"},
    })


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


# ------------------------------------------------------------------- query


def _lang(lang):
    return "en" if (lang or "").lower().startswith("en") else "zh"


def _django_lang(lang):
    return "en" if _lang(lang) == "en" else "zh-hans"


def _alternative(service, lang):
    if service.alternative:
        return service.alternative
    with translation.override(_django_lang(lang)):
        return _("Call the 12345 citizen service hotline.")


def _answer(status, *, data=None, errors=None, message="", alternative="", from_cache=False, latency_ms=0):
    return {
        "status": status,
        "data": data,
        "errors": dict(errors or {}),
        "message": str(message or ""),
        "alternative": str(alternative or ""),
        "from_cache": bool(from_cache),
        "latency_ms": int(round(latency_ms or 0)),
    }


def _refusal(status, service, lang, message):
    return _answer(status, message=message, alternative=_alternative(service, lang) if status in
                   ("maintenance", "retired", "unavailable") else "")


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


def _identity(service, user, lang):
    """(citizen or None, refusal dict or None)."""
    from civichall.accounts.citizens import citizen_of, require_verified

    if not (service.requires_login or needs_identity(service)):
        return citizen_of(user) if user is not None else None, None
    citizen = citizen_of(user) if user is not None else None
    with translation.override(_django_lang(lang)):
        if citizen is None:
            return None, _refusal("unauthorized", service, lang,
                                  _("Please sign in to use this service."))
        if needs_identity(service):
            try:
                citizen = require_verified(user)
            except PermissionDenied:
                return None, _refusal("forbidden", service, lang,
                                      _("This service needs real-name verification. Please verify "
                                        "your identity first."))
    return citizen, None


def _fold(value):
    # Invisible characters go first: a Hangul filler is a letter to isalnum().
    return "".join(ch for ch in drop_invisible(str(value or "")).upper() if ch.isalnum())


def owned_values(service, citizen, lang="zh"):
    """What the citizen owns for ``service.owned_param`` (e.g. their plates),
    asked from the registry connector; ``None`` with a refusal dict when the
    registry cannot say."""
    spec = ownership_registries().get(service.owned_param)
    registry = None
    if spec:
        registry = Connector.objects.filter(name=spec.get("connector"), enabled=True).first()
    if registry is None:
        # Fail closed: without a registry nobody's ownership can be shown.
        logger.warning("no ownership registry for %s of service %s", service.owned_param, service.code)
        with translation.override(_django_lang(lang)):
            return None, _refusal("unavailable", service, lang,
                                  _("This service is temporarily unavailable. Please try again later."))
    try:
        built = connector_for(registry)
    except connector_base.ConnectorError:
        logger.warning("ownership registry %s cannot be built", registry.name)
        with translation.override(_django_lang(lang)):
            return None, _refusal("unavailable", service, lang,
                                  _("This service is temporarily unavailable. Please try again later."))
    result = run_query(
        built, {spec.get("identity_param", "resident_id"): citizen.verified_subject},
        cache=DjangoCacheStore(scope=citizen.verified_subject), breaker=breaker_for(registry),
        timeout_s=float(registry.timeout_s or DEFAULT_TIMEOUT_S), ttl_s=60,
        service_code=f"{service.code}-owner", lang=_lang(lang),
    )
    if result.status != "ok":
        with translation.override(_django_lang(lang)):
            return None, _refusal("unavailable", service, lang,
                                  _("This service is temporarily unavailable. Please try again later."))
    rows = result.data if isinstance(result.data, list) else [result.data]
    field = spec.get("field", service.owned_param)
    return {_fold(r.get(field)) for r in rows if isinstance(r, dict) and r.get(field)}, None


def _messages(errors, lang):
    return {name: (msg.get(_lang(lang)) if isinstance(msg, Message) else str(msg)) for name, msg in errors.items()}


def query_service(service, params, *, user=None, lang="zh"):
    """Run a citizen's query against ``service`` and answer a dict::

        {"status": "ok" | "unavailable" | "invalid" | "forbidden" |
                   "unauthorized" | "maintenance" | "retired",
         "data": ..., "errors": {field: message}, "message": str,
         "alternative": str, "from_cache": bool, "latency_ms": int}

    ``params`` is what the citizen sent (form or JSON); ``user`` the Django
    user behind the request (a citizen, or anonymous); ``lang`` "zh" or "en"
    for the messages.

    * retired → ``retired``; under maintenance (or its connector disabled)
      → ``maintenance`` with the message and an alternative;
    * a service needing identity: no citizen → ``unauthorized``; not
      real-name verified → ``forbidden``. The ``identity_param`` is filled
      from the verified citizen (whatever the caller sent is ignored); an
      ``owned_param`` value that is not the citizen's → ``forbidden``;
    * bad input → ``invalid`` with a message per field;
    * the department fails, is slow or its breaker is open → ``unavailable``
      within the connector's timeout (2.5 s by default) with the friendly
      message and the alternative;
    * answers are cached for ``service.cache_ttl_s`` seconds (personal ones
      under the citizen's identity only).

    Nothing is raised for these cases; an unexpected error is logged and
    answered as ``unavailable``.
    """
    lang = _lang(lang)
    try:
        return _query(service, params, user, lang)
    except Exception:  # noqa: BLE001 - a citizen never sees a stack trace
        logger.exception("query of service %s failed unexpectedly", getattr(service, "code", "?"))
        with translation.override(_django_lang(lang)):
            return _refusal("unavailable", service, lang,
                            _("This service is temporarily unavailable. Please try again later."))


def _query(service, params, user, lang):
    dl = _django_lang(lang)
    if service.status == ServiceStatus.RETIRED:
        with translation.override(dl):
            return _refusal("retired", service, lang, _("This service has been retired."))
    connector = service.connector
    if service.status == ServiceStatus.MAINTENANCE or (connector is not None and not connector.enabled):
        with translation.override(dl):
            message = service.maintenance_message or _(
                "This service is under maintenance. Please try again later.")
        return _refusal("maintenance", service, lang, message)
    if service.kind != ServiceKind.QUERY:
        with translation.override(dl):
            message = _("This service does not answer queries.")
        return _answer("invalid", errors={"__all__": message}, message=message)

    citizen, refusal = _identity(service, user, lang)
    if refusal is not None:
        return refusal

    if connector is None or not connector.usable_by(service.organisation_id):
        # No connector, or one its owner has not (or no longer) shared with this service's owner.
        logger.warning("query service %s has no usable connector", service.code)
        with translation.override(dl):
            return _refusal("unavailable", service, lang,
                            _("This service is temporarily unavailable. Please try again later."))

    # 1. what the citizen typed, against the public schema
    if hasattr(params, "getlist"):  # a QueryDict: one value per field
        params = {k: params.get(k) for k in params}
    elif not isinstance(params, dict):
        params = dict(params) if hasattr(params, "keys") else {}
    filled = identity_params(service)
    params = {str(k): v for k, v in params.items() if k not in filled}
    public = input_schema(service)
    cleaned = connector_base.prepare_params(public, params)
    errors = connector_base.validate_input(public, cleaned)
    if errors:
        with translation.override(dl):
            return _answer("invalid", errors=_messages(errors, lang), message=_("Please check what you entered."))

    # 2. identity filled in, ownership checked
    scope = None
    for name in filled:
        cleaned[name] = citizen.verified_subject
    if needs_identity(service):
        scope = citizen.verified_subject
    if service.owned_param and service.owned_param in cleaned:
        owned, refusal = owned_values(service, citizen, lang)
        if refusal is not None:
            return refusal
        if _fold(cleaned[service.owned_param]) not in owned:
            with translation.override(dl):
                message = _("You can only look up your own records: this is not registered to you.")
            return _answer("forbidden", errors={service.owned_param: message}, message=message)

    # 3. the department, through cache, breaker and timeout
    try:
        built = connector_for(service)
    except connector_base.ConnectorError as exc:
        # Misconfigured: an administrator must fix it (the health report says what).
        logger.warning("connector %s of service %s cannot be built: %s", connector.name, service.code,
                       connector_base.redact_text(str(exc), [connector.secret]))
        with translation.override(dl):
            return _refusal("unavailable", service, lang,
                            _("This service is temporarily unavailable. Please try again later."))
    with translation.override("zh-hans"):
        zh = _("This service is temporarily unavailable. Please try again later.")
    with translation.override("en"):
        en = _("This service is temporarily unavailable. Please try again later.")
    unavailable = Message(zh, en)
    ttl = float(service.cache_ttl_s or 0)
    result = run_query(
        built, cleaned,
        cache=DjangoCacheStore(scope=scope), breaker=breaker_for(connector),
        timeout_s=float(connector.timeout_s or DEFAULT_TIMEOUT_S), ttl_s=ttl,
        service_code=service.code, lang=lang, unavailable_message=unavailable,
    )
    _count(connector.pk, from_cache=result.from_cache)
    message = result.message.get(lang) if result.message is not None else ""
    return _answer(
        result.status, data=result.data, errors=_messages(result.errors, lang), message=message,
        alternative=_alternative(service, lang) if result.status == "unavailable" else "",
        from_cache=result.from_cache, latency_ms=result.latency_ms,
    )


# ------------------------------------------------------------------ health

_counts_lock = threading.Lock()
_cache_hits: dict[int, int] = {}


def _count(connector_id, *, from_cache):
    if from_cache:
        with _counts_lock:
            _cache_hits[connector_id] = _cache_hits.get(connector_id, 0) + 1


def health(connectors=None):
    """Per-connector statistics for administrators: one dict per stored
    connector with ``connector`` (the model), ``name``, ``kind``,
    ``enabled``, ``services`` (codes), ``state`` (closed / open /
    half_open), ``calls``, ``errors``, ``rejected``, ``error_rate``,
    ``avg_latency_ms``, ``last_latency_ms``, ``last_error`` (redacted),
    ``retry_at`` and ``cache_hits`` (this process). No secrets.
    ``connectors``: a queryset to report on (default: all)."""
    rows = []
    connectors = (connectors if connectors is not None else Connector.objects.all())
    connectors = connectors.annotate(n=Count("services")).prefetch_related("services")
    for connector in connectors:
        stats = breaker_for(connector).stats()
        last_error = stats.last_error
        try:
            built = connector_for(connector)
            last_error = built.redact(last_error)
            config_error = ""
        except connector_base.ConnectorError as exc:
            config_error = exc.message.get(translation.get_language() or "zh")
        if connector.secret:
            last_error = connector_base.redact_text(last_error, [connector.secret])
        rows.append({
            "connector": connector,
            "name": connector.name,
            "kind": connector.kind,
            "enabled": connector.enabled,
            "services": [s.code for s in connector.services.all()],
            "state": stats.state,
            "calls": stats.calls,
            "errors": stats.errors,
            "rejected": stats.rejected,
            "error_rate": round(stats.errors / stats.calls, 3) if stats.calls else 0.0,
            "avg_latency_ms": stats.avg_latency_ms,
            "last_latency_ms": stats.last_latency_ms,
            "last_error": last_error,
            "retry_at": stats.retry_at,
            "config_error": config_error,
            "cache_hits": _cache_hits.get(connector.pk, 0),
        })
    return rows


def reset_breaker(connector):
    """Close a connector's breaker and zero its counters."""
    breaker_for(connector).reset()


# ------------------------------------------------------------------ search

# The catalog (services, hubs, their entries, connectors, organisations)
# changes rarely and is read on every hub page and search. What is derived
# from it — the search index, hub sections, the organisation tree — is kept
# per process and keyed by a version in the shared cache, which every save
# or delete of those models replaces (signals, see ``apps.py``), so all web
# processes see a change at once. Entries also expire after
# ``CATALOG_MEMO_TTL_S`` seconds, for changes made with bulk ``update()``
# (which sends no signal); call :func:`catalog_changed` after those.
CATALOG_VERSION_KEY = "svc:catalog-version"
CATALOG_MEMO_TTL_S = 60.0
UNSHARED_VERSION = "unshared"

_memo_lock = threading.Lock()
_memo: dict[str, tuple[str, float, Any]] = {}


def catalog_version():
    """The current version of the catalog (an opaque string)."""
    from django.core.cache import cache

    try:
        version = cache.get(CATALOG_VERSION_KEY)
        if version is None:
            cache.add(CATALOG_VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(CATALOG_VERSION_KEY)
    except Exception as exc:  # noqa: BLE001 - a cache that raises is treated as unreachable
        logger.warning("catalog version unavailable: %s", type(exc).__name__)
        version = None
    # With the shared cache unreachable there is no shared version: what is
    # memoised then holds in this process for CATALOG_MEMO_TTL_S (a save in
    # this process still clears it at once), rather than being rebuilt for
    # every request while the cache is down.
    return version or UNSHARED_VERSION


def _bump():
    from django.core.cache import cache

    try:
        cache.set(CATALOG_VERSION_KEY, uuid.uuid4().hex, None)
    except Exception as exc:  # noqa: BLE001
        logger.warning("catalog version not bumped: %s", type(exc).__name__)
    with _memo_lock:
        _memo.clear()


def catalog_changed(**_kwargs):
    """Mark the catalog as changed (signal receiver; also call it after a
    bulk ``update()`` of services, hubs or organisations). Bumped now and
    again when the transaction commits, so that no process keeps what it
    read before the commit."""
    from django.db import transaction

    _bump()
    transaction.on_commit(_bump)


def _memoised(key, build):
    version = catalog_version()
    now = time.monotonic()
    with _memo_lock:
        entry = _memo.get(key)
        if entry is not None and entry[0] == version and now - entry[1] < CATALOG_MEMO_TTL_S:
            return entry[2]
    value = build()
    with _memo_lock:
        if len(_memo) > 500:
            _memo.clear()
        _memo[key] = (version, now, value)
    return value


def _record(service):
    org = service.organisation
    return {
        "code": service.code, "name_zh": service.name_zh, "name_en": service.name_en,
        "description": f"{service.description_zh} {service.description_en}".strip(),
        "keywords": service.word_list("keywords"), "synonyms": service.word_list("synonyms"),
        "org_name": f"{org.name_zh} {org.account_name_zh}".strip(), "kind": service.kind,
        "status": service.status,
    }


def _search_index():
    def build():
        services = Service.objects.exclude(status=ServiceStatus.RETIRED).select_related("organisation")
        return search_core.build_index([_record(svc) for svc in services])

    return _memoised("search-index", build)


def _organisation_children():
    from civichall.accounts.models import Organisation

    def build():
        # One query for the whole tree (about a hundred rows), walked in Python.
        children: dict[int, list[int]] = {}
        for pk, parent_id in Organisation.objects.order_by("sort_order", "id").values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        return children

    return _memoised("organisation-tree", build)


def linked_organisations(organisation):
    """``organisation`` and every account linked under it (its districts,
    bureaus and their institutions), as a list of ids."""
    children = _organisation_children()
    ids, frontier, seen = [], [organisation.pk], set()
    while frontier:
        pk = frontier.pop(0)
        if pk in seen:
            continue
        seen.add(pk)
        ids.append(pk)
        frontier.extend(children.get(pk, []))
    return ids


def search_services(q, *, organisation=None, hub=None, kind=None, limit=20):
    """Services fitting ``q`` across every account of the matrix, best first.

    Synonyms work both ways (社保 ↔ 社会保障, 公交 ↔ 巴士); retired services
    are never found. ``organisation`` keeps that account and the accounts
    linked under it; ``hub`` keeps the hub's services (and, when the hub
    shows linked accounts, theirs too); ``kind`` one kind of service.
    """
    q = (q or "").strip()
    if not q:
        return []
    index = _search_index()
    kinds = [kind] if kind else None
    hits = search_core.search(index, q[:100], limit=max(limit * 5, 100), kinds=kinds)
    if not hits:
        return []
    services = Service.objects.filter(code__in=[h.code for h in hits]).exclude(
        status=ServiceStatus.RETIRED).select_related("organisation")
    if organisation is not None:
        services = services.filter(organisation_id__in=linked_organisations(organisation))
    if hub is not None:
        scope = Q(hub_entries__hub=hub)
        if hub.show_linked:
            scope |= Q(organisation_id__in=linked_organisations(hub.organisation))
        services = services.filter(scope).distinct()
    by_code = {s.code: s for s in services}
    return [by_code[h.code] for h in hits if h.code in by_code][:limit]


# ---------------------------------------------------------------- hubs, menus


def hub_sections(hub):
    """What a hub shows: ``[{"organisation": Organisation, "services": [Service]}]``.

    First the hub's own entries (in their order) under the hub's
    organisation; then, when ``hub.show_linked``, the other services of the
    accounts linked under it (districts, then bureaus, then institutions),
    one section per owner. Retired services are left out. The result is
    shared between requests until the catalog changes: treat it as read-only.
    """
    sections = _memoised(f"hub:{hub.pk}", lambda: _build_hub_sections(hub))
    return [{"organisation": s["organisation"], "services": list(s["services"])} for s in sections]


def _build_hub_sections(hub):
    hub = Hub.objects.select_related("organisation").get(pk=hub.pk)
    own = [e.service for e in hub.entries.select_related("service__organisation", "service__connector")
           .order_by("sort_order", "id") if e.service.status != ServiceStatus.RETIRED]
    sections = [{"organisation": hub.organisation, "services": own}]
    if not hub.show_linked:
        return sections
    shown = {s.pk for s in own}
    linked_ids = [i for i in linked_organisations(hub.organisation) if i != hub.organisation_id]
    others = (Service.objects.filter(organisation_id__in=linked_ids)
              .exclude(status=ServiceStatus.RETIRED).exclude(pk__in=shown)
              .select_related("organisation", "connector"))
    grouped: OrderedDict[int, dict] = OrderedDict()
    for service in sorted(others, key=lambda s: (LINKED_KIND_ORDER.get(s.organisation.kind, 9),
                                                 s.organisation.sort_order, s.organisation_id,
                                                 s.sort_order, s.pk)):
        section = grouped.setdefault(service.organisation_id,
                                     {"organisation": service.organisation, "services": []})
        section["services"].append(service)
    return sections + list(grouped.values())


def menu_for(organisation):
    """The WeChat menu JSON (``{"button": [...]}``) of ``organisation``'s
    account; an account without its own menu shows its parent's, and in the
    end the municipal account's. ``None`` when there is none at all."""
    from civichall.accounts.models import Organisation, OrganisationKind

    seen = set()
    org = organisation
    while org is not None and org.pk not in seen:
        seen.add(org.pk)
        menu = AccountMenu.objects.filter(organisation=org).values_list("menu", flat=True).first()
        if menu:
            return copy.deepcopy(menu)
        org = org.parent
    municipal = Organisation.objects.filter(kind=OrganisationKind.MUNICIPAL).order_by("sort_order", "id").first()
    if municipal is not None and municipal.pk not in seen:
        menu = AccountMenu.objects.filter(organisation=municipal).values_list("menu", flat=True).first()
        if menu:
            return copy.deepcopy(menu)
    return None


def unavailable_budget_s(service):
    """Seconds within which a citizen gets an answer from ``service`` even
    when its department hangs (the connector's timeout)."""
    connector = service.connector
    return float(connector.timeout_s if connector is not None else DEFAULT_TIMEOUT_S)
