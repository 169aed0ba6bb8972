"""Ranking the assistant's knowledge for a question (pure; no Django).

Every piece of knowledge is an :class:`Item` — a service, one Q&A pair or
key point of an article, an FAQ entry — with the *source* it answers from
(``service:bus_realtime``, ``article:<slug>``, ``faq:<id>``). A question is
scored against every item by three signals, combined in one score:

- **BM25** over jieba-segmented words (``bm25s``), the question's words
  widened by the colloquial rewrites of :mod:`text`;
- **title words**: the share of the question's words found in the item's
  title (a service's name, an FAQ's question variants), which lifts the item
  that is *about* the question above one that merely mentions it;
- **meaning**: cosine similarity of multilingual sentence embeddings
  (:mod:`embedding`), which finds "失业了怎么领钱" near "失业保险金申领".

The weights are :class:`Weights`; each part can be switched off, which is
how ``benchmarks/assistant.py`` measures what each part earns.

The index is built once (:meth:`Index.build`), saved to a directory and
loaded memory-mapped by every web process (:meth:`Index.save`,
:meth:`Index.load`). Items added or changed afterwards live in a small
overlay scored the same way, and removed ones are masked at once, so that
publishing does not wait for a rebuild.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from . import text

K1 = 1.5
B = 0.75
FORMAT = 2  # of a saved copy; a copy of another format is rebuilt
# Above this many items the meaning is compared among the best lexical candidates only.
FULL_MEANING_LIMIT = 20_000
MEANING_CANDIDATES = 2_000


@dataclass(frozen=True)
class Item:
    """One piece of knowledge. ``key`` is unique; ``source`` groups the items
    of one answer (the Q&A pairs of one article)."""

    key: str
    kind: str  # service | article | faq | answer
    source: str
    title: str
    body: str = ""
    url: str = ""
    service_code: str | None = None
    slug: str | None = None
    snippet: str = ""
    organisation: str = ""
    # what the answer is taken from, as shown to the resident (the article's title)
    source_title: str = ""
    # extra words to match on (synonyms, keywords, question variants)
    keywords: str = ""
    weight: float = 1.0
    # a service's kind (query, link, application): what a question's verb asks for
    service_kind: str = ""

    def title_text(self) -> str:
        return f"{self.title} {self.keywords}"

    def index_text(self) -> str:
        return f"{self.title} {self.title} {self.keywords} {self.body}"

    def meaning_texts(self) -> list[str]:
        """What is embedded for the item's meaning: its title with its first
        words. The index takes several texts per item, but a second vector of
        the title alone, or one per way of asking of an FAQ entry, were
        measured and did worse (docs/assistant.md)."""
        return [f"{self.title}。{self.body[:40]}"]


@dataclass(frozen=True)
class Weights:
    """How much each signal counts; 0 switches it off."""

    bm25: float = 1.0
    title: float = 0.0  # measured: earns nothing over BM25 on the doubled title (docs/assistant.md)
    meaning: float = 1.0
    rewrites: bool = True
    # the meaning is taken of the question with its official words added
    meaning_rewrites: bool = False  # measured: no better (docs/assistant.md)
    # mistyped words that sound like a word of the index (pinyin)
    sounds: bool = True
    # a question that asks to apply prefers an application, one that asks
    # to look something up prefers a query service (see text.purpose)
    purpose: float = 0.2  # measured: a little better on the tuning part and both development batches (docs)
    # the BM25 score that counts as half of a perfect lexical match
    bm25_half: float = 6.0


@dataclass
class Hit:
    item: Item
    score: float
    parts: dict = field(default_factory=dict)


Encoder = Callable[[list[str]], np.ndarray]


def _lexical(raw: np.ndarray, half: float) -> np.ndarray:
    return raw / (raw + half)


class Index:
    """The searchable knowledge: BM25 and embeddings of the built items, plus
    an overlay of items changed since."""

    def __init__(self, items: list[Item], retriever: bm25s.BM25, vectors: np.ndarray,
                 title_terms: list[frozenset], df: Counter, avgdl: float, encoder: Encoder | None,
                 sounds: dict | None = None, starts: np.ndarray | None = None):
        self.items = items
        # vectors[starts[i]:starts[i + 1]] are item i's (one per meaning text)
        self.starts = starts if starts is not None else np.arange(len(items), dtype=np.int64)
        self.sounds = sounds if sounds is not None else _sounds(title_terms)
        self.retriever = retriever
        self.vectors = vectors
        self.title_terms = title_terms
        self.df = df
        self.avgdl = avgdl
        self.encoder = encoder
        self.position = {item.key: i for i, item in enumerate(items)}
        self.removed = np.zeros(len(items), dtype=bool)
        # overlay: key -> (item, term counts, doc length, title terms, vector)
        self.overlay: dict[str, tuple] = {}

    # --- building and storing ------------------------------------------------------------

    @classmethod
    def build(cls, items: Iterable[Item], encoder: Encoder | None = None) -> Index:
        """Index ``items`` (``encoder``: texts -> unit vectors, or None for words only)."""
        items = list(items)
        text.learn(w for item in items for w in [item.title, *item.keywords.split()])
        docs = [text.doc_terms(item.index_text()) or [""] for item in items]
        retriever = bm25s.BM25(k1=K1, b=B)
        if items:
            retriever.index(docs, show_progress=False)
        df = Counter(t for doc in docs for t in set(doc))
        avgdl = (sum(len(d) for d in docs) / len(docs)) if docs else 1.0
        title_terms = [frozenset(text.doc_terms(item.title)) for item in items]
        texts = [item.meaning_texts() for item in items]
        starts = np.cumsum([0] + [len(t) for t in texts[:-1]], dtype=np.int64) if items else np.zeros(0, np.int64)
        vectors = (encoder([t for group in texts for t in group]) if encoder and items
                   else np.zeros((len(items), 0), dtype=np.float32))
        if not (encoder and items):
            starts = np.arange(len(items), dtype=np.int64)
        sounds = _sounds(frozenset(text.doc_terms(item.title_text())) for item in items)
        return cls(items, retriever, vectors, title_terms, df, avgdl, encoder, sounds, starts)

    def save(self, directory: str | Path) -> None:
        """Write the index to ``directory`` (replaced atomically by the caller)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(directory / "bm25"))
        np.save(directory / "vectors.npy", self.vectors)
        np.save(directory / "starts.npy", self.starts)
        with open(directory / "items.json", "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "items": [asdict(i) for i in self.items], "df": self.df, "avgdl": self.avgdl,
                       "titles": [sorted(t) for t in self.title_terms], "sounds": self.sounds}, f, ensure_ascii=False)

    @classmethod
    def load(cls, directory: str | Path, encoder: Encoder | None = None, mmap: bool = True) -> Index:
        """Open an index saved by :meth:`save`; with ``mmap`` the large arrays
        stay on disk, shared by every process that opens them."""
        directory = Path(directory)
        with open(directory / "items.json", encoding="utf-8") as f:
            meta = json.load(f)
        if meta.get("format") != FORMAT:
            raise ValueError(f"index format {meta.get('format')!r}, not {FORMAT}")
        items = [Item(**d) for d in meta["items"]]
        text.learn(w for item in items for w in [item.title, *item.keywords.split()])
        retriever = bm25s.BM25.load(str(directory / "bm25"), mmap=mmap)
        vectors = np.load(directory / "vectors.npy", mmap_mode="r" if mmap else None)
        starts = np.load(directory / "starts.npy")
        return cls(items, retriever, vectors, [frozenset(t) for t in meta["titles"]],
                   Counter(meta["df"]), meta["avgdl"], encoder, meta.get("sounds"), starts)

    # --- following changes ---------------------------------------------------------------

    def put(self, item: Item) -> None:
        """Add or replace ``item`` without rebuilding."""
        self.remove(item.key)
        doc = text.doc_terms(item.index_text()) or [""]
        text.learn([item.title, *item.keywords.split()])
        vector = (self.encoder(item.meaning_texts()) if self.encoder is not None and self.vectors.shape[1]
                  else None)
        self.overlay[item.key] = (item, Counter(doc), len(doc), frozenset(text.doc_terms(item.title)),
                                  vector)

    def remove(self, key: str) -> None:
        """Take the item ``key`` out at once."""
        self.overlay.pop(key, None)
        pos = self.position.get(key)
        if pos is not None:
            self.removed[pos] = True

    def keys(self) -> set[str]:
        """Every searchable item's key."""
        built = {item.key for item, gone in zip(self.items, self.removed) if not gone}
        return built | set(self.overlay)

    def get(self, key: str) -> Item | None:
        if key in self.overlay:
            return self.overlay[key][0]
        pos = self.position.get(key)
        return None if pos is None or self.removed[pos] else self.items[pos]

    def _idf(self, term: str) -> float:
        return math.log(1 + (len(self.items) + 1) / (self.df.get(term, 0) + 1))

    def _title_score(self, q_set: set, title_terms: frozenset) -> float:
        """How well the question and the title cover each other, rare words
        counting more: half the question's share found in the title, half
        the title's share found in the question."""
        if not q_set or not title_terms:
            return 0.0
        common = q_set & title_terms
        if not common:
            return 0.0
        shared = sum(self._idf(t) for t in common)
        return 0.5 * shared / sum(self._idf(t) for t in q_set) + 0.5 * shared / sum(self._idf(t) for t in title_terms)

    def __len__(self) -> int:
        return int(len(self.items) - self.removed.sum()) + len(self.overlay)

    # --- searching -----------------------------------------------------------------------

    def search(self, question: str, *, limit: int = 5, weights: Weights = Weights()) -> list[Hit]:
        """The best item of each source for ``question``, best first."""
        q_terms = text.terms(question, rewrite=weights.rewrites)
        if weights.sounds:
            alike = text.sound_alikes(question, self.sounds, self.retriever.vocab_dict)
            if alike:
                q_terms = q_terms + [t for w in alike for t in text.doc_terms(w)]
                question = question + " " + " ".join(alike)
        if not q_terms:
            return []
        if weights.rewrites and weights.meaning_rewrites:
            question = question + " " + " ".join(text.rewrites(question))
        q_set = set(q_terms)
        purpose = text.purpose(question) if weights.purpose else None
        hits: list[Hit] = []
        n = len(self.items)
        if n:
            hits.extend(self._search_built(question, q_terms, q_set, weights, limit, purpose))
        hits.extend(self._search_overlay(question, q_terms, q_set, weights, purpose))
        hits.sort(key=lambda h: -h.score)
        best: dict[str, Hit] = {}
        for hit in hits:
            if hit.item.source not in best:
                best[hit.item.source] = hit
            if len(best) >= limit:
                break
        return list(best.values())

    def _query_vector(self, question: str, weights: Weights):
        if not weights.meaning or self.encoder is None or not self.vectors.shape[1]:
            return None
        return self.encoder([question])[0]

    def _search_built(self, question, q_terms, q_set, weights, limit, purpose=None):
        lex = np.zeros(len(self.items), dtype=np.float32)
        if weights.bm25:
            known = list(dict.fromkeys(t for t in q_terms if t in self.retriever.vocab_dict))
            if known:
                lex = _lexical(np.asarray(self.retriever.get_scores(known), dtype=np.float32), weights.bm25_half)
        total = weights.bm25 * lex
        qv = self._query_vector(question, weights)
        if qv is not None and len(self.items) > FULL_MEANING_LIMIT and len(self.starts) == len(self.vectors):
            # A large index compares meaning only among the best lexical
            # candidates: reading every vector costs more than the answer is worth.
            meaning = np.zeros(len(self.items), dtype=np.float32)
            rows = np.argpartition(-lex, MEANING_CANDIDATES)[:MEANING_CANDIDATES]
            rows.sort()
            meaning[rows] = np.asarray(self.vectors[rows] @ qv, dtype=np.float32)
            total = total + weights.meaning * np.clip(meaning, 0, None)
        elif qv is not None:
            meaning = np.maximum.reduceat(np.asarray(self.vectors @ qv, dtype=np.float32), self.starts)
            total = total + weights.meaning * np.clip(meaning, 0, None)
        else:
            meaning = None
        total[self.removed] = -1.0
        for key in self.overlay:  # replaced items are scored in the overlay
            pos = self.position.get(key)
            if pos is not None:
                total[pos] = -1.0
        # title words decide among the leading candidates only
        pool = min(len(total), max(limit * 8, 40))
        top = np.argpartition(-total, pool - 1)[:pool] if pool < len(total) else np.arange(len(total))
        hits = []
        for pos in top:
            if total[pos] <= 0:
                continue
            title = self._title_score(q_set, self.title_terms[pos])
            score = float(total[pos]) + weights.title * title + weights.purpose * _fits(purpose, self.items[pos])
            hits.append(Hit(self.items[pos], score * self.items[pos].weight, {
                "bm25": float(lex[pos]), "title": title,
                "meaning": float(meaning[pos]) if meaning is not None else 0.0}))
        return hits

    def _search_overlay(self, question, q_terms, q_set, weights, purpose=None):
        if not self.overlay:
            return []
        qv = self._query_vector(question, weights)
        n = max(len(self.items) + len(self.overlay), 1)
        hits = []
        for item, counts, length, title_terms, vector in self.overlay.values():
            raw = 0.0
            if weights.bm25:
                for t in dict.fromkeys(q_terms):  # a word counts once, as in the built index
                    tf = counts.get(t, 0)
                    if tf:
                        df = self.df.get(t, 0) + 1
                        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                        raw += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / max(self.avgdl, 1.0)))
            lex = raw / (raw + weights.bm25_half)
            meaning = float(np.max(vector @ qv)) if (qv is not None and vector is not None) else 0.0
            title = self._title_score(q_set, title_terms)
            score = weights.bm25 * lex + weights.meaning * max(meaning, 0.0) + weights.title * title
            if score > 0:
                score += weights.purpose * _fits(purpose, item)
                hits.append(Hit(item, score * item.weight, {"bm25": lex, "title": title, "meaning": meaning}))
        return hits


def _fits(purpose: str | None, item: Item) -> float:
    """1 when the item's kind of service is what the question's verb asks for."""
    if not purpose or not item.service_kind:
        return 0.0
    if purpose == "apply":
        return 1.0 if item.service_kind == "application" else 0.0
    return 1.0 if item.service_kind in ("query", "link") else 0.0


def _sounds(title_terms) -> dict[str, str]:
    """sound -> word, for the Chinese words of two to four characters in titles."""
    sounds: dict[str, str] = {}
    for terms in title_terms:
        for term in terms:
            if 2 <= len(term) <= 4 and all("\u3400" <= ch <= "\u9fff" for ch in term):
                sounds.setdefault(text.sound_key(term), term)
    return sounds


def directory_size(directory: str | Path) -> int:
    """Bytes the saved index takes on disk."""
    total = 0
    for root, _dirs, files in os.walk(directory):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total
