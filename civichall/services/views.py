"""Public pages of the service matrix: the hubs, the one-window search, the
service pages with their query forms, and what a menu's click buttons answer.

Thin, as every view here: read the request, ask ``runtime`` (the room's door
for queries, search, hubs and menus), shape the page. Everything works
without JavaScript. A service that is not personal takes its query by GET,
so that an answer can be bookmarked and shared; a personal one (it needs a
signed-in, verified citizen) takes it by POST only and never puts what the
citizen typed in a URL.
"""

import logging
import re
from urllib.parse import urlencode

from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from civichall.accounts.citizens import citizen_of
from civichall.core import config
from civichall.core.lang import is_english, lang_key
from civichall.core.page_cache import public_page
from civichall.core.site import site_profile
from civichall.core.text import drop_invisible

from . import results, runtime
from .models import Hub, Service, ServiceKind, ServiceStatus

logger = logging.getLogger("civichall.services")

# A search is a few words; more than this is not a search.
MAX_SEARCH_CHARS = 50
# No form field of a query service needs more than this, whatever its schema says.
MAX_FIELD_CHARS = 200
SEARCH_LIMIT = 30


def _lang(request):
    return lang_key(getattr(request, "LANGUAGE_CODE", ""))


# Services offered as suggestions when the site profile names none.
SUGGESTED_SERVICES = 8


def _suggestions(request):
    """Words offered when a search is empty or finds nothing: the site
    profile's (Settings → Site profile), else the names of the Municipal
    Hall's first services."""
    words = site_profile(request).search_suggestions
    if words:
        return words
    hall = municipal_hall()
    if hall is None:
        return []
    services = [s for section in runtime.hub_sections(hall) for s in section["services"]]
    return [s.name for s in services[:SUGGESTED_SERVICES]]


def _clean_text(value, limit=None):
    """What a person typed, without control characters (a NUL byte cannot be
    stored or sent anywhere), invisible characters (``社\u200b保`` is
    ``社保``; ``civichall.core.text``) and surrounding space."""
    value = drop_invisible(str(value or "")).replace("\r", "")
    value = value.strip()
    return value[:limit] if limit else value


def municipal_hall():
    """The Municipal Hall: the first hub of the municipal account."""
    return (Hub.objects.filter(organisation__kind="municipal", organisation__parent__isnull=True)
            .select_related("organisation").order_by("sort_order", "id").first()
            or Hub.objects.select_related("organisation").order_by("sort_order", "id").first())


# -------------------------------------------------------------------- hubs


@require_safe
@public_page
def index(request):
    """All hubs, each with a glimpse of its services, and the search box."""
    topic = request.GET.get("topic")
    if topic and Hub.objects.filter(slug=topic).exists():
        return HttpResponseRedirect(f"/services/hub/{topic}/")
    hubs = []
    for hub in Hub.objects.select_related("organisation").order_by("sort_order", "id"):
        sections = runtime.hub_sections(hub)
        services = [s for section in sections for s in section["services"]]
        hubs.append({"hub": hub, "preview": services[:8], "count": len(services)})
    return render(request, "services/index.html", {
        "hubs": hubs, "suggestions": _suggestions(request), "menu_organisation": None,
    })


@require_safe
@public_page
def hub(request, slug):
    """A hub: its services as icon tiles, grouped by owner when it shows linked accounts."""
    hub = get_object_or_404(Hub.objects.select_related("organisation"), slug=slug)
    sections = [s for s in runtime.hub_sections(hub) if s["services"]]
    return render(request, "services/hub.html", {
        "hub": hub,
        "sections": sections,
        "grouped": hub.show_linked and len(sections) > 1,
        "count": sum(len(s["services"]) for s in sections),
        "menu_organisation": hub.organisation,
    })


# ------------------------------------------------------------------ search


@require_safe
def search(request):
    """One window: services of every account that fit the citizen's words."""
    raw = request.GET.get("q", "")
    q = _clean_text(raw)
    kind = request.GET.get("kind") if request.GET.get("kind") in ServiceKind.values else None
    context = {"q": q[:MAX_SEARCH_CHARS], "kind": kind, "suggestions": _suggestions(request),
               "problem": None, "found": [], "hall": municipal_hall()}
    status = 200
    if not q:
        context["problem"] = "empty"
    elif len(q) > MAX_SEARCH_CHARS:
        context["problem"] = "too_long"
        context["max_chars"] = MAX_SEARCH_CHARS
        status = 400
    else:
        context["found"] = runtime.search_services(q, kind=kind, limit=SEARCH_LIMIT)
    return render(request, "services/search.html", context, status=status)


# ---------------------------------------------------------------- services


def is_personal(service):
    """A service answering about the citizen themself: POST only, never cached by the browser."""
    return bool(service.requires_login or runtime.needs_identity(service))


