"""The catalog at run time: the one-window search across every account,
what a hub shows grouped by owner, an account's menu (or the one it
inherits) -- all memoised per process and rebuilt when the catalog changes."""

from __future__ import annotations

import copy
import logging
import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

from django.db.models import Q

from . import search as search_core
from .connecting import DEFAULT_TIMEOUT_S
from .models import AccountMenu, Hub, Service, ServiceStatus

logger = logging.getLogger("civichall.services")


# Kinds of organisations whose services a hub lists after its own, in order.
LINKED_KIND_ORDER = {"municipal": 0, "district": 1, "bureau": 2, "institution": 3}

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


def linked_organisations(organisation):
    """``organisation`` and every account linked under it (its districts,
    bureaus and their institutions), as a list of ids; the tree is read
    once per catalog version (the walk is the accounts room's)."""
    from civichall.accounts import tree

    return tree.linked_organisations(organisation, _memoised("organisation-tree", tree.children_map))


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
    end the municipal account's. ``None`` when there is none at all.
    Memoised with the catalog (every page shows a menu); a copy is returned."""
    menu = _memoised(f"menu:{organisation.pk}", lambda: _menu_for(organisation))
    return copy.deepcopy(menu)


def _menu_for(organisation):
    from civichall.accounts import tree

    seen = set()
    for org in tree.ancestors(organisation):
        seen.add(org.pk)
        menu = AccountMenu.objects.filter(organisation=org).values_list("menu", flat=True).first()
        if menu:
            return menu
    municipal = municipal_account()
    if municipal is not None and municipal.pk not in seen:
        menu = AccountMenu.objects.filter(organisation=municipal).values_list("menu", flat=True).first()
        if menu:
            return menu
    return None


def municipal_account():
    """The municipal account (the top of the matrix), memoised with the catalog."""
    from civichall.accounts.models import Organisation, OrganisationKind

    return _memoised("municipal-account", lambda: (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPAL, parent__isnull=True)
        .order_by("sort_order", "id").first()))


def unavailable_budget_s(service):
    """Seconds within which a citizen gets an answer from ``service`` even
    when its department hangs (the connector's timeout)."""
    connector = service.connector
    return float(connector.timeout_s if connector is not None else DEFAULT_TIMEOUT_S)
