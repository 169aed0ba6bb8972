"""Text normalisation for lexicon matching, with a map back to the original text.

Everything the account publishes is checked against a lexicon. Writers who
want to slip a term past a filter write it in full-width letters, in
traditional characters, with symbols, spaces, zero-width characters or emoji
between its characters, or with characters repeated. ``normalize`` folds all of
that into one canonical string and remembers, for every character of it, which
characters of the original text it stands for, so that a hit can be shown to a
person exactly where it was written.

Pipeline (applied per character, so the offset map stays exact):

1. Unicode NFKC (full-width -> half-width, compatibility forms, circled
   digits ...), then case folding, then traditional -> simplified Chinese with
   OpenCC ``t2s``. OpenCC converts phrase by phrase; we convert character by
   character (verified length-preserving for the CJK blocks), so ``乾隆`` and
   ``乾淨`` both become ``干...`` -- harmless, because lexicon terms go through
   the very same mapping.
2. Every character is put in one of three classes:

   * word characters (letters, digits, CJK ideographs) are kept;
   * boundary characters -- sentence and clause punctuation ``。！？；，、：``
     (and their ASCII forms), the ellipsis and line breaks -- are kept as they
     are. No term contains them, so no match can run across a sentence or
     clause. Removing them would glue words of neighbouring clauses together:
     ``雨量较大。麻醉科`` would read ``大麻``. The price is that a writer who
     splits a term with a comma gets past the automatic pass; we accept that
     (a person still reads comments that are reported), because ordinary text
     is full of commas and a filter that cries wolf is switched off;
   * noise -- spaces, symbols, other punctuation (quotes, brackets, ``@ * . -
     _ /``), emoji, combining marks and every invisible character of
     ``civichall.core.text.INVISIBLE`` (zero-width characters, soft hyphens,
     bidi controls, variation selectors, tag characters and the Hangul
     fillers U+115F, U+1160, U+3164, U+FFA0, which are letters by category
     and must be asked about before the letter test) -- is removed. One exception keeps latin words apart:
     a run of noise containing whitespace between two ASCII letters/digits
     becomes a single space (``hello world`` must not read ``hellowor``).
3. Repeated characters are collapsed: a run of the same CJK ideograph (2 or
   more, noise in between allowed: ``赌 赌博博``) becomes one character, and a
   run of 3 or more of the same latin letter becomes one (``fuuuck``, also
   with invisible characters in between; ``book`` is left alone). Digits are never collapsed. Lexicon terms are collapsed the
   same way (``normalize_term``), so a term that itself has a doubled
   character still matches; ``term_runs`` lets the matcher insist that the
   doubled character really was doubled in the text, so ``谢谢`` does not
   match a lone ``谢``.

Speed: the per-character work is one ``str.translate`` with a table computed
once per process (a list for the BMP, filled on first use; a lazily filled
dict for texts with astral characters). Noise runs are found by one
cheap regular expression; collapsible runs are rare, so a cheap one (``(.)`` +
noise + the same character) proposes where one may start and the exact rule is
tried only there. The offset map is kept as a short list of segments (one per
removed run or collapsed run), not a list per character, and is only expanded
when ``offsets``/``ends`` are asked for.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from itertools import repeat

from civichall.core.text import LINE_BREAKS, is_invisible

__all__ = ["Normalized", "normalize", "normalize_term", "prepare", "term_runs"]

# Marker characters produced by the translate table. Real control characters in
# the input are mapped to NOISE by the table, so these never come from the text.
NOISE = "\x01"
EXPAND = "\x02"
SPACE = " "

_LINE_BREAKS = LINE_BREAKS
# Boundary characters as written; mapped to their NFKC form when that is one char.
_BOUNDARY_INPUT = frozenset("。｡？?！!；;，,、﹐﹑：:…⋯︒︐︑︓︔︕︖")
# Boundary characters after mapping (what can appear in normalised text).
_BOUNDARY = frozenset("。?!;,、:…⋯\n")

_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EBEF),
    (0x30000, 0x3134F),
)
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"

# What changes length in the classified text: collapsible CJK runs (noise
# allowed in between), latin runs of 3+ (noise allowed in between, but not
# spaces: those separate words), and noise runs. The exact collapse rule is
# slow to try at every character, so a cheap pattern proposes candidates
# (every collapsible run starts with one) and the exact rule is tried there.
_COLLAPSE = re.compile(
    "([" + _CJK_CLASS + "])(?:[ \x01]*\\1)+"
    "|([a-z])(?:\x01*\\2){2,}"
)
_CANDIDATE = re.compile("(.)[ \x01]*\\1")
_NOISE_RUN = re.compile("[ \x01]+")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


# --- traditional -> simplified, character by character -----------------------

_t2s_map: dict[str, str] | None = None
_converter = None


def _opencc():
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter


def _t2s_char(ch: str) -> str:
    """Simplified form of one character (itself when OpenCC has none)."""
    global _t2s_map
    if _t2s_map is None:
        # One bulk call for the BMP ideograph blocks: characters separated by
        # newlines cannot form phrases, so each comes back converted on its own.
        chars = [chr(c) for lo, hi in _CJK_RANGES[:3] for c in range(lo, hi + 1)]
        parts = _opencc().convert("\n".join(chars)).split("\n")
        m: dict[str, str] = {}
        if len(parts) == len(chars):
            for a, b in zip(chars, parts):
                if a != b and len(b) == 1:
                    m[a] = b
        _t2s_map = m
    if ch in _t2s_map:
        return _t2s_map[ch]
    if ord(ch) >= 0x20000 and _is_cjk(ch):
        out = _opencc().convert(ch)
        return out if len(out) == 1 else ch
    return ch


# --- the per-character table ----------------------------------------------------

_EXPANSIONS: dict[str, str] = {}


def _classify(r: str) -> str:
    """Class of one already-folded character: itself, SPACE or NOISE."""
    if r in _LINE_BREAKS:
        return "\n"
    if r in _BOUNDARY:
        return r
    if r.isspace():
        return SPACE
    if is_invisible(r):
        return NOISE
    cat = unicodedata.category(r)
    if cat[0] in "LN":
        return r
    return NOISE


def _compute(ch: str) -> str:
    """Table value for one input character: a single class char or EXPAND."""
    if ch in _LINE_BREAKS:
        return "\n"
    if ch in _BOUNDARY_INPUT:
        n = unicodedata.normalize("NFKC", ch)
        return n if len(n) == 1 else ch
    if is_invisible(ch):  # the shared set: fillers (Lo!), joiners, bidi, tags ...
        return NOISE
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Cc", "Co", "Cn", "Cs") or cat[0] == "M":
        return SPACE if ch.isspace() else NOISE
    n = unicodedata.normalize("NFKC", ch).casefold()
    if not n:
        return NOISE
    n = "".join(_t2s_char(c) for c in n)
    if len(n) == 1:
        return _classify(n)
    # Rare multi-character forms (㎏ -> kg, ß -> ss, ⑴ -> (1)).
    _EXPANSIONS[ch] = "".join(_classify(c) for c in n)
    return EXPAND


class _Table(dict):
    """``str.translate`` table that fills itself on first sight of a character."""

    def __missing__(self, code: int) -> str:
        value = _compute(chr(code))
        self[code] = value
        return value


_TABLE = _Table()


_BMP: list[str] | None = None  # the table for U+0000..U+FFFF as a list
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _bmp() -> list[str]:
    """The table for the Basic Multilingual Plane as a list, filled once.

    ``str.translate`` looks a list up by index, twice as fast as a dict by
    hash; a code point past its end raises ``IndexError``, which ``translate``
    takes as "leave it", so texts with astral characters use the dict."""
    global _BMP
    if _BMP is None:
        _BMP = [_TABLE[code] for code in range(0x10000)]
    return _BMP


def _translate(text: str) -> str:
    """``text.translate(_TABLE)``, by the fast list when the text allows."""
    if _ASTRAL.search(text):
        return text.translate(_TABLE)
    return text.translate(_BMP if _BMP is not None else _bmp())


def prepare() -> None:
    """Fill the character table for the whole BMP now.

    Optional: it is filled on first use (about half a second). A server may
    call this at start-up so the first request does not pay for it.
    """
    _bmp()


# --- segment maps -----------------------------------------------------------------


class _SegMap:
    """Map from positions of a derived string to spans of its source.

    Segment k starts at derived index ``outs[k]``. If ``ends[k]`` is -1 the
    segment is linear (derived i -> source ``srcs[k] + i - outs[k]``);
    otherwise every derived char of the segment stands for source
    ``[srcs[k], ends[k])`` (a collapsed run, a kept space, or an expansion).
    """

    __slots__ = ("outs", "srcs", "ends", "length")

    def __init__(self, outs, srcs, ends, length):
        self.outs, self.srcs, self.ends, self.length = outs, srcs, ends, length

    def start(self, i: int) -> int:
        k = bisect_right(self.outs, i) - 1
        if self.ends[k] < 0:
            return self.srcs[k] + i - self.outs[k]
        return self.srcs[k]

    def end(self, i: int) -> int:
        k = bisect_right(self.outs, i) - 1
        if self.ends[k] < 0:
            return self.srcs[k] + i - self.outs[k] + 1
        return self.ends[k]

    def group(self, i: int) -> tuple[int, int]:
        """Source span a derived char stands for (collapsed run or single char)."""
        return self.start(i), self.end(i)

    def starts_list(self) -> list[int]:
        out: list[int] = []
        bounds = self.outs[1:] + [self.length]
        for o, s, e, nxt in zip(self.outs, self.srcs, self.ends, bounds):
            if e < 0:
                out.extend(range(s, s + nxt - o))
            else:
                out.extend(repeat(s, nxt - o))
        return out

    def ends_list(self) -> list[int]:
        out: list[int] = []
        bounds = self.outs[1:] + [self.length]
        for o, s, e, nxt in zip(self.outs, self.srcs, self.ends, bounds):
            if e < 0:
                out.extend(range(s + 1, s + 1 + nxt - o))
            else:
                out.extend(repeat(e, nxt - o))
        return out


def _identity(n: int) -> _SegMap:
    return _SegMap([0], [0], [-1], n)


class Normalized:
    """A normalised string plus the way back to the original text.

    ``text``     the normalised string that lexicon terms are matched against;
    ``original`` the text as written;
    ``offsets``  for every char of ``text`` the index in ``original`` it came from;
    ``ends``     for every char of ``text`` the end (exclusive) in ``original`` of
                 what it stands for (a collapsed run ``赌赌`` -> one char with two).
    ``span(s, e)`` maps a normalised span to the original span that covers
    exactly the characters the person wrote, noise in between included.
    """

    __slots__ = ("text", "original", "_map", "_base", "_classified", "_offsets", "_ends")

    def __init__(self, text, original, seg_map, base, classified):
        self.text = text
        self.original = original
        self._map = seg_map  # normalised -> classified text
        self._base = base  # classified text -> original (None: identity)
        self._classified = classified
        self._offsets = None
        self._ends = None

    def __repr__(self) -> str:
        return f"Normalized({self.text!r})"

    def start_of(self, i: int) -> int:
        """Original index where normalised char ``i`` begins."""
        j = self._map.start(i)
        return j if self._base is None else self._base.start(j)

    def end_of(self, i: int) -> int:
        """Original index (exclusive) where normalised char ``i`` ends."""
        j = self._map.end(i) - 1
        return j + 1 if self._base is None else self._base.end(j)

    def span(self, s: int, e: int) -> tuple[int, int]:
        """Original ``[start, end)`` for the normalised span ``[s, e)``."""
        if e <= s:
            p = self.start_of(s) if s < len(self.text) else len(self.original)
            return p, p
        return self.start_of(s), self.end_of(e - 1)

    def run_length(self, i: int) -> int:
        """How many times normalised char ``i`` was written in a row (noise aside)."""
        a, b = self._map.group(i)
        if b - a <= 1:
            return 1
        return self._classified.count(self.text[i], a, b)

    @property
    def offsets(self) -> list[int]:
        if self._offsets is None:
            starts = self._map.starts_list()
            if self._base is not None:
                starts = [self._base.start(j) for j in starts]
            self._offsets = starts
        return self._offsets

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            ends = self._map.ends_list()
            if self._base is not None:
                ends = [self._base.end(j - 1) for j in ends]
            self._ends = ends
        return self._ends


def _expand_with_original(t: str, original: str) -> tuple[str, _SegMap]:
    parts: list[str] = []
    outs: list[int] = []
    srcs: list[int] = []
    ends: list[int] = []
    n = pos = 0
    idx = t.find(EXPAND)
    while idx != -1:
        if idx > pos:
            outs.append(n), srcs.append(pos), ends.append(-1)
            parts.append(t[pos:idx])
            n += idx - pos
        x = _EXPANSIONS[original[idx]]
        if x:
            outs.append(n), srcs.append(idx), ends.append(idx + 1)
            parts.append(x)
            n += len(x)
        pos = idx + 1
        idx = t.find(EXPAND, pos)
    if pos < len(t):
        outs.append(n), srcs.append(pos), ends.append(-1)
        parts.append(t[pos:])
        n += len(t) - pos
    if not outs:
        outs, srcs, ends = [0], [0], [-1]
    return "".join(parts), _SegMap(outs, srcs, ends, n)


def _collapses(t: str) -> list[tuple[int, int]]:
    """Spans of the collapsible runs, left to right, not overlapping."""
    found = []
    m = _CANDIDATE.search(t)
    while m is not None:
        run = _COLLAPSE.match(t, m.start())
        if run is not None:
            found.append(run.span())
            m = _CANDIDATE.search(t, run.end())
        else:  # a run may still start at the next character ("a aaa")
            m = _CANDIDATE.search(t, m.start() + 1)
    return found


def _events(t: str):
    """``(start, end, is_collapse)`` for every collapsible run and every noise
    run outside them, in order: what one leftmost scan with the exact rules
    would find."""
    collapses = _collapses(t)
    if not collapses:
        for m in _NOISE_RUN.finditer(t):
            a, b = m.span()
            yield a, b, False
        return
    k, count = 0, len(collapses)
    for m in _NOISE_RUN.finditer(t):
        a, b = m.span()
        while k < count and collapses[k][0] < a:
            ca, cb = collapses[k]
            yield ca, cb, True
            k += 1
        if k and collapses[k - 1][1] > a:  # noise inside a collapsed run
            continue
        yield a, b, False
    for ca, cb in collapses[k:]:
        yield ca, cb, True


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching; see the module docstring for the rules."""
    t = _translate(text)
    base = None
    if EXPAND in t:
        t, base = _expand_with_original(t, text)
    parts: list[str] = []
    outs: list[int] = []
    srcs: list[int] = []
    ends: list[int] = []
    n = pos = 0
    tlen = len(t)
    changed = False
    for a, b, collapse in _events(t):
        # Noise between two latin words becomes one space, which keeps them apart.
        keep_space = (not collapse and 0 < a and b < tlen and t[a - 1] in _ASCII_ALNUM
                      and t[b] in _ASCII_ALNUM and SPACE in t[a:b])
        if keep_space and b - a == 1:  # one space already: nothing changes
            continue
        changed = True
        if a > pos:
            outs.append(n), srcs.append(pos), ends.append(-1)
            parts.append(t[pos:a])
            n += a - pos
        if collapse:  # collapsed run -> its character once
            outs.append(n), srcs.append(a), ends.append(b)
            parts.append(t[a])
            n += 1
        elif keep_space:
            outs.append(n), srcs.append(a), ends.append(b)
            parts.append(SPACE)
            n += 1
        pos = b
    if not changed:  # nothing changed length: identity map
        return Normalized(t, text, _identity(tlen), base, t)
    if pos < tlen:
        outs.append(n), srcs.append(pos), ends.append(-1)
        parts.append(t[pos:])
        n += tlen - pos
    if not outs:  # everything was noise
        outs, srcs, ends = [0], [tlen], [-1]
    return Normalized("".join(parts), text, _SegMap(outs, srcs, ends, n), base, t)


def normalize_term(term: str) -> str:
    """Normalise a lexicon term with exactly the pipeline used for text."""
    return normalize(term).text.strip()


def term_runs(term: str) -> tuple[str, tuple[int, ...] | None]:
    """Normalised term plus, if it had doubled characters, the run length of each.

    ``谢谢你`` -> ``("谢你", (2, 1))``; terms without doubles -> ``(key, None)``.
    """
    nz = normalize(term.strip())
    key = nz.text
    lead = len(key) - len(key.lstrip())
    key = key.strip()
    runs = tuple(nz.run_length(i + lead) for i in range(len(key)))
    return key, (runs if any(r > 1 for r in runs) else None)
