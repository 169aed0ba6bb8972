"""Is this comment a question? (留言是否在提问)

Pure Python, no Django: the comment area calls ``detect(text)`` on every
comment that passed the safety check; a person can always mark or un-mark a
question by hand, so the detector errs on the side of recall without crying
wolf at every exclamation.

A comment is a question when one of its clauses (split at 。！；，、 line
breaks …) carries a *cue*:

* a question mark, half- or full-width (``?`` ``？``), outside links;
* a sentence-final particle: 吗 / 么 (是么, 证明么) at the end of a clause,
  呢 at the end of a clause unless the clause is a statement in progress
  (还在排队呢, 好着呢), 了没 / 了没有 at the end of a clause;
* an interrogative word: 怎么 怎样 如何 哪里 哪儿 哪些 哪个 在哪 去哪 何时 什么时候
  多久 多长时间 多少 几点 几号 几天 能不能 能否 可不可以 可否 是否 有没有
  是不是 会不会 要不要 需不需要 为什么 为啥 啥时候 咋 什么 谁能 …;
* an asking verb: 请问 想问 求问 问一下 咨询一下 想知道 请教.

Indefinite and idiomatic uses of interrogative words are not questions and
are removed before the cues are looked for:

* an interrogative followed (at most one character later) by 都 or 也:
  怎么样都好, 什么都不说了, 哪里都不如家里好, 什么时候都不能放松, 有没有都行;
* 不管 / 无论 / 不论 …: the rest of that clause (不管怎么样, 无论如何);
* set phrases: 没什么, 不怎么, 什么的 (= "and so on"), 哪里哪里, 多少有点,
  或多或少, 多多少少, 怎么这么 / 怎么那么 (exclamations), 多少遍 / 多少次.

Known misses (see ``tests/data/comment_questions.csv``): requests without
any interrogative (求告知首班车时间) and rhetorical questions (为什么不早点开放，
算了) — the staff mark and un-mark those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Detection", "detect", "is_question"]

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_CLAUSE_SPLIT = re.compile(r"[。！!；;，,、\n\r…~～]+|\s{2,}")

INTERROGATIVES = (
    "什么时候", "多长时间", "可不可以", "需不需要", "能不能", "是不是", "会不会", "要不要",
    "用不用", "行不行", "有没有", "对不对", "为什么", "啥时候", "怎么", "怎样", "如何",
    "哪里", "哪儿", "哪些", "哪个", "哪家", "哪天", "哪位", "在哪", "去哪", "到哪", "何时", "何地", "多久", "多少",
    "几点", "几号", "几天", "几时", "能否", "可否", "是否", "为何", "为啥", "什么", "咋",
    "谁能", "谁知道",
)
ASKING = ("请问", "想问", "求问", "问一下", "问下", "咨询一下", "想咨询", "想知道", "请教")

# Interrogative words that become indefinite before 都/也 (怎么样都好).
_INDEFINITE_WORDS = (
    "怎么样", "什么时候", "有没有", "怎样", "怎么", "什么", "哪里", "哪儿", "哪个", "多少", "谁",
)
_INDEFINITE = re.compile(
    "(?<!为)(?:" + "|".join(_INDEFINITE_WORDS) + r")[^\s，。！？?,.!]?[都也]"
)
_CONCESSIVE = re.compile(r"(?:不管|无论|不论)[^，。！？?,.!；;\n]*")
_SET_PHRASES = re.compile(
    r"没什么|没有什么|不怎么|什么的|哪里哪里|多少有点|多少也|或多或少|多多少少|"
    r"怎么这么|怎么那么|多少遍|多少次|不知多少"
)

_TRAILING = re.compile(r"[\W_]+$")
_FINAL_MA = re.compile(r"[吗]\s*[?？]*$")
_FINAL_ME = re.compile(r"(?<![什怎那这多要])么\s*[?？]*$")
_FINAL_NE = re.compile(r"呢\s*[?？]*$")
_NE_STATEMENT = re.compile(r"着呢|还|正在|在等|都")
_FINAL_MEIYOU = re.compile(r"[了过]没有?\s*[?？]*$")


@dataclass(frozen=True)
class Detection:
    """The verdict and the cues that led to it (for the staff's queue)."""

    is_question: bool
    cues: tuple = field(default_factory=tuple)

    def __bool__(self):
        return self.is_question


def _clauses(text: str):
    return [c.strip() for c in _CLAUSE_SPLIT.split(text) if c and c.strip()]


def _strip_idioms(clause: str) -> str:
    clause = _CONCESSIVE.sub(" ", clause)
    clause = _INDEFINITE.sub(" ", clause)
    return _SET_PHRASES.sub(" ", clause)


def detect(text: str) -> Detection:
    """Whether ``text`` asks something, with the cues found (in order)."""
    if not text:
        return Detection(False)
    text = _URL.sub(" ", str(text))
    cues = []
    if "?" in text or "？" in text:
        cues.append("?")
    for clause in _clauses(text.replace("?", "？").replace("？", "？\n")):
        # Without trailing marks and emoji: 开了吗😀 ends with 吗.
        bare = _TRAILING.sub("", clause)
        cleaned = _strip_idioms(bare)
        for word in ASKING:
            if word in cleaned:
                cues.append(word)
        for word in INTERROGATIVES:
            if word in cleaned:
                cues.append(word)
                # 什么时候 also contains 什么; report the longer word only.
                cleaned = cleaned.replace(word, " ")
        if _FINAL_MA.search(bare):
            cues.append(bare[-1])
        elif _FINAL_ME.search(bare):
            cues.append("么")
        elif _FINAL_NE.search(bare) and not _NE_STATEMENT.search(bare):
            cues.append("呢")
        elif _FINAL_MEIYOU.search(bare):
            cues.append("了没")
    seen = []
    for cue in cues:
        if cue not in seen:
            seen.append(cue)
    return Detection(bool(seen), tuple(seen))


def is_question(text: str) -> bool:
    """``detect(text).is_question``."""
    return detect(text).is_question
