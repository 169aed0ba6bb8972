"""Normalisation: folding of evasion forms and the way back to original offsets."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civichall.safety.normalize import normalize, normalize_term, term_runs


@pytest.mark.parametrize(
    "text, expected",
    [
        ("赌@博", "赌博"),
        ("赌 博", "赌博"),
        ("赌\u200b博", "赌博"),
        ("赌\u00ad博", "赌博"),
        ("赌\ufeff博", "赌博"),
        ("赌😀博", "赌博"),
        ("赌👍🏻博", "赌博"),
        ("賭博", "赌博"),
        ("赌赌博博", "赌博"),
        ("ＮＭＳＬ", "nmsl"),
        ("NmSl", "nmsl"),
        ("ｉＰｈｏｎｅ", "iphone"),
        ("fuuuck", "fuck"),
        ("book", "book"),
        ("１２３", "123"),
    ],
)
def test_folds_evasion_forms(text, expected):
    assert normalize(text).text == expected


def test_span_covers_what_was_written():
    n = normalize("他说赌@博吧")
    assert n.text == "他说赌博吧"
    assert n.span(2, 4) == (2, 5)


def test_collapsed_run_maps_to_whole_run():
    n = normalize("好赌赌博博啊")
    assert n.text == "好赌博啊"
    assert n.span(1, 3) == (1, 5)
    assert n.offsets == [0, 1, 3, 5]
    assert n.ends == [1, 3, 5, 6]


def test_offsets_for_every_char():
    text = "Ａ赌 @博。天天"
    n = normalize(text)
    assert len(n.offsets) == len(n.text) == len(n.ends)
    for i, ch in enumerate(n.text):
        assert n.offsets[i] < n.ends[i] <= len(text)


def test_expansion_keeps_offsets():
    n = normalize("㎏赌博")
    assert n.text == "kg赌博"
    assert n.offsets == [0, 0, 1, 2]
    assert n.span(2, 4) == (1, 3)


def test_sentence_and_clause_punctuation_are_boundaries():
    # Removing them would glue 大 and 麻 across a sentence.
    assert "大麻" not in normalize("雨量较大。麻醉科照常开放").text
    assert "大麻" not in normalize("降水偏大，麻类作物").text
    assert "大麻" not in normalize("雨量较大！\n麻醉科").text


def test_latin_words_stay_apart():
    assert normalize("hello  world").text == "hello world"
    assert normalize("f.u.c.k").text == "fuck"


def test_normalize_term_matches_text_pipeline():
    assert normalize_term(" 免费领取 iPhone ") == "免费领取iphone"
    assert normalize_term("賭博") == normalize("赌 博").text


def test_term_runs_records_doubles():
    assert term_runs("谢谢你") == ("谢你", (2, 1))
    assert term_runs("赌博") == ("赌博", None)


def test_empty_and_noise_only():
    assert normalize("").text == ""
    n = normalize("@@ ##")
    assert n.text == ""
    assert n.offsets == []


NOISE = st.sampled_from(
    list("@#$%^&*_-+=/\\|<>[]{}()~`'\" .") + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "😀", "🙈", "❤️", "👍🏻", "★", "　"]
)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_noise_keeps_term_and_span(data):
    term = data.draw(st.sampled_from(["赌博", "炸学校", "代办信用卡", "刷单返利"]))
    pieces = []
    positions = []
    pos = 0
    for i, ch in enumerate(term):
        if i:
            noise = "".join(data.draw(st.lists(NOISE, max_size=4)))
            pieces.append(noise)
            pos += len(noise)
        positions.append(pos)
        pieces.append(ch)
        pos += 1
    prefix = data.draw(st.text(alphabet="我们说在的是了。，", max_size=5))
    body = "".join(pieces)
    text = prefix + body + "了。"
    n = normalize(text)
    s = n.text.find(term)
    assert s >= 0
    assert n.span(s, s + len(term)) == (len(prefix), len(prefix) + positions[-1] + 1)


# --- the fast event scan agrees with the exact rule ------------------------------

# The rule as one leftmost scan (slow, but plainly the rule): collapsible CJK
# runs, latin runs of 3+, noise runs.
_EXACT_EVENTS = re.compile(
    "(?P<c>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U00030000-\U0003134f])(?:[ \x01]*(?P=c))+"
    "|(?P<l>[a-z])(?:\x01*(?P=l)){2,}"
    "|[ \x01]+"
)


@given(st.text(alphabet=st.sampled_from(list("赌博谢a b\x01。,1𠀀") + [" ", "\x01"]), max_size=40))
@settings(max_examples=400, deadline=None)
def test_event_scan_finds_what_the_exact_rule_finds(t):
    from civichall.safety.normalize import _events

    exact = [(m.start(), m.end(), m.lastgroup is not None) for m in _EXACT_EVENTS.finditer(t)]
    assert list(_events(t)) == exact


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_list_and_dict_tables_translate_alike(text):
    from civichall.safety.normalize import _TABLE, _translate

    assert _translate(text) == text.translate(_TABLE)


def test_latin_repeat_after_a_space_is_still_found():
    # "a a" is no collapse (a space separates words) but "aaa" right after is.
    assert normalize("xa aaa").text == "xa a"
