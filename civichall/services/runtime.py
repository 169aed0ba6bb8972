"""The service matrix at run time: the door other rooms call.

The public pages, the API, the WeChat channel and the assistant all come in
here; none of them touches connectors, caches or breakers directly. The
work is done in modules by topic -- ``connecting`` (building connectors,
breakers, input schemas), ``querying`` (a citizen's query),
``connector_health`` and ``catalog`` (search, hubs, menus) -- and this
module is their one door.

* :func:`query_service` — run a citizen's query against a service: input
  checked against the service's schema, identity enforced (an identity
  parameter is filled from the verified citizen, never from the caller; an
  owned parameter such as a plate must belong to the citizen), the department
  called through its connector with a timeout, a shared result cache and a
  shared circuit breaker. Always answers a dict, never raises for what a
  citizen or a department does.
* :func:`connector_for`, :func:`input_schema`, :func:`health` — connectors
  built from their stored configuration, the form a citizen fills in, and
  per-connector statistics for administrators.
* :func:`search_services` — the "one window" search across every account.
* :func:`hub_sections` — what a hub shows, grouped by owner.
* :func:`menu_for` — an account's WeChat menu (or the one it inherits).

Personal data: parameters are never logged; a personal answer is cached only
under its owner's identity (a one-way token), so it is never served to
anyone else.
"""

from .connecting import (  # noqa: F401
    DEFAULT_TIMEOUT_S, LOCAL_WARM_UP_KINDS, breaker_for, connector_config, connector_for, forget_connectors,
    full_input_schema, identity_params, input_schema, needs_identity, ownership_registries,
    personal_identity_param,
)
from .querying import (  # noqa: F401
    STATUSES, alternative_for, owned_values, query_service,
)
from .connector_health import (  # noqa: F401
    count_call, health, reset_breaker,
)
from .catalog import (  # noqa: F401
    CATALOG_MEMO_TTL_S, CATALOG_VERSION_KEY, LINKED_KIND_ORDER, UNSHARED_VERSION, _memoised, catalog_changed,
    catalog_version, hub_sections, linked_organisations, menu_for, municipal_account, search_services,
    unavailable_budget_s,
)
