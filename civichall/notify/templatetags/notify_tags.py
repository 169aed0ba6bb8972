"""The citizen's corner of the page header: sign in, or "my account" and
the notifications with how many are unread."""

from django import template
from django.template.loader import render_to_string

from civichall.accounts.citizens import citizen_of

from .. import services

register = template.Library()


@register.inclusion_tag("notify/includes/citizen_nav.html", takes_context=True)
def citizen_nav(context):
    """Sign in, or "my account" and the notifications."""
    return citizen_nav_context(context.get("request"))


def render_citizen_nav(request, key="", obj=None):
    """The header's account links for ``request``'s reader: the personal part
    ``citizen_nav`` of every public page (``core/personal_parts.py``)."""
    return render_to_string("notify/includes/citizen_nav.html", citizen_nav_context(request))


def citizen_nav_context(request):
    """What the header's account corner shows ``request``'s reader."""
    citizen = citizen_of(getattr(request, "user", None))
    return {
        "citizen": citizen,
        "unread": services.unread_count(citizen, request) if citizen else 0,
        # Back to this page after signing in (not to the sign-in page itself).
        "here": request.get_full_path() if request and not request.path.startswith("/citizen/") else "/citizen/",
    }
