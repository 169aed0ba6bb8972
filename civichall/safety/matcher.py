"""Lexicon matching: many terms at once over normalised text, hits in original offsets.

A ``Matcher`` is built once from lexicon entries and allow-list phrases and
then scans any number of texts. Terms and text go through the same
normalisation (``normalize``), and one Aho-Corasick automaton finds every
term and every allow phrase in a single pass.

Rules:

* Allow-list: a phrase such as ``大麻烦`` or ``分裂国家罪`` is fine although it
  contains a listed term; a term hit lying inside an allow-list match is
  dropped.
* Latin terms stand alone: when a term starts (ends) with an ASCII letter, the
  text character before (after) it must not be a letter too, so ``K粉`` does
  not fire inside ``PK粉丝``; the same holds for digits.
* A term with a doubled character (``呵呵``) needs the character doubled in
  the text as well, although runs are collapsed for matching.
* Pinyin (opt-in per entry): the entry also matches text whose toneless pinyin
  equals the term's -- homophone characters (``煞笔``) or latin pinyin
  (``sha bi``). Homophones are often innocent (``读博`` sounds like ``赌博``),
  so such a hit is reported with severity ``review`` even for a ``block``
  entry. The pinyin automaton is only built if some entry asks for it.
* Speed: the automaton is the Rust ``aho-corasick`` crate (through
  ``ahocorasick_rs``), asked for every overlapping match; it reports
  character offsets, astral characters included, and scans tens of millions
  of characters a second at 50k terms, so the scan costs a fraction of the
  normalisation before it.
* Overlaps: one hit per start position -- the longest match there -- and each
  term once per position; nested hits at other positions are all reported.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Iterable

import ahocorasick_rs

from .normalize import Normalized, _is_cjk, normalize, term_runs

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "Entry",
    "Hit",
    "Matcher",
    "category_code",
    "pinyin_key",
]

#: Category codes and their Chinese labels.
CATEGORIES = {
    "political": "政治敏感",
    "vulgar": "低俗",
    "violence": "暴恐",
    "gambling_drugs": "赌毒",
    "fraud_spam": "诈骗广告",
    "personal_data": "个人信息",
    "other": "其他",
}
#: Severities a lexicon entry can carry, with Chinese labels.
SEVERITIES = {"block": "拦截", "review": "人工审核"}
_RANK = {"review": 1, "block": 2}
_LABEL_TO_CODE = {label: code for code, label in CATEGORIES.items()}


def category_code(value: str) -> str | None:
    """English category code for a code or a Chinese label; None if unknown."""
    v = (value or "").strip()
    if v.lower() in CATEGORIES:
        return v.lower()
    return _LABEL_TO_CODE.get(v)


@dataclass(frozen=True)
class Entry:
    """One lexicon term."""

    term: str
    category: str
    severity: str  # "block" | "review" ("allow" only in allow lists)
    pinyin: bool = False
    note: str = ""


@dataclass(frozen=True)
class Hit:
    """A term found in a text; ``start``/``end`` index the original text."""

    term: str
    category: str
    severity: str
    start: int
    end: int
    matched: str

    def to_dict(self) -> dict:
        # By hand: dataclasses.asdict deep-copies every field, which cost more
        # than finding the hit.
        return {"term": self.term, "category": self.category, "severity": self.severity,
                "start": self.start, "end": self.end, "matched": self.matched}


# --- pinyin -----------------------------------------------------------------------


class _PinyinTable(dict):
    """char -> toneless pinyin ('' for a dropped space, '#' for a hard break)."""

    def __missing__(self, ch: str) -> str:
        if "a" <= ch <= "z":
            v = ch
        elif ch == " ":
            v = ""
        elif _is_cjk(ch):
            from pypinyin import Style, lazy_pinyin

            p = lazy_pinyin(ch, style=Style.NORMAL)
            v = p[0] if p and p[0] != ch and p[0].isascii() else "#"
        else:
            v = "#"
        self[ch] = v
        return v


_PINYIN = _PinyinTable()


def pinyin_key(normalized_term: str) -> str:
    """Toneless pinyin of a normalised term, character by character."""
    return "".join(_PINYIN[c] for c in normalized_term)


def _automaton(patterns: dict):
    """An overlapping-match automaton over ``patterns`` (key -> _Pattern), with
    the patterns in the automaton's index order; (None, []) when empty."""
    if not patterns:
        return None, []
    keys = list(patterns)
    return ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard), [patterns[k] for k in keys]


def _is_letter(ch: str) -> bool:
    return "a" <= ch <= "z"


# --- the matcher ------------------------------------------------------------------


class _Pattern:
    """What one normalised key stands for in the automaton."""

    __slots__ = ("entry", "allow", "runs", "left", "right")

    def __init__(self):
        self.entry: Entry | None = None
        self.allow = False
        self.runs = None
        self.left = self.right = None  # 'a' letter edge, 'd' digit edge


def _edge(ch: str) -> str | None:
    if "a" <= ch <= "z":
        return "a"
    if "0" <= ch <= "9":
        return "d"
    return None


def _edge_ok(text: str, i: int, kind: str | None) -> bool:
    if kind is None or i < 0 or i >= len(text):
        return True
    return _edge(text[i]) != kind


