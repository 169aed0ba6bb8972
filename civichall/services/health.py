"""The department systems' part of the health report (``civichall health``,
``/healthz``): how many enabled connectors have their circuit breaker open,
i.e. are answered with "temporarily unavailable" instead of being asked.

Registered with ``civichall.core.health`` in this app's ``ready()``; the
connectors' own statistics page in the admin has the details.
"""

from civichall.core.health import DEGRADED, DOWN, OK


def check_connectors():
    from .models import Connector
    from .runtime import breaker_for

    connectors = list(Connector.objects.filter(enabled=True).only("pk", "name").order_by("name"))
    if not connectors:
        return OK, "none enabled", {"enabled": 0, "open": []}
    unavailable = [c.name for c in connectors if breaker_for(c).state == "open"]
    facts = {"enabled": len(connectors), "open": unavailable}
    if not unavailable:
        return OK, f"{len(connectors)} enabled, all closed", facts
    detail = f"{len(unavailable)} of {len(connectors)} open: {', '.join(unavailable[:10])}"
    return (DOWN if len(unavailable) == len(connectors) else DEGRADED), detail, facts
