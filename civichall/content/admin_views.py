"""Admin screens for the newsroom's discipline: force-publish with a reason,
withdrawal with a public explanation, unpublish-in-error with a replacement.

Thin: parse the form, call the action, report the result.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from civichall.core.errors import REFUSALS, report_refusal

from . import actions
from .models import ArticlePage
from .permissions import access_page


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), min_length=5, max_length=2000
    )


class UnpublishForm(ReasonForm):
    replacement = forms.ModelChoiceField(
        label=_("Replacement page"),
        queryset=Page.objects.live(),
        widget=AdminPageChooser(target_models=[ArticlePage]),
    )


SCREENS = {
    "force_publish": {
        "form": ReasonForm,
        "title": _("Publish without review"),
        "intro": _(
            "Publishing without review is for emergencies. Write why: the reason is kept in "
            "the audit log, and the article shows as “not reviewed” until a reviewer approves it."
        ),
        "done": _("Published without review. The article waits for a reviewer's approval."),
        "run": lambda page, user, data: actions.do_force_publish(page, user, data["reason"]),
    },
    "withdraw": {
        "form": ReasonForm,
        "title": _("Withdraw article"),
        "intro": _(
            "The article keeps its address and shows a banner with this explanation to the public."
        ),
        "done": _("The article has been withdrawn."),
        "run": lambda page, user, data: actions.do_withdraw(page, user, data["reason"]),
    },
    "unpublish": {
        "form": UnpublishForm,
        "title": _("Unpublish (published in error)"),
        "intro": _("The page is taken down and its address leads to the replacement page."),
        "done": _("Unpublished; its address now leads to the replacement."),
        "run": lambda page, user, data: actions.do_unpublish_in_error(
            page, user, data["replacement"].specific, data["reason"]
        ),
    },
}


def page_action(request, page_id, action):
    """Show the form for ``action`` on a page and carry it out on POST."""
    screen = SCREENS[action]
    page = get_object_or_404(Page, pk=page_id).specific
    try:
        access_page(request.user, page, action)
    except PermissionDenied as refused:
        report_refusal(request, refused)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    form = screen["form"](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screen["run"](page, request.user, form.cleaned_data)
        except REFUSALS as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(request, screen["done"])
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "content/admin/page_action.html",
        {"page": page, "form": form, "title": screen["title"], "intro": screen["intro"],
         "action": action},
    )
