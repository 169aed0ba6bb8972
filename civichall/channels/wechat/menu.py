"""The WeChat custom menu: the three columns at the bottom of the account.

A menu has one to three columns. A column is either a single button, or a
named column that opens one to five sub-items. Items are of three types:

* ``click`` — WeChat sends the account an event with the item's ``key``;
* ``view`` — opens ``url`` (a hub page of the service matrix);
* ``miniprogram`` — opens a mini program (``appid`` + ``pagepath``), with
  ``url`` as the fallback for clients that cannot open mini programs.

WeChat rejects a whole menu when any limit is broken, with a bare error code.
This module checks every limit first and says, for each problem, *where* it
is (``button[1].sub_button[2].name``) and what to do, in Chinese and English.

Lengths are counted in UTF-8 bytes, as WeChat counts them: a Chinese
character is 3 bytes, so a column name holds at most 5 Chinese characters
(15 bytes), an item name at most 20.

:func:`parse_wechat_menu` reads WeChat's JSON (``{"button": [...]}``, or the
``{"menu": {...}}`` answer of WeChat's menu query), :func:`menu_to_wechat`
writes it back; for a valid menu in WeChat's form
``menu_to_wechat(parse_wechat_menu(x)) == x``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from civichall.core.lang import Message

MAX_COLUMNS = 3
MAX_SUB_ITEMS = 5
COLUMN_NAME_MAX_BYTES = 16
ITEM_NAME_MAX_BYTES = 60
KEY_MAX_BYTES = 128
URL_MAX_BYTES = 1024
ITEM_TYPES = ("click", "view", "miniprogram")

# Fields each item type needs, in WeChat's order.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "click": ("key",),
    "view": ("url",),
    "miniprogram": ("appid", "pagepath", "url"),
}
_ITEM_FIELDS = ("key", "url", "appid", "pagepath")
_APPID = re.compile(r"^wx[0-9A-Za-z]{16}$")

_FIELD_LABELS = {
    "name": ("名称", "name"),
    "key": ("事件键值 key", "key"),
    "url": ("网页链接 url", "url"),
    "appid": ("小程序 appid", "appid"),
    "pagepath": ("小程序页面路径 pagepath", "pagepath"),
    "type": ("类型 type", "type"),
}


@dataclass(frozen=True)
class MenuItem:
    """A button: a whole column, or a sub-item of a column."""

    name: str
    type: str
    key: str | None = None
    url: str | None = None
    appid: str | None = None
    pagepath: str | None = None


@dataclass(frozen=True)
class SubMenu:
    """A column that opens a list of sub-items."""

    name: str
    items: tuple[MenuItem, ...] = ()


Column = MenuItem | SubMenu


@dataclass(frozen=True)
class Menu:
    """A whole menu: one to three columns, left to right."""

    columns: tuple[Column, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (``path``), a machine ``code``, and what to do."""

    path: str
    code: str
    message: Message

    @property
    def message_zh(self) -> str:
        return self.message.zh

    @property
    def message_en(self) -> str:
        return self.message.en

    def __str__(self) -> str:
        return f"{self.path}: {self.message.zh} / {self.message.en}"


