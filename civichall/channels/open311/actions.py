"""The Open311 channel's named actions: issuing and revoking API keys, and
posting a service request (stored first, then filed as a problem report
through the applications room's own action)."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from civichall.accounts import policy
from civichall.applications.actions import do_file_report
from civichall.applications.actions.reports import CONTACT_FIELDS
from civichall.applications.models import ApplicationDefinition
from civichall.core.errors import Refusal

from .models import ApiKey, InboundRequest
from .permissions import access_key

LOG_ACTIONS = [
    ("civichall.open311.key.create", gettext_lazy("Issue Open311 API key"), gettext_lazy("Open311 API key issued")),
    ("civichall.open311.key.revoke", gettext_lazy("Revoke Open311 API key"), gettext_lazy("Open311 API key revoked")),
    ("civichall.open311.request", gettext_lazy("Receive Open311 request"), gettext_lazy("Open311 request received")),
]
KEY_PREFIX = "o311_"
MAX_VALUE = 2000


class BadKey(Refusal):
    code = "forbidden"
    status = 403


def hash_key(key):
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def _audit(instance, action, user, **data):
    log(instance=instance, action=f"civichall.open311.{action}", user=policy.recorded_user(user), data=data)


def do_create_key(user, name, key=None):
    """Issue a key named ``name``; returns (ApiKey, the key). The key is
    shown only now: only its hash is stored. ``key``: a key handed out
    before (moving from another system; at least 24 characters), instead of
    a new random one."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise Refusal("invalid", _("Give the key a name of at most 80 characters."), 422,
                      {"name": _("Give the key a name of at most 80 characters.")})
    policy.check(user, "open311_key", "edit")
    if key is not None and (len(key) < 24 or len(key) > 200 or not key.isascii() or not key.isprintable()
                            or ApiKey.objects.filter(key_hash=hash_key(key)).exists()):
        raise Refusal("invalid", _("That key is too short or already issued."), 422, {"key": _("Not usable.")})
    key = key or KEY_PREFIX + secrets.token_urlsafe(24)
    api_key = ApiKey.objects.create(name=name, prefix=key[:12], key_hash=hash_key(key),
                                    created_by=policy.recorded_user(user))
    _audit(api_key, "key.create", user, name=name)
    return api_key, key


def do_revoke_key(user, api_key):
    """Revoke ``api_key``: requests posted with it are refused from now on."""
    access_key(user, api_key, "edit")
    if api_key.revoked_at is None:
        api_key.revoked_at, api_key.revoked_by = timezone.now(), policy.recorded_user(user)
        api_key.save(update_fields=["revoked_at", "revoked_by"])
        _audit(api_key, "key.revoke", user)
    return api_key


def key_for(value):
    """The active key ``value`` names; a 403 otherwise (missing, unknown, revoked)."""
    api_key = ApiKey.objects.filter(key_hash=hash_key(value)).first() if value else None
    if api_key is None:
        raise BadKey(message=_("The api_key is missing or unknown."))
    if api_key.revoked_at is not None:
        raise BadKey(message=_("This api_key has been revoked."))
    return api_key


def report_definition(service_code):
    """The open report definition of ``service_code``; a 404 otherwise."""
    from civichall.applications import reports

    definition = ApplicationDefinition.objects.filter(code=service_code, status="active").select_related(
        "current", "organisation").first()
    if definition is None or definition.current is None or not reports.is_report(definition.current.document):
        raise Refusal("not_found", _("There is no service with this service_code."), 404)
    return definition


def _number(value, name):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Refusal("invalid", _("%(name)s must be a number in decimal degrees.") % {"name": name}, 400,
                      {name: _("Not a number.")}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise Refusal("invalid", _("%(name)s must be a number in decimal degrees.") % {"name": name}, 400,
                      {name: _("Not a number.")})
    return number


def report_data(params):
    """The report's form data from the POSTed fields: ``lat``/``long``,
    ``address_string``, ``description`` and ``attribute[code]``."""
    data = {}
    for key, value in params.items():
        if key.startswith("attribute[") and key.endswith("]"):
            data[key[10:-1]] = value
    if params.get("lat") not in (None, "") or params.get("long") not in (None, ""):
        data["lat"], data["long"] = _number(params.get("lat"), "lat"), _number(params.get("long"), "long")
    if (params.get("address_string") or "").strip():
        data["address"] = params["address_string"].strip()
    if (params.get("description") or "").strip():
        data["description"] = params["description"].strip()
    return data


def do_post_request(params):
    """A POST to ``requests``: stored as received first, then checked (key,
    service, location, attributes) and filed as a problem report. Returns
    the ``InboundRequest`` with its case; refusals carry the fitting status
    and are written on the stored request."""
    raw_key = str(params.get("api_key") or "")
    params = {str(k)[:100]: str(v)[:MAX_VALUE] for k, v in params.items() if k != "api_key"}
    inbound = InboundRequest.objects.create(params=params, token=secrets.token_urlsafe(18))
    try:
        api_key = key_for(raw_key)
        inbound.api_key = api_key
        definition = report_definition(params.get("service_code", ""))
        with transaction.atomic():
            case = do_file_report(
                policy.SYSTEM, definition, report_data(params),
                reporter={k: params[k] for k in CONTACT_FIELDS if params.get(k)}, channel="open311",
                media_url=params.get("media_url", ""))
            inbound.case = case
            inbound.save(update_fields=["case", "api_key"])
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
            _audit(inbound, "request", policy.SYSTEM, key=api_key.prefix, case=case.number)
    except Refusal as refusal:
        inbound.error = f"{refusal.status} {refusal.code}: {refusal.message}"[:300]
        inbound.save(update_fields=["error", "api_key"])
        raise
    return inbound
