"""Hostile text: invisible characters inside blocked terms, and personal data
written with any separators. Properties over every invisible character
(``civichall.core.text.INVISIBLE``) and every way of writing a number."""

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civichall.core.text import INVISIBLE
from civichall.safety.detectors import SEPARATORS, find_personal_data, mask
from civichall.safety.engine import STARTER_LEXICON, check
from civichall.safety.matcher import Entry, Matcher
from civichall.safety.normalize import normalize

from .test_detectors import id_check, luhn_complete

with open(STARTER_LEXICON, encoding="utf-8") as f:
    BLOCK_TERMS = sorted(r["term"] for r in csv.DictReader(f) if r["severity"] == "block")

INVISIBLES = sorted(INVISIBLE)
FILLERS = "\u3164\u115f\u1160\uffa0"
# The characters of the issue come up often; the rest of the set is drawn too.
invisible_char = st.one_of(st.sampled_from(FILLERS + "\u2060\ufeff\u00ad\u061c\u200b\u200d\ufe0f"),
                           st.sampled_from(INVISIBLES))
invisible_run = st.text(alphabet=invisible_char, max_size=4)


@st.composite
def salted(draw, term):
    """``term`` with a run of invisible characters (maybe empty) in every gap."""
    gaps = draw(st.lists(invisible_run, min_size=len(term) + 1, max_size=len(term) + 1))
    return gaps[0] + "".join(ch + gap for ch, gap in zip(term, gaps[1:]))


def test_every_starter_block_term_is_seen_through_the_four_fillers():
    assert len(BLOCK_TERMS) >= 40
    for term in BLOCK_TERMS:
        for filler in FILLERS:
            written = filler.join(term)
            result = check(f"有人说{written}。", "comment")
            assert result["decision"] == "block", (term, hex(ord(filler)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), term=st.sampled_from(BLOCK_TERMS))
def test_invisible_characters_anywhere_in_a_blocked_term_still_block(data, term):
    written = data.draw(salted(term))
    text = f"有人说{written}。"
    result = check(text, "comment")
    assert result["decision"] == "block"
    # The hit marks what the person wrote: the term's first and last characters.
    first = text.index(written) + len(written) - len(written.lstrip("".join(INVISIBLES)))
    hits = [h for h in result["hits"] if h["severity"] == "block"]
    assert any(h["start"] <= first < h["end"] for h in hits)


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
LATIN = st.sampled_from("abcdefghijklmnopqrstuvwxyz")


@settings(max_examples=300, deadline=None)
@given(data=st.data(),
       term=st.text(alphabet=st.one_of(CJK, CJK, LATIN), min_size=2, max_size=5))
def test_any_blocked_term_of_any_lexicon_survives_any_salting(data, term):
    matcher = Matcher([Entry(term, "other", "block")])
    written = data.draw(salted(term))
    assert check(f"据说{written}。", "comment", lexicon=matcher)["decision"] == "block"
    # The term written plainly and the salted one normalise alike.
    assert normalize(written).text == normalize(term).text


def test_hangul_fillers_are_noise_not_letters():
    assert normalize("赌\u3164博").text == "赌博"
    assert normalize("ㅤ").text == ""
    # The example of the issue: two gambling terms written with fillers.
    result = check("正规网\u3164络\u3164赌\u3164场，时\uffa0时\uffa0彩包赢", "comment")
    assert result["decision"] == "block"
    assert {h["term"] for h in result["hits"]} >= {"网络赌场", "时时彩"}


# --- personal data with any separators -------------------------------------------

WIDE = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
VISIBLE_SEPARATORS = sorted(set(SEPARATORS) | set(" \t\u3000\u00a0"))
visible_separator = st.sampled_from(VISIBLE_SEPARATORS)
invisible_separator = st.one_of(st.sampled_from(FILLERS + "\u200b\u2060\ufeff\u00ad"), st.sampled_from(INVISIBLES))
any_separator = st.one_of(visible_separator, invisible_separator)

MOBILE = "13812345678"
RESIDENT_ID = "31010119880312002" + id_check("31010119880312002")
CARD = luhn_complete("622202123456789")


def digit(draw, ch):
    return ch.translate(WIDE) if draw(st.booleans()) else ch


@st.composite
def written_with_invisibles(draw, number):
    """``number`` with any separators, visible or not, mixed, any number of
    them, between any digits, at least one of them invisible; any digit
    full-width."""
    gaps = [draw(st.lists(any_separator, max_size=3)) for _ in number[1:]]
    k = draw(st.integers(0, len(gaps) - 1))
    gaps[k].insert(draw(st.integers(0, len(gaps[k]))), draw(invisible_separator))
    return digit(draw, number[0]) + "".join("".join(g) + digit(draw, ch) for g, ch in zip(gaps, number[1:]))


@st.composite
def written_in_groups(draw, number):
    """``number`` cut into groups of three digits or more (the last group of
    any size) or digit by digit, joined by any visible separators (one or
    more, mixed); any digit full-width."""
    if draw(st.booleans()):
        cuts = list(range(1, len(number)))  # digit by digit
    else:
        cuts, at = [], 0
        while True:
            at += draw(st.integers(3, 8))
            if at >= len(number) - 1:
                break
            cuts.append(at)
    out, prev = [], 0
    for cut in cuts + [len(number)]:
        out.append("".join(digit(draw, ch) for ch in number[prev:cut]))
        prev = cut
    seps = ["".join(draw(st.lists(visible_separator, min_size=1, max_size=2))) for _ in cuts]
    return out[0] + "".join(sep + group for sep, group in zip(seps, out[1:]))


