"""What the staff's report computes (pure; no Django): questions the
assistant could not answer well, grouped by similar wording, and the hit
and hand-off rates per day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import text

SIMILAR = 0.5  # share of words two questions must have in common to be grouped


@dataclass
class Group:
    """Questions asked in similar words; ``example`` is the first asked."""

    example: str
    questions: list = field(default_factory=list)
    words: set = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.questions)


def _words(question: str) -> set:
    """Pairs of characters of the question's meaningful words: "公积金怎么取"
    and "公积金怎么取出来" share most of them however jieba cuts them."""
    joined = "".join(text.segment(question))
    return {joined[i:i + 2] for i in range(len(joined) - 1)} or {joined}


def group_similar(questions: Iterable[str], similar: float = SIMILAR) -> list[Group]:
    """Groups of questions sharing at least ``similar`` of their words
    (Jaccard), largest first; each question joins the first group it fits."""
    groups: list[Group] = []
    for question in questions:
        words = _words(question)
        for group in groups:
            union = words | group.words
            if union and len(words & group.words) / len(union) >= similar:
                group.questions.append(question)
                break
        else:
            groups.append(Group(example=question, questions=[question], words=words))
    groups.sort(key=lambda g: -g.count)
    return groups


def daily_rates(rows: Iterable[tuple]) -> list[dict]:
    """``rows``: (day, outcome, handed_off); per day the number asked, the
    share answered with confidence (or by a query) and the share handed to a person."""
    days: dict = defaultdict(lambda: [0, 0, 0])
    for day, outcome, handed_off in rows:
        figures = days[day]
        figures[0] += 1
        figures[1] += outcome in ("answered", "query")
        figures[2] += bool(handed_off)
    return [{"day": day, "asked": n, "hit_rate": round(hit / n, 3), "handoff_rate": round(off / n, 3)}
            for day, (n, hit, off) in sorted(days.items())]
