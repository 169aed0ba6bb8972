"""The invisible characters: derived from Unicode data, checked against the
Unicode Character Database, and what dropping them does to text."""

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civichall.core import text as T
from civichall.core.text import DEFAULT_IGNORABLE, INVISIBLE, drop_invisible, drop_invisible_mapped

# The Default_Ignorable_Code_Point lines of DerivedCoreProperties-14.0.0.txt
# (the Unicode version of Python 3.11's unicodedata), as published.
DERIVED_CORE_PROPERTIES_14 = """
00AD          ; Default_Ignorable_Code_Point # Cf       SOFT HYPHEN
034F          ; Default_Ignorable_Code_Point # Mn       COMBINING GRAPHEME JOINER
061C          ; Default_Ignorable_Code_Point # Cf       ARABIC LETTER MARK
115F..1160    ; Default_Ignorable_Code_Point # Lo   [2] HANGUL CHOSEONG FILLER..HANGUL JUNGSEONG FILLER
17B4..17B5    ; Default_Ignorable_Code_Point # Mn   [2] KHMER VOWEL INHERENT AQ..KHMER VOWEL INHERENT AA
180B..180D    ; Default_Ignorable_Code_Point # Mn   [3] MONGOLIAN FREE VARIATION SELECTOR ONE..MONGOLIAN FREE VARIATION SELECTOR THREE
180E          ; Default_Ignorable_Code_Point # Cf       MONGOLIAN VOWEL SEPARATOR
180F          ; Default_Ignorable_Code_Point # Mn       MONGOLIAN FREE VARIATION SELECTOR FOUR
200B..200F    ; Default_Ignorable_Code_Point # Cf   [5] ZERO WIDTH SPACE..RIGHT-TO-LEFT MARK
202A..202E    ; Default_Ignorable_Code_Point # Cf   [5] LEFT-TO-RIGHT EMBEDDING..RIGHT-TO-LEFT OVERRIDE
2060..2064    ; Default_Ignorable_Code_Point # Cf   [5] WORD JOINER..INVISIBLE PLUS
2065          ; Default_Ignorable_Code_Point # Cn       <reserved-2065>
2066..206F    ; Default_Ignorable_Code_Point # Cf  [10] LEFT-TO-RIGHT ISOLATE..NOMINAL DIGIT SHAPES
3164          ; Default_Ignorable_Code_Point # Lo       HANGUL FILLER
FE00..FE0F    ; Default_Ignorable_Code_Point # Mn  [16] VARIATION SELECTOR-1..VARIATION SELECTOR-16
FEFF          ; Default_Ignorable_Code_Point # Cf       ZERO WIDTH NO-BREAK SPACE
FFA0          ; Default_Ignorable_Code_Point # Lo       HALFWIDTH HANGUL FILLER
FFF0..FFF8    ; Default_Ignorable_Code_Point # Cn   [9] <reserved-FFF0>..<reserved-FFF8>
1BCA0..1BCA3  ; Default_Ignorable_Code_Point # Cf   [4] SHORTHAND FORMAT LETTER OVERLAP..SHORTHAND FORMAT UP STEP
1D173..1D17A  ; Default_Ignorable_Code_Point # Cf   [8] MUSICAL SYMBOL BEGIN BEAM..MUSICAL SYMBOL END PHRASE
E0000         ; Default_Ignorable_Code_Point # Cn       <reserved-E0000>
E0001         ; Default_Ignorable_Code_Point # Cf       LANGUAGE TAG
E0002..E001F  ; Default_Ignorable_Code_Point # Cn  [30] <reserved-E0002>..<reserved-E001F>
E0020..E007F  ; Default_Ignorable_Code_Point # Cf  [96] TAG SPACE..CANCEL TAG
E0080..E00FF  ; Default_Ignorable_Code_Point # Cn [128] <reserved-E0080>..<reserved-E00FF>
E0100..E01EF  ; Default_Ignorable_Code_Point # Mn [240] VARIATION SELECTOR-17..VARIATION SELECTOR-256
E01F0..E0FFF  ; Default_Ignorable_Code_Point # Cn [3600] <reserved-E01F0>..<reserved-E0FFF>
"""


def parse_ucd(lines):
    out = set()
    for line in lines.strip().splitlines():
        field = line.split(";")[0].strip()
        lo, _, hi = field.partition("..")
        out.update(chr(c) for c in range(int(lo, 16), int(hi or lo, 16) + 1))
    return out


