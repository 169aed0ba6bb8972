"""Rules for raw input from outside: text, whole numbers, web links.

Pure Python, no Django: the request guard, the model guard, views, forms,
connectors and the command line all ask these same functions, so that one
rule decides what is acceptable wherever text or a number comes in.

* Text must not hold a NUL character or an unpaired surrogate: PostgreSQL
  refuses the first, and no encoding can store the second. Everything else,
  Chinese, emoji, line breaks, is fine.
* Whole numbers are ASCII digits only (``"²"``, ``"١٢"``, ``"1_000"``,
  ``" 7"`` are not numbers here, though ``str.isdigit`` or ``int`` accept
  some of them), with an optional minus sign where negatives make sense,
  and bounded, so that no page number or id can overflow a database column.
* A link that citizens open is an ``http(s)`` address with a host, or an
  address on this site (``/services/...``); never ``javascript:``,
  ``data:`` and the like.
"""

import math
import re
from urllib.parse import urlsplit

# The largest id a database integer column (64-bit, signed) holds.
MAX_ID = 2**63 - 1

_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
_DIGITS = re.compile(r"-?[0-9]{1,19}")
_DECIMAL = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?([eE][-+]?[0-9]{1,3})?")


def bad_character(text):
    """The first character of ``text`` that cannot be stored (a NUL or an
    unpaired surrogate), or None when it is clean."""
    found = _BAD_CHARACTER.search(text)
    return found.group(0) if found else None


def clean_text(text):
    """``text`` with NUL characters removed and unpaired surrogates replaced
    by U+FFFD: what can be stored of it. For the last line of defence, where
    refusing is no longer possible (a model being saved)."""
    if not _BAD_CHARACTER.search(text):
        return text
    return _BAD_CHARACTER.sub(lambda m: "" if m.group(0) == "\x00" else "\ufffd", text)


def clean_json(value):
    """``clean_text`` applied to every string (keys too) in a JSON-like value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_json(k) if isinstance(k, str) else k: clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_json(v) for v in value)
    return value


def bad_character_in_json(value, depth=0, max_depth=64):
    """The first character that cannot be stored anywhere in a decoded JSON
    value (keys included), or None. Nesting deeper than ``max_depth`` counts
    as bad (``"{"``), as no form of ours nests that deep."""
    if depth > max_depth:
        return "{"
    if isinstance(value, str):
        return bad_character(value)
    if isinstance(value, dict):
        items = [i for pair in value.items() for i in pair]
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found = bad_character_in_json(item, depth + 1, max_depth)
        if found is not None:
            return found
    return None


class NotANumber(ValueError):
    """The text is not a whole number in range."""


def parse_int(text, minimum=1, maximum=MAX_ID):
    """The whole number written in ``text`` (ASCII digits, an optional
    leading minus sign), or ``NotANumber`` when it is anything else or out of
    ``[minimum, maximum]``. ``int`` values pass through the same bounds."""
    if isinstance(text, bool):
        raise NotANumber(text)
    if isinstance(text, int):
        number = text
    elif isinstance(text, str) and _DIGITS.fullmatch(text):
        number = int(text)
    else:
        raise NotANumber(text)
    if not minimum <= number <= maximum:
        raise NotANumber(text)
    return number


def int_or_none(text, minimum=1, maximum=MAX_ID):
    """``parse_int`` that answers None instead of raising: for optional
    parameters, where a wrong value means "not given"."""
    try:
        return parse_int(text, minimum, maximum)
    except NotANumber:
        return None


def parse_number(text):
    """A finite decimal number written in ``text`` (``12``, ``-3.5``,
    ``1e3``) as int or float; ``NotANumber`` otherwise (``"nan"``, ``"inf"``,
    ``"²"``, ``"1e999"``)."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
        raise NotANumber(text)
    if _DIGITS.fullmatch(text):
        return int(text)
    number = float(text)
    if not math.isfinite(number):
        raise NotANumber(text)
    return number


def is_web_link(url):
    """True for an ``http``/``https`` address with a host, or a path on this
    site (``/x``, not ``//host``); false for ``javascript:``, ``data:``,
    ``mailto:``, relative paths and anything with control characters."""
    if not isinstance(url, str) or not url or url != url.strip():
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url) or "\\" in url:
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
