"""Admin wiring of the Open311 channel: *Open311 API keys* under Settings
(municipal administrators), where a key is revoked; keys are issued with
``civichall open311 create_key NAME``. Every change goes through
``actions`` and lands in the audit log."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList

from civichall.accounts.admin_viewsets import ActionViewSet

from . import actions
from .forms import ApiKeyForm
from .models import ApiKey


@hooks.register("register_log_actions")
def register_log_actions(registry):
    for key, label, message in actions.LOG_ACTIONS:
        registry.register_action(key, label, message)


def _save_key(user, instance, form):
    if instance is None or not instance.pk:
        raise PermissionDenied(_("Issue keys with: civichall open311 create_key NAME"))
    if form.cleaned_data.get("revoke"):
        return actions.do_revoke_key(user, instance)
    return instance


def _refuse_delete(user, instance):
    raise PermissionDenied(_("Revoke the key instead: the requests posted with it stay on record."))


class ApiKeyViewSet(ActionViewSet):
    model = ApiKey
    policy_kind = "open311_key"
    icon = "key"
    menu_label = _("Open311 API keys")
    add_to_settings_menu = True
    add_view_enabled = False
    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("revoke")], base_form_class=ApiKeyForm)
    save_action = staticmethod(_save_key)
    delete_action = staticmethod(_refuse_delete)


@hooks.register("register_admin_viewset")
def register_viewset():
    return ApiKeyViewSet("open311_keys", url_prefix="open311/keys")
