"""The citizen's corner of the page header: sign in, or "my account" and
the notifications with how many are unread."""

from django import template

from civichall.accounts.citizens import citizen_of

from .. import services

register = template.Library()


@register.inclusion_tag("notify/includes/citizen_nav.html", takes_context=True)
def citizen_nav(context):
    request = context.get("request")
    citizen = citizen_of(getattr(request, "user", None))
    return {
        "citizen": citizen,
        "unread": services.unread_count(citizen) if citizen else 0,
        # Back to this page after signing in (not to the sign-in page itself).
        "here": request.get_full_path() if request and not request.path.startswith("/citizen/") else "/citizen/",
    }
