"""The page staff see when django-axes has locked their sign-in: in their
language, with how long to wait, and status 429."""

from axes.helpers import get_cool_off, get_failure_limit
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(request, "accounts/staff/locked_out.html", {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": minutes,
    }, status=429)


def client_ip(request):
    """The address axes counts: the one our proxy saw (see
    ``core.ratelimit.client_address``), or None when there is none (axes
    stores it in an IP address column)."""
    from civichall.core.ratelimit import client_address

    address = client_address(request)
    return None if address == "unknown" else address
