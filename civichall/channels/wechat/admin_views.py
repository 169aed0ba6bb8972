"""The admin's own screens of the WeChat channel: the download of an
account menu as WeChat's JSON, the menu push, and the log of calls made to
the platform."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

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


# ------------------------------------------------------------ the platform-call log

CALLS_PER_PAGE = 50


def mask_openid(openid):
    """An OpenID as the log shows it: enough to tell two followers apart, not to write to one."""
    if not openid:
        return ""
    if len(openid) <= 8:
        return openid[:2] + "…"
    return f"{openid[:4]}…{openid[-4:]}"


class PlatformCallsView(WagtailAdminTemplateMixin, TemplateView):
    """The calls made to the platform for the accounts of the user's
    organisations: time, API, follower (masked), the platform's answer in
    Chinese, duration; filtered by account, API and failure; paged."""

    template_name = "wechat/platform_calls.html"
    page_title = gettext_lazy("Platform calls")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        from .permissions import access_delivery

        access_delivery(request.user)  # a citizen, or staff of no organisation: 403
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator
        from django.db.models import Q
        from django.utils.translation import pgettext

        from .models import Delivery, WechatAccount
        from .permissions import deliveries_for
        from .platform import errcode_message

        context = super().get_context_data(**kwargs)
        params = self.request.GET
        calls = deliveries_for(self.request.user, Delivery.objects.select_related("account__organisation"))
        accounts = list(WechatAccount.objects.select_related("organisation")
                        .filter(pk__in=calls.values("account_id")).order_by("organisation__name_zh"))
        apis = sorted(set(calls.values_list("api", flat=True)))
        api, account, failed = params.get("api", ""), params.get("account", ""), params.get("failed") == "1"
        if api:
            calls = calls.filter(api=api)
        if account.isdigit():
            calls = calls.filter(account_id=int(account))
        if failed:  # an error code, or no answer at all (the network)
            calls = calls.filter(Q(errcode__isnull=True) | ~Q(errcode=0))
        page = Paginator(calls.order_by("-sent_at", "-id"), CALLS_PER_PAGE).get_page(params.get("p"))
        rows = [{
            "sent_at": call.sent_at, "api": call.api, "account": call.account.organisation.display_account_name,
            "openid": mask_openid(call.openid), "summary": call.summary[:60], "ok": call.errcode == 0,
            "answer": pgettext("wechat", "OK") if call.errcode == 0 else errcode_message(call.errcode, call.errmsg),
            "duration_ms": call.duration_ms,
        } for call in page.object_list]
        query = params.copy()
        query.pop("p", None)
        context.update(rows=rows, page=page, apis=apis, api=api, accounts=accounts, account=account,
                       failed=failed, query=query.urlencode())
        return context
