"""Which organisation owns a question (问题分派).

Pure Python, no Django: ``route`` is a function of the question, the article
it was asked under and a list of rules. The rules live in the database
(``models.RoutingRule``, edited in the admin) and are passed in as ``Rule``.

The article's organisation comes first: it published the matter, so it keeps
the question unless the rules say the matter belongs to someone else.

1. Every active rule is tried. A rule names topics (any of them on the
   article) and/or keywords (any of them in the question); a rule with both
   needs both. A rule with neither never matches.
2. If no rule matches, the article's organisation owns the question
   (``via="article"``).
3. If one of the matching rules names the article's organisation itself,
   it keeps the question (``via="article"``): a bureau answers questions on
   its own articles about its own matters.
4. Otherwise the best matching rule wins (``via="rule"``): highest
   ``priority`` first; then the more specific rule (keyword and topic, then
   keyword only, then topic only); then the longer keyword matched; then the
   lower rule id, so the outcome never depends on the order of the list.

Keywords are compared case-insensitively; Chinese needs no segmentation for
this: a keyword is a substring of the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Route", "Rule", "parse_keywords", "route"]

_KEYWORD_SPLIT = re.compile(r"[,，、;；\n\r\t]+")


def parse_keywords(text: str) -> tuple:
    """Keywords as typed in the admin (comma, 、, semicolon or one per line)."""
    seen = []
    for word in _KEYWORD_SPLIT.split(text or ""):
        word = word.strip()
        if word and word.lower() not in (w.lower() for w in seen):
            seen.append(word)
    return tuple(seen)


@dataclass(frozen=True)
class Rule:
    """A routing rule: topics and/or keywords -> an organisation's slug."""

    id: int
    organisation: str
    topics: frozenset = field(default_factory=frozenset)
    keywords: tuple = ()
    priority: int = 0
    name: str = ""

    def match(self, text: str, topics) -> tuple | None:
        """(specificity, longest keyword, matched keywords) or None."""
        if not self.topics and not self.keywords:
            return None
        topic_hit = bool(self.topics & set(topics))
        if self.topics and not topic_hit:
            return None
        lowered = (text or "").lower()
        found = tuple(k for k in self.keywords if k.lower() in lowered)
        if self.keywords and not found:
            return None
        specificity = (2 if found else 0) + (1 if topic_hit else 0)
        return specificity, max((len(k) for k in found), default=0), found


@dataclass(frozen=True)
class Route:
    """Where a question goes and why."""

    organisation: str
    via: str  # "article" or "rule"
    rule: Rule | None = None
    matched: tuple = ()


def route(text: str, article_organisation: str, article_topics=(), rules=()) -> Route:
    """The organisation (slug) that owns a question asked as ``text`` under an
    article of ``article_organisation`` with ``article_topics`` (slugs)."""
    topics = set(article_topics or ())
    candidates = []
    for rule in rules:
        found = rule.match(text, topics)
        if found is not None:
            candidates.append((rule, found))
    if not candidates:
        return Route(article_organisation, "article")
    for rule, found in candidates:
        if rule.organisation == article_organisation:
            return Route(article_organisation, "article", rule, found[2])
    rule, found = max(
        candidates, key=lambda c: (c[0].priority, c[1][0], c[1][1], -c[0].id)
    )
    return Route(rule.organisation, "rule", rule, found[2])
