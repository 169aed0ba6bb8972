"""Public API of the service matrix.

* ``GET /api/v1/services`` — the catalog (filters ``kind``, ``organisation``,
  ``hub``, ``q``; paginated);
* ``GET /api/v1/services/{code}`` — one service with the input schema of its
  query form;
* ``POST /api/v1/services/{code}/query`` — run a query: the JSON body holds
  the fields of the input schema. Identity-bound services need a citizen
  token (``Authorization: Bearer …`` from ``POST /api/v1/citizen/token``).

Thin: parse, call ``runtime``, shape. Statuses: ok 200; invalid input 422
with a message per field; no citizen 401; unverified citizen or someone
else's record 403; department unavailable or service under maintenance 503
(with the friendly message and an alternative); retired 410.
"""

from typing import Any, Literal

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from pydantic import Field

from civichall.accounts.api_auth import optional_citizen
from civichall.accounts.models import Organisation
from civichall.core.api_pagination import PagePagination, paginate, shaped
from civichall.core.api_schemas import ErrorOut
from civichall.core.errors import Refusal, error_body
from civichall.core.i18n import message_lang
from civichall.core.inputs import is_web_link

from . import runtime
from .models import Hub, Service, ServiceKind, ServiceStatus

router = Router(tags=["services"])

SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"


class ServiceFilters(Schema):
    kind: ServiceKind | None = Field(None, description="query, application, link or assistant")
    organisation: str | None = Field(None, pattern=SLUG_PATTERN,
                                     description="owner organisation slug (its linked accounts too with linked=true)")
    linked: bool = Field(False, description="with organisation: include the services of accounts linked under it")
    hub: str | None = Field(None, pattern=SLUG_PATTERN, description="hub slug, e.g. municipal-hall")
    q: str | None = Field(None, max_length=100, description="words to search for, e.g. 社保 or 巴士")


class OrganisationRef(Schema):
    slug: str
    name: str
    kind: str


class ServiceOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    kind: str
    status: Literal["available", "maintenance"]
    maintenance_message: str | None = None
    description: str
    icon: str
    organisation: OrganisationRef
    requires_login: bool
    requires_verified: bool
    url: str = Field(..., description="the service's page on the public site, or the address a link opens")


class ServiceDetailOut(ServiceOut):
    input_schema: dict[str, Any] | None = Field(
        None, description="JSON Schema of the query form (query services; the citizen's identity is never an input)")
    output_schema: dict[str, Any] | None = None
    owned_param: str | None = Field(None, description="an input that must belong to the citizen, e.g. a plate")
    alternative: str = Field(..., description="where to turn when the service is unavailable")
    hubs: list[str]


class QueryOut(Schema):
    status: Literal["ok"]
    data: Any = Field(..., description="the department's answer, shaped by the output schema")
    from_cache: bool
    latency_ms: int


# --- shaping ----------------------------------------------------------------------------


def service_url(service, request=None):
    """The address citizens open for ``service``."""
    if service.kind == ServiceKind.LINK and is_web_link(service.link_url):
        url = service.link_url
    else:
        url = f"/services/{service.code}/"
    if request is not None and url.startswith("/"):
        return request.build_absolute_uri(url)
    return url


def service_json(service, request=None):
    org = service.organisation
    return {
        "code": service.code,
        "name": service.name,
        "name_zh": service.name_zh,
        "name_en": service.name_en,
        "kind": service.kind,
        "status": service.status,
        "maintenance_message": (service.maintenance_message or None)
        if service.status == ServiceStatus.MAINTENANCE else None,
        "description": service.description,
        "icon": service.icon,
        "organisation": {"slug": org.slug, "name": org.name, "kind": org.kind},
        "requires_login": service.requires_login or runtime.needs_identity(service),
        "requires_verified": service.requires_verified or runtime.needs_identity(service),
        "url": service_url(service, request),
    }


def service_detail_json(service, request=None):
    data = service_json(service, request)
    query = service.kind == ServiceKind.QUERY
    data.update({
        "input_schema": runtime.input_schema(service) if query else None,
        "output_schema": (service.output_schema or _output_schema(service)) if query else None,
        "owned_param": service.owned_param or None,
        "alternative": runtime.alternative_for(service),
        "hubs": list(service.hub_entries.values_list("hub__slug", flat=True)),
    })
    return data


def _output_schema(service):
    try:
        built = runtime.connector_for(service)
    except Exception:  # noqa: BLE001 - a broken connector still lets the catalog answer
        return None
    return built.output_schema if built is not None else None


def _unknown(field, message):
    raise Refusal("invalid", message, 422, fields={field: message})


def _error(status, code, message, fields=None, alternative=None):
    """The one error shape, with where to turn instead (``alternative``) and,
    for 503, when to try again."""
    body = error_body(code, message, fields)
    if alternative:
        body["error"]["alternative"] = str(alternative)
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 503:
        response["Retry-After"] = "30"
    return response