class MenuError(ValueError):
    """A menu WeChat would refuse; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "; ".join(str(p) for p in self.problems)
        super().__init__(f"菜单不符合微信的要求 / The menu breaks WeChat's rules: {lines}")


def byte_length(text: str) -> int:
    """Length of ``text`` in UTF-8 bytes, as WeChat counts it."""
    return len(text.encode("utf-8"))


def _problem(path: str, code: str, zh: str, en: str) -> Problem:
    return Problem(path=path, code=code, message=Message(zh, en))


# ---------------------------------------------------------------- validation


def validate_menu(menu: Menu) -> list[Problem]:
    """Every way ``menu`` breaks WeChat's limits; an empty list if none."""
    problems: list[Problem] = []
    columns = menu.columns
    if not columns:
        problems.append(_problem(
            "button", "too_few_columns",
            "菜单至少需要 1 个栏目。", "A menu needs at least 1 column.",
        ))
    elif len(columns) > MAX_COLUMNS:
        problems.append(_problem(
            "button", "too_many_columns",
            f"菜单最多 {MAX_COLUMNS} 个栏目，现在有 {len(columns)} 个。",
            f"A menu has at most {MAX_COLUMNS} columns; this one has {len(columns)}.",
        ))
    for i, column in enumerate(columns):
        path = f"button[{i}]"
        problems += _check_name(column.name, f"{path}.name", COLUMN_NAME_MAX_BYTES, column=True)
        if isinstance(column, SubMenu):
            items = column.items
            if not items:
                problems.append(_problem(
                    f"{path}.sub_button", "too_few_sub_items",
                    "栏目至少需要 1 个子菜单；不需要子菜单时请把栏目本身设为按钮。",
                    "A column needs at least 1 sub-item; without sub-items, make the column a button itself.",
                ))
            elif len(items) > MAX_SUB_ITEMS:
                problems.append(_problem(
                    f"{path}.sub_button", "too_many_sub_items",
                    f"每个栏目最多 {MAX_SUB_ITEMS} 个子菜单，现在有 {len(items)} 个。",
                    f"A column has at most {MAX_SUB_ITEMS} sub-items; this one has {len(items)}.",
                ))
            for j, item in enumerate(items):
                sub = f"{path}.sub_button[{j}]"
                problems += _check_name(item.name, f"{sub}.name", ITEM_NAME_MAX_BYTES, column=False)
                problems += _check_item_fields(item, sub)
        else:
            problems += _check_item_fields(column, path)
    return problems


def _check_name(name: Any, path: str, limit: int, *, column: bool) -> list[Problem]:
    what_zh, what_en = ("栏目名称", "A column name") if column else ("子菜单名称", "A sub-item name")
    if not isinstance(name, str) or not name.strip():
        return [_problem(path, "required", f"请填写{what_zh}。", f"{what_en} is required.")]
    size = byte_length(name)
    if size > limit:
        return [_problem(
            path, "too_long",
            f"{what_zh}最多 {limit} 个字节（约 {limit // 3} 个汉字），“{name}”有 {size} 个字节。",
            f"{what_en} is at most {limit} bytes (about {limit // 3} Chinese characters); "
            f"'{name}' has {size} bytes.",
        )]
    return []


def _check_item_fields(item: MenuItem, path: str) -> list[Problem]:
    problems: list[Problem] = []
    if not item.type:
        problems.append(_problem(
            f"{path}.type", "required",
            "请选择按钮类型：click、view 或 miniprogram。",
            "Choose a button type: click, view or miniprogram.",
        ))
        return problems
    if item.type not in ITEM_TYPES:
        problems.append(_problem(
            f"{path}.type", "bad_type",
            f"不支持的按钮类型“{item.type}”，可选：click（点击推事件）、view（打开网页）、miniprogram（打开小程序）。",
            f"Unsupported button type '{item.type}'; use click, view or miniprogram.",
        ))
        return problems
    required = REQUIRED_FIELDS[item.type]
    for name in _ITEM_FIELDS:
        value = getattr(item, name)
        fpath = f"{path}.{name}"
        zh_label, en_label = _FIELD_LABELS[name]
        if name not in required:
            if value is not None:
                problems.append(_problem(
                    fpath, "unexpected_field",
                    f"{item.type} 类型的按钮不使用{zh_label}，请删除。",
                    f"A {item.type} button does not use {en_label}; remove it.",
                ))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(_problem(
                fpath, "required",
                f"{item.type} 类型的按钮必须填写{zh_label}。",
                f"A {item.type} button needs {en_label}.",
            ))
            continue
        if name == "key" and byte_length(value) > KEY_MAX_BYTES:
            problems.append(_problem(
                fpath, "too_long",
                f"{zh_label}最多 {KEY_MAX_BYTES} 个字节，现在有 {byte_length(value)} 个字节。",
                f"The key is at most {KEY_MAX_BYTES} bytes; this one has {byte_length(value)}.",
            ))
        if name == "url":
            if byte_length(value) > URL_MAX_BYTES:
                problems.append(_problem(
                    fpath, "too_long",
                    f"{zh_label}最多 {URL_MAX_BYTES} 个字节，现在有 {byte_length(value)} 个字节。",
                    f"The URL is at most {URL_MAX_BYTES} bytes; this one has {byte_length(value)}.",
                ))
            if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
                problems.append(_problem(
                    fpath, "bad_url",
                    "网页链接须以 http:// 或 https:// 开头，且不能含空格。",
                    "The URL must start with http:// or https:// and contain no spaces.",
                ))
        if name == "appid" and not _APPID.match(value):
            problems.append(_problem(
                fpath, "bad_appid",
                "小程序 appid 的格式应为 wx 加 16 位字母或数字，请从小程序后台复制。",
                "A mini program appid is 'wx' followed by 16 letters or digits; copy it from the mini program console.",
            ))
    return problems


