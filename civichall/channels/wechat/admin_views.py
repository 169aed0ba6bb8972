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


def _editable_account(request, pk):
    from .models import WechatAccount

    editable = policy.filter_allowed(request.user, "wechat_account", "edit",
                                     WechatAccount.objects.select_related("organisation"))
    return get_object_or_404(editable, pk=pk)


def push_menu(request, pk):
    """The admin button: send the account's stored menu to the platform
    (GET asks to confirm, POST sends; the platform's error is shown in Chinese)."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.template.response import TemplateResponse
    from django.utils.translation import gettext as _

    from . import sync
    from .platform import PlatformError

    account = _editable_account(request, pk)
    if request.method != "POST":
        return TemplateResponse(request, "wechat/push_menu_confirm.html", {"account": account})
    try:
        columns = sync.do_push_menu(request.user, account, source="admin")
    except PlatformError as error:
        messages.error(request, error.message)
    except sync.REFUSALS as error:
        from civichall.core.errors import report_refusal

        report_refusal(request, error)
    else:
        messages.success(request, _("Menu sent to WeChat: %(columns)s column(s).") % {"columns": columns})
    return redirect("wechat_accounts:edit", account.pk)