def _get_service(code, *related):
    # get() rather than first(): no ORDER BY to compile on the hot query path.
    try:
        return Service.objects.select_related(*(related or ("organisation", "connector"))).get(code=code)
    except Service.DoesNotExist:
        raise Refusal("not_found", _("There is no service with this code."), 404) from None


def _lang():
    return message_lang()


# --- endpoints --------------------------------------------------------------------------


@router.get("/services", response=list[ServiceOut], summary="The service catalog")
@paginate(PagePagination)
def list_services(request, filters: Query[ServiceFilters]):
    """Services of every account of the matrix that are not retired. With
    ``q`` they are ranked by the one-window search (Chinese words and
    synonyms: 社保 finds 社会保障卡, 巴士 finds 实时公交); with ``hub`` in the
    hub's order; otherwise in catalog order."""
    organisation = hub = None
    if filters.organisation:
        organisation = Organisation.objects.filter(slug=filters.organisation).first()
        if organisation is None:
            _unknown("organisation", _("Unknown organisation."))
    if filters.hub:
        hub = Hub.objects.select_related("organisation").filter(slug=filters.hub).first()
        if hub is None:
            _unknown("hub", _("Unknown hub."))
    if filters.q and filters.q.strip():
        found = runtime.search_services(filters.q, organisation=organisation if filters.linked else None,
                                        hub=hub, kind=filters.kind, limit=500)
        if organisation is not None and not filters.linked:
            found = [s for s in found if s.organisation_id == organisation.pk]
        services = found
    elif hub is not None:
        services = [s for section in runtime.hub_sections(hub) for s in section["services"]]
        if organisation is not None:
            allowed = set(runtime.linked_organisations(organisation)) if filters.linked else {organisation.pk}
            services = [s for s in services if s.organisation_id in allowed]
        if filters.kind:
            services = [s for s in services if s.kind == filters.kind]
    else:
        qs = Service.objects.exclude(status=ServiceStatus.RETIRED).select_related("organisation")
        if organisation is not None:
            if filters.linked:
                qs = qs.filter(organisation_id__in=runtime.linked_organisations(organisation))
            else:
                qs = qs.filter(organisation=organisation)
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        services = qs
    return shaped(services, lambda service: service_json(service, request))


@router.get("/services/{code}", response={200: ServiceDetailOut, 404: ErrorOut, 410: ErrorOut},
            summary="One service, with the input schema of its query form")
def get_service(request, code: str):
    """A service of the catalog. A retired service answers 410."""
    service = _get_service(code)
    if service.status == ServiceStatus.RETIRED:
        return _error(410, "retired", _("This service has been retired."),
                      alternative=service.alternative or None)
    return service_detail_json(service, request)


QUERY_RESPONSES = {200: QueryOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                   410: ErrorOut, 422: ErrorOut, 503: ErrorOut}


@router.post("/services/{code}/query", response=QUERY_RESPONSES, auth=optional_citizen,
             summary="Run a query service")
def query(request, code: str, params: dict[str, Any] = Body(
        ..., description="the fields of the service's input schema (GET /services/{code})",
        examples=[{"item": "奶茶杯"}])):
    """Ask a department system through the service's connector.

    The body is a JSON object with the fields of the service's input schema,
    e.g. ``{"item": "奶茶杯"}`` for ``garbage_sorting``. Services bound to a
    person (hospital reports, social-security card, traffic violations) need
    a verified citizen's token and answer only that citizen's own records;
    their identity is never taken from the body.

    Answers: 200 ``{"status": "ok", "data", "from_cache", "latency_ms"}``;
    422 with ``fields`` (a message per field); 401 without a citizen token;
    403 for a citizen not yet verified or a record that is not theirs; 503
    with ``alternative`` when the department is unavailable or the service
    under maintenance; 410 when it was retired.
    """
    service = _get_service(code, "connector")
    if service.kind != ServiceKind.QUERY:
        raise Refusal("bad_request", _("This service does not answer queries."), 400)
    citizen = request.auth  # a Citizen, or an AnonymousCitizen (pk None)
    user = citizen.user if getattr(citizen, "pk", None) else None
    answer = runtime.query_service(service, params, user=user, lang=_lang())
    status = answer["status"]
    if status == "ok":
        return Status(200, {key: answer[key] for key in ("status", "data", "from_cache", "latency_ms")})
    if status == "invalid":
        return _error(422, "invalid", answer["message"], fields=answer["errors"])
    if status == "unauthorized":
        return _error(401, "unauthorized", answer["message"])
    if status == "forbidden":
        return _error(403, "forbidden", answer["message"], fields=answer["errors"] or None)
    if status == "retired":
        return _error(410, "retired", answer["message"], alternative=answer["alternative"])
    return _error(503, status, answer["message"], alternative=answer["alternative"])
