"""Personal data that must not be published: resident ID, mobile and bank card numbers.

Each detector looks at the original text (full-width digits folded to ASCII
first, one char for one char, so offsets are unchanged) and validates what it
finds, so that ordinary numbers -- order numbers, statistics, hotline numbers
-- are not reported:

* resident ID (18 characters): a known province code, a plausible birth date
  (1900 .. today) and a correct ISO 7064 MOD 11-2 check character (``X`` = 10);
* mobile number: ``1[3-9]`` + 9 digits, optionally ``+86``/``86`` in front,
  optionally split 3-4-4 by one kind of separator (``138-1234-5678``,
  ``138 1234 5678``);
* bank card: 16-19 digits with a valid Luhn check digit, written in one run or
  in groups of four separated by spaces or hyphens.

None of them may be part of a longer run of digits. Where two detectors claim
the same characters, the resident ID wins over the bank card (an 18-digit ID
can pass Luhn by chance), and both win over a mobile number.

``mask`` replaces the middle digits with ``*`` for public display and keeps
the length, separators and surrounding text as they are.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass

__all__ = [
    "PII_KINDS",
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

_FOLD = str.maketrans(
    "０１２３４５６７８９Ｘｘ－　＋", "0123456789Xx- +"
)

_WIDE = re.compile("[０-９Ｘｘ－　＋]")
_ID_RE = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_RE = re.compile(
    r"(?<![0-9])(?<![0-9][ -])(?:(?:\+|00)?86[ -]?)?"
    r"(?P<num>1[3-9][0-9](?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4})"
    r"(?![0-9])(?![ -][0-9])"
)
_CARD_RE = re.compile(
    r"(?<![0-9])(?<![0-9][ -])"
    r"(?:[0-9]{16,19}|[0-9]{4}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}(?:(?P=sep)[0-9]{1,3})?)"
    r"(?![0-9])(?![ -][0-9])"
)

# Candidate runs: digits with single spaces/hyphens inside, an optional + in
# front. Everything the detectors accept lies inside one such run, so the
# detectors only look at runs long enough to hold 11 digits.
_RUN_RE = re.compile(r"\+?[0-9](?:[ -]?[0-9])*[Xx]?")

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
    if len(number) != 18 or not number[:17].isdigit():
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


def find_personal_data(text: str) -> list[Detection]:
    """Resident ID, mobile and bank card numbers in ``text``, sorted by position."""
    if not text:
        return []
    # Fold full-width forms only when there are any (a large text costs time).
    folded = text.translate(_FOLD) if _WIDE.search(text) else text
    found: list[Detection] = []
    for run in _RUN_RE.finditer(folded):
        a, b = run.span()
        if b - a < 11:
            continue
        # Detailed patterns on the run plus one char of context after it.
        end = min(len(folded), b + 1)
        for m in _ID_RE.finditer(folded, a, end):
            if is_valid_resident_id(m.group().upper()):
                found.append(Detection("resident_id", m.start(), m.end(), text[m.start():m.end()]))
        for m in _CARD_RE.finditer(folded, a, end):
            digits = re.sub(r"[ -]", "", m.group())
            if 16 <= len(digits) <= 19 and luhn_ok(digits):
                found.append(Detection("bank_card", m.start(), m.end(), text[m.start():m.end()]))
        for m in _MOBILE_RE.finditer(folded, a, end):
            s, e = m.span("num")
            found.append(Detection("mobile", s, e, text[s:e]))
    if len(found) > 1:
        found.sort(key=lambda d: (_PRIORITY[d.kind], d.start))
        kept: list[Detection] = []
        for d in found:
            if all(d.end <= k.start or d.start >= k.end for k in kept):
                kept.append(d)
        found = kept
    found.sort(key=lambda d: d.start)
    return found


def _mask_one(chunk: str, kind: str) -> str:
    head, tail = _KEEP[kind]
    digit_pos = [i for i, c in enumerate(chunk) if c.isdigit() or c in "Xx"]
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
