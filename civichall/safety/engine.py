"""The content-safety check: one call, one decision, with the reasons behind it.

``check(text, kind)`` runs the automatic first pass over a title, body,
comment or reply; a person has the last word on anything it does not pass.

Result (always these four keys; comments add a fifth, ``masked``)::

    {"decision": "pass" | "review" | "block",
     "hits":     [{"term", "category", "severity", "start", "end", "matched"}],
     "scores":   {...},
     "reasons":  [{"code", "message", "message_en", ...}]}

Offsets in ``hits`` index the text as given. Every part of the check sees
through invisible characters (``civichall.core.text``): the lexicon and the
personal-data detectors skip them in place, the title and reply scorers read
the text without them and their spans are mapped back.

What runs for which kind:

=========  =======  ===  =========  ====
kind       lexicon  PII  clickbait  tone
=========  =======  ===  =========  ====
title      yes      yes  yes
body       yes      yes
comment    yes      yes (masked)
reply      yes      yes             yes
=========  =======  ===  =========  ====

Decision rules, strictest first:

1. any lexicon hit with severity ``block`` -> ``block``;
2. any lexicon hit with severity ``review`` -> ``review``;
3. personal data (resident ID, mobile, bank card) in a title, body or reply
   -> ``review``: the office is about to publish someone's data;
4. clickbait score >= ``clickbait.THRESHOLD`` for a title, or tone score >=
   ``tone.THRESHOLD`` for a reply -> ``review``;
5. otherwise ``pass``.

Comments and personal data: citizens often leave their own phone number so
that an office can call back. That is no reason to hold the comment, but the
number must not be shown. So for ``comment`` the personal-data hits are
reported with severity ``mask`` and do not change the decision, and the
result carries ``masked``: the comment with those numbers masked, which is
what is displayed.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable

from civichall.core.text import drop_invisible_mapped

from . import clickbait, tone
from .detectors import PII_KINDS, find_personal_data, mask
from .lexicon import parse_lexicon_csv
from .matcher import CATEGORIES, SEVERITIES, Entry, Matcher

__all__ = ["KINDS", "STARTER_LEXICON", "build_matcher", "check", "default_matcher"]

KINDS = ("title", "body", "comment", "reply")
STARTER_LEXICON = os.path.join(os.path.dirname(__file__), "data", "starter_lexicon.csv")


def build_matcher(entries: Iterable[Entry], allow: Iterable = ()) -> Matcher:
    """A matcher for entries and allow phrases from any source (CSV, database)."""
    return Matcher(entries, allow)


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """The starter lexicon shipped with the engine, loaded once."""
    with open(STARTER_LEXICON, encoding="utf-8") as f:
        entries, allow, errors = parse_lexicon_csv(f)
    if errors:
        line, message = errors[0]
        raise ValueError(f"starter lexicon is invalid at line {line}: {message.en}")
    return Matcher(entries, allow)


def _lexicon_reason(hit) -> dict:
    cat = CATEGORIES.get(hit.category, hit.category)
    sev = SEVERITIES.get(hit.severity, hit.severity)
    return {
        "code": f"lexicon_{hit.severity}",
        "message": f"命中词库“{hit.term}”（{cat}，{sev}）：原文“{hit.matched}”",
        "message_en": f"lexicon term {hit.term!r} ({hit.category}, {hit.severity}): wrote {hit.matched!r}",
        "start": hit.start,
        "end": hit.end,
    }


def _in_original(reason: dict, where: list[int] | None) -> dict:
    """A scorer's reason with its span moved from the visible text to the text as given."""
    if where is not None and "start" in reason:
        s, e = reason["start"], reason["end"]
        reason["start"] = where[s] if s < len(where) else (where[-1] + 1 if where else 0)
        reason["end"] = where[e - 1] + 1 if e > s else reason["start"]
    return reason


def check(text: str, kind: str, lexicon: Matcher | None = None, body: str | None = None) -> dict:
    """Check ``text`` of the given ``kind`` (title, body, comment, reply).

    ``lexicon`` is a ``Matcher`` (default: the starter lexicon); ``body`` is the
    article body, used for titles to spot a title that promises what the body
    does not say. Raises ``ValueError`` for an unknown kind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if text is None:
        text = ""
    matcher = lexicon if lexicon is not None else default_matcher()

    hits: list[dict] = []
    reasons: list[dict] = []
    scores: dict = {}

    lex_hits = matcher.scan(text)
    for h in lex_hits:
        hits.append(h.to_dict())
        reasons.append(_lexicon_reason(h))
    n_block = sum(1 for h in lex_hits if h.severity == "block")
    n_review = len(lex_hits) - n_block
    scores["lexicon_block"] = n_block
    scores["lexicon_review"] = n_review

    pii = find_personal_data(text)
    pii_severity = "mask" if kind == "comment" else "review"
    for d in pii:
        zh, en = PII_KINDS[d.kind]
        hits.append({"term": d.kind, "category": "personal_data", "severity": pii_severity,
                     "start": d.start, "end": d.end, "matched": d.matched})
        if kind == "comment":
            msg, msg_en = f"含{zh}，公开显示时已遮盖", f"contains a {en}; masked for public display"
        else:
            msg, msg_en = f"含{zh}，发布前请确认", f"contains a {en}; confirm before publishing"
        reasons.append({"code": f"personal_data_{d.kind}", "message": msg, "message_en": msg_en,
                        "start": d.start, "end": d.end})
    scores["personal_data"] = len(pii)
    hits.sort(key=lambda h: (h["start"], h["end"]))

    flagged = False
    if kind in ("title", "reply"):
        # The scorers read the text a person sees: invisible characters
        # must not split 震惊 or 呵呵; their spans are mapped back.
        visible, where = drop_invisible_mapped(text)
    if kind == "title":
        score, why = clickbait.score_title(visible, body)
        scores["clickbait"] = score
        scores["clickbait_threshold"] = clickbait.THRESHOLD
        reasons.extend(_in_original(r.to_dict(), where) for r in why)
        flagged = score >= clickbait.THRESHOLD
    elif kind == "reply":
        score, why, _ = tone.check_reply(visible)
        scores["tone"] = score
        scores["tone_threshold"] = tone.THRESHOLD
        reasons.extend(_in_original(r.to_dict(), where) for r in why)
        flagged = score >= tone.THRESHOLD
        if why:
            zh, en = tone.suggest(why, tone.concrete_elements(visible))
            if zh:
                reasons.append({"code": "suggestion", "message": zh, "message_en": en, "weight": 0})

    if n_block:
        decision = "block"
    elif n_review or flagged or (pii and kind != "comment"):
        decision = "review"
    else:
        decision = "pass"

    result = {"decision": decision, "hits": hits, "scores": scores, "reasons": reasons}
    if kind == "comment":
        result["masked"] = mask(text, pii)
    return result
