"""Admin screens of the service matrix beyond the model lists (thin: check
access, call ``runtime`` or an action, render).

* the connector-health report (administrators of the municipal account):
  calls, errors, latency and breaker state of every department system, with
  a button to close a breaker once the department is back.
"""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import actions, runtime
from .permissions import access_connector, connectors_for

STATE_LABELS = {
    "closed": _("Working"),
    "open": _("Cut off (failing)"),
    "half_open": _("Trying again"),
}


class ConnectorHealthView(WagtailAdminTemplateMixin, TemplateView):
    """Calls, errors, latency and breaker state per connector."""

    template_name = "services/admin/connector_health.html"
    page_title = _("Connector health")
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        access_connector(request.user, None, "view")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = runtime.health(connectors_for(self.request.user, "view"))
        for row in rows:
            row["state_label"] = STATE_LABELS.get(row["state"], row["state"])
            row["retry_at_display"] = (
                timezone.localtime(datetime.datetime.fromtimestamp(row["retry_at"], tz=datetime.UTC))
                if row["retry_at"] else None
            )
            row["edit_url"] = reverse("services_connectors:edit", args=[row["connector"].pk])
            row["reset_url"] = reverse("services_connector_reset", args=[row["connector"].pk])
        context.update(rows=rows, can_reset=True,
                       failing=sum(1 for r in rows if r["state"] != "closed"))
        return context


class ResetBreakerView(View):
    """POST: close a connector's breaker and zero its counters."""

    http_method_names = ["post"]

    def post(self, request, pk):
        connector = get_object_or_404(connectors_for(request.user, "edit"), pk=pk)
        actions.do_reset_breaker(request.user, connector)
        messages.success(request, _("The breaker of “%(name)s” was reset.") % {"name": connector.name})
        return redirect("services_connector_health")