OFFICIAL = parse_ucd(DERIVED_CORE_PROPERTIES_14)


def test_official_list_is_what_it_says():
    assert len(OFFICIAL) == 4174  # "Total code points: 4174" in the 14.0.0 file


def test_derived_set_is_default_ignorable_code_point():
    if unicodedata.unidata_version == "14.0.0":
        assert DEFAULT_IGNORABLE == OFFICIAL
    else:  # a newer Python: Default_Ignorable code points are never withdrawn
        assert OFFICIAL <= DEFAULT_IGNORABLE


def test_every_format_character_lies_in_the_scanned_planes():
    # The derivation scans planes 0, 1 and 14 only; nothing elsewhere is Cf.
    scanned = T.SCANNED_PLANES
    for cp in range(sys.maxunicode + 1):
        if any(lo <= cp <= hi for lo, hi in scanned) or 0xD800 <= cp <= 0xDFFF:
            continue
        assert unicodedata.category(chr(cp)) != "Cf", hex(cp)


def test_invisible_holds_the_issue_characters_and_no_visible_text():
    for ch in "\u3164\u115f\u1160\uffa0\u2060\ufeff\u00ad\u061c\u200b\u200c\u200d\u200e\u202e\u2066\ufe0f\U000e0041\U000e0101\u2800\x00\x07":
        assert ch in INVISIBLE, hex(ord(ch))
    for ch in "社保aA1１ 　\t\n。，😀❤\u20e3\u0301":
        assert ch not in INVISIBLE, hex(ord(ch))
    # Every category it holds is one of: format, control, the fillers (Lo,
    # So), marks that are variation selectors or ignorable, or reserved.
    assert {unicodedata.category(c) for c in INVISIBLE} <= {"Cf", "Cc", "Lo", "So", "Mn", "Cn"}


def test_nfkc_never_makes_an_invisible_character_from_a_visible_one():
    # Why dropping before NFKC (as the search does) is enough.
    for cp in range(0x30000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or ch in INVISIBLE:
            continue
        folded = unicodedata.normalize("NFKC", ch).casefold()
        assert not any(c in INVISIBLE for c in folded), hex(cp)


def test_drop_for_matching_and_searching():
    assert drop_invisible("社\u200b保") == "社保"
    assert drop_invisible("网\u3164络\u115f赌\u1160场\uffa0") == "网络赌场"
    assert drop_invisible("a\u2028b\u2029c\x85d") == "a\nb\nc\nd"
    assert drop_invisible("第一行\n第二行\t") == "第一行\n第二行\t"
    assert drop_invisible("👨\u200d👩\u200d👧") == "👨👩👧"  # matching needs no emoji
    assert drop_invisible("") == ""


@pytest.mark.parametrize("emoji", [
    "👨\u200d👩\u200d👧",  # family (zero-width joiners)
    "🏳\ufe0f\u200d🌈",  # rainbow flag (VS16 + ZWJ)
    "🧑🏻\u200d💻",  # skin tone + ZWJ
    "❤\ufe0f",  # emoji presentation
    "1\ufe0f\u20e3",  # keycap
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # flag of Scotland (tags)
])
def test_stored_text_keeps_what_emoji_need(emoji):
    text = f"支持{emoji}！"
    assert drop_invisible(text, keep_emoji=True) == text


def test_stored_text_loses_what_serves_no_purpose():
    dirty = "地\u2060铁\ufeff开\u00ad了\u061c吗\u2028谢谢\u2029\u200d中\ufe0f文\U000e0041\u3164"
    assert drop_invisible(dirty, keep_emoji=True) == "地铁开了吗\n谢谢\n中文"
    # A joiner between an emoji and a Chinese character joins nothing.
    assert drop_invisible("好😀\u200d的", keep_emoji=True) == "好😀的"
    # Tag characters outside a flag sequence.
    assert drop_invisible("a\U000e0067\U000e007fb", keep_emoji=True) == "ab"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(INVISIBLE) + list("社保赌场 a1\n😀\u2028")), max_size=40))
def test_mapped_drop_points_back_to_the_kept_characters(text):
    visible, where = drop_invisible_mapped(text)
    assert visible == drop_invisible(text)
    if where is None:
        assert visible == text
    else:
        assert len(where) == len(visible)
        assert where == sorted(set(where))
        for v, i in zip(visible, where):
            assert v == text[i] or (v == "\n" and text[i] in T.LINE_BREAKS)
