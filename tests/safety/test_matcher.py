"""Lexicon matcher: evasion forms, allow-list, pinyin, boundaries, overlaps."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civichall.safety.matcher import CATEGORIES, Entry, Hit, Matcher, category_code
from civichall.safety.normalize import normalize

GAMBLING = Entry("赌博", "gambling_drugs", "block")


def scan(text, entries=(GAMBLING,), allow=()):
    return Matcher(list(entries), allow).scan(text)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("他在赌@博", 2, 5),
        ("他在赌 博", 2, 5),
        ("他在赌\u200b博", 2, 5),
        ("他在賭博", 2, 4),
        ("他在赌赌博博", 2, 6),
        ("他在赌😀博", 2, 5),
        ("他在赌🙈🙈博", 2, 6),
        ("他在賭*博", 2, 5),
    ],
)
def test_evasion_forms_caught_with_original_span(text, start, end):
    hits = scan(text)
    assert len(hits) == 1
    h = hits[0]
    assert (h.start, h.end) == (start, end)
    assert h.matched == text[start:end]
    assert h.term == "赌博" and h.category == "gambling_drugs" and h.severity == "block"


def test_fullwidth_and_case_for_latin_terms():
    m = Matcher([Entry("nmsl", "vulgar", "block"), Entry("免费领取 iPhone", "fraud_spam", "block")])
    for text in ("NMSL", "ｎｍｓｌ", "NmSl", "n*m*s*l"):
        assert [h.term for h in m.scan(text)] == ["nmsl"], text
    hits = m.scan("点击免费领取IPHONE15")
    assert [h.matched for h in hits] == ["免费领取IPHONE"]


def test_latin_term_must_stand_alone():
    m = Matcher([Entry("K粉", "gambling_drugs", "review"), Entry("sb", "vulgar", "review")])
    assert m.scan("明星PK粉丝互动") == []
    assert m.scan("插上USB接口") == []
    assert [h.matched for h in m.scan("出售K粉")] == ["K粉"]
    assert [h.matched for h in m.scan("你个SB")] == ["SB"]


def test_allow_list_suppresses_hits_inside():
    entries = [Entry("大麻", "gambling_drugs", "review")]
    assert scan("这是个大麻烦", entries) != []
    assert scan("这是个大麻烦", entries, allow=["大麻烦"]) == []
    # Outside the allow phrase the term still counts.
    hits = scan("大麻烦，还有大麻", entries, allow=["大麻烦"])
    assert [(h.start, h.end) for h in hits] == [(6, 8)]


def test_allow_list_also_folds():
    entries = [Entry("大麻", "gambling_drugs", "review")]
    assert scan("工業大麻", entries, allow=["工业大麻"]) == []


def test_pinyin_off_by_default():
    assert scan("他在读博") == []
    assert scan("dubo") == []


def test_pinyin_on_matches_homophones_and_latin_pinyin():
    entries = [Entry("赌博", "gambling_drugs", "block", pinyin=True)]
    hits = scan("他在读博", entries)
    assert [(h.matched, h.start, h.end, h.severity) for h in hits] == [("读博", 2, 4, "review")]
    assert [h.matched for h in scan("来 du bo 吧", entries)] == ["du bo"]
    assert [h.matched for h in scan("DUBO", entries)] == ["DUBO"]
    assert [h.matched for h in scan("赌bo", entries)] == ["赌bo"]
    # Not inside a longer latin word.
    assert scan("xiaodubo", entries) == []
    assert scan("duboat", entries) == []
    # The exact form keeps the entry's own severity.
    assert [h.severity for h in scan("赌博", entries)] == ["block"]


def test_doubled_term_needs_doubled_text():
    m = Matcher([Entry("呵呵", "other", "review")])
    assert m.scan("呵，好的") == []
    assert [h.matched for h in m.scan("呵呵")] == ["呵呵"]
    assert [h.matched for h in m.scan("呵呵呵呵")] == ["呵呵呵呵"]
    assert [h.matched for h in m.scan("呵 呵")] == ["呵 呵"]


def test_longest_at_same_start_and_nested_elsewhere():
    m = Matcher([
        Entry("网络赌场", "gambling_drugs", "block"),
        Entry("网络", "other", "review"),
        Entry("赌场", "gambling_drugs", "review"),
    ])
    hits = m.scan("网络赌场")
    assert [(h.term, h.start, h.end) for h in hits] == [("网络赌场", 0, 4), ("赌场", 2, 4)]


def test_same_key_twice_keeps_stricter():
    m = Matcher([Entry("賭博", "gambling_drugs", "review"), Entry("赌博", "gambling_drugs", "block")])
    assert [h.severity for h in m.scan("赌博")] == ["block"]


def test_each_term_once_per_position():
    m = Matcher([Entry("赌博", "gambling_drugs", "block", pinyin=True)])
    assert len(m.scan("赌博")) == 1


def test_validation():
    with pytest.raises(ValueError):
        Matcher([Entry("x", "nonsense", "block")])
    with pytest.raises(ValueError):
        Matcher([Entry("x", "other", "maybe")])
    with pytest.raises(ValueError):
        Matcher([Entry("@@", "other", "block")])


def test_categories_and_labels():
    assert set(CATEGORIES) == {"political", "vulgar", "violence", "gambling_drugs", "fraud_spam",
                               "personal_data", "other"}
    assert category_code("赌毒") == "gambling_drugs"
    assert category_code("Vulgar") == "vulgar"
    assert category_code("???") is None


def test_hit_to_dict_keys():
    h = scan("赌博")[0]
    assert isinstance(h, Hit)
    assert set(h.to_dict()) == {"term", "category", "severity", "start", "end", "matched"}


def test_empty_matcher_and_text():
    assert Matcher([]).scan("赌博") == []
    assert scan("") == []


NOISE = st.sampled_from(list("@#$%^&*_-+=/|<>[](){}~ .") + ["\u200b", "\u200d", "\ufeff", "😀", "❤️", "👍🏻", "　"])


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_noise_between_term_chars_is_caught(data):
    term = data.draw(st.sampled_from(["赌博", "炸学校", "代办信用卡", "贷款秒批"]))
    m = Matcher([Entry(term, "other", "block")])
    prefix = data.draw(st.text(alphabet="我们说在的了。，", max_size=4))
    text, first, last = prefix, None, None
    for i, ch in enumerate(term):
        if i:
            text += "".join(data.draw(st.lists(NOISE, max_size=3)))
        if first is None:
            first = len(text)
        last = len(text)
        text += ch
    text += "吧。"
    hits = m.scan(text)
    assert [(h.start, h.end) for h in hits] == [(first, last + 1)]
    assert hits[0].matched == text[first:last + 1]


def test_astral_characters_keep_offsets():
    # CJK Extension B characters take two UTF-16 units; offsets must stay in characters.
    m = Matcher([Entry("赌博", "other", "block"), Entry("𠀀字", "other", "review")])
    text = "𠀀𠀁赌博𠀂𠀀字"
    hits = m.scan(text)
    assert [(h.term, h.start, h.end, h.matched) for h in hits] == [("赌博", 2, 4, "赌博"), ("𠀀字", 5, 7, "𠀀字")]


def test_no_match_across_character_boundary():
    # Byte-level matching must not find a term whose bytes straddle two characters.
    term = "\u4e2d\u6587"  # bytes 4e 2d 65 87
    text = "\u4e4e\u2d65\u8700"  # bytes 4e 4e 2d 65 87 00: the term's bytes at an odd offset
    assert normalize(text).text == text
    assert term.encode("utf-16-be") in text.encode("utf-16-be")
    assert Matcher([Entry(term, "other", "block")]).scan(text) == []
