"""Connectors: department systems with write-only secrets, checked by building them; shares with other organisations; breaker resets."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.core.reasons import check_reason

from ..connectors import base as connector_base
from ..models import (
    Connector,
    ConnectorShare,
    Service,
    connector_binding_problems,
)
from ..permissions import access_connector, access_connector_share
from .common import _changes, _jsonable, _lang, _snapshot, _taken, _user_or_none

CONNECTOR_FIELDS = ("name", "organisation", "kind", "personal_data", "identity_param", "config", "data_file",
                    "timeout_s", "enabled")
MAX_TIMEOUT_S = 2.8  # the friendly message must reach the citizen within 3 s

# --- connectors ---------------------------------------------------------------------------


def check_connector(fields, secret=None, instance=None, upload=None):
    """Validate a connector's fields by building it; returns the cleaned
    fields or raises ValidationError with a message per field. ``upload``
    (a file about to become the data file) is checked in its place."""
    from .. import runtime

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
        timeout = connector_base.DEFAULT_TIMEOUT_S
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
    from ..runtime import catalog_changed

    catalog_changed()
    return share


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
    from .. import runtime

    access_connector(user, connector, "edit")
    runtime.reset_breaker(connector)
    log(instance=connector, action="civichall.services.connector.reset", user=_user_or_none(user),
        data={"connector": connector.name})
