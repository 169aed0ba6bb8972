"""A spy on the Chinese catalogue: which messages did rendering ask for that
the catalogue (ours merged with Django's and Wagtail's) does not hold?"""

import re
from contextlib import contextmanager

from django.utils.translation import trans_real


@contextmanager
def missing_messages(language="zh-hans"):
    """Record every message asked of ``language``'s catalogue that it does not hold."""
    catalogue = trans_real.translation(language)
    missing = set()
    original_gettext, original_ngettext = catalogue.gettext, catalogue.ngettext

    def gettext(message):
        if message and catalogue._catalog.get(message) is None and needs_words(message.split("\x04")[-1]):
            missing.add(message.split("\x04")[-1])
        return original_gettext(message)

    def ngettext(singular, plural, number):
        if catalogue._catalog.get((singular, 0)) is None and needs_words(singular.split("\x04")[-1]):
            missing.add(singular.split("\x04")[-1])
        return original_ngettext(singular, plural, number)

    catalogue.gettext, catalogue.ngettext = gettext, ngettext
    try:
        yield missing
    finally:
        del catalogue.gettext, catalogue.ngettext


def needs_words(message):
    """Only messages with English words need a Chinese version."""
    return re.search(r"[A-Za-z]{2,}", re.sub(r"%\(\w+\)[sd]|\{\w+\}", "", message)) is not None
