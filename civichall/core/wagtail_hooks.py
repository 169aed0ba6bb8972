"""Admin wiring of the site profile: *Settings → Site profile* saves through
``do_save_site_profile`` (permission, validation, audit), never behind it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages

from .models import SiteProfile
from .site_actions import PROFILE_FIELDS, do_save_site_profile


@hooks.register("before_edit_setting")
def save_site_profile_through_its_action(request, instance):
    """On a POST of the site profile's form: validate it, then let the action
    save it; a refusal or an invalid form falls back to Wagtail's form page."""
    if not isinstance(instance, SiteProfile) or request.method != "POST":
        return None
    from wagtail.contrib.settings.views import get_setting_edit_handler

    form_class = get_setting_edit_handler(SiteProfile).get_form_class()
    form = form_class(request.POST, request.FILES, instance=instance, for_user=request.user)
    if not form.is_valid():
        return None  # Wagtail's view shows the form with its errors (and saves nothing)
    data = {name: form.cleaned_data[name] for name in PROFILE_FIELDS if name in form.cleaned_data}
    try:
        do_save_site_profile(request.user, instance.site, source="admin", **data)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wagtailsettings:edit", "civichall_core", "siteprofile", instance.site.pk)
    messages.success(request, _("Site profile updated."))
    return redirect("wagtailsettings:edit", "civichall_core", "siteprofile", instance.site.pk)


@hooks.register("register_log_actions")
def register_log_actions(registry):
    registry.register_action("civichall.site_profile.edit", gettext_lazy("Edit site profile"),
                             gettext_lazy("Site profile changed"))
