"""Staff API of the service matrix: create and change services with a staff
token (``Authorization: Bearer …``, see ``civichall api_token``).

* ``POST /api/v1/staff/services`` -- create a service (201);
* ``PATCH /api/v1/staff/services/{code}`` -- change some of its fields.

The owner is given by organisation slug, the connector by name. Thin: the
rules -- who may edit which organisation's services, which connectors a
service may use, identity binding over personal data -- are the action's
(``actions.do_save_service``) and the model's. A service the caller may not
edit answers 404, as a missing one does.
"""

from typing import Any

from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from civichall.accounts import policy
from civichall.accounts.api_auth import staff_token
from civichall.core.api_schemas import InputSchema
from civichall.core.errors import Refusal

from . import actions
from .models import Service

router = Router(tags=["services (staff)"], auth=staff_token)
# The largest value of a positive integer column on every database.
POSITIVE_INT_MAX = 2_147_483_647


class ServiceIn(InputSchema):
    """The fields of a service; on PATCH, only those sent change."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(None, max_length=60)
    kind: str | None = Field(None, description="query, application, link or assistant")
    organisation: str | None = Field(None, description="the owner's slug")
    name_zh: str | None = Field(None, max_length=60)
    name_en: str | None = Field(None, max_length=120)
    description_zh: str | None = None
    description_en: str | None = None
    keywords: str | None = Field(None, max_length=500)
    synonyms: str | None = Field(None, max_length=500)
    icon: str | None = Field(None, max_length=20)
    requires_login: bool | None = None
    requires_verified: bool | None = None
    identity_param: str | None = Field(None, max_length=40)
    owned_param: str | None = Field(None, max_length=40)
    status: str | None = None
    maintenance_message: str | None = Field(None, max_length=300)
    connector: str | None = Field(None, description="the connector's name; it must be the owner's or shared with it")
    cache_ttl_s: int | None = Field(None, ge=0, le=POSITIVE_INT_MAX)
    input_schema: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    link_url: str | None = Field(None, max_length=1024)
    alternative: str | None = Field(None, max_length=300)
    sort_order: int | None = Field(None, ge=0, le=POSITIVE_INT_MAX)


class ServiceSaved(Schema):
    code: str
    organisation: str
    kind: str
    connector: str | None = None
    requires_login: bool
    requires_verified: bool
    identity_param: str


def _saved(service):
    return {"code": service.code, "organisation": service.organisation.slug, "kind": service.kind,
            "connector": service.connector.name if service.connector_id else None,
            "requires_login": service.requires_login, "requires_verified": service.requires_verified,
            "identity_param": service.identity_param}


def _save(user, service, body):
    """Save through the action; its refusals (a ValidationError with a message
    per field, PermissionDenied) answer 422 / 403 in the one error shape."""
    fields = actions.service_fields_from_references(body.model_dump(exclude_unset=True))
    return actions.do_save_service(user, service, source="api", **fields)


@router.post("/staff/services", response={201: ServiceSaved}, summary="Create a service")
def create_service(request, body: ServiceIn):
    """Create a service in an organisation whose services the caller keeps."""
    return Status(201, _saved(_save(request.user, None, body)))


@router.patch("/staff/services/{code}", response={200: ServiceSaved}, summary="Change a service")
def change_service(request, code: str, body: ServiceIn):
    """Change the fields sent; re-pointing the connector is held to the same rules."""
    service = policy.filter_allowed(request.user, "service", "edit", Service.objects.filter(code=code)).first()
    if service is None:
        raise Refusal("not_found", None, 404)
    return _saved(_save(request.user, service, body))