# ------------------------------------------------------------------- parsing


def parse_wechat_menu(data: str | bytes | Mapping[str, Any]) -> Menu:
    """Read a menu in WeChat's JSON form (text or already-decoded dict).

    Raises :class:`MenuError` listing every problem — invalid JSON, a wrong
    shape, or a broken WeChat limit — each with its path.
    """
    if isinstance(data, (str, bytes, bytearray)):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            where = ""
            if isinstance(exc, json.JSONDecodeError):
                where = f"（第 {exc.lineno} 行第 {exc.colno} 列）"
                where_en = f" (line {exc.lineno}, column {exc.colno})"
            else:
                where_en = ""
            raise MenuError([_problem(
                "(json)", "invalid_json",
                f"菜单不是有效的 JSON{where}，请检查括号、引号和逗号。",
                f"The menu is not valid JSON{where_en}; check brackets, quotes and commas.",
            )]) from None
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise MenuError([_problem(
            "(root)", "bad_shape",
            "菜单应是一个 JSON 对象：{\"button\": [...]}。",
            'The menu must be a JSON object: {"button": [...]}.',
        )])
    # WeChat's menu query answers {"menu": {"button": [...], "menuid": ...}}.
    if "button" not in data and isinstance(data.get("menu"), Mapping):
        data = {k: v for k, v in data["menu"].items() if k != "menuid"}
    for extra in sorted(set(data) - {"button"}):
        problems.append(_unknown_field(str(extra)))
    buttons = data.get("button")
    if not isinstance(buttons, list):
        problems.append(_problem(
            "button", "bad_shape",
            "缺少栏目列表 button（应是一个数组）。",
            "The column list 'button' is missing (it must be an array).",
        ))
        raise MenuError(problems)
    columns: list[Column] = []
    for i, raw in enumerate(buttons):
        path = f"button[{i}]"
        if not isinstance(raw, Mapping):
            problems.append(_not_object(path))
            continue
        subs = raw.get("sub_button")
        if isinstance(subs, list) and subs:
            for extra in sorted(set(raw) - {"name", "sub_button"}):
                problems.append(_problem(
                    f"{path}.{extra}", "unexpected_field",
                    "带子菜单的栏目只需要名称 name 和子菜单 sub_button，请删除其他字段。",
                    "A column with sub-items takes only name and sub_button; remove the other fields.",
                ))
            items: list[MenuItem] = []
            for j, sub_raw in enumerate(subs):
                sub_path = f"{path}.sub_button[{j}]"
                if not isinstance(sub_raw, Mapping):
                    problems.append(_not_object(sub_path))
                    continue
                item, item_problems = _read_item(sub_raw, sub_path)
                problems += item_problems
                items.append(item)
            columns.append(SubMenu(name=_str_or_none(raw.get("name")) or "", items=tuple(items)))
        elif subs is not None and not isinstance(subs, list):
            problems.append(_problem(
                f"{path}.sub_button", "bad_shape",
                "子菜单 sub_button 应是一个数组。", "sub_button must be an array.",
            ))
        elif "type" not in raw and isinstance(subs, list):
            # An empty sub_button list and no type: a column with no sub-items.
            columns.append(SubMenu(name=_str_or_none(raw.get("name")) or "", items=()))
        else:
            item, item_problems = _read_item(raw, path)
            problems += item_problems
            columns.append(item)
    menu = Menu(columns=tuple(columns))
    problems += validate_menu(menu)
    if problems:
        raise MenuError(_dedupe(problems))
    return menu


