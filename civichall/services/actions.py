"""Changing the service matrix: services, their status, hubs, connectors and
account menus.

``check_*`` functions validate and raise ``ValidationError`` with a message
per field; ``do_*`` functions authorise the actor (a user, or
``accounts.policy.SYSTEM`` for the operator's console and the demo loader),
change state and write Wagtail's audit log. The admin, the CLI, the API, the
demo and the tests all call these.

Secrets of connectors never reach the audit log: it records only that a
secret was set or changed.
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from wagtail.log_actions import log

from civichall.accounts.policy import is_system
from civichall.core.i18n import message_lang
from civichall.core.reasons import check_reason

from . import menu as menu_core
from .connectors import base as connector_base
from .models import (
    AccountMenu,
    Connector,
    ConnectorShare,
    Hub,
    HubEntry,
    Service,
    ServiceKind,
    ServiceStatus,
    connector_binding_problems,
)
from .permissions import access_connector, access_connector_share, access_hub, access_menu, access_service

SERVICE_FIELDS = (
    "code", "kind", "organisation", "name_zh", "name_en", "description_zh", "description_en",
    "keywords", "synonyms", "icon", "requires_login", "requires_verified", "identity_param",
    "owned_param", "status", "maintenance_message", "connector", "cache_ttl_s", "input_schema",
    "output_schema", "link_url", "alternative", "sort_order",
)
CONNECTOR_FIELDS = ("name", "organisation", "kind", "personal_data", "identity_param", "config", "data_file",
                    "timeout_s", "enabled")
HUB_FIELDS = ("slug", "organisation", "name_zh", "name_en", "description_zh", "show_linked", "sort_order")
MAX_TIMEOUT_S = 2.8  # the friendly message must reach the citizen within 3 s


def _lang():
    return message_lang()


def _value(v):
    """A JSON-able form of a field value, for the audit log."""
    if hasattr(v, "pk"):
        return v.pk
    return v


def _changes(before, after):
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _snapshot(obj, fields):
    return {f: _value(getattr(obj, f, None)) for f in fields}


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


def _taken(model, instance, **lookup):
    """True if another row than ``instance`` already has these values."""
    clash = model.objects.filter(**lookup)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    return clash.exists()


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
                        identity_param=data.get("identity_param") or "")
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
    from . import runtime

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


def _jsonable(data):
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


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


# --- hubs ---------------------------------------------------------------------------------


@transaction.atomic
def do_save_hub(user, hub, services=None, source="", **fields):
    """Create or change a hub; ``services`` (a list, in order) replaces its entries."""
    creating = hub is None or hub.pk is None
    hub = hub or Hub()
    before = {} if creating else _snapshot(hub, HUB_FIELDS)
    for name, value in fields.items():
        if name not in HUB_FIELDS:
            raise ValueError(f"unknown field {name}")
        setattr(hub, name, value)
    access_hub(user, hub, "edit")
    if not (hub.slug or "").strip():
        raise ValidationError({"slug": _("Enter a slug.")})
    if not (hub.name_zh or "").strip():
        raise ValidationError({"name_zh": _("Enter the Chinese name.")})
    hub.save()
    if services is not None:
        hub.entries.all().delete()
        HubEntry.objects.bulk_create(
            [HubEntry(hub=hub, service=s, sort_order=i) for i, s in enumerate(services)])
        from .runtime import catalog_changed

        catalog_changed()  # bulk_create sends no signal
    changed = _changes(before, _snapshot(hub, HUB_FIELDS))
    data = {"hub": hub.slug, "changed": changed}
    if services is not None:
        data["services"] = [s.code for s in services]
    if source:
        data["source"] = source
    log(instance=hub, action="civichall.services.hub.create" if creating else "civichall.services.hub.edit",
        user=_user_or_none(user), data=_jsonable(data))
    return hub


def log_hub_saved(user, hub, creating, source="admin"):
    """Audit a hub saved by the admin's form (with its inline entries)."""
    data = {"hub": hub.slug, "services": list(hub.entries.order_by("sort_order")
                                              .values_list("service__code", flat=True))}
    if source:
        data["source"] = source
    log(instance=hub, action="civichall.services.hub.create" if creating else "civichall.services.hub.edit",
        user=_user_or_none(user), data=data)


