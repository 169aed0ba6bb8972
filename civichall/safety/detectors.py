"""Personal data that must not be published: resident ID, mobile and bank card numbers.

People write these numbers in every way: in one run, in groups, with dots,
spaces, dashes, full-width digits, or with invisible characters and fillers
between the digits (``138.1234.5678``, ``1 3 8 1 2 3 4 5 6 7 8``,
``310101 19880312 0024``, ``１３８ㅤ1234ㅤ5678``). So the detectors do not
look for one way of writing; they read the text as *runs*: digits (any
decimal digit: ASCII, full-width, mathematical ...) joined by separator
characters --

* spaces and tabs (not line breaks: numbers on separate lines are separate),
* dots ``. ． · ・ ･ ‧ • ∙ ⋅`` and dashes ``- ‐ ‑ ‒ – — ― − － ﹣ _ ＿``,
* every invisible character of ``civichall.core.text.INVISIBLE`` (zero-width
  characters, bidi marks, fillers, variation selectors, tags ...);

plus a trailing ``X`` (the ID check character). Commas, colons, slashes and
the full stop ``。`` are *not* separators: they write amounts (``1,380,000``),
times and dates, and a sentence end is not inside a number.

A number is a whole run, or a part of a run cut at a separator that differs
from every separator inside the part (``13812345678 3101…`` is two numbers;
``6222 0212 3456 7890 1234 5678`` with one kind of separator throughout is
one longer number, and nothing). Its digits must be *written as a number*,
not as a list of figures (``6.7 66.7 3.15 69.28`` is no card, whatever Luhn
says): in one run; or with an invisible character somewhere between them
(nobody hides one in a list of figures); or one digit at a time
(``1 3 8 1 2 3 4 5 6 7 8``); or in groups of at least three digits, the last
group excepted (``138 1234 5678``, ``138-1234 5678``, ``310101 19880312
0024``), with any separators, mixed or not. Then the digits must be:

* resident ID (18 characters): a known province code, a plausible birth date
  (1900 .. today) and a correct ISO 7064 MOD 11-2 check character (``X`` = 10);
* mobile number: ``1[3-9]`` + 9 digits, optionally ``86``/``0086`` in front;
* bank card: 16-19 digits with a valid Luhn check digit, starting as a
  payment card does (major industry identifier 3, 4, 5, 6 or 9, or
  Mastercard's 2221-2720), so that lists of years or dates are not cards.

So dates (``2022年6月1日``, ``2022.06.01``), prices, line numbers
(``第1 3 号线``), hotlines, amounts and lists of figures are left alone
(``tests/safety/test_hostile_text.py`` keeps real sentences that must not be
masked); a list of three- and four-digit figures that happens to pass a
check (about one in a thousand random ones) is the price. Where two detections claim the same
characters, a whole run wins over a part of one, then the resident ID wins
over the bank card (an 18-digit ID can pass Luhn by chance), and both win
over a mobile number.

``mask`` replaces the middle digits with ``*`` in the original text and
keeps the length, separators and surrounding text as they are.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import asdict, dataclass

from civichall.core.text import INVISIBLE, LINE_BREAKS, char_class, invisible_class

__all__ = [
    "PII_KINDS",
    "SEPARATORS",
    "Detection",
    "find_personal_data",
    "is_valid_resident_id",
    "luhn_ok",
    "mask",
]

#: Detector kinds with Chinese and English labels.
PII_KINDS = {
    "resident_id": ("居民身份证号", "resident ID number"),
    "mobile": ("手机号码", "mobile number"),
    "bank_card": ("银行卡号", "bank card number"),
}
# How many digits stay visible at the front and at the back when masking.
_KEEP = {"resident_id": (3, 4), "mobile": (3, 4), "bank_card": (6, 4)}
_PRIORITY = {"resident_id": 0, "bank_card": 1, "mobile": 2}

#: Visible separators people put between the digits of a number (besides
#: spaces and the invisible characters).
SEPARATORS = ".．·・･‧•∙⋅-‐‑‒–—―−－﹣_＿"
_X = "XxＸｘ"
# Spaces that stay on the line (not line breaks), for the separator class.
_HSPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in LINE_BREAKS)
_SEP = "[" + char_class(set(_HSPACE) | set(SEPARATORS)) + invisible_class() + "]"
# A run: at least 11 digits joined by separators, a "+" and an "X" allowed.
_RUN_RE = re.compile(
    r"\+?\d(?:" + _SEP + r"*\d){10,}(?:" + _SEP + r"*[" + _X + r"](?![A-Za-zＡ-Ｚａ-ｚ]))?"
)
_GROUP_RE = re.compile(r"\d+[" + _X + "]?|[" + _X + "]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LONGEST = 19  # digits of the longest number looked for

_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Detection:
    """Personal data found in a text; ``start``/``end`` index the original text."""

    kind: str  # resident_id | mobile | bank_card
    start: int
    end: int
    matched: str
    category: str = "personal_data"
    severity: str = "review"

    @property
    def label(self) -> str:
        return PII_KINDS[self.kind][0]

    def to_dict(self) -> dict:
        return asdict(self)


def is_valid_resident_id(number: str, today: _dt.date | None = None) -> bool:
    """True for an 18-character resident ID with a valid date and check character."""
    if len(number) != 18 or not number[:17].isdecimal():
        return False
    if int(number[:2]) not in _PROVINCES:
        return False
    try:
        born = _dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > (today or _dt.date.today()):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    """True if the digit string passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_prefix_ok(digits: str) -> bool:
    """Starts as a payment card does (ISO/IEC 7812 major industry identifier)."""
    return digits[0] in "34569" or "2221" <= digits[:4] <= "2720"


