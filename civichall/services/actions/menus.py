"""Account menus: saved whole, after every check the account's channel
registered (see ``account_menus``), refused with every reason otherwise."""

from django.db import transaction
from wagtail.log_actions import log

from ..account_menus import MenuRefused, check_menu
from ..models import AccountMenu
from ..permissions import access_menu
from .common import _user_or_none

__all__ = ["MenuRefused", "check_menu", "do_import_menu", "do_save_menu_form", "export_menu"]


@transaction.atomic
def do_import_menu(org, json_text, user, source=""):
    """Replace ``org``'s account menu with the menu ``json_text`` (JSON text
    or a dict), checked by ``check_menu``: refused as a whole with the
    reasons, ``MenuRefused``. Returns the ``AccountMenu``."""
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
    """``org``'s own menu in the stored shape (``{"button": [...]}``), or None."""
    record = AccountMenu.objects.filter(organisation=org).first()
    return record.menu if record is not None else None


@transaction.atomic
def do_save_menu_form(user, org, menu, source="admin"):
    """Save a menu from the admin (already checked by ``check_menu``)."""
    return do_import_menu(org, menu, user, source=source)
