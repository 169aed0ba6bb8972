"""Speed of the smart assistant's ranking over a large knowledge base.

Generates N items (default 100,000) that look like the real ones — service
names and keywords, article Q&A pairs and key points in Chinese, mixed from
the words of the demo catalog and the labelled tuning questions — builds the
index, saves it, opens it memory-mapped as every web process does, and asks
the tuning questions against it. Prints:

- build time (segmentation + BM25, and sentence encoding) and the size on disk;
- the memory a process needs to open the shared copy (RSS after opening it
  memory-mapped, in a fresh child process, and after its first question,
  which loads the sentence model's weights) against building its own;
- p50 / p95 / max per question, words only and words + meaning (goal: p95 ≤ 20 ms);
  above ``ranking.FULL_MEANING_LIMIT`` items the meaning is compared among the
  best lexical candidates only, and the full scan is timed too for comparison;
  each question is encoded afresh (the vectors of questions asked before are
  forgotten), and the same questions asked again are timed apart;
- the baseline of the same run: words + meaning with BLAS on every core (as
  before the assistant kept it to one thread, ``assistant.embedding``), and
  the ratio of its p50 / p95 to the one-thread figures.

Encoding 100k texts with the sentence model takes minutes on one core, so
by default ``--encode 2000`` items are encoded for real (the time per item
is measured and the total extrapolated) and the other vectors are random
unit vectors: the question-time cost (one encoding of the question and a
dot product with every vector) is the same. ``--encode all`` encodes
everything.

Pure Python with no database: run from the repository root::

    python benchmarks/assistant.py [--items 100000] [--encode 2000|all] [--questions 200] [--copy DIR]

``--copy DIR`` keeps the generated copy in DIR, and a later run with the same
DIR times the questions against it without generating and building again.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from civichall.assistant import embedding, ranking, text  # noqa: E402
from civichall.assistant.ranking import Index, Item, Weights  # noqa: E402

TUNING = ROOT / "tests" / "data" / "assistant" / "tuning.json"
WORDS = ("公交 地铁 社保卡 公积金 提取 贷款 转移 失业 保险金 申领 居住证 积分 户口 登记 新生儿 出生 医保 报销 异地 就医 "
         "备案 养老 补贴 津贴 残疾人 护理 低保 救助 入学 报名 小学 初中 学生 资助 护照 港澳 通行证 签注 驾驶证 换证 "
         "年检 机动车 违章 罚款 停车 车位 天气 台风 暴雨 积水 垃圾 分类 湿垃圾 干垃圾 疫苗 接种 挂号 门诊 报告 "
         "核酸 随申码 健康码 助餐 托育 法律援助 个税 扣除 退役军人 优待证 不动产 公租房 廉租房 营业执照 创业 培训 "
         "就业 招聘 高温 防暑 梅雨 蚊子 消毒 复工 复市 演出 场馆 预约 图书馆 社区 街道 办事 窗口 网上 不见面 "
         "材料 条件 流程 时间 地点 电话 咨询 办理 查询 申请 发放 标准 多少 哪里 怎么").split()


def generated_items(n: int, seed: int = 7) -> list[Item]:
    """``n`` items in the shapes the assistant indexes, from the catalog's words."""
    rnd = random.Random(seed)
    items = []
    for i in range(n):
        words = rnd.sample(WORDS, 8)
        kind = ("service", "article", "faq")[i % 3]
        title = "".join(words[:3]) + ("？" if kind != "service" else "")
        body = "，".join("".join(rnd.sample(WORDS, 4)) for _ in range(4)) + "。"
        source = f"{kind}:{i // (1 if kind != 'article' else 4)}"
        items.append(Item(key=f"{kind}:{i}", kind=kind, source=source, title=title, body=body,
                          keywords=" ".join(words[3:6]), url=f"/x/{i}/",
                          service_code=f"s{i}" if kind == "service" else None,
                          slug=f"a{i}" if kind == "article" else None))
    return items


def rss_mb(pid: int | None = None) -> float:
    with open(f"/proc/{pid or 'self'}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure_questions(index: Index, questions: list[str], weights: Weights, again: bool = False) -> dict:
    for q in questions[:5]:  # warm up
        index.search(q, weights=weights)
    if not again:
        embedding.forget_questions()  # every question is encoded as if asked for the first time
    times = []
    for q in questions:
        started = time.perf_counter()
        index.search(q, weights=weights)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 95), 2),
            "max_ms": round(max(times), 2)}


