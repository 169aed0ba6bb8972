"""Chinese or English: the one rule, and the one way to carry a text in both.

Pure Python, no Django: the pure modules (connectors, the menu rules, the
safety scorers) take a ``lang`` argument and ask :func:`is_english`; the
Django side (``civichall.core.i18n``) asks the same function about the
active language. A text that must travel in both languages until the shell
picks one (a department's error, a rule's complaint) is a :class:`Message`.
Text of the interface itself goes through gettext instead.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Message", "is_english", "lang_key"]


def is_english(lang: str | None) -> bool:
    """True when the language code ``lang`` (``en``, ``en-GB``, ``EN_us`` …)
    means English; Chinese (and anything unknown or empty) is not."""
    return bool(lang) and str(lang).strip().lower().replace("_", "-").split("-")[0] == "en"


def lang_key(lang: str | None) -> str:
    """``"en"`` or ``"zh"``: which side of a :class:`Message` ``lang`` shows."""
    return "en" if is_english(lang) else "zh"


@dataclass(frozen=True)
class Message:
    """A text in Chinese (``zh``) with its English alternative (``en``).

    Chinese first: ``str()`` is the Chinese, and an empty English side falls
    back to it."""

    zh: str
    en: str = ""

    def __str__(self) -> str:
        return self.zh

    def get(self, lang: str | None = "zh") -> str:
        """The text in ``lang`` (``zh``/``zh-hans`` → Chinese, ``en*`` → English)."""
        return (self.en or self.zh) if is_english(lang) else self.zh

    def as_dict(self) -> dict[str, str]:
        """``{"zh": ..., "en": ...}`` for JSON output."""
        return {"zh": self.zh, "en": self.en}

    def format(self, **values) -> Message:
        """Both sides with ``{name}`` placeholders filled in."""
        return Message(self.zh.format(**values), self.en.format(**values))