def _field_id(name, i):
    slug = re.sub(r"[^A-Za-z0-9_-]", "", name)
    return f"field-{slug}" if slug else f"field-{i}"


def form_fields(schema, lang):
    """The visible fields of a query form, from its JSON Schema."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return []
    required = set(schema.get("required") or [])
    fields = []
    for i, (name, prop) in enumerate(properties.items()):
        if not isinstance(prop, dict) or prop.get("readOnly") or prop.get("x-identity"):
            continue
        types = prop.get("type") if isinstance(prop.get("type"), list) else [prop.get("type")]
        if isinstance(prop.get("enum"), list):
            widget = "select"
        elif "boolean" in types:
            widget = "checkbox"
        elif "integer" in types or "number" in types:
            widget = "number"
        else:
            widget = "text"
        label = (prop.get("x-title-en") if is_english(lang) else None) or prop.get("title") or name
        max_length = prop.get("maxLength") if isinstance(prop.get("maxLength"), int) else None
        fields.append({
            "name": str(name),
            "id": _field_id(str(name), i),
            "label": str(label),
            "widget": widget,
            "required": name in required,
            "example": str(prop.get("x-example") or ""),
            "options": [str(o) for o in prop.get("enum") or []],
            "max_length": max_length,
            "min": prop.get("minimum") if isinstance(prop.get("minimum"), (int, float)) else None,
            "max": prop.get("maximum") if isinstance(prop.get("maximum"), (int, float)) else None,
        })
    return fields


def _submitted(request, service, fields):
    """The form's values if the citizen asked a query with this request, else None."""
    if request.method == "POST":
        source = request.POST
    elif is_personal(service):
        return None  # personal data never comes from (or goes into) a URL
    elif "run" in request.GET or any(f["name"] in request.GET for f in fields):
        source = request.GET
    else:
        return None
    values = {}
    for field in fields:
        if field["widget"] == "checkbox":
            values[field["name"]] = "true" if source.get(field["name"]) else "false"
        else:
            values[field["name"]] = _clean_text(source.get(field["name"], ""))
    return values


def _without_fields(request, fields):
    query = request.GET.copy()
    for field in fields:
        query.pop(field["name"], None)
    return request.path + (f"?{query.urlencode()}" if query else "")


def _too_long(fields, values):
    errors = {}
    for field in fields:
        value = values.get(field["name"], "")
        # Fields with a maxLength are checked against it by the runtime.
        if field["max_length"] is None and len(value) > MAX_FIELD_CHARS:
            errors[field["name"]] = gettext("%(label)s: at most %(count)d characters.") % {
                "label": field["label"], "count": MAX_FIELD_CHARS}
    return errors


def _tidy_errors(errors):
    """Field errors by field name, and what is about the form as a whole."""
    errors = dict(errors or {})
    general = [str(v) for k, v in errors.items() if k in ("__all__", "")]
    fields = {k: str(v) for k, v in errors.items() if k not in ("__all__", "")}
    return fields, general


def _owner_page(service):
    from civichall.content.sections import section_page_for

    section = section_page_for(service.organisation)
    return section.url if section is not None and section.live else None


@require_http_methods(["GET", "HEAD", "POST"])
def service_page(request, code):
    """A service: what it is, whose it is, and — for a query service — its
    form and the answer under it."""
    service = get_object_or_404(Service.objects.select_related("organisation", "connector"), code=code)
    lang = _lang(request)
    context = {
        "service": service,
        "owner_url": _owner_page(service),
        "menu_organisation": service.organisation,
    }
    if service.status == ServiceStatus.RETIRED:
        hall = municipal_hall()
        context["hall"] = hall
        return render(request, "services/retired.html", context, status=410)

    if service.kind == ServiceKind.LINK and service.status == ServiceStatus.AVAILABLE:
        target = service.link_url or ""
        if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(target)
        if target.startswith(("https://", "http://")):
            context["link_url"] = target

    personal = is_personal(service)
    citizen = citizen_of(request.user) if personal else None
    context.update({
        "personal": personal,
        "citizen": citizen,
        "needs_sign_in": personal and citizen is None,
        "needs_verification": personal and citizen is not None and runtime.needs_identity(service)
        and not citizen.is_verified,
        "sign_in_url": "/citizen/sign-in/?" + urlencode({"next": request.path}),
        "verify_url": "/citizen/?" + urlencode({"next": request.path}),
    })
    status = 200
    if service.kind == ServiceKind.QUERY and service.status == ServiceStatus.AVAILABLE:
        try:
            schema = runtime.input_schema(service)
        except Exception:  # noqa: BLE001 - a broken configuration shows as "unavailable"
            logger.exception("input schema of service %s could not be read", service.code)
            schema = None
        if schema is None:
            context["answer"] = {"status": "unavailable", "message": "", "alternative": service.alternative}
        else:
            fields = form_fields(schema, lang)
            if personal and request.method != "POST" and any(f["name"] in request.GET for f in fields):
                # Personal data typed into an address is dropped from it at once.
                return HttpResponseRedirect(_without_fields(request, fields))
            values = _submitted(request, service, fields)
            answer = None
            if values is not None:
                too_long = _too_long(fields, values)
                if too_long:
                    answer = {"status": "invalid", "errors": too_long, "message": ""}
                else:
                    params = {k: v for k, v in values.items() if v != ""}
                    answer = runtime.query_service(service, params, user=request.user, lang=lang)
            context.update(_answer_context(service, schema, fields, values or {}, answer, lang))
            status = _status_for(answer, request)
    response = render(request, "services/service.html", context, status=status)
    if personal:
        # A personal answer stays in this browser only and is never kept.
        add_never_cache_headers(response)
        response["Cache-Control"] += ", private"
        response["Referrer-Policy"] = "same-origin"
    patch_vary_headers(response, ("Cookie",))
    return response


