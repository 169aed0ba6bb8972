"""Choosing between the Chinese and English versions of a text, for the
active language of a request (Django side). The rule itself is
``civichall.core.lang.is_english``; pure modules call it with a ``lang``."""

from django.utils.translation import get_language

from .lang import is_english, lang_key


def wants_english():
    """True when the active language is English."""
    return is_english(get_language())


def localised(zh, en):
    """The English text when English is active and there is one, else the Chinese."""
    return en if en and wants_english() else zh


def message_lang():
    """"en" or "zh": which side of a pure module's Message(zh, en) to show."""
    return lang_key(get_language())


def django_language(lang):
    """The Django language code for ``lang`` (``en`` or ``zh-hans``), e.g. for
    ``translation.override`` around a pure module's answer."""
    return "en" if is_english(lang) else "zh-hans"