class Matcher:
    """Compiled lexicon: ``Matcher(entries, allow).scan(text) -> list[Hit]``.

    ``entries`` are ``Entry`` objects (severity ``block`` or ``review``);
    ``allow`` are allow-list phrases (strings or entries, the ``term`` is used).
    Raises ``ValueError`` for an unknown category or severity or a term that
    normalises to nothing.
    """

    def __init__(self, entries: Iterable[Entry], allow: Iterable = ()):
        self.entries: list[Entry] = []
        self.allow: list[str] = []
        patterns: dict[str, _Pattern] = {}
        pinyin: dict[str, _Pattern] = {}

        def pattern(key: str) -> _Pattern:
            p = patterns.get(key)
            if p is None:
                p = patterns[key] = _Pattern()
                p.left, p.right = _edge(key[0]), _edge(key[-1])
            return p

        for e in entries:
            if e.category not in CATEGORIES:
                raise ValueError(f"unknown category {e.category!r} for term {e.term!r}")
            if e.severity not in SEVERITIES:
                raise ValueError(f"unknown severity {e.severity!r} for term {e.term!r}")
            key, runs = term_runs(e.term)
            if not key:
                raise ValueError(f"term {e.term!r} is empty after normalisation")
            self.entries.append(e)
            p = pattern(key)
            # Same key twice (e.g. 賭博 and 赌博): keep the stricter entry.
            if p.entry is None or _RANK[e.severity] > _RANK[p.entry.severity]:
                p.entry, p.runs = e, runs
            if e.pinyin:
                pk = pinyin_key(key)
                if pk and "#" not in pk:
                    q = pinyin.get(pk)
                    if q is None:
                        q = pinyin[pk] = _Pattern()
                    if q.entry is None or _RANK[e.severity] > _RANK[q.entry.severity]:
                        q.entry = e
        for a in allow:
            phrase = a if isinstance(a, str) else a.term
            key, runs = term_runs(phrase)
            if not key:
                raise ValueError(f"allow phrase {phrase!r} is empty after normalisation")
            self.allow.append(phrase)
            p = pattern(key)
            p.allow = True
            if p.entry is None:
                p.runs = runs

        self._automaton, self._patterns = _automaton(patterns)
        self._has_patterns = bool(patterns)
        self._pinyin, self._pinyin_patterns = _automaton(pinyin)

    def __len__(self) -> int:
        return len(self.entries)

    # -- scanning --

    def scan(self, text: str, normalized: Normalized | None = None) -> list[Hit]:
        """All lexicon hits in ``text``, sorted by position."""
        if not self._has_patterns or not text:
            return []
        nz = normalized if normalized is not None else normalize(text)
        nt = nz.text
        allow_spans: list[tuple[int, int]] = []
        found: list[tuple[int, int, int, Entry, bool]] = []  # s, -e, order, entry, pinyin
        order = 0
        patterns = self._patterns
        for index, s, e in self._automaton.find_matches_as_indexes(nt, overlapping=True):
            p = patterns[index]
            if p.left and not _edge_ok(nt, s - 1, p.left):
                continue
            if p.right and not _edge_ok(nt, e, p.right):
                continue
            if p.runs is not None and not all(
                r == 1 or nz.run_length(s + i) >= r for i, r in enumerate(p.runs)
            ):
                continue
            if p.allow:
                allow_spans.append((s, e))
            if p.entry is not None:
                found.append((s, -e, order, p.entry, False))
                order += 1
        if self._pinyin is not None:
            for s, e, entry in self._scan_pinyin(nt):
                found.append((s, -e, order, entry, True))
                order += 1
        if not found:
            return []
        if allow_spans:
            found = _drop_allowed(found, allow_spans)
        found.sort()
        hits: list[Hit] = []
        seen_start = None
        for s, neg_e, _, entry, via_pinyin in found:
            if s == seen_start:  # longest at this start already taken
                continue
            seen_start = s
            a, b = nz.span(s, -neg_e)
            severity = "review" if via_pinyin else entry.severity
            hits.append(Hit(entry.term, entry.category, severity, a, b, text[a:b]))
        return hits

    def _scan_pinyin(self, nt: str):
        """Pinyin hits as normalised spans, aligned to syllable boundaries."""
        parts = [_PINYIN[c] for c in nt]
        stream = "".join(parts)
        if not stream:
            return
        cum = list(accumulate(map(len, parts)))  # end of each char's syllable
        patterns = self._pinyin_patterns
        for index, ps, pe in self._pinyin.find_matches_as_indexes(stream, overlapping=True):
            p = patterns[index]
            i = bisect_right(cum, ps)  # first char whose syllable ends after ps
            j = bisect_left(cum, pe)  # char whose syllable ends at pe
            if i >= len(parts) or j >= len(parts) or cum[j] != pe:
                continue
            if cum[i] - len(parts[i]) != ps:  # starts mid-syllable
                continue
            # Inside a latin word is not a syllable boundary (xiaodubo).
            if _is_letter(nt[i]) and i > 0 and _is_letter(nt[i - 1]):
                continue
            if _is_letter(nt[j]) and j + 1 < len(nt) and _is_letter(nt[j + 1]):
                continue
            yield i, j + 1, p.entry


def _drop_allowed(found, allow_spans):
    """Remove hits lying inside any allow-list match."""
    allow_spans.sort()
    starts = [a for a, _ in allow_spans]
    reach = list(accumulate((b for _, b in allow_spans), max))
    kept = []
    for item in found:
        s, e = item[0], -item[1]
        k = bisect_right(starts, s) - 1
        if k >= 0 and reach[k] >= e:
            continue
        kept.append(item)
    return kept
