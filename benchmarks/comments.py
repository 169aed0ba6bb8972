"""Comment ingestion with moderation, against a bare insert of the same rows.

Creates a throwaway database next to the one ``DATABASE_URL`` names (the
test database Django would create, ``test_<name>``), migrates it, adds an
organisation with a published article and enough citizens that nobody hits
the per-citizen rate limit, then posts the same set of comments twice, from
several worker processes (like web workers) at once:

  (a) **bare insert** -- ``Comment.objects.create(...)``, one row per call in
      its own transaction: the least any ingestion can cost;
  (b) **with moderation** -- ``actions.do_post_comment``: validation, the rate
      limits (cache), storing the comment and committing it, the safety
      door's ``comment`` check (lexicon, personal-data masking), recording
      the check, question detection and routing.

For each it prints comments accepted per minute and the p50/p99 latency of
one accept, side by side, and the ratio. The comments are realistic Chinese
(about a third questions, some with a phone number, a few flagged or
blocked). The goal: 10,000 comments a minute on this machine.

Run from the repository root, against PostgreSQL:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civichall_bench python benchmarks/comments.py

Options: ``--comments N`` (default 6000), ``--workers N`` (default: CPU
count), ``--rounds N`` (default 3: bare and moderated runs alternate, and
the median round of each is shown), ``--quick`` (1,200 comments, one round). On SQLite it runs too, with one
worker (SQLite has one writer), and says so. The database is dropped at the
end. It clears the cache between runs: with ``REDIS_URL`` set, point it at a
Redis database of its own (e.g. ``redis://127.0.0.1:6379/14``). It prints
figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")
os.environ.setdefault("DEBUG", "1")  # a development start (no SECRET_KEY needed); DEBUG is turned off below

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402

GOAL_PER_MINUTE = 10_000

QUESTIONS = [
    "请问首班车几点开？", "换乘通道开放了吗", "没有智能手机的老人怎么进站？", "进站还要核酸证明吗？",
    "我家门口的站什么时候开放", "周末的末班车是几点呢", "可以用老年卡乘车吗", "12号线能不能全线运营？",
    "复工前需要向哪里报备？", "补贴多久能到账",
]
REMARKS = [
    "终于等到这一天了！城市又动起来了。", "感谢一线的地铁工作人员，辛苦了！👍", "建议高峰时段加密班次。",
    "点赞，信息发布很及时。", "希望大家都自觉戴好口罩，文明乘车。", "上海加油！一切都会好起来的。",
    "我家门口的站还没开，麻烦联系我 13912345678", "今天第一次坐地铁上班，秩序很好。",
]
FLAGGED = ["听说有人在车站附近贩卖冰毒", "这里有网络赌场的广告"]


def make_texts(n, seed=20220531):
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        r = rng.random()
        if r < 0.01:
            base = rng.choice(FLAGGED)
        elif r < 0.35:
            base = rng.choice(QUESTIONS)
        else:
            base = rng.choice(REMARKS)
        texts.append(f"{base}（{i}）")
    return texts


def setup_data(n_comments):
    """An organisation with a published article and enough citizens."""
    from django.contrib.auth import get_user_model

    from civichall.accounts.models import Citizen, Organisation
    from civichall.content.models import ArticlePage, OrganisationIndexPage, OrganisationPage
    from civichall.content.setup import ensure_site_structure

    ensure_site_structure()
    org = Organisation.objects.create(slug="bench", kind="municipal", name_zh="基准测试发布")
    directory = OrganisationIndexPage.objects.get()
    section = directory.add_child(instance=OrganisationPage(title="基准测试发布", slug="bench", organisation=org))
    section.save_revision().publish()
    article = section.add_child(instance=ArticlePage(
        title="轨道交通网络6月1日起恢复基本运营", slug="metro", summary="地铁恢复运营的出行提示。",
        body=[{"type": "rich_text", "value": "<p>6月1日起，本市轨道交通网络恢复基本运营。</p>"}], live=False))
    article.save_revision().publish()
    User = get_user_model()
    n_citizens = n_comments // 4 + 10  # at most 4 comments each: under the limit of 5 a minute
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", password="!") for i in range(n_citizens)])
    Citizen.objects.bulk_create(
        [Citizen(user=u, mobile=f"137{i:08d}") for i, u in enumerate(users)])
    return article.pk, list(Citizen.objects.order_by("pk").values_list("pk", flat=True))


def _work(args):
    """One worker: post its share of comments; (latencies, start, end)."""
    mode, article_id, jobs = args
    connections.close_all()
    from civichall.accounts.models import Citizen
    from civichall.content.models import ArticlePage
    from civichall.interaction import actions
    from civichall.interaction.models import Comment, CommentStatus

    article = ArticlePage.objects.get(pk=article_id)
    citizens = {c.pk: c for c in Citizen.objects.filter(pk__in={j[0] for j in jobs})}
    latencies = []
    if mode == "moderated":  # warm the lexicon once, as a running web worker has
        from civichall.safety.services import current_matcher
        current_matcher()
    start = time.perf_counter()
    for citizen_id, text, address in jobs:
        t0 = time.perf_counter()
        if mode == "bare":
            Comment.objects.create(article=article, citizen=citizens[citizen_id], text=text, public_text=text,
                                   status=CommentStatus.VISIBLE)
        else:
            actions.do_post_comment(citizens[citizen_id], article, text, address=address)
        latencies.append(time.perf_counter() - t0)
    end = time.perf_counter()
    connections.close_all()
    return latencies, start, end


def run(mode, article_id, citizen_ids, texts, workers):
    from django.core.cache import cache

    cache.clear()
    jobs = [(citizen_ids[i // 4], text, f"10.{i // 4 % 256}.{i // 1024 % 256}.{i % 4}")
            for i, text in enumerate(texts)]
    shares = [jobs[w::workers] for w in range(workers)]
    connections.close_all()
    wall0 = time.perf_counter()
    if workers == 1:
        results = [_work((mode, article_id, shares[0]))]
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_work, [(mode, article_id, share) for share in shares])
    wall = time.perf_counter() - wall0
    latencies = sorted(x for r in results for x in r[0])
    busy = max(r[2] for r in results) - min(r[1] for r in results)
    return {
        "n": len(latencies), "per_minute": len(latencies) / busy * 60, "wall": wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def clear_comments():
    from civichall.interaction.models import Comment, Question
    from civichall.safety.models import SafetyCheck

    with connection.cursor() as cursor:  # questions cannot be deleted through the ORM, by design
        cursor.execute(f"DELETE FROM {Question._meta.db_table}")
    SafetyCheck.objects.filter(kind="comment").delete()
    Comment.objects.all().delete()


def median_run(runs):
    """The run with the median throughput."""
    return sorted(runs, key=lambda r: r["per_minute"])[len(runs) // 2]


def outcome():
    from django.db.models import Count

    from civichall.interaction.models import Comment, Question

    statuses = dict(Comment.objects.values_list("status").annotate(n=Count("pk")))
    return statuses, Question.objects.count()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--comments", type=int, default=6000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--quick", action="store_true", help="1,200 comments, one round")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of (bare, moderated); the median is shown")
    args = ap.parse_args(argv)
    n = 1200 if args.quick else args.comments
    if args.quick:
        args.rounds = 1
    vendor = connection.vendor
    workers = 1 if vendor == "sqlite" else max(1, args.workers)
    if vendor != "postgresql":
        print(f"note: running on {vendor}, not PostgreSQL; one worker (a single writer).")

    from django.conf import settings
    from django.test.utils import setup_test_environment  # noqa: F401  (no mail, no debug)

    settings.DEBUG = False
    settings.CIVICHALL_COMMENTS_PER_MINUTE = 5
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        article_id, citizen_ids = setup_data(n)
        texts = make_texts(n)
        bare_runs, moderated_runs = [], []
        for _round in range(args.rounds):  # interleaved, so that both see the same machine
            clear_comments()
            bare_runs.append(run("bare", article_id, citizen_ids, texts, workers))
            clear_comments()
            moderated_runs.append(run("moderated", article_id, citizen_ids, texts, workers))
        statuses, questions = outcome()
        bare, moderated = median_run(bare_runs), median_run(moderated_runs)
        with connection.cursor() as cursor:
            cursor.execute("select version()" if vendor == "postgresql" else "select sqlite_version()")
            version = cursor.fetchone()[0].split(" on ")[0]
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"comment ingestion: {n:,} comments, {workers} worker process(es), {version}, "
          f"{os.cpu_count()} CPU(s); median of {args.rounds} interleaved round(s)")
    print("per-minute figures of every round: bare " + ", ".join(f"{r['per_minute']:,.0f}" for r in bare_runs)
          + "; moderated " + ", ".join(f"{r['per_minute']:,.0f}" for r in moderated_runs))
    ratios = [m["per_minute"] / b["per_minute"] for b, m in zip(bare_runs, moderated_runs)]
    print("moderated / bare in each round (run side by side): " + ", ".join(f"{r:.2f}" for r in ratios)
          + f"; median {statistics.median(ratios):.2f}")
    print(f"{'':28}{'per minute':>12}{'p50 ms':>10}{'p99 ms':>10}")
    for label, r in (("bare insert (baseline)", bare), ("with moderation", moderated)):
        print(f"{label:28}{r['per_minute']:>12,.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}")
    print(f"{'moderation / bare':28}{moderated['per_minute'] / bare['per_minute']:>12.2f}"
          f"{moderated['p50_ms'] / bare['p50_ms']:>10.1f}x{moderated['p99_ms'] / bare['p99_ms']:>9.1f}x")
    met = "met" if moderated["per_minute"] >= GOAL_PER_MINUTE else "NOT met"
    print(f"goal {GOAL_PER_MINUTE:,} comments/minute with moderation: {met}")
    print(f"outcome of the moderated run: {statuses}, questions detected: {questions}")


if __name__ == "__main__":
    main()
