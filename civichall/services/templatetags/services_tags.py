"""Template tags of the service matrix for every public page.

* ``{% account_menu %}`` — the account's WeChat menu as the bottom
  navigation: up to three columns of up to five items, each column a
  ``<details>`` disclosure (no JavaScript). The account is the organisation
  the page belongs to (``menu_organisation`` in the context, else the page's
  organisation), else the municipal account.
* ``{% hall_services 8 as hall %}`` — the Municipal Hall and its first services.
* ``{% organisation_services org as services %}`` — an account's own services.
"""

from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from django import template

from civichall.services import runtime
from civichall.services.account_menus import SHOWN_COLUMNS, SHOWN_ITEMS
from civichall.services.models import Service, ServiceStatus

register = template.Library()

_MISSING = object()


def _organisation_of(context):
    """The account whose menu the page shows (None: the municipal account)."""
    chosen = context.get("menu_organisation", _MISSING)
    if chosen is not _MISSING:
        return chosen
    for name in ("page", "self", "service", "hub"):
        obj = context.get(name)
        org = getattr(obj, "organisation", None) if obj is not None else None
        if org is not None and hasattr(org, "pk"):
            return org
    return None


def _municipal():
    return runtime.municipal_account()


def _site_hosts(request):
    from civichall.services.views import site_hosts

    return site_hosts(request)


def local_url(url, request):
    """A link into this site is written as a path, so that it works on any
    host the site is served from; other links stay as they are."""
    url = str(url or "")
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc in _site_hosts(request):
        return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return url


def _is_external(url):
    return url.startswith(("http://", "https://", "//"))


def _item(raw, organisation, request):
    kind = raw.get("type")
    name = str(raw.get("name") or "")
    if kind == "click":
        key = str(raw.get("key") or "")
        if not key:
            return None
        query = f"?{urlencode({'account': organisation.slug})}" if organisation is not None else ""
        url = f"/services/menu/{quote(key, safe='')}/{query}"
    elif kind in ("view", "miniprogram"):
        url = local_url(raw.get("url"), request)
        if not url.startswith(("http://", "https://", "/")):
            return None
    else:
        return None
    return {"name": name, "type": kind, "url": url, "external": _is_external(url)}


def menu_columns(menu, organisation, request):
    """The menu JSON as columns for the template, cut to what the bottom navigation shows."""
    columns = []
    for raw in ((menu or {}).get("button") or [])[:SHOWN_COLUMNS]:
        if not isinstance(raw, dict):
            continue
        subs = raw.get("sub_button")
        if isinstance(subs, list) and subs:
            items = [i for i in (_item(s, organisation, request) for s in subs[:SHOWN_ITEMS]
                                 if isinstance(s, dict)) if i]
            if items:
                columns.append({"name": str(raw.get("name") or ""), "items": items})
        else:
            item = _item(raw, organisation, request)
            if item:
                columns.append({"name": item["name"], "link": item})
    return columns


# A tile's icon when the service has none of its own: one character on a
# coloured disc (it renders on every phone and in elder mode, unlike emoji
# or icon fonts), chosen by the first word of its name, keywords or code
# that fits; the colour groups services by area.
ICON_WORDS = (
    ("公交", "巴", "blue"), ("巴士", "巴", "blue"), ("bus", "巴", "blue"), ("地铁", "铁", "blue"),
    ("违法", "警", "navy"), ("违章", "警", "navy"), ("路况", "路", "blue"), ("积水", "水", "teal"),
    ("入学", "学", "purple"), ("学校", "学", "purple"), ("重名", "名", "navy"), ("垃圾", "分", "green"),
    ("报告", "报", "red"), ("挂号", "医", "red"), ("医院", "医", "red"), ("疫苗", "苗", "red"),
    ("社会保障", "保", "orange"), ("社保", "保", "orange"), ("公积金", "金", "orange"),
    ("天气", "天", "teal"), ("空气", "气", "teal"), ("停车", "停", "blue"), ("缴费", "缴", "orange"),
    ("出入境", "证", "navy"), ("护照", "证", "navy"), ("自行车", "车", "green"), ("养老", "老", "orange"),
    ("残疾", "助", "orange"), ("失业", "业", "orange"), ("就业", "业", "orange"), ("居住", "居", "navy"),
    ("婚", "婚", "red"), ("生育", "育", "red"), ("出生", "育", "red"), ("税", "税", "navy"),
    ("图书", "书", "purple"), ("扫一扫", "扫", "green"), ("助手", "问", "green"), ("小申", "问", "green"),
)
KIND_TONES = {"query": "blue", "application": "orange", "link": "teal", "assistant": "green"}


@register.filter
def service_glyph(service):
    """``{"text", "tone"}`` of a service's icon: its own icon if it has one,
    else a character that fits its name, else its name's first character."""
    kind_tone = KIND_TONES.get(getattr(service, "kind", ""), "blue")
    own = (getattr(service, "icon", "") or "").strip()
    if own:
        return {"text": own, "tone": kind_tone}
    words = " ".join(str(getattr(service, f, "") or "") for f in ("name_zh", "keywords", "code"))
    for word, glyph, tone in ICON_WORDS:
        if word in words:
            return {"text": glyph, "tone": tone}
    name = str(getattr(service, "name_zh", "") or getattr(service, "code", "") or "?")
    return {"text": name[:1], "tone": kind_tone}


@register.inclusion_tag("services/includes/account_menu.html", takes_context=True)
def account_menu(context):
    request = context.get("request")
    organisation = _organisation_of(context) or _municipal()
    menu = runtime.menu_for(organisation) if organisation is not None else None
    columns = menu_columns(menu, organisation, request) if menu else []
    return {"columns": columns, "organisation": organisation}


@register.simple_tag
def hall_services(limit=8):
    """``{"hub": the Municipal Hall, "services": its first services, "count": all}``, or None."""
    from civichall.services.views import municipal_hall

    hub = municipal_hall()
    if hub is None:
        return None
    services = [s for section in runtime.hub_sections(hub)[:1] for s in section["services"]]
    return {"hub": hub, "services": services[: int(limit)], "count": len(services)}


@register.simple_tag
def organisation_services(organisation):
    """The services an account owns (retired ones left out), in their order."""
    if organisation is None:
        return []
    return list(Service.objects.filter(organisation=organisation).exclude(status=ServiceStatus.RETIRED)
                .order_by("sort_order", "id"))
