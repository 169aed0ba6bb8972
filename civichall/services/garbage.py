"""Garbage sorting lookup: which of Shanghai's four bins an item goes in.

Shanghai sorts household waste into four categories (上海市生活垃圾管理条例):

* 可回收物 (recyclable) — paper, plastics, glass, metal, textiles, small
  appliances, wood;
* 有害垃圾 (hazardous) — rechargeable and button batteries, fluorescent tubes,
  mercury thermometers, medicines, paint, pesticides, film;
* 湿垃圾 (wet: household food waste) — leftovers, fruit and vegetable scraps,
  small bones, shrimp and crab shells, tea leaves, flowers and plants;
* 干垃圾 (dry: residual waste) — everything else: used tissues, nappies,
  disposable tableware, big bones, seashells, ceramics, cigarette ends.

The item list (``data/garbage_items.csv``: ``name,category,aliases,tip``,
aliases separated by ``|``) was written for this project from Shanghai's
published sorting rules. :func:`lookup` finds an item by its name or an alias
first, then by names contained in the query ("一个奶茶杯子"), then by jieba
segmentation ("废旧电池" → every kind of battery, hazardous and not), then by
fuzzy similarity (a typo). An unknown item gives no match and a hint.
"""

from __future__ import annotations

import csv
import difflib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import _text
from .messages import Message

DATA_FILE = Path(__file__).with_name("data") / "garbage_items.csv"

RECYCLABLE = "可回收物"
HAZARDOUS = "有害垃圾"
WET = "湿垃圾"
DRY = "干垃圾"
CATEGORIES = (RECYCLABLE, HAZARDOUS, WET, DRY)

CATEGORY_EN = {
    RECYCLABLE: "Recyclable",
    HAZARDOUS: "Hazardous waste",
    WET: "Wet waste (household food waste)",
    DRY: "Dry waste (residual waste)",
}

# The general way to put out each category, after Shanghai's sorting guide.
CATEGORY_TIPS: dict[str, Message] = {
    RECYCLABLE: Message(
        "轻投轻放；清洁干燥，避免污染；废纸尽量平整；立体包装物请清空内容物、清洁后压扁投放；"
        "有尖锐边角的请包裹后投放。",
        "Put items in gently, clean and dry; flatten paper; empty, rinse and flatten containers; "
        "wrap anything with sharp edges.",
    ),
    HAZARDOUS: Message(
        "投放时请注意轻放；易破损的请连带包装或包裹后轻放；易挥发的请密封后投放。",
        "Put items in gently; keep fragile items in their packaging or wrap them; seal anything that evaporates.",
    ),
    WET: Message(
        "纯流质的食物垃圾（如牛奶）请直接倒进下水口；有包装的湿垃圾请去掉包装后投放，"
        "包装物投放到对应的可回收物或干垃圾容器。",
        "Pour pure liquids such as milk down the drain; take food out of its packaging and sort the "
        "packaging separately.",
    ),
    DRY: Message(
        "尽量沥干水分；难以辨识类别的生活垃圾请投入干垃圾容器。",
        "Drain off water; household waste you cannot place goes in the dry waste bin.",
    ),
}

NOT_FOUND_HINT = Message(
    "没有找到这个物品。可以换个常用的叫法再试试，比如“塑料瓶”“果皮”“过期药品”；"
    "也可以按材质判断：能再利用的是可回收物，会污染环境的是有害垃圾，"
    "容易腐烂的食物是湿垃圾，其他的是干垃圾。",
    "Nothing found. Try a more common name, such as 'plastic bottle', 'fruit peel' or 'expired medicine'; "
    "or decide by material: reusable → recyclable, polluting → hazardous, perishable food → wet, "
    "everything else → dry.",
)
EMPTY_HINT = Message("请输入要查询的物品名称，例如“奶茶杯”。", "Type the name of an item, for example '奶茶杯' (bubble tea cup).")