def _read_item(raw: Mapping[str, Any], path: str) -> tuple[MenuItem, list[Problem]]:
    problems: list[Problem] = []
    # WeChat's menu query adds an empty sub_button list to every button.
    allowed = {"type", "name", *_ITEM_FIELDS, "sub_button"}
    for extra in sorted(set(raw) - allowed):
        problems.append(_unknown_field(f"{path}.{extra}"))
    if raw.get("sub_button") not in (None, []):
        problems.append(_problem(
            f"{path}.sub_button", "bad_shape",
            "子菜单下不能再有子菜单。", "A sub-item cannot have sub-items of its own.",
        ))
    for name in ("type", "name", *_ITEM_FIELDS):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            zh_label, en_label = _FIELD_LABELS[name]
            problems.append(_problem(
                f"{path}.{name}", "bad_shape",
                f"{zh_label}应是文字。", f"{en_label} must be a string.",
            ))
    item = MenuItem(
        name=_str_or_none(raw.get("name")) or "",
        type=_str_or_none(raw.get("type")) or "",
        **{name: _str_or_none(raw.get(name)) for name in _ITEM_FIELDS},
    )
    return item, problems


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _unknown_field(path: str) -> Problem:
    return _problem(
        path, "unknown_field",
        "微信菜单不认识这个字段，请删除。", "WeChat menus do not know this field; remove it.",
    )


def _not_object(path: str) -> Problem:
    return _problem(
        path, "bad_shape",
        "每个按钮应是一个 JSON 对象。", "Each button must be a JSON object.",
    )


def _dedupe(problems: list[Problem]) -> list[Problem]:
    # The shape check and the limit check can both notice the same field
    # (a number as a name is "not text" and "missing"); say it once.
    shape_paths = {p.path for p in problems if p.code == "bad_shape"}
    seen: set[tuple[str, str]] = set()
    out: list[Problem] = []
    for p in problems:
        marker = (p.path, p.code)
        if marker in seen or (p.code == "required" and p.path in shape_paths):
            continue
        seen.add(marker)
        out.append(p)
    return out


# ------------------------------------------------------------------- writing


def menu_to_wechat(menu: Menu) -> dict[str, list[dict[str, Any]]]:
    """The menu in exactly WeChat's shape: ``{"button": [...]}``."""
    buttons: list[dict[str, Any]] = []
    for column in menu.columns:
        if isinstance(column, SubMenu):
            buttons.append({"name": column.name, "sub_button": [_item_to_wechat(i) for i in column.items]})
        else:
            buttons.append(_item_to_wechat(column))
    return {"button": buttons}


def _item_to_wechat(item: MenuItem) -> dict[str, Any]:
    out: dict[str, Any] = {"type": item.type, "name": item.name}
    for name in _ITEM_FIELDS:
        value = getattr(item, name)
        if value is not None:
            out[name] = value
    return out


def menu_to_json(menu: Menu) -> str:
    """The menu as the JSON text WeChat's menu-create call expects (UTF-8
    characters kept as they are: WeChat counts their bytes, not ``\\u`` escapes)."""
    return json.dumps(menu_to_wechat(menu), ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class MenuSummary:
    """Counts of a menu, for an admin overview."""

    columns: int
    items: int
    by_type: dict[str, int] = field(default_factory=dict)


def summarize(menu: Menu) -> MenuSummary:
    """How many columns and clickable items ``menu`` has, by type."""
    by_type: dict[str, int] = {}
    items = 0
    for column in menu.columns:
        leaves = column.items if isinstance(column, SubMenu) else (column,)
        for leaf in leaves:
            items += 1
            by_type[leaf.type] = by_type.get(leaf.type, 0) + 1
    return MenuSummary(columns=len(menu.columns), items=items, by_type=by_type)
