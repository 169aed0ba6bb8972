"""Services: check and save (the connector binding included, see ``models.connector_binding_problems``), status changes, fields as the API and the CLI send them."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from wagtail.log_actions import log

from ..connectors import base as connector_base
from ..models import (
    Connector,
    Service,
    ServiceKind,
    ServiceStatus,
    connector_binding_problems,
)
from ..permissions import access_service
from .common import _changes, _jsonable, _snapshot, _taken, _user_or_none

SERVICE_FIELDS = (
    "code", "kind", "organisation", "name_zh", "name_en", "description_zh", "description_en",
    "keywords", "synonyms", "icon", "requires_login", "requires_verified", "identity_param",
    "owned_param", "status", "maintenance_message", "connector", "cache_ttl_s", "input_schema",
    "output_schema", "link_url", "alternative", "sort_order",
)
# --- services ----------------------------------------------------------------------------


def _schema_error(schema):
    if not isinstance(schema, dict):
        return _("Enter a JSON object.")
    if not schema:
        return None
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return _("This is not a valid JSON Schema: %(reason)s") % {"reason": exc.message[:200]}
    return None


def check_service(fields, instance=None):
    """Validate the fields of a service (a dict with the names of
    ``SERVICE_FIELDS``); return them cleaned, or raise ValidationError with
    a message per field."""
    errors = {}
    data = dict(fields)
    code = (data.get("code") or "").strip()
    data["code"] = code
    if not code:
        errors["code"] = _("Enter a code.")
    else:
        if _taken(Service, instance, code=code):
            errors["code"] = _("Another service already has this code.")
    if data.get("kind") not in ServiceKind.values:
        errors["kind"] = _("Choose a kind of service.")
    if data.get("organisation") is None:
        errors["organisation"] = _("Choose the organisation that owns the service.")
    if not (data.get("name_zh") or "").strip():
        errors["name_zh"] = _("Enter the Chinese name.")
    if data.get("status", ServiceStatus.AVAILABLE) not in ServiceStatus.values:
        errors["status"] = _("Choose a status.")
    for name in ("input_schema", "output_schema"):
        problem = _schema_error(data.get(name) or {})
        if problem:
            errors[name] = problem
    connector = data.get("connector")
    if data.get("kind") == ServiceKind.QUERY and connector is None:
        errors["connector"] = _("A query service needs a connector to a department system.")
    if data.get("kind") == ServiceKind.LINK and not (data.get("link_url") or "").strip():
        errors["link_url"] = _("A link service needs the address it opens.")
    for name, problem in Service(link_url=data.get("link_url") or "").link_problems().items():
        errors.setdefault(name, problem)
    if connector is not None and "input_schema" not in errors:
        schema = data.get("input_schema") or _connector_input_schema(connector)
        properties = (schema or {}).get("properties", {}) or {}
        for name in ("identity_param", "owned_param"):
            param = (data.get(name) or "").strip()
            data[name] = param
            if param and param not in properties:
                errors[name] = _("The input schema has no field “%(name)s”.") % {"name": param}
    if data.get("identity_param") or data.get("owned_param"):
        # Identity-bound services answer only verified citizens.
        data["requires_login"] = True
        data["requires_verified"] = True
    if data.get("requires_verified"):
        data["requires_login"] = True
    ttl = data.get("cache_ttl_s")
    if ttl is not None and (not isinstance(ttl, int) or ttl < 0):
        errors["cache_ttl_s"] = _("Enter a number of seconds (0 or more).")
    if connector is not None and data.get("organisation") is not None:
        probe = Service(organisation=data["organisation"], requires_login=bool(data.get("requires_login")),
                        requires_verified=bool(data.get("requires_verified")),
                        identity_param=data.get("identity_param") or "",
                        owned_param=data.get("owned_param") or "")
        for name, problem in connector_binding_problems(probe, connector).items():
            errors.setdefault(name, problem)
    if errors:
        raise ValidationError(errors)
    return data


def service_fields_from_references(data):
    """Fields of a service as the API and the CLI send them -- the owner by
    organisation slug, the connector by name -- turned into ``SERVICE_FIELDS``
    values; unknown names are refused with a message per field. (Whether the
    actor may use that organisation or connector is decided by the action.)"""
    from civichall.accounts.models import Organisation

    fields, errors = {}, {}
    for name, value in data.items():
        if name not in SERVICE_FIELDS:
            errors[name] = _("Unknown field.")
        elif name == "organisation":
            fields[name] = Organisation.objects.filter(slug=str(value or "")).first()
            if fields[name] is None:
                errors[name] = _("No organisation has this slug.")
        elif name == "connector":
            fields[name] = Connector.objects.filter(name=str(value)).first() if value else None
            if value and fields[name] is None:
                errors[name] = _("No connector has this name.")
        else:
            fields[name] = value
    if errors:
        raise ValidationError(errors)
    return fields


def _connector_input_schema(connector):
    from .. import runtime

    try:
        return runtime.connector_for(connector).input_schema
    except connector_base.ConnectorError:
        return {}


@transaction.atomic
def do_save_service(user, service, source="", **fields):
    """Create (``service`` None) or change a service; returns it.

    The user must be allowed to edit services of the organisation before and
    after the change (a liaison cannot hand a service to another bureau).
    """
    creating = service is None or service.pk is None
    if creating:
        service = service or Service()
        before = {}
    else:
        access_service(user, service, "edit")
        service = Service.objects.select_for_update().get(pk=service.pk)
        before = _snapshot(service, SERVICE_FIELDS)
    unknown = set(fields) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    merged = {**_snapshot_objects(service), **fields}
    data = check_service(merged, instance=service)
    for name in SERVICE_FIELDS:
        if name in data:
            setattr(service, name, data[name])
    access_service(user, service, "edit")
    after = _snapshot(service, SERVICE_FIELDS)
    changed = _changes(before, after)
    if not creating and not changed:
        return service
    service.save()
    payload = {"service": service.code, "changed": changed} if not creating else {"service": after}
    if source:
        payload["source"] = source
    log(instance=service, action="civichall.services.service.create" if creating else
        "civichall.services.service.edit", user=_user_or_none(user), data=_jsonable(payload))
    return service


def _snapshot_objects(service):
    out = {}
    for name in SERVICE_FIELDS:
        if name in ("organisation", "connector"):
            out[name] = getattr(service, name, None) if getattr(service, f"{name}_id", None) else None
        else:
            out[name] = getattr(service, name)
    return out


@transaction.atomic
def do_set_status(user, service, status, message="", source=""):
    """Put a service under maintenance (with a message for citizens), back
    to available, or retire it."""
    access_service(user, service, "edit")
    if status not in ServiceStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    message = (message or "").strip()
    if len(message) > 300:
        raise ValidationError({"maintenance_message": _("At most 300 characters.")})
    service = Service.objects.select_for_update().get(pk=service.pk)
    before = (service.status, service.maintenance_message)
    service.status = status
    if status == ServiceStatus.MAINTENANCE or message:
        service.maintenance_message = message
    if (service.status, service.maintenance_message) == before:
        return service
    service.save(update_fields=["status", "maintenance_message", "updated_at"])
    data = {"service": service.code, "status": [before[0], status], "message": service.maintenance_message}
    if source:
        data["source"] = source
    log(instance=service, action="civichall.services.service.status", user=_user_or_none(user), data=data)
    return service