TOO_SHORT_HINT = Message(
    "请把物品名称写得具体一些，例如“报纸”“纸巾”，而不是“纸”。",
    "Please name the item more precisely, for example '报纸' (newspaper) or '纸巾' (tissue) rather than '纸'.",
)

# Words that describe a thing's state, not the thing; they do not decide the bin.
MODIFIERS = frozenset({
    "废旧", "废弃", "旧的", "破的", "坏的", "坏掉", "用过", "用完", "过期", "吃剩", "喝剩", "剩下",
    "没用", "不要", "家里", "一个", "一些", "这个", "那个", "什么", "垃圾", "属于", "哪类",
})

# Characters that may follow a name without changing what it is
# ("奶茶杯子", "面包片", "电池啦").
_FILLERS = frozenset("子儿了的啦呢吗呀片块粒条根个只件")

_FUZZY_CUTOFF = 0.6
_MAX_RESULTS = 10


@dataclass(frozen=True)
class GarbageItem:
    """One item of the list."""

    name: str
    category: str
    aliases: tuple[str, ...]
    tip: str

    @property
    def category_en(self) -> str:
        return CATEGORY_EN[self.category]


@dataclass(frozen=True)
class Match:
    """An item that fits the query, and how it was found."""

    item: GarbageItem
    matched_by: str  # exact | alias | contained | related | segment | fuzzy
    matched_term: str
    score: float

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def category(self) -> str:
        return self.item.category

    @property
    def category_en(self) -> str:
        return self.item.category_en

    @property
    def tip(self) -> str:
        return self.item.tip

    @property
    def category_tip(self) -> Message:
        return CATEGORY_TIPS[self.item.category]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.item.name,
            "category": self.item.category,
            "category_en": self.item.category_en,
            "tip": self.item.tip,
            "category_tip": CATEGORY_TIPS[self.item.category].as_dict(),
            "matched_by": self.matched_by,
            "matched_term": self.matched_term,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class LookupResult:
    """The matches for a query, best first, and a hint when there are none.
    Iterates, indexes and counts like the list of matches."""

    query: str
    matches: list[Match] = field(default_factory=list)
    hint: Message | None = None

    def __iter__(self) -> Iterator[Match]:
        return iter(self.matches)

    def __len__(self) -> int:
        return len(self.matches)

    def __getitem__(self, i: int) -> Match:
        return self.matches[i]

    def __bool__(self) -> bool:
        return bool(self.matches)

    @property
    def certain(self) -> bool:
        """Whether the best match names the item itself (exact, alias or a
        name inside the query) rather than something related to a word of it."""
        return bool(self.matches) and self.matches[0].matched_by in ("exact", "alias", "contained")

    @property
    def categories(self) -> list[str]:
        """Categories of the matches, in order, without repeats."""
        return list(dict.fromkeys(m.category for m in self.matches))

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "matches": [m.as_dict() for m in self.matches],
            "hint": self.hint.as_dict() if self.hint else None,
        }


def load_items(path: Path | str = DATA_FILE) -> list[GarbageItem]:
    """Read the item list; rows with an unknown category raise ``ValueError``."""
    items: list[GarbageItem] = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            category = row["category"].strip()
            if category not in CATEGORIES:
                raise ValueError(f"line {line}: unknown category {category!r}")
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
            items.append(GarbageItem(row["name"].strip(), category, aliases, (row.get("tip") or "").strip()))
    return items


