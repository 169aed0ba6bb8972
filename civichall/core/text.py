"""Invisible characters: the one place that decides which characters of a
text carry nothing a reader can see.

A writer who wants a blocked word past a filter, or a search to miss, puts
characters between its letters that no reader sees: zero-width spaces, word
joiners, soft hyphens, bidi marks and isolates, the Hangul fillers (which are
*letters* by category, ``Lo``, so a naive "keep letters" rule keeps them),
variation selectors, tag characters. Every room that matches, searches or
stores citizens' text asks this module, so that a character dropped in one
place is dropped in all of them:

* the safety normaliser (``civichall.safety.normalize``) turns each of them
  into noise, keeping its offset map, so a blocked term with any of them
  inside still matches;
* the personal-data detectors treat them as separators between digits;
* comment and reply cleaning (``civichall.interaction.actions``) removes them
  from the stored text, keeping only what emoji need (``keep_emoji=True``);
* every search (the one-window service search on the web and in the API, and
  the lookups of the service connectors) drops them from the query and from
  what it is matched against.

The set is derived from Unicode data, not typed by hand. ``unicodedata`` has
no Default_Ignorable_Code_Point property, so it is computed here with the
derivation that ``DerivedCoreProperties.txt`` documents::

    Default_Ignorable_Code_Point =
        Other_Default_Ignorable_Code_Point + Cf + Variation_Selector
        - White_Space - Prepended_Concatenation_Mark
        - the visible format characters (interlinear annotation FFF9..FFFB,
          Egyptian hieroglyph format controls from 13430)

where Cf comes from ``unicodedata`` at import time and the small properties
are the ranges listed in ``PropList.txt`` (UCD 14.0, the version of Python
3.11's ``unicodedata``). ``tests/core/test_text.py`` checks the result against
the Default_Ignorable_Code_Point lines of ``DerivedCoreProperties.txt``
14.0.0, code point for code point (4,174 of them).

``INVISIBLE`` is that set plus every other format character (Cf: bidi and
other controls that draw nothing), the C0/C1 control characters other than
tab and line ends, and U+2800 BRAILLE PATTERN BLANK, which is drawn blank and
is used as a filler like the Hangul ones. Line and paragraph separators
(U+2028, U+2029) and the other vertical controls are not dropped but become a
plain newline.

Pure Python, no Django: any room may import it.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain

__all__ = [
    "DEFAULT_IGNORABLE",
    "INVISIBLE",
    "LINE_BREAKS",
    "char_class",
    "drop_invisible",
    "drop_invisible_mapped",
    "invisible_class",
    "is_invisible",
]

UNICODE_VERSION = unicodedata.unidata_version

# --- PropList.txt (UCD 14.0.0) -------------------------------------------------------

#: Other_Default_Ignorable_Code_Point: the combining grapheme joiner, the
#: Hangul fillers, the Khmer inherent vowels and reserved blocks kept free for
#: future ignorables.
OTHER_DEFAULT_IGNORABLE = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x2065, 0x2065),
    (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0xE0000, 0xE0000),
    (0xE0002, 0xE001F), (0xE0080, 0xE00FF), (0xE01F0, 0xE0FFF),
)
#: Variation_Selector: Mongolian free variation selectors, VS1-16, VS17-256.
VARIATION_SELECTOR = ((0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
#: Prepended_Concatenation_Mark: format characters that are drawn (number signs).
PREPENDED_CONCATENATION_MARK = (
    (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
)
#: Format characters the derivation keeps visible: interlinear annotation
#: marks and the Egyptian hieroglyph format controls.
VISIBLE_FORMAT = ((0xFFF9, 0xFFFB), (0x13430, 0x1343F))

#: Drawn blank but not ignorable by category (So): used as a filler.
BLANK_FILLERS = (0x2800,)

#: Characters that end a line: kept (as a newline) wherever text is cleaned.
#: The information separators U+001C..U+001E, which Python's ``splitlines``
#: also counts, are not among them: nobody types them, they are invisible
#: controls and are dropped.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
# Line breaks that become "\n" when text is cleaned (\r is left to the caller,
# which turns \r\n into \n first).
_TO_NEWLINE = "\x0b\x0c\x85\u2028\u2029"


def _in(ranges, cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


# Format and control characters live in the Basic and Supplementary
# Multilingual Planes and in the Supplementary Special-purpose Plane (tags,
# variation selectors); the ideograph planes 2-3 and the private-use planes
# hold none (the test suite scans all of Unicode to keep this true).
SCANNED_PLANES = ((0x0000, 0x1FFFF), (0xE0000, 0xEFFFF))


def _scanned():
    return chain.from_iterable(range(lo, hi + 1) for lo, hi in SCANNED_PLANES)


def _derive() -> tuple[frozenset[str], frozenset[str]]:
    ignorable: set[str] = set()
    invisible: set[str] = set()
    for lo, hi in OTHER_DEFAULT_IGNORABLE + VARIATION_SELECTOR:
        ignorable.update(chr(c) for c in range(lo, hi + 1))
    category = unicodedata.category
    for ch in map(chr, _scanned()):
        cat = category(ch)
        if cat == "Cf":
            invisible.add(ch)
            cp = ord(ch)
            if not (ch.isspace() or _in(VISIBLE_FORMAT, cp) or _in(PREPENDED_CONCATENATION_MARK, cp)):
                ignorable.add(ch)
        elif cat == "Cc" and ch not in "\t\n\r" and ch not in _TO_NEWLINE:
            invisible.add(ch)
    invisible |= ignorable
    invisible.update(chr(c) for c in BLANK_FILLERS)
    return frozenset(ignorable), frozenset(invisible)


#: Default_Ignorable_Code_Point, derived as described in the module docstring.
#: INVISIBLE: DEFAULT_IGNORABLE + every format (Cf) and control (Cc, but tab
#: and line ends) character + U+2800. Both are sets of one-character strings.
DEFAULT_IGNORABLE, INVISIBLE = _derive()

# str.translate table: drop every invisible character, line separators -> "\n".
_DROP = {ord(c): None for c in INVISIBLE}
_DROP.update({ord(c): "\n" for c in _TO_NEWLINE})


def char_class(chars) -> str:
    """A regular-expression character class body for a set of characters."""
    cps = sorted(ord(c) for c in chars)
    parts, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = cps[i], cps[j]
        parts.append(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}")
        i = j + 1
    return "".join(parts)


_INVISIBLE_CLASS = char_class(INVISIBLE)
_ANY_RE = re.compile("[" + _INVISIBLE_CLASS + char_class(_TO_NEWLINE) + "]")


def invisible_class() -> str:
    """The body of a regex character class matching every invisible character
    (for patterns that must skip them, such as the personal-data detectors)."""
    return _INVISIBLE_CLASS


def is_invisible(ch: str) -> bool:
    """True if the one character ``ch`` draws nothing a reader can see."""
    return ch in INVISIBLE


# --- emoji sequences (kept in stored text) --------------------------------------------

_ZWJ, _VS15, _VS16 = "\u200d", "\ufe0e", "\ufe0f"
_BLACK_FLAG, _CANCEL_TAG = "\U0001f3f4", "\U000e007f"
# Categories of the characters that take an emoji/text variation selector:
# symbols (©, ❤, ↔), punctuation (‼, 〽, #, *), dashes (〰), digits (keycaps).
_VS_BASE = frozenset({"So", "Sm", "Sk", "Po", "Pd", "Nd"})


def _emoji_base(ch: str) -> bool:
    """A character that can stand on either side of a zero-width joiner in an
    emoji sequence: a symbol (So), a skin-tone modifier, or a VS16 / keycap
    that ends one."""
    return ch in (_VS16, "\u20e3") or unicodedata.category(ch) == "So" or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _is_tag(ch: str) -> bool:
    return "\U000e0020" <= ch <= "\U000e007f"


def _keep_for_emoji(text: str, i: int, prev: str) -> bool:
    """Whether the invisible character at ``text[i]`` is part of an emoji;
    ``prev`` is the character kept just before it ('' at the start)."""
    ch = text[i]
    if ch in (_VS15, _VS16):
        return bool(prev) and unicodedata.category(prev) in _VS_BASE
    if ch == _ZWJ:
        nxt = text[i + 1] if i + 1 < len(text) else ""
        return bool(prev) and bool(nxt) and _emoji_base(prev) and _emoji_base(nxt)
    if _is_tag(ch):
        # A flag tag sequence: 🏴 + tag letters + CANCEL TAG (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
        a = i
        while a > 0 and _is_tag(text[a - 1]):
            a -= 1
        b = i
        while b + 1 < len(text) and _is_tag(text[b + 1]):
            b += 1
        return a > 0 and text[a - 1] == _BLACK_FLAG and text[b] == _CANCEL_TAG and b > a
    return False


def drop_invisible(text: str, *, keep_emoji: bool = False) -> str:
    """``text`` without its invisible characters; line separators become "\\n".

    For matching and searching use the default: every invisible character
    goes. For text that is stored and shown (comments, replies) pass
    ``keep_emoji=True``: a zero-width joiner between two emoji (👨‍👩‍👧), a
    variation selector after a symbol that takes one (❤️, 1️⃣) and the tags of
    a flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿) are kept, everything else invisible still goes.
    """
    if not text:
        return "" if text is None else text
    if not keep_emoji:
        return text.translate(_DROP)
    if _ANY_RE.search(text) is None:
        return text
    out: list[str] = []
    prev = ""
    pos = 0
    for m in _ANY_RE.finditer(text):
        i = m.start()
        if i > pos:
            out.append(text[pos:i])
            prev = text[i - 1]
        ch = text[i]
        if ch in _TO_NEWLINE:
            out.append("\n")
            prev = "\n"
        elif _keep_for_emoji(text, i, prev):
            out.append(ch)
            prev = ch
        pos = i + 1
    out.append(text[pos:])
    return "".join(out)


def drop_invisible_mapped(text: str) -> tuple[str, list[int] | None]:
    """``drop_invisible(text)`` and, for each of its characters, the index in
    ``text`` it came from (``None`` when nothing was dropped), so that a
    finding in the visible text can be shown where it was written."""
    visible = drop_invisible(text)
    if visible == text:
        return visible, None
    drop = _DROP
    return visible, [i for i, c in enumerate(text) if drop.get(ord(c), c) is not None]
