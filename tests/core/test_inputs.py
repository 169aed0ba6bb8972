"""The rules for raw input: storable text, strict whole numbers, web links."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civichall.core.inputs import (
    MAX_ID,
    NotANumber,
    bad_character,
    bad_character_in_json,
    clean_json,
    clean_text,
    int_or_none,
    is_web_link,
    parse_int,
    parse_number,
)


@pytest.mark.parametrize("text", ["a\x00b", "\x00", "\ud800", "前\udfff后", "表情\ud83d"])
def test_nul_and_unpaired_surrogates_are_found(text):
    assert bad_character(text) is not None


@pytest.mark.parametrize("text", ["", "地铁几点开？", "😀👍🏽", "line\nbreak\ttab", "\u3000全角空格", "x\x7f"])
def test_chinese_emoji_and_ordinary_control_characters_are_fine(text):
    assert bad_character(text) is None
    assert clean_text(text) is text


def test_clean_text_drops_nul_and_replaces_surrogates():
    assert clean_text("a\x00b\ud800c") == "ab\ufffdc"
    assert clean_json({"k\x00": ["v\ud800", 1, None, {"x": "\x00"}]}) == {"k": ["v\ufffd", 1, None, {"x": ""}]}


@given(st.text())
def test_cleaned_text_is_always_storable(text):
    cleaned = clean_text(text)
    assert bad_character(cleaned) is None
    assert cleaned.encode("utf-8").decode("utf-8") == cleaned  # no surrogate left to fail encoding
    assert "\x00" not in cleaned


def test_bad_characters_in_json_keys_values_and_depth():
    assert bad_character_in_json({"text": "ok", "list": ["a", {"b": "c"}]}) is None
    assert bad_character_in_json({"a\x00": 1}) == "\x00"
    assert bad_character_in_json([[["\ud800"]]]) == "\ud800"
    deep = "x"
    for _ in range(100):
        deep = [deep]
    assert bad_character_in_json(deep) == "{"


@pytest.mark.parametrize("text, expected", [("1", 1), ("007", 7), ("42", 42), (str(MAX_ID), MAX_ID)])
def test_ascii_digits_are_numbers(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize("text", [
    "²", "¹²", "١٢", "１２", "1_000", " 7", "7 ", "+7", "0x10", "1.0", "1e3", "", "abc", "\x00",
    str(MAX_ID + 1), "9" * 30, "0", "-1",
])
def test_everything_else_is_not_a_number(text):
    with pytest.raises(NotANumber):
        parse_int(text)
    assert int_or_none(text) is None


def test_bounds_are_the_callers():
    assert parse_int("-5", -10, 10) == -5
    assert int_or_none("3651", 1, 3650) is None
    assert int_or_none(12, 1, 20) == 12
    assert int_or_none(True) is None
    assert int_or_none(None) is None


@given(st.text(max_size=30))
def test_parse_int_answers_a_bounded_number_or_refuses(text):
    try:
        number = parse_int(text)
    except NotANumber:
        return
    assert 1 <= number <= MAX_ID and text.isascii()


@pytest.mark.parametrize("text, expected", [("12", 12), ("-3.5", -3.5), ("1e3", 1000.0), ("0.25", 0.25)])
def test_decimal_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "1e999", "²", "1,5", "", ".5", "1."])
def test_not_finite_decimals(text):
    with pytest.raises(NotANumber):
        parse_number(text)


@given(st.text(max_size=40))
def test_parse_number_is_finite_or_refuses(text):
    try:
        number = parse_number(text)
    except NotANumber:
        return
    assert math.isfinite(number)


@pytest.mark.parametrize("url", [
    "https://suishenban.example.org/scan", "http://example.gov.cn", "HTTPS://EXAMPLE.ORG/a?b=c#d",
    "/assistant/", "/services/bus/?q=1",
])
def test_web_links(url):
    assert is_web_link(url)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:x", "mailto:a@b.c", "ftp://example.org/",
    "//evil.example/", "/\\evil.example", "https://", "https:///path", "assistant/", "", None,
    "https://exa mple.org\n", "http://[::1",
])
def test_other_links_are_refused(url):
    assert not is_web_link(url)


def test_query_forms_convert_numbers_strictly():
    """A query service's form: ASCII numbers become numbers; "²", "١٢",
    "nan" and "1e999" stay text, for validation to report in words."""
    from civichall.services.connectors.base import prepare_params

    schema = {"properties": {"n": {"type": "integer"}, "x": {"type": "number"}}}
    assert prepare_params(schema, {"n": " 12 ", "x": "2.5"}) == {"n": 12, "x": 2.5}
    for value in ("²", "١٢", "9" * 30):
        assert prepare_params(schema, {"n": value}) == {"n": value}
    for value in ("nan", "inf", "1e999", "²"):
        assert prepare_params(schema, {"x": value}) == {"x": value}
