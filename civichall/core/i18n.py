"""Choosing between the Chinese and English versions of a text."""

from django.utils.translation import get_language


def wants_english():
    """True when the active language is English."""
    return (get_language() or "").startswith("en")


def localised(zh, en):
    """The English text when English is active and there is one, else the Chinese."""
    return en if en and wants_english() else zh


def message_lang():
    """"en" or "zh": which side of a pure module's Message(zh, en) to show."""
    return "en" if wants_english() else "zh"