def _kinds(digits: str):
    """(kind, digits skipped at the front) for a candidate digit string."""
    n = len(digits)
    if n == 18 and is_valid_resident_id(digits):
        yield "resident_id", 0
    if not digits[-1].isdigit():
        return
    if 16 <= n <= 19 and _card_prefix_ok(digits) and luhn_ok(digits):
        yield "bank_card", 0
    if n == 11 and _MOBILE.fullmatch(digits):
        yield "mobile", 0
    elif n == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits, 2):
        yield "mobile", 2
    elif n == 15 and digits.startswith("0086") and _MOBILE.fullmatch(digits, 4):
        yield "mobile", 4


def _written_as_a_number(sizes: list[int], seps: list[str]) -> bool:
    """Whether digit groups of these sizes, joined by these separators, are
    written the way a number is written, rather than being a list of numbers
    (``6.7 66.7 3.15 69.28``, ``3656 6 675 963``):

    * one run of digits;
    * an invisible character between the digits: nobody hides one in a list
      of figures, only in a number they want past a filter;
    * one digit at a time (``1 3 8 1 2 3 4 5 6 7 8``);
    * groups of three digits or more, the last one excepted (``138 1234 5678``,
      ``310101 19880312 0024``, ``6222 0212 3456 7890 123``), with any
      separators, mixed or not (``138-1234 5678``).
    """
    if len(sizes) == 1:
        return True
    if any(c in INVISIBLE for sep in seps for c in sep):
        return True
    return all(n == 1 for n in sizes) or all(n >= 3 for n in sizes[:-1])


def _ranges(cum: list[int], n: int):
    """Ranges of groups ``(i, j)`` holding between 11 and ``_LONGEST`` digits."""
    for i in range(n):
        if cum[n] - cum[i] < 11:
            return
        for j in range(i, n):
            size = cum[j + 1] - cum[i]
            if size > _LONGEST:
                break
            if size >= 11:
                yield i, j


def _run_detections(text: str, a: int, b: int, found: list) -> None:
    """Detections in the run ``text[a:b]`` appended to ``found`` as
    (part_of_run, priority, start, end, kind)."""
    groups = [(m.start(), m.end()) for m in _GROUP_RE.finditer(text, a, b)]
    values = []
    for s, e in groups:
        chunk = text[s:e]
        x = "X" if chunk[-1] in _X else ""
        if x:
            chunk = chunk[:-1]
        values.append((chunk if chunk.isascii() else "".join(str(unicodedata.decimal(c)) for c in chunk)) + x)
    n = len(groups)
    if n == 1:  # one run of digits: the common case
        for kind, skip in _kinds(values[0]):
            found.append((False, _PRIORITY[kind], groups[0][0] + skip, groups[0][1], kind))
        return
    seps = [text[groups[k][1]:groups[k + 1][0]] for k in range(n - 1)]
    joined = "".join(values)
    cum = [0]
    for v in values:
        cum.append(cum[-1] + len(v))
    if len(set(seps)) == 1:
        # One separator throughout: the whole run or a single group, nothing between.
        ranges = [(0, n - 1)] + [(k, k) for k in range(n)]
    else:
        ranges = _ranges(cum, n)
    for i, j in ranges:
        size = cum[j + 1] - cum[i]
        if size < 11 or size > _LONGEST:
            continue
        digits = joined[cum[i]:cum[j + 1]]
        whole = i == 0 and j == n - 1
        if not whole:
            # A part of a run only where the run is cut differently than inside it.
            if (i > 0 and seps[i - 1] in seps[i:j]) or (j < n - 1 and seps[j] in seps[i:j]):
                continue
            if "X" in digits[:-1]:
                continue
        for kind, skip in _kinds(digits):
            # The number proper starts after a country code (86, 0086).
            k, left = i, skip
            while left and left >= len(values[k]):
                left -= len(values[k])
                k += 1
            sizes = [len(values[k]) - left] + [len(values[m]) for m in range(k + 1, j + 1)]
            if not _written_as_a_number(sizes, seps[k:j]):
                continue
            found.append((not whole, _PRIORITY[kind], groups[k][0] + left, groups[j][1], kind))


def find_personal_data(text: str) -> list[Detection]:
    """Resident ID, mobile and bank card numbers in ``text``, sorted by position."""
    if not text:
        return []
    found: list = []
    for run in _RUN_RE.finditer(text):
        _run_detections(text, run.start(), run.end(), found)
    if not found:
        return []
    found.sort()
    kept: list[Detection] = []
    for _part, _prio, s, e, kind in found:
        if all(e <= k.start or s >= k.end for k in kept):
            kept.append(Detection(kind, s, e, text[s:e]))
    kept.sort(key=lambda d: d.start)
    return kept


def _mask_one(chunk: str, kind: str) -> str:
    head, tail = _KEEP[kind]
    digit_pos = [i for i, c in enumerate(chunk) if c.isdecimal() or c in _X]
    hidden = set(digit_pos[head: len(digit_pos) - tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(chunk))


def mask(text: str, detections: list[Detection] | None = None) -> str:
    """``text`` with personal data masked: ``138****5678``, ``310***********1234``."""
    if detections is None:
        detections = find_personal_data(text)
    if not detections:
        return text
    out, pos = [], 0
    for d in sorted(detections, key=lambda d: d.start):
        out.append(text[pos:d.start])
        out.append(_mask_one(text[d.start:d.end], d.kind))
        pos = d.end
    out.append(text[pos:])
    return "".join(out)
