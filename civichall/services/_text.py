"""Shared Chinese text helpers for the service matrix: normalisation and a
private jieba tokenizer.

Every search of the room (the one-window service search behind the web page
and the API, the garbage lookup, the CSV and GTFS connectors' lookups) folds
its text with :func:`fold`, which first drops the invisible characters of
``civichall.core.text``: ``社\u200b保`` is searched as ``社保``.

The service catalog, the garbage lookup and the CSV connector add their own
words (service names, item names, place names) to the segmentation dictionary.
They use one private :class:`jieba.Tokenizer` so that those additions never
change how other parts of the platform (the safety engine uses jieba's global
dictionary) cut their text.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable

import jieba

from civichall.core.text import drop_invisible

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_added: set[str] = set()

# Separators people type in names, plates and addresses ("沪A·D12345",
# "延安路 - 高架"); they never carry meaning for matching.
_SEPARATORS = re.compile(r"[\s·・•‧\-_—–/\\|,，、。.;；:：!！?？'\"“”‘’()（）\[\]【】<>《》]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


def fold(text: object) -> str:
    """``text`` as every search compares it: invisible characters dropped
    (zero-width, bidi, fillers ...: ``civichall.core.text``), then NFKC
    (full-width → half-width) and case folding."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", drop_invisible(str(text))).casefold()


def normalize(text: object) -> str:
    """Fold ``text`` for matching (see :func:`fold`), separators and spaces removed."""
    return _SEPARATORS.sub("", fold(text))


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a Chinese character."""
    return bool(_CJK.search(text))


def tokenizer() -> jieba.Tokenizer:
    """The shared private tokenizer, initialised on first use (about 0.6 s)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                _tokenizer = tk
    return _tokenizer


def add_words(words: Iterable[str], freq: int = 50_000) -> None:
    """Teach the tokenizer whole words (names, keywords) so they are not cut
    apart. Words already added are skipped, so rebuilding an index is cheap."""
    tk = tokenizer()
    with _lock:
        for word in words:
            word = fold(word).strip()
            if len(word) < 2 or word in _added or not has_cjk(word):
                continue
            # jieba cannot hold words with spaces; they would never match anyway.
            if any(ch.isspace() for ch in word):
                continue
            tk.add_word(word, freq=freq)
            _added.add(word)


def terms(text: str) -> list[str]:
    """Search terms of ``text``: jieba's search-mode segmentation of the
    normalised text (whole words plus their dictionary sub-words), without
    duplicates, in order."""
    if text is None:
        return []
    folded = fold(text)
    seen: dict[str, None] = {}
    # Cut chunk by chunk so that latin words stay apart ("real time bus").
    for chunk in _SEPARATORS.split(folded):
        if not chunk:
            continue
        for token in tokenizer().cut_for_search(chunk):
            token = token.strip()
            if token:
                seen.setdefault(token, None)
    return list(seen)
