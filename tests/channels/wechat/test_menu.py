"""WeChat custom menu: limits, paths of problems, parsing and round trip."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civichall.channels.wechat.menu import (
    Menu,
    MenuError,
    MenuItem,
    SubMenu,
    byte_length,
    menu_to_json,
    menu_to_wechat,
    parse_wechat_menu,
    summarize,
    validate_menu,
)
from civichall.contrib.demo.catalog import demo_menu

CN = "市"  # 3 bytes in UTF-8


def one_column(column: dict) -> dict:
    return {"button": [column]}


def click(name="今日资讯", key="NEWS"):
    return {"type": "click", "name": name, "key": key}


def view(name="实时公交", url="https://civichall.example.org/services/bus/"):
    return {"type": "view", "name": name, "url": url}


def problems_of(data) -> list:
    with pytest.raises(MenuError) as info:
        parse_wechat_menu(data)
    return info.value.problems


def paths(data) -> set[str]:
    return {p.path for p in problems_of(data)}


# ------------------------------------------------------------------ valid


def test_demo_menu_is_valid_and_round_trips():
    data = demo_menu()
    menu = parse_wechat_menu(json.dumps(data, ensure_ascii=False))
    assert len(menu.columns) == 3
    assert menu_to_wechat(menu) == data
    assert summarize(menu).columns == 3


def test_all_three_item_types_round_trip_from_text():
    data = {"button": [
        click(),
        {"name": "服务", "sub_button": [
            view(),
            {"type": "miniprogram", "name": "随申码", "url": "https://civichall.example.org/code/",
             "appid": "wx0123456789abcdef", "pagepath": "pages/code/index?from=menu"},
            click("赞一下", "LIKE"),
        ]},
    ]}
    text = json.dumps(data, ensure_ascii=False)
    assert menu_to_wechat(parse_wechat_menu(text)) == data
    assert menu_to_wechat(parse_wechat_menu(text.encode("utf-8"))) == data
    assert json.loads(menu_to_json(parse_wechat_menu(data))) == data
    # WeChat counts bytes of characters, not of \u escapes.
    assert "随申码" in menu_to_json(parse_wechat_menu(data))


def test_menu_query_answer_is_accepted():
    # WeChat's menu query wraps the menu and adds empty sub_button lists.
    answer = {"menu": {"button": [
        {"type": "click", "name": "今日资讯", "key": "NEWS", "sub_button": []},
        {"name": "服务", "sub_button": [{"type": "view", "name": "公交", "url": "https://a.example/", "sub_button": []}]},
    ], "menuid": 208396938}}
    menu = parse_wechat_menu(answer)
    assert menu_to_wechat(menu) == {"button": [
        click(),
        {"name": "服务", "sub_button": [{"type": "view", "name": "公交", "url": "https://a.example/"}]},
    ]}


def test_validate_menu_on_dataclasses():
    menu = Menu(columns=(
        MenuItem(name="资讯", type="click", key="NEWS"),
        SubMenu(name="市民大厅", items=tuple(MenuItem(name=f"服务{i}", type="view", url="https://a.example/") for i in range(6))),
    ))
    found = validate_menu(menu)
    assert [p.path for p in found] == ["button[1].sub_button"]
    assert found[0].code == "too_many_sub_items"


# ------------------------------------------------------------------ limits


@pytest.mark.parametrize("name, ok", [
    (CN * 5, True),            # 15 bytes
    (CN * 5 + "a", True),      # 16 bytes: exactly the limit
    (CN * 5 + "ab", False),    # 17 bytes
    (CN * 6, False),           # 18 bytes
    ("a" * 16, True),
    ("a" * 17, False),
])
def test_column_name_limit_is_16_bytes(name, ok):
    for column in (click(name=name), {"name": name, "sub_button": [view()]}):
        data = one_column(column)
        if ok:
            assert menu_to_wechat(parse_wechat_menu(data)) == data
        else:
            found = problems_of(data)
            assert [(p.path, p.code) for p in found] == [("button[0].name", "too_long")]
            assert "16" in found[0].message_zh and "字节" in found[0].message_zh
            assert "16 bytes" in found[0].message_en


@pytest.mark.parametrize("name, ok", [
    (CN * 20, True),           # 60 bytes: the limit
    (CN * 19 + "abc", True),   # 60 bytes
    (CN * 20 + "a", False),    # 61 bytes
    (CN * 21, False),          # 63 bytes
])
def test_sub_item_name_limit_is_60_bytes(name, ok):
    data = one_column({"name": "服务", "sub_button": [view(), view(name=name)]})
    if ok:
        parse_wechat_menu(data)
    else:
        assert [(p.path, p.code) for p in problems_of(data)] == [("button[0].sub_button[1].name", "too_long")]


@pytest.mark.parametrize("key, ok", [
    ("K" * 128, True),
    ("K" * 129, False),
    (CN * 42 + "KK", True),    # 128 bytes
    (CN * 43, False),          # 129 bytes
])
def test_key_limit_is_128_bytes(key, ok):
    data = one_column(click(key=key))
    if ok:
        parse_wechat_menu(data)
    else:
        assert [(p.path, p.code) for p in problems_of(data)] == [("button[0].key", "too_long")]


@pytest.mark.parametrize("extra, ok", [(0, True), (1, False)])
def test_url_limit_is_1024_bytes(extra, ok):
    base = "https://civichall.example.org/s?q="
    url = base + "x" * (1024 - len(base) + extra)
    assert byte_length(url) == 1024 + extra
    data = one_column({"name": "服务", "sub_button": [view(url=url)]})
    if ok:
        parse_wechat_menu(data)
    else:
        assert [(p.path, p.code) for p in problems_of(data)] == [("button[0].sub_button[0].url", "too_long")]


def test_url_with_chinese_counts_bytes():
    base = "https://civichall.example.org/s?q="
    fill = 1024 - len(base)
    assert fill % 3 == 0
    parse_wechat_menu(one_column(view(url=base + CN * (fill // 3))))  # 1024 bytes
    assert paths(one_column(view(url=base + CN * (fill // 3) + "x"))) == {"button[0].url"}  # 1025


@pytest.mark.parametrize("count, ok", [(0, False), (1, True), (3, True), (4, False)])
def test_one_to_three_columns(count, ok):
    data = {"button": [click(name=f"栏目{i}", key=f"K{i}") for i in range(count)]}
    if ok:
        assert len(parse_wechat_menu(data).columns) == count
    else:
        found = problems_of(data)
        assert [p.path for p in found] == ["button"]
        assert found[0].code == ("too_few_columns" if count == 0 else "too_many_columns")


@pytest.mark.parametrize("count, ok", [(0, False), (1, True), (5, True), (6, False)])
def test_one_to_five_sub_items(count, ok):
    data = one_column({"name": "市民大厅", "sub_button": [view(name=f"服务{i}") for i in range(count)]})
    if ok:
        assert len(parse_wechat_menu(data).columns[0].items) == count
    else:
        found = problems_of(data)
        assert [p.path for p in found] == ["button[0].sub_button"]
        assert found[0].code == ("too_few_sub_items" if count == 0 else "too_many_sub_items")


# --------------------------------------------------------- required fields


@pytest.mark.parametrize("item, missing", [
    ({"type": "click", "name": "资讯"}, "key"),
    ({"type": "view", "name": "公交"}, "url"),
    ({"type": "miniprogram", "name": "小程序", "url": "https://a.example/", "pagepath": "pages/index"}, "appid"),
    ({"type": "miniprogram", "name": "小程序", "url": "https://a.example/", "appid": "wx0123456789abcdef"}, "pagepath"),
    ({"type": "miniprogram", "name": "小程序", "appid": "wx0123456789abcdef", "pagepath": "pages/index"}, "url"),
    ({"name": "资讯", "key": "NEWS"}, "type"),
    ({"type": "click", "key": "NEWS"}, "name"),
])
def test_required_fields_per_type(item, missing):
    found = problems_of(one_column({"name": "服务", "sub_button": [item]}))
    assert [(p.path, p.code) for p in found] == [(f"button[0].sub_button[0].{missing}", "required")]


def test_field_of_another_type_and_unknown_fields():
    data = one_column({"type": "click", "name": "资讯", "key": "NEWS", "url": "https://a.example/", "colour": "red"})
    assert {(p.path, p.code) for p in problems_of(data)} == {
        ("button[0].url", "unexpected_field"), ("button[0].colour", "unknown_field")}


def test_unsupported_type_and_bad_values():
    data = {"button": [
        {"type": "scancode_push", "name": "扫一扫", "key": "SCAN"},
        view(url="ftp://files.example/"),
        {"type": "miniprogram", "name": "小程序", "url": "https://a.example/", "appid": "abc", "pagepath": "p"},
    ]}
    assert {(p.path, p.code) for p in problems_of(data)} == {
        ("button[0].type", "bad_type"), ("button[1].url", "bad_url"), ("button[2].appid", "bad_appid")}


def test_column_with_sub_items_cannot_be_a_button_too():
    data = one_column({"type": "click", "key": "X", "name": "服务", "sub_button": [view()]})
    assert paths(data) == {"button[0].type", "button[0].key"}


def test_problem_paths_point_at_the_item():
    data = {"button": [
        click(),
        {"name": "市民大厅", "sub_button": [view(), view(), view(name=CN * 21)]},
    ]}
    found = problems_of(data)
    assert [p.path for p in found] == ["button[1].sub_button[2].name"]
    assert found[0].message_zh and found[0].message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in found[0].message_zh)
    assert "60 bytes" in found[0].message_en


def test_all_problems_are_reported_at_once():
    data = {"button": [click(name=CN * 6, key=""), view(url=""), {"name": "服务", "sub_button": []}, click()]}
    assert paths(data) == {"button", "button[0].name", "button[0].key", "button[1].url", "button[2].sub_button"}


def test_error_message_lists_problems_in_both_languages():
    with pytest.raises(MenuError) as info:
        parse_wechat_menu(one_column(click(key="")))
    text = str(info.value)
    assert "button[0].key" in text and "必须填写" in text and "needs" in text


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize("text", ['{"button": [', "not json", '{"button": [{"name": "a",}]}', b"\xff\xfe"])
def test_invalid_json(text):
    found = problems_of(text)
    assert [(p.path, p.code) for p in found] == [("(json)", "invalid_json")]
    assert "JSON" in found[0].message_zh and "JSON" in found[0].message_en


@pytest.mark.parametrize("data, path", [
    ([], "(root)"),
    ("[1, 2]", "(root)"),
    ({}, "button"),
    ({"button": {"name": "x"}}, "button"),
    ({"button": ["x"]}, "button[0]"),
    ({"button": [{"name": "a", "sub_button": ["x"]}]}, "button[0].sub_button[0]"),
    ({"button": [{"name": "a", "sub_button": "x"}]}, "button[0].sub_button"),
])
def test_wrong_shapes(data, path):
    assert path in paths(data)


def test_non_string_values_are_reported_once():
    found = problems_of(one_column({"type": "click", "name": 42, "key": "K"}))
    assert [(p.path, p.code) for p in found] == [("button[0].name", "bad_shape")]


def test_parse_does_not_change_its_input():
    data = demo_menu()
    before = copy.deepcopy(data)
    parse_wechat_menu(data)
    assert data == before


# ---------------------------------------------------------- round trip (property)

_chars = st.sampled_from(list("市民大厅公交实时社保违章积水入学垃圾分类医院报告查询办理") + list("abcXYZ019 -"))


def _name(limit: int):
    return st.text(_chars, min_size=1, max_size=limit).filter(
        lambda s: s.strip() and byte_length(s) <= limit)


_key = st.text(st.sampled_from(list("ABCDEFGHIJ_0123456789") + ["键"]), min_size=1, max_size=60).filter(
    lambda s: byte_length(s) <= 128)
_url = st.builds(lambda path: f"https://civichall.example.org/{path}",
                 st.text(st.sampled_from(list("abcdefghij0123456789/?=&-")), max_size=80))
_appid = st.text(st.sampled_from(list("0123456789abcdef")), min_size=16, max_size=16).map(lambda s: "wx" + s)
_pagepath = st.text(st.sampled_from(list("abcdefgh/_?=")), min_size=1, max_size=40)


def _item(name_limit: int):
    return st.one_of(
        st.builds(lambda n, k: {"type": "click", "name": n, "key": k}, _name(name_limit), _key),
        st.builds(lambda n, u: {"type": "view", "name": n, "url": u}, _name(name_limit), _url),
        st.builds(lambda n, u, a, p: {"type": "miniprogram", "name": n, "url": u, "appid": a, "pagepath": p},
                  _name(name_limit), _url, _appid, _pagepath),
    )


_column = st.one_of(
    _item(16),
    st.builds(lambda n, subs: {"name": n, "sub_button": subs}, _name(16), st.lists(_item(60), min_size=1, max_size=5)),
)
_menu = st.builds(lambda cols: {"button": cols}, st.lists(_column, min_size=1, max_size=3))


@settings(max_examples=200, deadline=None)
@given(_menu)
def test_round_trip_property(data):
    assert menu_to_wechat(parse_wechat_menu(data)) == data
    assert menu_to_wechat(parse_wechat_menu(json.dumps(data, ensure_ascii=False))) == data
    assert validate_menu(parse_wechat_menu(data)) == []


@settings(max_examples=100, deadline=None)
@given(_menu, st.integers(min_value=0, max_value=2), st.integers(min_value=1, max_value=6))
def test_overlong_column_name_always_caught(data, index, extra):
    index = min(index, len(data["button"]) - 1)
    data["button"][index]["name"] = CN * 5 + "x" * extra  # 16 + (extra - 1) bytes
    if extra == 1:
        parse_wechat_menu(data)
    else:
        assert f"button[{index}].name" in paths(data)
