"""Running a citizen's query against a service: input checked, identity
enforced (filled from the verified citizen; owned values checked against
the department's registry), the department called through cache, breaker
and timeout. Always an answer dict, never an exception for what a citizen or
a department does."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _

from civichall.core.i18n import django_language
from civichall.core.lang import lang_key
from civichall.core.site import hotline
from civichall.core.text import drop_invisible

from .connecting import (
    DEFAULT_TIMEOUT_S,
    breaker_for,
    connector_for,
    identity_params,
    input_schema,
    needs_identity,
    ownership_registries,
)
from .connector_health import count_call
from .connectors import base as connector_base
from .connectors.runner import run_query
from .messages import Message
from .models import Connector, ServiceKind, ServiceStatus
from .stores import DjangoCacheStore

logger = logging.getLogger("civichall.services")

STATUSES = ("ok", "unavailable", "invalid", "forbidden", "unauthorized", "maintenance", "retired")

# ------------------------------------------------------------------- query


_lang = lang_key
_django_lang = django_language


def alternative_for(service, lang=None):
    """What a citizen can do instead when ``service`` cannot answer: its own
    alternative, else the site's citizen hotline (Settings → Site profile);
    ``lang`` None: the active language."""
    if service.alternative:
        return service.alternative
    with translation.override(_django_lang(lang) if lang else translation.get_language()):
        return _("Call the %(hotline)s citizen service hotline.") % {"hotline": hotline()}


_alternative = alternative_for


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
    count_call(connector.pk, from_cache=result.from_cache)
    message = result.message.get(lang) if result.message is not None else ""
    return _answer(
        result.status, data=result.data, errors=_messages(result.errors, lang), message=message,
        alternative=_alternative(service, lang) if result.status == "unavailable" else "",
        from_cache=result.from_cache, latency_ms=result.latency_ms,
    )
