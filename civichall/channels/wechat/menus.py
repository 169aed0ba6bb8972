"""Account menus for WeChat: the check every saved menu passes, and the JSON
text the ``wechat_menu`` command prints and the admin downloads."""

import json

from civichall.services.account_menus import MenuRefused

from . import menu as rules


def check_wechat_menu(menu):
    """Parse and validate a WeChat menu (JSON text or a dict); returns it in
    WeChat's exact shape, or raises ``MenuRefused`` with every reason."""
    try:
        parsed = rules.parse_wechat_menu(menu)
    except rules.MenuError as error:
        raise MenuRefused(error.problems) from None
    return rules.menu_to_wechat(parsed)


def menu_as_json(menu):
    """The menu as the text ``wechat_menu export`` prints (UTF-8 kept, indented)."""
    return json.dumps(menu, ensure_ascii=False, indent=2)
