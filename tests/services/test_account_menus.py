"""The service matrix's menu registries: a channel adds its checks and
downloads; without any check a menu must still be an object with columns."""

import pytest

from civichall.core.lang import Message
from civichall.services import account_menus


@pytest.fixture
def no_channels(monkeypatch):
    monkeypatch.setattr(account_menus, "_validators", [])
    monkeypatch.setattr(account_menus, "_downloads", [])


def test_without_a_channel_a_menu_is_an_object_with_columns(no_channels):
    menu = {"button": [{"type": "click", "name": "办事", "key": "K"}]}
    assert account_menus.check_menu(menu) == menu
    assert account_menus.check_menu('{"button": []}') == {"button": []}
    for bad, code in [("{not json", "invalid_json"), ("[]", "bad_shape"), ({"button": {}}, "bad_shape")]:
        with pytest.raises(account_menus.MenuRefused) as refused:
            account_menus.check_menu(bad)
        assert [p.code for p in refused.value.problems] == [code]


def test_validators_run_in_order_each_on_what_the_last_returned(no_channels):
    seen = []

    def first(menu):
        seen.append(("first", menu))
        return {"button": [], "from": "first"}

    def second(menu):
        seen.append(("second", menu))
        if menu.get("from") != "first":
            raise account_menus.MenuRefused([account_menus.MenuProblem("button", "x", Message("错", "wrong"))])
        return {"button": []}

    account_menus.register_menu_validator(first)
    account_menus.register_menu_validator(second)
    account_menus.register_menu_validator(first)  # once only
    assert account_menus.check_menu("anything") == {"button": []}
    assert seen == [("first", "anything"), ("second", {"button": [], "from": "first"})]


def test_refusal_lines_name_the_place(no_channels, settings):
    refused = account_menus.MenuRefused([account_menus.MenuProblem("button[0].name", "too_long", Message("太长", "too long"))])
    assert refused.lines() == ["button[0].name: 太长"]


def test_downloads_are_offered_once(no_channels):
    account_menus.register_menu_download("JSON", "some_export")
    account_menus.register_menu_download("JSON", "some_export")
    assert account_menus.menu_downloads() == [("JSON", "some_export")]