OPEN_IN_CHILD = """
import sys, time, json
sys.path.insert(0, {root!r})
from civichall.assistant import embedding
from civichall.assistant.ranking import Index
from benchmarks.assistant import rss_mb
before = rss_mb()
started = time.perf_counter()
index = Index.load({path!r}, embedding.encode, mmap=True)
opened = time.perf_counter() - started
after_open = rss_mb()
index.search("失业了怎么领钱")
print(json.dumps({{"rss_before_mb": round(before, 1), "rss_after_open_mb": round(after_open, 1),
                  "rss_after_first_question_mb": round(rss_mb(), 1), "open_s": round(opened, 2)}}))
"""


def build_copy(args, directory: Path) -> dict:
    """Generate the items, build the index and save it in ``directory``; the figures of building."""
    items = generated_items(args.items)
    rss_start = rss_mb()

    started = time.perf_counter()
    words_only = Index.build(items, None)
    build_words_s = time.perf_counter() - started

    n_real = len(items) if args.encode == "all" else min(int(args.encode), len(items))
    started = time.perf_counter()
    real = embedding.encode([item.meaning_texts()[0] for item in items[:n_real]])
    encode_s = time.perf_counter() - started
    rest = np.random.default_rng(7).standard_normal((len(items) - n_real, embedding.DIMENSIONS)).astype(np.float32)
    rest /= np.linalg.norm(rest, axis=1, keepdims=True) + 1e-9
    vectors = np.vstack([real, rest]) if len(rest) else real
    index = Index(words_only.items, words_only.retriever, vectors, words_only.title_terms, words_only.df,
                  words_only.avgdl, embedding.encode, words_only.sounds)  # one vector per item
    rss_built = rss_mb()
    started = time.perf_counter()
    index.save(directory)
    return {
        "build_words_s": round(build_words_s, 1),
        "encode_per_item_ms": round(encode_s / max(n_real, 1) * 1000, 2),
        "encode_all_s_estimated": round(encode_s / max(n_real, 1) * len(items), 1),
        "encoded_for_real": n_real,
        "save_s": round(time.perf_counter() - started, 1),
        "rss_process_that_built_mb": round(rss_built, 1),
        "rss_before_items_mb": round(rss_start, 1),
    }


@contextlib.contextmanager
def blas_on_every_core():
    """BLAS on every core, the sentence model's own limit lifted too: how a
    process ran before the assistant kept BLAS to one thread."""
    from threadpoolctl import threadpool_limits

    backend = embedding._load()._model
    limit, backend._threadpool = backend._threadpool, None
    try:
        with threadpool_limits(limits=os.cpu_count(), user_api="blas"):
            yield
    finally:
        backend._threadpool = limit


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--encode", default="2000", help="how many items to encode for real, or 'all'")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--copy", help="keep the saved copy in this directory, and reuse it when it is there")
    args = parser.parse_args(argv)

    questions = [row["q"] for row in json.loads(TUNING.read_text(encoding="utf-8"))][: args.questions]
    text.tokenizer()
    embedding.encode(["预热"])  # the model's first call loads its weights

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(args.copy) if args.copy else Path(tmp) / "copy"
        reused = (copy / "items.json").exists()
        figures = {"reused_copy": str(copy)} if reused else build_copy(args, copy)
        figures["on_disk_mb"] = round(sum(f.stat().st_size for f in copy.rglob("*") if f.is_file()) / 2**20, 1)
        script = OPEN_IN_CHILD.format(root=str(ROOT), path=str(copy))
        child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        figures["child_opening_the_shared_copy"] = (json.loads(child.stdout.strip().splitlines()[-1])
                                                    if child.returncode == 0 else {"error": child.stderr[-500:]})
        shared = Index.load(copy, embedding.encode, mmap=True)
        figures["items"] = len(shared.items)
        figures["words_only"] = measure_questions(shared, questions, Weights(meaning=0))
        figures["words_and_meaning"] = measure_questions(shared, questions, Weights())
        figures["words_and_meaning_asked_again"] = measure_questions(shared, questions, Weights(), again=True)
        with blas_on_every_core():
            figures["baseline_words_and_meaning_blas_on_every_core"] = measure_questions(shared, questions, Weights())
        base, now = figures["baseline_words_and_meaning_blas_on_every_core"], figures["words_and_meaning"]
        figures["ratio_baseline_to_one_thread"] = {
            "p50": round(base["p50_ms"] / now["p50_ms"], 1), "p95": round(base["p95_ms"] / now["p95_ms"], 1)}
        ranking.FULL_MEANING_LIMIT = len(shared.items) + 1
        figures["words_and_meaning_full_scan"] = measure_questions(shared, questions, Weights())
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
