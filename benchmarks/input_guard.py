"""What the input guards cost: the request guard's check of a request
against the parsing the request needs anyway, and the model guard's
cleaning of an instance about to be saved against building the instance.

Cases: a page with five query parameters; a comment posted as JSON (about
500 characters); a 2 MB JSON body; a form of 20 fields. Both sides build
the request; the baseline then parses what the view parses anyway (the
query string, the form fields, or ``json.loads`` of the body, which the API
does once more after the guard), the guard checks it.
The model guard runs on a comment with its safety result (a JSON field).

Run from the repository root:  python benchmarks/input_guard.py [--rounds R]
It prints microseconds per call and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def per_call(func, rounds):
    """Best of five runs of ``rounds`` calls, in microseconds per call."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            func()
        best = min(best, (time.perf_counter() - start) / rounds)
    return best * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("CIVICHALL_VAR", tempfile.mkdtemp(prefix="civichall-bench-"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import RequestFactory

    from civichall.core.input_guard import check_request
    from civichall.core.text_guard import clean_instance_text
    from civichall.interaction.models import Comment

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
    rf = RequestFactory()
    comment = json.dumps({"text": "请问6月1日起地铁首班车几点开？我住在浦东，平时坐2号线上班。" * 12,
                          "client_key": "a1b2c3"}, ensure_ascii=False)
    big = json.dumps({"text": "长" * 700_000}, ensure_ascii=False)
    form = {f"field{i}": f"第{i}项的内容" for i in range(20)}
    query = {"page": "2", "topic": "traffic", "q": "地铁 首班车", "organisation": "shanghai", "lang": "en"}

    def make_query():
        return rf.get("/services/search/", query)

    def make_comment():
        return rf.post("/api/v1/articles/1/comments", comment, content_type="application/json")

    def make_big():
        return rf.post("/api/v1/safety/check", big, content_type="application/json")

    def make_form():
        return rf.post("/comments/articles/1/", form)

    # Guard: build the request and check it. Baseline: build the same
    # request and parse what its view parses anyway.
    cases = [
        ("query, 5 parameters", make_query, lambda r: r.GET.dict()),
        ("JSON comment, %d bytes" % len(comment.encode()), make_comment, lambda r: json.loads(r.body)),
        ("JSON body, %.1f MB" % (len(big.encode()) / 1e6), make_big, lambda r: json.loads(r.body)),
        ("form, 20 fields", make_form, lambda r: r.POST.dict()),
    ]
    print(f"{'case':28} {'guard µs':>10} {'baseline µs':>12} {'ratio':>7}")
    for name, make, parse in cases:
        rounds = max(5, args.rounds // 100) if "MB" in name else args.rounds
        guard_us = per_call(lambda: check_request(make()), rounds)
        base_us = per_call(lambda: parse(make()), rounds)
        print(f"{name:28} {guard_us:10.1f} {base_us:12.1f} {guard_us / base_us:7.2f}")

    safety = {"decision": "pass", "reasons": [{"code": "ok", "message": "通过"}] * 5, "hits": []}
    make = lambda: Comment(text="请问地铁首班车几点开？" * 10, public_text="请问地铁首班车几点开？" * 10,  # noqa: E731
                           safety=safety)
    instance = make()
    guard_us = per_call(lambda: clean_instance_text(Comment, instance), args.rounds)
    build_us = per_call(make, args.rounds)
    print(f"{'model guard, one comment':28} {guard_us:10.1f} {build_us:12.1f} {guard_us / build_us:7.2f}"
          "   (baseline: building the instance)")


if __name__ == "__main__":
    main()
