"""An account's menu as the service matrix keeps it, and the registries the
channels fill in.

The menu is stored in the shape the account's channel uses (``{"button":
[...]}``: columns, each a button or a list of sub-items). The rules of that
shape -- how many columns, how long a name, which fields a button needs --
belong to the channel (WeChat's live in ``civichall.channels.wechat``),
which registers them here in its ``ready()``:

* a **menu validator** reads a menu (JSON text or a dict), returns it in the
  stored shape, or raises :class:`MenuRefused` with every problem;
* a **menu download** is a link in the admin's menu list (label and URL
  name, the URL taking the menu's id).

Without any validator a menu must still be a JSON object with a list of
columns.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from civichall.core.i18n import message_lang
from civichall.core.lang import Message

#: Columns and items per column the site's bottom navigation shows at most.
SHOWN_COLUMNS = 3
SHOWN_ITEMS = 5


@dataclass(frozen=True)
class MenuProblem:
    """One broken rule: where (``path``), a machine ``code``, and what to do."""

    path: str
    code: str
    message: Message


class MenuRefused(ValidationError):
    """A menu the account's channel would refuse; ``problems`` lists every
    reason (each with ``path`` and a bilingual ``message``)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([self.line(p) for p in self.problems])

    @staticmethod
    def line(problem):
        text = problem.message.get(message_lang())
        return f"{problem.path}: {text}"

    def lines(self):
        return [self.line(p) for p in self.problems]


_validators = []
_downloads = []


def register_menu_validator(validator):
    """Add ``validator(menu) -> menu`` to the checks of every saved menu
    (registering the same one twice adds it once). Returns it, so that it
    can be used as a decorator."""
    if validator not in _validators:
        _validators.append(validator)
    return validator


def register_menu_download(label, url_name):
    """Offer a download of each menu in the admin's menu list: ``url_name``
    is reversed with the menu's id."""
    if (label, url_name) not in _downloads:
        _downloads.append((label, url_name))


def menu_downloads():
    """The registered downloads, as (label, URL name)."""
    return list(_downloads)


def _basic_shape(menu):
    if isinstance(menu, (str, bytes, bytearray)):
        try:
            menu = json.loads(menu)
        except (ValueError, UnicodeDecodeError):
            raise MenuRefused([MenuProblem(
                "(json)", "invalid_json", Message("菜单不是有效的 JSON，请检查括号、引号和逗号。",
                                                  "The menu is not valid JSON; check brackets, quotes and commas."))]) from None
    if not isinstance(menu, Mapping) or not isinstance(menu.get("button"), list):
        raise MenuRefused([MenuProblem(
            "(root)", "bad_shape", Message("菜单应是一个 JSON 对象：{\"button\": [...]}。",
                                           'The menu must be a JSON object: {"button": [...]}.'))])
    return dict(menu)


def check_menu(menu):
    """``menu`` (JSON text or a dict) in the stored shape, checked by every
    registered validator; MenuRefused with every reason otherwise."""
    if not _validators:
        return _basic_shape(menu)
    for validator in _validators:
        menu = validator(menu)
    return menu

