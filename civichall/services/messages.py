"""Bilingual user-facing messages.

Everything a citizen or an editor may read is written in Chinese first, with
an English alternative. A :class:`Message` carries both, so the shell (a web
view, the API, a WeChat reply) picks the language at the last moment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A text in Chinese (``zh``) with its English alternative (``en``)."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh

    def get(self, lang: str | None = "zh") -> str:
        """The text in ``lang`` (``zh``/``zh-hans`` → Chinese, ``en*`` → English)."""
        if lang and lang.lower().startswith("en"):
            return self.en
        return self.zh

    def as_dict(self) -> dict[str, str]:
        """``{"zh": ..., "en": ...}`` for JSON output."""
        return {"zh": self.zh, "en": self.en}