# --- connectors ---------------------------------------------------------------------------


def check_connector(fields, secret=None, instance=None, upload=None):
    """Validate a connector's fields by building it; returns the cleaned
    fields or raises ValidationError with a message per field. ``upload``
    (a file about to become the data file) is checked in its place."""
    from . import runtime

    errors = {}
    data = dict(fields)
    name = (data.get("name") or "").strip()
    data["name"] = name
    if not name:
        errors["name"] = _("Enter a name.")
    else:
        if _taken(Connector, instance, name=name):
            errors["name"] = _("Another connector already has this name.")
    if data.get("kind") not in connector_base.available_kinds():
        errors["kind"] = _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(connector_base.available_kinds())}
    config = data.get("config")
    if config is None:
        config = {}
    if not isinstance(config, dict):
        errors["config"] = _("Enter a JSON object.")
    elif "secret" in config:
        errors["config"] = _("Put the secret in the secret field, not in the configuration.")
    timeout = data.get("timeout_s")
    if timeout is None:
        timeout = 2.5
    try:
        timeout = float(timeout)
    except (TypeError, ValueError):
        timeout = -1
    if not 0.1 <= timeout <= MAX_TIMEOUT_S:
        errors["timeout_s"] = _("Between 0.1 and %(max)s seconds, so that citizens get an answer "
                                "within 3 seconds.") % {"max": MAX_TIMEOUT_S}
    data["timeout_s"] = timeout
    if data.get("organisation") is None:
        errors["organisation"] = _("Choose the organisation whose system this is.")
    data["personal_data"] = bool(data.get("personal_data"))
    data["identity_param"] = (data.get("identity_param") or "").strip()
    if data["personal_data"] and not data["identity_param"]:
        errors["identity_param"] = _("A connector that returns personal data needs its identity parameter "
                                     "(the input naming whose data is returned).")
    if not errors:
        probe = Connector(pk=getattr(instance, "pk", None), name=name, kind=data["kind"], config=config,
                          secret=secret if secret is not None else (instance.secret if instance else ""),
                          timeout_s=timeout, data_file=data.get("data_file"),
                          organisation=data["organisation"], personal_data=data["personal_data"],
                          identity_param=data["identity_param"])
        try:
            config = runtime.connector_config(probe)
            if upload is not None:
                upload.seek(0)
                config.pop("path", None)
                config["data"] = upload.read()
                upload.seek(0)
            built = connector_base.build_connector(probe.kind, config)
            properties = (built.input_schema or {}).get("properties", {}) or {}
            built.close()
            if probe.personal_data and probe.identity_param not in properties:
                errors["identity_param"] = _("The connector's input has no field “%(name)s”.") % {
                    "name": probe.identity_param}
        except connector_base.ConnectorError as exc:
            detail = f" ({exc.detail})" if exc.detail else ""
            text = exc.message.get(_lang()) + detail
            if probe.secret:
                text = connector_base.redact_text(text, [probe.secret])
            errors["config"] = text
    if not errors and instance is not None:
        # Services already using it must stay sound under the new owner and rules.
        for service in instance.services.select_related("organisation"):
            problems = connector_binding_problems(service, probe)
            if problems:
                errors["__all__"] = _("The service “%(service)s” (%(code)s) uses this connector and would "
                                      "break a rule: %(problem)s") % {
                    "service": service.name_zh, "code": service.code, "problem": " ".join(
                        str(p) for p in problems.values())}
                break
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def do_save_connector(user, connector, secret=None, source="", upload=None, **fields):
    """Create (``connector`` None) or change a connector; returns it.

    ``secret``: None or "" keeps the stored secret (it is write-only);
    a new value replaces it. ``upload`` (an uploaded file) becomes a Wagtail
    document and the connector's data file. Configuration is checked by
    building the connector (a file connector indexes its file then, so a
    missing column is refused at once). The log says whether the secret
    changed, never what it is.
    """
    access_connector(user, connector, "edit")
    if upload is not None:
        fields["data_file"] = _store_document(user, upload, fields.get("name") or getattr(connector, "name", ""))
    creating = connector is None or connector.pk is None
    if creating:
        connector = connector or Connector()
    else:
        # What is stored, not what a bound admin form already set on the instance.
        connector = Connector.objects.select_for_update().get(pk=connector.pk)
    before = {} if creating else _snapshot(connector, CONNECTOR_FIELDS)
    unknown = set(fields) - set(CONNECTOR_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    merged = {**{f: getattr(connector, f, None) for f in CONNECTOR_FIELDS}, **fields}
    if not creating and merged.get("data_file") is None and connector.data_file_id and "data_file" not in fields:
        merged["data_file"] = connector.data_file
    new_secret = secret if secret else None
    data = check_connector(merged, secret=new_secret, instance=connector if not creating else None)
    for name in CONNECTOR_FIELDS:
        if name in data:
            setattr(connector, name, data[name])
    access_connector(user, connector, "edit")  # the new owner too
    secret_changed = new_secret is not None and new_secret != connector.secret
    if new_secret is not None:
        connector.secret = new_secret
    after = _snapshot(connector, CONNECTOR_FIELDS)
    changed = _changes(before, after)
    if not creating and not changed and not secret_changed:
        return connector
    connector.save()
    payload = {"connector": connector.name, "changed": changed, "secret_changed": secret_changed}
    if source:
        payload["source"] = source
    log(instance=connector, action="civichall.services.connector.create" if creating else
        "civichall.services.connector.edit", user=_user_or_none(user), data=_jsonable(payload))
    return connector


@transaction.atomic
def do_share_connector(user, connector, organisation, reason, source=""):
    """Let ``organisation``'s services use ``connector`` (its owner's
    administrators only, with a written reason). Returns the share;
    sharing again while a share is active returns that one."""
    access_connector(user, connector, "share")
    reason = check_reason(reason)
    if organisation.pk == connector.organisation_id:
        raise ValidationError({"organisation": _("The connector already belongs to this organisation.")})
    share = ConnectorShare.objects.select_for_update().filter(
        connector=connector, organisation=organisation, revoked_at__isnull=True).first()
    if share is not None:
        return share
    share = ConnectorShare.objects.create(connector=connector, organisation=organisation, reason=reason,
                                          created_by=_user_or_none(user))
    data = {"connector": connector.name, "organisation": organisation.slug, "reason": reason}
    if source:
        data["source"] = source
    log(instance=connector, action="civichall.services.connector.share", user=_user_or_none(user), data=data)
    return share


@transaction.atomic
def do_revoke_connector_share(user, share, source=""):
    """End a share: the organisation's services over the connector stop
    answering at once (the query refuses them) until it is shared again."""
    share = ConnectorShare.objects.select_for_update().select_related("connector", "organisation").get(pk=share.pk)
    access_connector_share(user, share, "revoke")
    if share.revoked_at is not None:
        return share
    share.revoked_at = timezone.now()
    share.revoked_by = _user_or_none(user)
    share.save(update_fields=["revoked_at", "revoked_by"])
    affected = list(Service.objects.filter(connector=share.connector, organisation=share.organisation)
                    .values_list("code", flat=True))
    data = {"connector": share.connector.name, "organisation": share.organisation.slug,
            "services_stopped": affected}
    if source:
        data["source"] = source
    log(instance=share.connector, action="civichall.services.connector.unshare", user=_user_or_none(user),
        data=data)
    from .runtime import catalog_changed

    catalog_changed()
    return share


def _user_or_none(actor):
    """The user to record for ``actor`` (None for the system)."""
    return None if is_system(actor) else actor


def _store_document(user, upload, name):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    Document = get_document_model()
    document = Document(title=_("Data file of %(name)s") % {"name": name or upload.name},
                        file=upload, collection=Collection.get_first_root_node(), uploaded_by_user=_user_or_none(user))
    document._set_document_file_metadata()
    document.save()
    return document


def do_reset_breaker(user, connector):
    """Close a connector's circuit breaker and zero its counters (after the
    department says its system is back)."""
    from . import runtime

    access_connector(user, connector, "edit")
    runtime.reset_breaker(connector)
    log(instance=connector, action="civichall.services.connector.reset", user=_user_or_none(user),
        data={"connector": connector.name})


# --- menus --------------------------------------------------------------------------------


class MenuRefused(ValidationError):
    """A menu WeChat would refuse; ``problems`` lists every reason (path,
    Chinese and English message)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([self.line(p) for p in self.problems])

    @staticmethod
    def line(problem):
        text = problem.message_en if _lang() == "en" else problem.message_zh
        return f"{problem.path}: {text}"

    def lines(self):
        return [self.line(p) for p in self.problems]


def check_menu(json_text):
    """Parse and validate a WeChat menu (JSON text or a dict); returns it in
    WeChat's exact shape, or raises ``MenuRefused`` with every reason."""
    try:
        parsed = menu_core.parse_wechat_menu(json_text)
    except menu_core.MenuError as error:
        raise MenuRefused(error.problems) from None
    return menu_core.menu_to_wechat(parsed)


@transaction.atomic
def do_import_menu(org, json_text, user, source=""):
    """Replace ``org``'s account menu with the WeChat menu JSON ``json_text``
    (validated against WeChat's limits: refused as a whole with the reasons,
    ``MenuRefused``). Returns the ``AccountMenu``."""
    access_menu(user, org, "edit")
    menu = check_menu(json_text)
    record = AccountMenu.objects.select_for_update().filter(organisation=org).first()
    if record is not None and record.menu == menu:
        return record
    creating = record is None
    if creating:
        record = AccountMenu(organisation=org)
    previous = None if creating else record.menu
    record.menu = menu
    record.updated_by = _user_or_none(user)
    record.save()
    data = {"organisation": org.slug, "menu": menu}
    if previous is not None:
        data["previous"] = previous
    if source:
        data["source"] = source
    log(instance=record, action="civichall.services.menu.import", user=_user_or_none(user), data=data)
    return record


def export_menu(org):
    """``org``'s own menu in WeChat's shape (``{"button": [...]}``), or None."""
    record = AccountMenu.objects.filter(organisation=org).first()
    return record.menu if record is not None else None


def menu_as_json(menu):
    """The menu as the text ``wechat_menu export`` prints (UTF-8 kept, indented)."""
    return json.dumps(menu, ensure_ascii=False, indent=2)


# --- admin forms and deletion ---------------------------------------------------------------


@transaction.atomic
def do_save_hub_form(user, form, source="admin"):
    """Save a hub from the admin's form (its fields and its ordered entries)."""
    hub = form.instance
    creating = hub.pk is None
    access_hub(user, hub, "edit")
    hub = form.save()
    log_hub_saved(user, hub, creating, source=source)
    return hub


@transaction.atomic
def do_save_menu_form(user, org, menu, source="admin"):
    """Save a menu from the admin (already checked by ``check_menu``)."""
    return do_import_menu(org, menu, user, source=source)


@transaction.atomic
def do_delete(user, obj, source=""):
    """Delete a service, hub, connector or account menu (the log keeps what
    it was). Services are better retired: their codes stay reserved."""
    if isinstance(obj, Service):
        access_service(user, obj, "edit")
        kind, snapshot = "service", _snapshot(obj, SERVICE_FIELDS)
    elif isinstance(obj, Hub):
        access_hub(user, obj, "edit")
        kind, snapshot = "hub", _snapshot(obj, HUB_FIELDS)
    elif isinstance(obj, Connector):
        access_connector(user, obj, "edit")
        kind, snapshot = "connector", _snapshot(obj, CONNECTOR_FIELDS)
    elif isinstance(obj, AccountMenu):
        access_menu(user, obj.organisation, "edit")
        kind, snapshot = "menu", {"organisation": obj.organisation.slug, "menu": obj.menu}
    else:
        raise TypeError(f"cannot delete {type(obj).__name__} here")
    data = {kind: snapshot}
    if source:
        data["source"] = source
    log(instance=obj, action=f"civichall.services.{kind}.delete", user=_user_or_none(user), data=_jsonable(data))
    obj.delete()
