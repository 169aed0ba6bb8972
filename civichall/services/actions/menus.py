"""Account menus in WeChat's shape, refused with every reason when they break WeChat's limits."""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log

from .. import menu as menu_core
from ..models import (
    AccountMenu,
)
from ..permissions import (
    access_menu,
)
from .common import _lang, _user_or_none

# --- menus --------------------------------------------------------------------------------


class MenuRefused(ValidationError):
    """A menu WeChat would refuse; ``problems`` lists every reason (path,
    Chinese and English message)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([self.line(p) for p in self.problems])

    @staticmethod
    def line(problem):
        text = problem.message_en if _lang() == "en" else problem.message_zh
        return f"{problem.path}: {text}"

    def lines(self):
        return [self.line(p) for p in self.problems]


def check_menu(json_text):
    """Parse and validate a WeChat menu (JSON text or a dict); returns it in
    WeChat's exact shape, or raises ``MenuRefused`` with every reason."""
    try:
        parsed = menu_core.parse_wechat_menu(json_text)
    except menu_core.MenuError as error:
        raise MenuRefused(error.problems) from None
    return menu_core.menu_to_wechat(parsed)


@transaction.atomic
def do_import_menu(org, json_text, user, source=""):
    """Replace ``org``'s account menu with the WeChat menu JSON ``json_text``
    (validated against WeChat's limits: refused as a whole with the reasons,
    ``MenuRefused``). Returns the ``AccountMenu``."""
    access_menu(user, org, "edit")
    menu = check_menu(json_text)
    record = AccountMenu.objects.select_for_update().filter(organisation=org).first()
    if record is not None and record.menu == menu:
        return record
    creating = record is None
    if creating:
        record = AccountMenu(organisation=org)
    previous = None if creating else record.menu
    record.menu = menu
    record.updated_by = _user_or_none(user)
    record.save()
    data = {"organisation": org.slug, "menu": menu}
    if previous is not None:
        data["previous"] = previous
    if source:
        data["source"] = source
    log(instance=record, action="civichall.services.menu.import", user=_user_or_none(user), data=data)
    return record


def export_menu(org):
    """``org``'s own menu in WeChat's shape (``{"button": [...]}``), or None."""
    record = AccountMenu.objects.filter(organisation=org).first()
    return record.menu if record is not None else None


def menu_as_json(menu):
    """The menu as the text ``wechat_menu export`` prints (UTF-8 kept, indented)."""
    return json.dumps(menu, ensure_ascii=False, indent=2)


@transaction.atomic
def do_save_menu_form(user, org, menu, source="admin"):
    """Save a menu from the admin (already checked by ``check_menu``)."""
    return do_import_menu(org, menu, user, source=source)