def _answer_context(service, schema, fields, values, answer, lang):
    field_errors, general = _tidy_errors((answer or {}).get("errors"))
    for field in fields:
        field["value"] = values.get(field["name"], "")
        field["error"] = field_errors.get(field["name"], "")
        described = [f"{field['id']}-hint"] if field["example"] else []
        described += [f"{field['id']}-error"] if field["error"] else []
        field["described_by"] = " ".join(described)
    # An error about a field the citizen cannot see (e.g. filled from their identity).
    shown = {f["name"] for f in fields}
    general += [msg for name, msg in field_errors.items() if name not in shown]
    # An example link fills every field, so that it never leads to "missing input".
    examples = [(f["name"], f["example"]) for f in fields if f["example"]]
    complete = all(f["example"] or not f["required"] for f in fields)
    context = {
        "fields": fields,
        "example_query": urlencode(examples) if examples and complete else "",
        "method": "post" if is_personal(service) else "get",
        "answer": answer,
        "general_errors": general,
        "presentation": None,
    }
    if answer and answer.get("status") == "ok":
        context["presentation"] = results.present(answer.get("data"), output_schema=service.output_schema or
                                                  _output_schema(service), lang=lang)
    return context


def _output_schema(service):
    try:
        built = runtime.connector_for(service)
    except Exception:  # noqa: BLE001 - labels fall back to the known ones
        return {}
    return getattr(built, "output_schema", None) or {}


def _status_for(answer, request):
    if not answer:
        return 200
    status = answer.get("status")
    if status == "invalid":
        return 400
    if status in ("unauthorized", "forbidden"):
        return 403
    return 200


# --------------------------------------------------------------------- menu


def _menu_items(menu):
    for column in (menu or {}).get("button") or []:
        if not isinstance(column, dict):
            continue
        yield column
        for item in column.get("sub_button") or []:
            if isinstance(item, dict):
                yield item


@require_safe
def menu_click(request, key):
    """What a click button of an account's menu answers in WeChat, as a page."""
    from civichall.accounts.models import Organisation

    slug = request.GET.get("account")
    organisation = Organisation.objects.filter(slug=slug).first() if slug else None
    if organisation is None:
        organisation = Organisation.objects.filter(kind="municipal").order_by("sort_order", "id").first()
    menu = runtime.menu_for(organisation) if organisation is not None else None
    item = next((i for i in _menu_items(menu) if i.get("type") == "click" and i.get("key") == key), None)
    if item is None:
        raise Http404
    service = Service.objects.filter(code__iexact=key).exclude(status=ServiceStatus.RETIRED).first()
    if service is not None:
        return HttpResponseRedirect(f"/services/{service.code}/")
    upper = key.upper()
    return render(request, "services/menu_click.html", {
        "item": item,
        "key": key,
        "answer": "assistant" if "ASSISTANT" in upper else "contact" if "CONTACT" in upper else "generic",
        "organisation": organisation,
        "owner_url": _org_page(organisation),
        "hall": municipal_hall(),
        "suggestions": _suggestions(request),
        "menu_organisation": organisation,
    })


def _org_page(organisation):
    from civichall.content.sections import section_page_for

    section = section_page_for(organisation) if organisation is not None else None
    return section.url if section is not None and section.live else None


def site_hosts(request):
    """Hosts whose absolute links in a menu are links into this site."""
    hosts = set()
    if request is not None:
        try:
            hosts.add(request.get_host())
        except DisallowedHost:  # the 400 page for a bad Host header still shows the menu
            pass
    base = config.setting("WAGTAILADMIN_BASE_URL") or ""
    if "://" in base:
        hosts.add(base.split("://", 1)[1].split("/", 1)[0])
    return hosts