class GarbageIndex:
    """Items indexed by folded name and alias; build once."""

    def __init__(self, items: list[GarbageItem]) -> None:
        self.items = items
        self._keys: dict[str, tuple[GarbageItem, bool]] = {}  # folded key -> (item, is_name)
        for item in items:
            for i, key in enumerate((item.name, *item.aliases)):
                folded = _text.normalize(key)
                if folded and folded not in self._keys:
                    self._keys[folded] = (item, i == 0)
        _text.add_words(k for item in items for k in (item.name, *item.aliases))
        self._key_list = list(self._keys)

    def lookup(self, query: str) -> LookupResult:
        """Matches for ``query``, best first; see the module docstring."""
        q = _text.normalize(query)
        if not q:
            return LookupResult(query=query, hint=EMPTY_HINT)

        # 1. the name or an alias, exactly
        if q in self._keys:
            item, is_name = self._keys[q]
            return LookupResult(query, [Match(item, "exact" if is_name else "alias", q, 1.0)])

        # 2. known names inside the query: "一个奶茶杯子" → 奶茶杯. Keep the
        # longest ones (奶茶杯 over 奶茶) so that the most specific item wins.
        found = [k for k in self._key_list if len(k) >= 2 and k in q]
        longest = [k for k in found if not any(k != other and k in other for other in found)]
        if longest:
            # A name at the end of the query names the thing ("吃剩的西瓜皮");
            # one followed by another noun may not ("猫砂盆" is not 猫砂): that
            # is offered as related, not as the answer.
            def ends_query(k: str) -> bool:
                tail = q[q.rindex(k) + len(k):]
                return all(ch in _FILLERS for ch in tail)

            longest.sort(key=lambda k: (not ends_query(k), -len(k), q.index(k)))
            return LookupResult(query, self._unique(
                Match(self._keys[k][0], "contained" if ends_query(k) else "related", k, len(k) / len(q))
                for k in longest))

        # A single character ("纸") fits too many things to answer well.
        if len(q) < 2:
            return LookupResult(query=query, hint=TOO_SHORT_HINT)

        # 3. segmentation: items whose name or alias holds a word of the query
        # ("废旧电池" → 充电电池, 纽扣电池, 干电池 ...). Words that only say
        # what state a thing is in (废旧, 过期) are skipped, and the word at
        # the end counts most: in Chinese the thing itself comes last.
        terms = _text.terms(query)
        # Chinese compounds put the thing last: 废旧电池 is a kind of 电池, but
        # 计算机 is not a kind of 计算. A fragment of a longer word only counts
        # when it ends that word.
        words = [
            w for w in terms
            if len(w) >= 2 and w not in MODIFIERS
            and not any(len(o) > len(w) and w in o and not o.endswith(w) for o in terms)
        ]
        scored: dict[str, tuple[float, Match]] = {}
        for word in words:
            weight = 1.0 if q.endswith(word) else 0.7
            for key in self._key_list:
                if word in key:
                    item, _ = self._keys[key]
                    score = weight * len(word) / max(len(key), len(q))
                    if item.name not in scored or score > scored[item.name][0]:
                        scored[item.name] = (score, Match(item, "segment", word, score))
        if scored:
            ranked = sorted(scored.values(), key=lambda s: (-s[0], len(s[1].item.name), s[1].item.name))
            return LookupResult(query, [m for _, m in ranked[:_MAX_RESULTS]])

        # 4. a near miss (a typo, a wrong character)
        close = difflib.get_close_matches(q, self._key_list, n=5, cutoff=_FUZZY_CUTOFF)
        if close:
            return LookupResult(query, self._unique(
                Match(self._keys[k][0], "fuzzy", k, difflib.SequenceMatcher(None, q, k).ratio()) for k in close))

        return LookupResult(query=query, hint=NOT_FOUND_HINT)

    @staticmethod
    def _unique(matches) -> list[Match]:
        seen: set[str] = set()
        out: list[Match] = []
        for m in matches:
            if m.item.name not in seen:
                seen.add(m.item.name)
                out.append(m)
        return out[:_MAX_RESULTS]


_index: GarbageIndex | None = None
_index_lock = threading.Lock()


def default_index() -> GarbageIndex:
    """The index over the built-in item list, built on first use."""
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = GarbageIndex(load_items())
    return _index


def lookup(query: str) -> LookupResult:
    """Which bin ``query`` goes in: matches best first (exact or alias match
    first, then contained names, segmentation, fuzzy); an empty result with
    a ``hint`` when nothing fits."""
    return default_index().lookup(query)
