"""Measuring the assistant on a labelled question set (pure; no Django).

A set is a JSON list of ``{"q", "accept": [{"kind": "service", "code"} |
{"kind": "article", "slug"}], "out_of_scope"}``. A question is a hit at
*k* when one of the first *k* answers is a service whose code, or an
article whose slug, the question accepts; an out-of-scope question is
rejected well when no answer is given as confident.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def accepted(answer: dict, accept: list[dict]) -> bool:
    """Whether ``answer`` is one the question accepts."""
    for wanted in accept:
        if wanted.get("kind") == "service" and answer.get("service_code") == wanted.get("code"):
            return True
        if wanted.get("kind") == "article" and answer.get("slug") and answer.get("slug") == wanted.get("slug"):
            return True
    return False


@dataclass
class Figures:
    questions: int = 0
    in_scope: int = 0
    hit1: int = 0
    hit3: int = 0
    out_of_scope: int = 0
    rejected: int = 0
    misses: list = field(default_factory=list)

    def as_dict(self) -> dict:
        ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
        return {"questions": self.questions, "hit@1": ratio(self.hit1, self.in_scope),
                "hit@3": ratio(self.hit3, self.in_scope),
                "out_of_scope_rejection": ratio(self.rejected, self.out_of_scope)}


def measure(questions: list[dict], answer: Callable[[str], tuple[list[dict], bool]]) -> Figures:
    """``answer(q) -> (answers, confident)``; the figures of the set."""
    figures = Figures()
    for row in questions:
        answers, confident = answer(row["q"])
        figures.questions += 1
        if row.get("out_of_scope"):
            figures.out_of_scope += 1
            if not confident or not answers:
                figures.rejected += 1
            else:
                figures.misses.append((row["q"], "answered out of scope", answers[:1]))
            continue
        figures.in_scope += 1
        if answers and accepted(answers[0], row["accept"]):
            figures.hit1 += 1
        else:
            figures.misses.append((row["q"], row["accept"], [(a.get("service_code") or a.get("slug"), a["score"])
                                                              for a in answers[:3]]))
        if any(accepted(a, row["accept"]) for a in answers[:3]):
            figures.hit3 += 1
    return figures
