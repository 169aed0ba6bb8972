"""Changing the service matrix: services, their status, hubs, connectors (and
their shares) and account menus -- one module per topic, re-exported here.

``check_*`` functions validate and raise ``ValidationError`` with a message
per field; ``do_*`` functions authorise the actor (a user, or
``accounts.policy.SYSTEM`` for the operator's console and the demo loader),
change state and write Wagtail's audit log. The admin, the CLI, the API, the
demo and the tests all call these.

Secrets of connectors never reach the audit log: it records only that a
secret was set or changed.
"""

from .connectors import (  # noqa: F401
    CONNECTOR_FIELDS,
    MAX_TIMEOUT_S,
    check_connector,
    do_reset_breaker,
    do_revoke_connector_share,
    do_save_connector,
    do_share_connector,
)
from .deletion import (  # noqa: F401
    do_delete,
)
from .hubs import (  # noqa: F401
    HUB_FIELDS,
    do_save_hub,
    do_save_hub_form,
    log_hub_saved,
)
from .menus import (  # noqa: F401
    MenuRefused,
    check_menu,
    do_import_menu,
    do_save_menu_form,
    export_menu,
)
from .service import (  # noqa: F401
    SERVICE_FIELDS,
    check_service,
    do_save_service,
    do_set_status,
    service_fields_from_references,
)