@pytest.mark.parametrize("kind,number", [("mobile", MOBILE), ("resident_id", RESIDENT_ID),
                                         ("bank_card", CARD)])
def test_numbers_from_the_issue(kind, number):
    cases = {
        "mobile": ["138.1234.5678", "1 3 8 1 2 3 4 5 6 7 8", "138\u31641234\u31645678",
                   "１３８－１２３４－５６７８", "138\u200b1234\u200b5678", "138-1234 5678"],
        "resident_id": ["310101 19880312 0024", "310101.19880312.0024", "３１０１０１１９８８０３１２００２４"],
        "bank_card": [" ".join(CARD[i:i + 4] for i in range(0, 16, 4)), ".".join(CARD[i:i + 4] for i in range(0, 16, 4)),
                      "\u3164".join(CARD)],
    }[kind]
    for written in cases:
        text = f"我的号码是{written}，谢谢"
        found = find_personal_data(text)
        assert [(d.kind, d.matched) for d in found] == [(kind, written)], written
        masked = mask(text)
        assert len(masked) == len(text) and "*" in masked


NUMBERS = [("mobile", MOBILE), ("resident_id", RESIDENT_ID), ("resident_id", "11010519491231002X"),
           ("bank_card", CARD), ("bank_card", luhn_complete("621700123456789012"))]
KEEP = {"mobile": (3, 4), "resident_id": (3, 4), "bank_card": (6, 4)}


def assert_masked(text, written, kind, number):
    found = find_personal_data(text)
    assert [(d.kind, d.matched) for d in found] == [(kind, written)]
    masked = mask(text)
    assert len(masked) == len(text)
    at = text.index(written)
    assert masked[:at] == text[:at] and masked[at + len(written):] == text[at + len(written):]
    shown = [c for c in masked[at:at + len(written)] if c.isdecimal() or c in "*XＸ"]
    head, tail = KEEP[kind]
    assert len(shown) == len(number)
    assert shown[head:len(number) - tail] == ["*"] * (len(number) - head - tail)
    assert "*" not in shown[:head] + shown[len(number) - tail:]


@settings(max_examples=400, deadline=None)
@given(data=st.data(), kind_number=st.sampled_from(NUMBERS))
def test_masking_holds_for_any_separators_with_an_invisible_one(data, kind_number):
    kind, number = kind_number
    written = data.draw(written_with_invisibles(number))
    assert_masked(f"请联系{written}，谢谢", written, kind, number)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), kind_number=st.sampled_from(NUMBERS))
def test_masking_holds_for_any_visible_separators_between_groups(data, kind_number):
    kind, number = kind_number
    written = data.draw(written_in_groups(number))
    assert_masked(f"号码{written}。", written, kind, number)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=999, places=2, allow_nan=False, allow_infinity=False),
                min_size=2, max_size=12),
       st.sampled_from([" ", "  ", " / ", "、", "-"]))
def test_lists_of_figures_are_not_personal_data(figures, sep):
    # Prices, rates, statistics: a figure with decimals has a group of two
    # digits inside the run, which no number is written with.
    text = "价格：" + sep.join(f"{f}" for f in figures) + "元"
    assert find_personal_data(text) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([MOBILE, RESIDENT_ID, CARD]), min_size=2, max_size=3),
       st.sampled_from([" ", "  ", "，", "和", "\n", "\u200b"]))
def test_numbers_side_by_side_are_each_found(numbers, between):
    # Each number in one piece, cut from the next by a separator that is not
    # inside either: each is found on its own.
    text = "号码" + between.join(numbers) + "。"
    assert [d.matched for d in find_personal_data(text)] == numbers


# Real sentences with numbers that are not personal data.
ORDINARY = [
    "2022年6月1日起，本市轨道交通网络恢复基本运营。",
    "地铁第1 3 号线末班车延后至23:30。",
    "乘坐1 3 号线到人民广场站换乘2号线。",
    "票价3元，优惠后2.5元，月票120元。",
    "本市今年将新增养老床位5000张，家门口的养老服务站新增200家。",
    "2022.06.01 至 2022.12.31 期间办理。",
    "2021 2022 2023 2024 四年累计投入1,380,000,000元。",
    "时间：2023年1月1日 8:30-17:30，热线12345或962222。",
    "总金额 1,234,567,890.12 元，同比增长13.5%。",
    "订单号 2023 0601 1234 5678 9012 已发货。",
    "统计：13.5 14.2 15.8 16.1 17.9 18.3 万人次。",
    "邮编200000，电话021-12345678，传真021-87654321。",
    "第138期1234号5678",
    "上海 1 2 3 4 5 6 7 8 9 10 11 名单公示",
    "2019-2020-2021-2022 年度报告",
    "价格：¥138.00、¥1,234.50、¥56.78",
]


@pytest.mark.parametrize("sentence", ORDINARY)
def test_ordinary_numbers_are_not_personal_data(sentence):
    assert find_personal_data(sentence) == []
    assert mask(sentence) == sentence
    assert check(sentence, "body")["decision"] == "pass"
