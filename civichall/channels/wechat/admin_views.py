"""The admin's download of an account menu as WeChat's JSON."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from civichall.accounts import policy
from civichall.services.models import AccountMenu

from .menus import menu_as_json


def menu_export(request, pk):
    """The menu as a JSON file (WeChat's custom-menu shape, what
    ``civichall wechat_menu export`` prints)."""
    # A menu the user may not edit answers 404, as a missing one does.
    editable = policy.filter_allowed(request.user, "menu", "edit", AccountMenu.objects.select_related("organisation"))
    record = get_object_or_404(editable, pk=pk)
    response = HttpResponse(menu_as_json(record.menu) + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="menu-{record.organisation.slug}.json"'
    return response
