"""Named actions that act on the platform: pushing the stored menu, asking
for a scene QR code. Both are audited with the platform's answer; the
platform's refusal reaches the caller as ``platform.PlatformError``, whose
message is Chinese."""

from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.accounts.policy import recorded_user
from civichall.core.errors import REFUSALS, Refusal  # noqa: F401 (re-exported for the shells)
from civichall.services.runtime import menu_for

from . import platform
from .permissions import access_wechat_account

MAX_SCENE = 64


def do_push_menu(user, account, source=""):
    """Send the account's menu (its own, or the one it inherits) to the
    platform's menu API; returns the number of columns sent."""
    access_wechat_account(user, account, "edit")
    menu = menu_for(account.organisation)
    if not menu:
        raise Refusal("invalid", _("This account has no menu to send. Import one first."), 422)
    try:
        platform.push_menu(account, menu)
    except platform.PlatformError as error:
        log(instance=account, action="civichall.wechat.menu_push", user=recorded_user(user),
            data={"source": source, "errcode": error.errcode, "error": error.message})
        raise
    columns = len(menu.get("button", []))
    log(instance=account, action="civichall.wechat.menu_push", user=recorded_user(user),
        data={"source": source, "errcode": 0, "columns": columns})
    return columns


def check_scene(scene):
    scene = (scene or "").strip()
    if not scene or len(scene) > MAX_SCENE or any(c.isspace() for c in scene):
        raise Refusal("invalid", _("A scene is 1 to 64 characters without spaces, e.g. bus_realtime:stop=人民广场."),
                      422, fields={"scene": _("1 to 64 characters without spaces.")})
    return scene


def do_create_qrcode(user, account, scene, expire_seconds=None, source=""):
    """Ask the platform for a QR code that opens ``scene`` (see
    ``answering._scene``); returns the platform's answer with ``image``."""
    access_wechat_account(user, account, "edit")
    scene = check_scene(scene)
    result = platform.create_qrcode(account, scene, expire_seconds)
    log(instance=account, action="civichall.wechat.qrcode", user=recorded_user(user),
        data={"source": source, "scene": scene})
    return result
