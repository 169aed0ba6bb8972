""""One window" search over the service catalog.

A citizen types what they want in their own words — "社保卡", "巴士几点到",
"路上积水", "bus" — and gets the services of every department that fit,
best first. The index is built once from plain service records (dicts)::

    {"code": "bus_realtime", "name_zh": "实时公交", "name_en": "Real-time bus",
     "description": "...", "keywords": ["公交", "到站"], "synonyms": ["巴士"],
     "org_name": "市交通委", "kind": "query", "status": "available"}

(``keywords`` and ``synonyms`` may also be ``|``-separated strings).

Ranking, in strict tiers so that a better kind of match always wins:

1. the query *is* the service's name (Chinese or English) or code;
2. the name contains the query, the query contains the name, or the name
   holds every term of the query;
3. a term (or a synonym of it, from :data:`SYNONYM_GROUPS` and the record's
   own synonyms) is in the name, the keywords or the synonyms;
4. a term is only in the description or the department's name.

Within a tier more matched terms rank higher. A service under maintenance
ranks half a tier lower than an available one; retired services are never
returned. Words are cut with jieba, after teaching it the catalog's names and
keywords so that "社保卡" or "垃圾分类" stay whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import _text

# Groups of words that mean the same thing to a citizen. Every word of a
# group finds what any other word of the group finds.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("社保", "社会保障", "社保卡", "社会保障卡", "医保卡"),
    ("公交", "巴士", "公共汽车", "公交车", "bus"),
    ("医院", "就医", "看病", "hospital"),
    ("违章", "违法", "交通违法", "罚单", "扣分"),
    ("积水", "内涝", "淹水", "水淹"),
    ("入学", "招生", "择校", "上学", "对口学校", "学区"),
    ("垃圾", "垃圾分类", "分类投放"),
    ("重名", "同名", "姓名"),
    ("公积金", "住房公积金"),
    ("残疾", "残疾人", "残障"),
    ("失业", "失业保险", "失业金"),
    ("居住证", "居住登记", "暂住证"),
    ("路况", "拥堵", "堵车", "交通状况"),
    ("地铁", "轨道交通"),
    ("天气", "气象", "天气预报"),
    ("挂号", "预约挂号", "门诊"),
    ("报告", "检查报告", "化验单", "检验报告"),
    ("缴费", "水电煤", "水费", "电费", "燃气费"),
    ("出入境", "护照", "港澳通行证", "签注"),
    ("停车", "停车场", "车位"),
    ("疫苗", "接种", "预防接种"),
    ("自行车", "单车", "公共自行车"),
    ("养老", "老年人", "敬老"),
    ("图书馆", "借书"),
)

# Words that say "I want a service" but not which one.
STOP_WORDS = frozenset({
    "的", "了", "吗", "呢", "我", "我的", "要", "想", "怎么", "怎样", "如何", "哪里", "在哪", "在哪里",
    "查", "查询", "查看", "办理", "办", "服务", "一下", "信息", "多少", "几点", "什么", "能", "可以",
    "the", "a", "an", "of", "for", "my", "to", "how", "where", "check", "query", "service",
})

AVAILABLE = "available"
MAINTENANCE = "maintenance"
RETIRED = "retired"

_TIER = 100
_MAINTENANCE_PENALTY = 50
_FINE_MAX = 49


@dataclass(frozen=True)
class SearchHit:
    """One service that fits: its code, score, tier and the terms that matched."""

    code: str
    score: int
    tier: int
    matched_terms: tuple[str, ...]
    status: str
    kind: str


@dataclass(frozen=True)
class _Entry:
    code: str
    status: str
    kind: str
    names: tuple[str, ...]  # folded zh name, en name, code
    name_text: str  # folded zh + en names, for substring tests
    name_terms: frozenset[str]
    key_text: str
    key_terms: frozenset[str]
    desc_text: str
    desc_terms: frozenset[str]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split("|") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


class ServiceIndex:
    """A search index over service records; build once, query many times."""

    def __init__(
        self,
        records: Iterable[Mapping[str, Any]],
        synonyms: Sequence[Sequence[str]] = SYNONYM_GROUPS,
    ) -> None:
        records = list(records)
        vocabulary: list[str] = []
        for r in records:
            vocabulary += [str(r.get("name_zh") or "")] + _as_list(r.get("keywords")) + _as_list(r.get("synonyms"))
        for group in synonyms:
            vocabulary += list(group)
        _text.add_words(vocabulary)

        self._groups: dict[str, set[str]] = {}
        for group in synonyms:
            folded = {_text.normalize(w) for w in group if _text.normalize(w)}
            for word in folded:
                self._groups.setdefault(word, set()).update(folded)

        self._entries: list[_Entry] = []
        for r in records:
            status = str(r.get("status") or AVAILABLE)
            if status == RETIRED:
                continue
            name_zh, name_en, code = str(r.get("name_zh") or ""), str(r.get("name_en") or ""), str(r["code"])
            keys = _as_list(r.get("keywords")) + _as_list(r.get("synonyms"))
            desc = f"{r.get('description') or ''} {r.get('org_name') or ''}"
            self._entries.append(_Entry(
                code=code,
                status=status,
                kind=str(r.get("kind") or ""),
                names=tuple(n for n in (_text.normalize(name_zh), _text.normalize(name_en), _text.normalize(code)) if n),
                name_text=_text.normalize(name_zh) + "\u0000" + _text.normalize(name_en),
                name_terms=frozenset(_text.terms(f"{name_zh} {name_en}")),
                key_text="\u0000".join(_text.normalize(k) for k in keys),
                key_terms=frozenset(t for k in keys for t in _text.terms(k)) | frozenset(_text.normalize(k) for k in keys),
                desc_text=_text.normalize(desc),
                desc_terms=frozenset(_text.terms(desc)),
            ))

    def __len__(self) -> int:
        return len(self._entries)

    def _expand(self, term: str) -> set[str]:
        return self._groups.get(term, set()) - {term}

    def search(self, query: str, *, limit: int = 20, kinds: Iterable[str] | None = None) -> list[SearchHit]:
        """Services fitting ``query``, best first (at most ``limit``)."""
        q = _text.normalize(query)
        if not q:
            return []
        kinds_set = set(kinds) if kinds is not None else None
        terms = [t for t in _text.terms(query) if t not in STOP_WORDS and _text.normalize(t)]
        terms = list(dict.fromkeys(_text.normalize(t) for t in terms))
        # Single characters ("卡" of "社保卡") match too much; keep them only
        # when nothing longer was asked.
        if any(len(t) > 1 for t in terms):
            terms = [t for t in terms if len(t) > 1]
        if not terms:
            terms = [q]
        # The whole query is a term too when it is a known synonym ("社保").
        if q in self._groups and q not in terms:
            terms.append(q)
        expanded = {t: self._expand(t) for t in terms}

        hits: list[SearchHit] = []
        for e in self._entries:
            if kinds_set is not None and e.kind not in kinds_set:
                continue
            matched: list[str] = []
            tier = 0
            if q in e.names:
                tier = 4
                matched.append(q)
            elif (q in e.name_text and len(q) >= 2) or any(n and n in q for n in e.names[:2] if len(n) >= 2):
                tier = 3
                matched.append(q)
            fine = 0
            name_hits = 0
            for t in terms:
                syns = expanded[t]
                # (the term itself, a synonym) weights per field, and the tier a match earns
                for terms_of, text_of, direct, via_synonym, field_tier in (
                    (e.name_terms, e.name_text, 12, 10, 2),
                    (e.key_terms, e.key_text, 8, 6, 2),
                    (e.desc_terms, e.desc_text, 3, 2, 1),
                ):
                    if t in terms_of or (len(t) >= 2 and t in text_of):
                        fine += direct
                        if terms_of is e.name_terms:
                            name_hits += 1
                        else:
                            tier = max(tier, field_tier)
                    elif any(s in terms_of or s in text_of for s in syns):
                        fine += via_synonym
                        tier = max(tier, field_tier)
                    else:
                        continue
                    matched.append(t)
                    break
            if name_hits:
                # Every asked term is in the name: as good as "name contains".
                tier = max(tier, 3 if name_hits == len(terms) else 2)
            if tier == 0:
                continue
            score = tier * _TIER + min(fine, _FINE_MAX)
            if e.status == MAINTENANCE:
                score -= _MAINTENANCE_PENALTY
            hits.append(SearchHit(
                code=e.code, score=score, tier=tier,
                matched_terms=tuple(dict.fromkeys(matched)), status=e.status, kind=e.kind,
            ))
        hits.sort(key=lambda h: (-h.score, h.code))
        return hits[:limit]


def build_index(records: Iterable[Mapping[str, Any]], synonyms: Sequence[Sequence[str]] = SYNONYM_GROUPS) -> ServiceIndex:
    """Build the search index over ``records`` (see the module docstring)."""
    return ServiceIndex(records, synonyms)


def search(index: ServiceIndex, query: str, *, limit: int = 20, kinds: Iterable[str] | None = None) -> list[SearchHit]:
    """Ranked services for ``query``; see :meth:`ServiceIndex.search`."""
    return index.search(query, limit=limit, kinds=kinds)
