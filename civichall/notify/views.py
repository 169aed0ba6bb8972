"""The citizen's notification centre: ``/citizen/notifications/``."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from civichall.accounts.citizens import citizen_of
from civichall.core.inputs import int_or_none

from . import services


@require_http_methods(["GET", "POST"])
def notifications(request):
    """The signed-in citizen's notifications, newest first; POST marks them read."""
    citizen = citizen_of(request.user)
    if citizen is None:
        return redirect(f"/citizen/sign-in/?next={request.path}")
    if request.method == "POST":
        ids = [n for n in (int_or_none(i) for i in request.POST.getlist("id")) if n is not None] or None
        services.mark_read(citizen, ids)
        return redirect(request.path)
    page = Paginator(services.notifications_for(citizen), 30).get_page(request.GET.get("page"))
    return render(request, "notify/notifications.html", {
        "citizen": citizen, "page_obj": page, "unread": services.unread_count(citizen),
    })
