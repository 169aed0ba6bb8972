"""Throughput of the content-safety checker against two simpler ways of matching.

Builds lexicons of 10k and 50k synthetic Chinese terms (random 2-4 character
strings, seeded), generates several megabytes of Chinese text (seeded: real
sentences, some with lexicon terms written with evasion noise, mixed with
random characters) and measures characters per second for

  (a) a Python ``re`` alternation of the terms -- slow, so it runs on a slice;
  (b) a pure-Python trie ("DFA") scanner over the raw text;
  (c) CivicHall's ``check(..., "body")``: normalisation, lexicon, personal data
      (also by the process's CPU time, which a busy machine distorts less);
  (d) the same for ``check(..., "comment")``, which also masks personal data.

The evasion noise in the text includes the invisible characters of the
robustness issue (Hangul filler, word joiner, zero-width no-break space).

Run from the repository root:  python benchmarks/safety.py [--quick]
It prints figures and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from civichall.safety.engine import check  # noqa: E402
from civichall.safety.matcher import Entry, Matcher  # noqa: E402
from civichall.safety.normalize import normalize, prepare  # noqa: E402

CJK_LO, CJK_HI = 0x4E00, 0x9FA5

SENTENCES = [
    "您好，6月1日起地铁全网恢复运营，首末班车时间见上海地铁官网，如有疑问可拨打12345。",
    "本市今年将新增养老床位5000张，家门口的养老服务站新增200家。",
    "垃圾分类新规实施一周年，湿垃圾日均分出量明显增长。",
    "“一网通办”新上线50项（免申即享）服务，市民可在“随申办”APP查看。",
    "台风逼近，全市启动防汛防台二级响应，请市民减少外出。",
    "公安机关严厉打击赌博违法犯罪活动，维护社会治安。",
    "红色情怀代代相传，口袋公园遍布街巷，天天都有市民锻炼。",
    "Shanghai Metro resumes full service on June 1; see the official site for details.",
]


def make_terms(n: int, rng: random.Random) -> list[str]:
    terms: set[str] = set()
    while len(terms) < n:
        k = rng.randint(2, 4)
        terms.add("".join(chr(rng.randint(CJK_LO, CJK_HI)) for _ in range(k)))
    return sorted(terms)


def make_text(n_chars: int, terms: list[str], rng: random.Random) -> str:
    # Evasion noise, the invisible characters of the robustness issue among it
    # (Hangul filler, word joiner, zero-width no-break space).
    noise = ["@", " ", "\u200b", "😀", "*", "·", "\u3164", "\u2060", "\ufeff"]
    parts: list[str] = []
    size = 0
    while size < n_chars:
        r = rng.random()
        if r < 0.45:
            s = rng.choice(SENTENCES)
        elif r < 0.5:
            t = rng.choice(terms)
            if rng.random() < 0.5:  # write it with evasion noise
                t = rng.choice(noise).join(t)
            s = "有人说" + t + "。"
        else:
            s = "".join(chr(rng.randint(CJK_LO, CJK_HI)) for _ in range(rng.randint(8, 40))) + "。"
        parts.append(s)
        size += len(s)
    return "".join(parts)


def rate(n_chars: int, seconds: float) -> float:
    return n_chars / seconds if seconds > 0 else float("inf")


def bench_regex(terms, text):
    t0 = time.perf_counter()
    rx = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    hits = sum(1 for _ in rx.finditer(text))
    return rate(len(text), time.perf_counter() - t0), hits, compile_s


def build_trie(terms):
    root: dict = {}
    for t in terms:
        node = root
        for ch in t:
            node = node.setdefault(ch, {})
        node[""] = t
    return root


def bench_trie(root, text):
    t0 = time.perf_counter()
    hits = 0
    n = len(text)
    get = dict.get
    for i in range(n):
        node = get(root, text[i])
        j = i + 1
        while node is not None:
            if "" in node:
                hits += 1
            if j >= n:
                break
            node = get(node, text[j])
            j += 1
    return rate(n, time.perf_counter() - t0), hits


def bench_checker(matcher, text, doc_size, kind="body"):
    docs = [text[i:i + doc_size] for i in range(0, len(text), doc_size)]
    check(docs[0][:100], kind, lexicon=matcher)  # warm the tables
    t0, c0 = time.perf_counter(), time.process_time()
    hits = 0
    for d in docs:
        hits += len(check(d, kind, lexicon=matcher)["hits"])
    # CPU time too: on a busy machine the wall clock counts other processes' turns.
    return rate(len(text), time.perf_counter() - t0), hits, rate(len(text), time.process_time() - c0)


def bench_normalize(text, doc_size):
    docs = [text[i:i + doc_size] for i in range(0, len(text), doc_size)]
    t0 = time.perf_counter()
    for d in docs:
        normalize(d)
    return rate(len(text), time.perf_counter() - t0)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small run (about 0.3M characters)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--chars", type=int, default=None, help="characters of text (default 2.5M, ~7.5 MB)")
    ap.add_argument("--doc-size", type=int, default=5000, help="characters per checked document")
    args = ap.parse_args(argv)

    n_chars = args.chars or (300_000 if args.quick else 2_500_000)
    regex_slice = 3_000 if args.quick else 20_000
    trie_slice = n_chars if not args.quick else 200_000
    rng = random.Random(args.seed)

    print(f"building lexicons and text (seed {args.seed}) ...")
    terms50 = make_terms(50_000, rng)
    terms10 = rng.sample(terms50, 10_000)
    text = make_text(n_chars, terms10, rng)
    mb = len(text.encode("utf-8")) / 1e6
    print(f"text: {len(text):,} characters, {mb:.1f} MB UTF-8\n")

    t0 = time.perf_counter()
    prepare()
    print(f"character table prepared in {time.perf_counter() - t0:.2f} s (once per process)\n")

    rows = []
    for label, terms in (("10k", terms10), ("50k", terms50)):
        t0 = time.perf_counter()
        matcher = Matcher([Entry(t, "other", "review") for t in terms])
        build_s = time.perf_counter() - t0
        c_rate, c_hits, c_cpu = bench_checker(matcher, text, args.doc_size)
        trie = build_trie(terms)
        b_rate, b_hits = bench_trie(trie, text[:trie_slice])
        a_rate, a_hits, a_compile = bench_regex(terms, text[:regex_slice])
        rows.append((label, a_rate, b_rate, c_rate, a_hits, b_hits, c_hits, build_s, a_compile, c_cpu))

    n_rate = bench_normalize(text, args.doc_size)
    m_rate, _, m_cpu = bench_checker(matcher, text, args.doc_size, "comment")  # the 50k matcher

    print(f"{'terms':>6} | {'(a) re alternation':>20} | {'(b) Python trie':>16} | {'(c) checker':>14} | {'c/a':>7} | {'c/b':>5}")
    print("-" * 84)
    for label, a, b, c, *_ in rows:
        print(f"{label:>6} | {a:>14,.0f} ch/s | {b:>10,.0f} ch/s | {c:>9,.0f} ch/s | {c / a:>6.0f}x | {c / b:>4.1f}x")
    print()
    for label, a, b, c, ah, bh, ch, build_s, comp, cpu in rows:
        print(f"{label}: hits (a) {ah} on {regex_slice:,} chars, (b) {bh} on {trie_slice:,} chars, "
              f"(c) {ch} on {len(text):,} chars; matcher built in {build_s:.2f} s, regex compiled in {comp:.2f} s; "
              f"(c) by CPU time {cpu:,.0f} ch/s")
    print(f"normalisation alone: {n_rate:,.0f} ch/s")
    print(f"(d) comments at 50k terms (masking personal data too): {m_rate:,.0f} ch/s, by CPU time {m_cpu:,.0f} ch/s")
    print(f"(a) on a {regex_slice:,}-char slice, (b) on {trie_slice:,} chars, (c) on all text "
          f"in documents of {args.doc_size:,} chars; (c) includes normalisation and the personal-data scan.")
    print()
    c10 = rows[0]
    c50 = rows[1]
    print(f"goal c/a >= 100 at 10k terms: {c10[3] / c10[1]:,.0f}x  -> {'met' if c10[3] / c10[1] >= 100 else 'NOT met'}")
    for label, wall, cpu in (("(c) bodies", c50[3], c50[9]), ("(d) comments", m_rate, m_cpu)):
        print(f"goal >= 3,000,000 ch/s at 50k terms, {label}: {wall:,.0f} ch/s -> "
              f"{'met' if wall >= 3_000_000 else 'NOT met'} (by CPU time {cpu:,.0f} ch/s; "
              "a wall clock far below it means a busy machine)")


if __name__ == "__main__":
    main()
