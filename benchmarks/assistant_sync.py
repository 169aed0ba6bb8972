"""How fast a web process's assistant index catches up with one change, at
a city's size.

Loads ``--articles`` articles (``civichall make_load_data``'s articles, no
comments) into a database of its own, builds the shared index, opens it in a
second index object as another web process would, then republishes one
article at a time and times how long that other process takes before its
next answer:

- **full compare**: reading all the knowledge again and comparing it item
  by item (how every process followed a change before the change log);
- **change log**: reading the entries after the one it holds and only the
  objects they name (``assistant.index``/``assistant.sync``);

and the same after a burst of ``--burst`` publications. The database
queries of each catch-up are counted too. Words only by default (encoding
10,000 articles' items takes long on a busy machine; a changed item is
encoded the same way by both paths): ``--meaning`` encodes too.

Run from the repository root (SQLite under a fresh var directory unless
``--var``/``DATABASE_URL`` say otherwise; ``--var`` again reuses the loaded
database)::

    python benchmarks/assistant_sync.py [--articles 10000] [--changes 5] [--burst 20] [--var DIR]

It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare(args) -> None:
    var = Path(args.var or tempfile.mkdtemp(prefix="civichall-bench-assistant-"))
    var.mkdir(parents=True, exist_ok=True)
    os.environ.update({
        "CIVICHALL_VAR": str(var), "DJANGO_SETTINGS_MODULE": "civichall.settings", "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789", "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost", "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "CIVICHALL_ASSISTANT_EMBEDDINGS": "1" if args.meaning else "0",
    })
    subprocess.run([sys.executable, "-m", "civichall", "migrate", "--verbosity", "0"], check=True, cwd=ROOT)
    import django

    django.setup()


def load(articles: int) -> int:
    from civichall.accounts.models import Organisation
    from civichall.content.models import ArticlePage, OrganisationIndexPage, OrganisationPage
    from civichall.contrib.demo.load_volume import make_load_data

    if not OrganisationPage.objects.exists():
        org = Organisation.objects.create(slug="hrss", kind="bureau", name_zh="市人社局", name_en="HRSS",
                                          account_name_zh="上海人社")
        section = OrganisationIndexPage.objects.get().add_child(
            instance=OrganisationPage(title=org.account_name_zh, slug=org.slug, organisation=org))
        section.save_revision().publish()
    missing = articles - ArticlePage.objects.filter(slug__startswith="load-").count()
    if missing > 0:
        print(f"adding {missing} articles ...", file=sys.stderr, flush=True)
        make_load_data(articles=missing, comments=0, citizens=0, progress=False)
    return ArticlePage.objects.live().count()


def republish(page, n: int) -> None:
    """A new revision of ``page`` with a changed title, published (the
    signals append the change once committed: at once, outside a transaction)."""
    page.title = f"{page.title.split('（修订')[0]}（修订{n}）"
    page.save_revision().publish()


def timed(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        fn()
        spent = time.perf_counter() - started
    return spent * 1000, len(queries)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--var", help="a var directory to use (and reuse)")
    parser.add_argument("--meaning", action="store_true", help="encode the items' meaning too")
    args = parser.parse_args(argv)
    prepare(args)

    from civichall.assistant import index
    from civichall.content.models import ArticlePage

    live = load(args.articles)
    started = time.perf_counter()
    built = index.build()
    build_s = time.perf_counter() - started
    other = index.LiveIndex()  # another web process, opening the shared copy
    started = time.perf_counter()
    other.current()
    open_s = time.perf_counter() - started
    pages = list(ArticlePage.objects.live().filter(slug__startswith="load-").order_by("-pk")[: args.changes + 1])

    def full_compare():
        other._compare_all(other._followed)

    def follow():
        other._looked -= index.POLL_SECONDS  # as when the stamp in the shared cache has moved
        other.current()

    results = {"full_compare": [], "change_log": []}
    for n, page in enumerate(pages[: args.changes]):
        republish(page, n)
        results["full_compare"].append(timed(full_compare))
        republish(page, n + 100)
        results["change_log"].append(timed(follow))
    burst = {}
    for name, fn in (("full_compare", full_compare), ("change_log", follow)):
        for n in range(args.burst):
            republish(pages[n % len(pages)], 200 + n)
        burst[name] = timed(fn)

    def summary(rows):
        return {"median_ms": round(statistics.median(ms for ms, _q in rows), 1),
                "max_ms": round(max(ms for ms, _q in rows), 1), "queries": max(q for _ms, q in rows)}

    figures = {
        "live_articles": live,
        "items": len(built),
        "build_s": round(build_s, 1),
        "another_process_opens_the_copy_s": round(open_s, 2),
        "one_change": {name: summary(rows) for name, rows in results.items()},
        f"burst_of_{args.burst}": {name: {"ms": round(ms, 1), "queries": q} for name, (ms, q) in burst.items()},
    }
    one = figures["one_change"]
    figures["one_change_ratio"] = round(one["full_compare"]["median_ms"] / max(one["change_log"]["median_ms"], 0.01), 1)
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
