"""Online applications at a city's size: submits with fill-once prefill, and
the officers' case queue with 100,000 cases.

Creates (or, with ``--reuse``, keeps) a PostgreSQL database of its own,
``civichall_appbench``, migrates it and loads what the applications room
needs from the demo: the organisations, the definition documents, the
case officers and the prefill sources bound to connectors of the demo's
fake department systems, which run in this process on a free loopback port
(as ``load_demo`` does). Then:

(a) **Submits per second with prefill**, for the unemployment insurance
    application (失业保险金申领), from several worker processes at once (like
    web workers). Each submit is a verified citizen of its own with an
    ``Idempotency-Key`` of its own, doing what the site does:
    ``do_give_consent`` to the four sources, ``do_prefill`` (four HTTP
    fetches from the fake departments, each logged for "my data use"),
    ``do_add_material`` (the separation proof, a small PDF; the ID card comes
    as an e-licence) and ``do_submit`` with what the citizen types (dates,
    reason, bank account). The baseline is a bare insert of the same rows:
    ``Case.objects.create(...)`` with the data, prefill record, citizen,
    version and organisation of the cases just filed, one per call in its own
    transaction. Rounds of (prefill, bare) are interleaved; the median round
    of each is shown, with p50/p99 latency of one submit and the ratio.
    The fake departments know six demo residents (R0001…R0006); the
    benchmark's citizens have subjects R1000…R9999, so this process serves
    each of them the record of a demo resident (R1000 as R0001, …).
(b) **The officers' queue** (``/admin/applications/cases/`` and its
    filters) with ``--cases`` cases made in bulk (``bulk_create`` in
    batches, spread over every application, hence over their
    organisations, and over every state), asked with Django's test Client
    as the unemployment office's case officer (``hrss_officer``, second
    factor satisfied), once to warm up and then ``--times`` times: median
    and p95 server time, against Wagtail's own ``/admin/account/`` page
    asked the same way (the framework's floor). Goal: p95 within 200 ms.

Needs PostgreSQL on 127.0.0.1 and Redis (db 8 by default, cleared). Run from
the repository root:

    CIVICHALL_VAR=/path/to/scratch python benchmarks/applications.py \\
        [--submits 600] [--workers N] [--rounds 3] [--cases 100000] [--times 40] [--reuse] [--quick]
        [--only submits|queue]

``--quick``: 120 submits, one round, 10,000 cases, 15 requests each.
``--reuse`` keeps an already loaded database (its cases included; it only
adds cases up to ``--cases``); with ``--only queue`` it measures the queue
again after a change without filing submits. It prints figures; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.loadtools import benchmark_environment, client_timings, psql  # noqa: E402

DB = "civichall_appbench"
CODE = "unemployment_insurance"
OFFICER = "hrss_officer"
GOAL_P95_MS = 200
#: What the citizen types for the unemployment benefit (the city holds the rest).
TYPED = {"separation_date": "2026-10-30", "separation_reason": "contract_expired", "job_intent": "软件测试工程师",
         "needs_training": False, "bank_name": "中国工商银行上海市分行", "bank_account": "6222021001112223334"}
#: The demo residents with a social security record (R0005 has none).
DEMO_SUBJECTS = ("R0001", "R0002", "R0003", "R0004", "R0006")
FIRST_SUBJECT = 1000


def environment(args) -> dict:
    return benchmark_environment(f"postgresql://postgres@127.0.0.1:5432/{DB}", args.redis_url,
                                 LOG_LEVEL="ERROR", DJANGO_SETTINGS_MODULE="civichall.settings")


def prepare_database(args, env) -> None:
    civichall = [sys.executable, "-m", "civichall"]
    # DEBUG is off: the admin's static files come from the collected manifest.
    subprocess.run([*civichall, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    if not args.reuse:
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB}")
    print("migrating ...", flush=True)
    subprocess.run([*civichall, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)


def serve_bench_residents():
    """Let this process's fake departments answer for the benchmark's
    citizens (R1000…R9999) with the records of the demo residents."""
    from civichall.contrib.demo import fake_department

    demo_record = fake_department.resident_record

    def record(source, resident_id):
        if resident_id[1:].isdigit() and int(resident_id[1:]) >= FIRST_SUBJECT:
            resident_id = DEMO_SUBJECTS[int(resident_id[1:]) % len(DEMO_SUBJECTS)]
        return demo_record(source, resident_id)

    fake_department.resident_record = record


def load_room(base_url) -> None:
    """Organisations, definitions, officers, prefill sources (from the demo)."""
    from civichall.applications.models import ApplicationDefinition
    from civichall.contrib.demo import load_accounts, load_applications

    if not ApplicationDefinition.objects.exists():
        print("loading organisations and the definitions ...", flush=True)
        load_accounts.load_organisations()
        load_applications.load_definitions()
        load_applications.load_officers()
    load_applications.load_prefill_sources(base_url)  # (re)bound to this run's port


def ensure_citizens(n):
    """``n`` real-name verified citizens (subjects R1000…), made in bulk."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from civichall.accounts.models import Citizen

    n = min(n, 10_000 - FIRST_SUBJECT)
    have = Citizen.objects.filter(user__username__startswith="appbench").count()
    if have < n:
        User = get_user_model()
        users = User.objects.bulk_create(
            [User(username=f"appbench{i}", password="!") for i in range(have, n)], batch_size=2000)
        now = timezone.now()
        Citizen.objects.bulk_create(
            [Citizen(user=u, mobile=f"139{i:08d}", verified_subject=f"R{FIRST_SUBJECT + i:04d}",
                     verified_name_masked="陈*", verified_at=now) for i, u in zip(range(have, n), users)],
            batch_size=2000)
    return list(Citizen.objects.filter(user__username__startswith="appbench").order_by("pk")
                .values_list("pk", flat=True)[:n])


def _pdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, "Separation proof")
    return bytes(pdf.output())


def _work(args):
    """One worker: its share of submits; (latencies, start, end, prefill seconds)."""
    mode, jobs = args
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connections

    connections.close_all()
    from civichall.accounts.models import Citizen
    from civichall.applications import actions
    from civichall.applications.actions.drafts import sources_of
    from civichall.applications.models import ApplicationDefinition, Case

    definition = ApplicationDefinition.objects.select_related("current", "organisation").get(code=CODE)
    citizens = {c.pk: c for c in Citizen.objects.select_related("user").filter(pk__in={j[0] for j in jobs})}
    sources = sources_of(definition.current.document)
    pdf = _pdf()
    latencies, prefill_spent = [], 0.0
    start = time.perf_counter()
    for citizen_id, key, row in jobs:
        citizen = citizens[citizen_id]
        t0 = time.perf_counter()
        if mode == "bare":
            Case.objects.create(citizen=citizen, idempotency_key=key, **row)
        else:
            user = citizen.user
            actions.do_give_consent(user, definition, sources)
            actions.do_prefill(user, definition)
            prefill_spent += time.perf_counter() - t0
            actions.do_add_material(user, "separation_proof", SimpleUploadedFile("proof.pdf", pdf),
                                    definition=definition)
            actions.do_submit(user, definition, dict(TYPED), idempotency_key=key)
        latencies.append(time.perf_counter() - t0)
    end = time.perf_counter()
    connections.close_all()
    return latencies, start, end, prefill_spent


def run(mode, jobs, workers):
    from django.db import connections

    shares = [jobs[w::workers] for w in range(workers)]
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_work, [(mode, share) for share in shares])
    latencies = sorted(x for r in results for x in r[0])
    busy = max(r[2] for r in results) - min(r[1] for r in results)
    return {
        "n": len(latencies), "per_second": len(latencies) / busy,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "prefill_ms": sum(r[3] for r in results) / len(latencies) * 1000,
    }


def median_run(runs):
    return sorted(runs, key=lambda r: r["per_second"])[len(runs) // 2]


def bench_submits(args, citizen_ids):
    """(a): rounds of (with prefill, bare insert of the same rows)."""
    from django.db.models import Count

    from civichall.applications.models import Case, DataUse

    n = args.submits
    prefill_runs, bare_runs = [], []
    for rnd in range(args.rounds):
        chosen = citizen_ids[rnd * n:(rnd + 1) * n]
        keys = [f"appbench-{time.time_ns()}-{i}" for i in range(len(chosen))]
        prefill_runs.append(run("prefill", [(c, k, None) for c, k in zip(chosen, keys)], args.workers))
        filed = {f["idempotency_key"]: f for f in Case.objects.filter(idempotency_key__in=keys).values(
            "idempotency_key", "citizen_id", "definition_id", "version_id", "organisation_id", "data", "prefilled")}
        rows = [(f["citizen_id"], f"bare-{k}", {
            "number": f"B-{k[-26:]}", "definition_id": f["definition_id"], "version_id": f["version_id"],
            "organisation_id": f["organisation_id"], "data": f["data"], "prefilled": f["prefilled"],
            "letter_token": "x" * 22}) for k, f in ((k, filed[k]) for k in keys if k in filed)]
        bare_runs.append(run("bare", rows, args.workers))
    uses = dict(DataUse.objects.filter(definition__code=CODE).values_list("ok").annotate(n=Count("pk")))
    prefilled = Case.objects.filter(definition__code=CODE, idempotency_key__startswith="appbench-",
                                    prefilled__has_key="contribution_months").count()
    return prefill_runs, bare_runs, uses, prefilled


def make_cases(target, citizen_ids):
    """Cases in bulk up to ``target``: every application, every state."""
    from django.db import connection
    from django.utils import timezone

    from civichall.applications import lifecycle
    from civichall.applications.models import ApplicationDefinition, Case

    have = Case.objects.count()
    if have >= target:
        return have
    print(f"making {target - have:,} cases in bulk ...", flush=True)
    definitions = list(ApplicationDefinition.objects.filter(current__isnull=False).select_related("current"))
    rng = random.Random(20261130)
    now = timezone.now()
    today = timezone.localdate()
    batch = []
    for i in range(have, target):
        d = definitions[i % len(definitions)]
        state = lifecycle.STATES[rng.randrange(len(lifecycle.STATES))]
        submitted = now - timedelta(minutes=rng.randrange(60 * 24 * 90))
        accepted = state != lifecycle.SUBMITTED and state != lifecycle.NOT_ACCEPTED
        batch.append(Case(
            number=f"SQ-{submitted:%Y%m%d}-G{i:07d}", citizen_id=citizen_ids[i % len(citizen_ids)], definition=d,
            version=d.current, organisation_id=d.organisation_id, state=state, submitted_at=submitted,
            data={"name": "陈晓雯", "address": "上海市黄浦区人民大道200号"},
            accepted_on=submitted.date() if accepted else None,
            due_on=today + timedelta(days=rng.randrange(-15, 30)) if accepted else None,
            paused_since=today - timedelta(days=3) if state == lifecycle.NEEDS_MATERIAL else None,
            closed_at=now if state in lifecycle.ENDS else None))
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    if batch:
        Case.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_case")
    return Case.objects.count()


def timed(client, path, times):
    """(median, p95) milliseconds of ``times`` requests."""
    spent = client_timings(client, path, times)
    return statistics.median(spent), spent[min(len(spent) - 1, int(len(spent) * 0.95))]


def bench_queue(args):
    """(b): the queue as the unemployment office's case officer."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from benchmarks.admin import signed_in
    from civichall.applications.models import Case

    officer = get_user_model().objects.get(username=OFFICER)
    theirs = Case.objects.filter(organisation__memberships__user=officer).count()
    client = signed_in(Client(), officer)
    pages = {
        "account (floor)": "/admin/account/",
        "queue (open cases)": "/admin/applications/cases/",
        "queue, all states": "/admin/applications/cases/?state=all",
        "queue, page 100": "/admin/applications/cases/?state=all&p=100",
        "queue, unassigned": "/admin/applications/cases/?assigned=nobody",
        f"queue, {CODE}": f"/admin/applications/cases/?application={CODE}",
    }
    results = {}
    for name, path in pages.items():
        try:
            results[name] = timed(client, path, args.times)
        except AssertionError as refused:
            results[name] = refused
    return theirs, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submits", type=int, default=600)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--times", type=int, default=40)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--quick", action="store_true", help="120 submits, one round, 10,000 cases, 15 requests")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--only", choices=("submits", "queue"), help="measure only (a) or only (b)")
    args = parser.parse_args()
    if args.quick:
        args.submits, args.rounds, args.cases, args.times = 120, 1, 10_000, 15
    args.workers = max(1, args.workers)
    env = environment(args)
    prepare_database(args, env)

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from civichall.contrib.demo import fake_department

    cache.clear()
    citizen_ids = []
    if args.only != "queue":
        serve_bench_residents()
        server, base_url = fake_department.start(port=0)
        try:
            load_room(base_url)
            citizen_ids = ensure_citizens(max(args.submits * args.rounds, 2000))
            if len(citizen_ids) < args.submits * args.rounds:
                args.rounds = max(1, len(citizen_ids) // args.submits)
            prefill_runs, bare_runs, uses, prefilled = bench_submits(args, citizen_ids)
        finally:
            fake_department.stop(server)
    if args.only != "submits":
        total = make_cases(args.cases, citizen_ids or ensure_citizens(2000))
        theirs, queue = bench_queue(args)
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        version = cursor.fetchone()[0].split(" on ")[0]

    if args.only != "queue":
        report_submits(args, version, prefill_runs, bare_runs, uses, prefilled)
    if args.only != "submits":
        report_queue(args, total, theirs, queue)


def report_submits(args, version, prefill_runs, bare_runs, uses, prefilled):
    prefill, bare = median_run(prefill_runs), median_run(bare_runs)
    print(f"\n(a) submits of {CODE}: {args.submits:,} per round, {args.workers} worker process(es), {version}, "
          f"{os.cpu_count()} CPU(s); median of {args.rounds} interleaved round(s)")
    print("per-second figures of every round: prefill " + ", ".join(f"{r['per_second']:,.1f}" for r in prefill_runs)
          + "; bare " + ", ".join(f"{r['per_second']:,.1f}" for r in bare_runs))
    print(f"{'':34}{'per second':>12}{'p50 ms':>10}{'p99 ms':>10}")
    for label, r in (("bare insert (baseline)", bare), ("consent+prefill+material+submit", prefill)):
        print(f"{label:34}{r['per_second']:>12,.1f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}")
    print(f"{'with prefill / bare':34}{prefill['per_second'] / bare['per_second']:>12.3f}"
          f"{prefill['p50_ms'] / bare['p50_ms']:>9.1f}x{prefill['p99_ms'] / bare['p99_ms']:>9.1f}x")
    print(f"of which consent + prefill (4 fetches): {prefill['prefill_ms']:.1f} ms per submit on average")
    print(f"prefill fetches logged (ok: count): {uses}; cases filed with the social security record: {prefilled:,}")


def report_queue(args, total, theirs, queue):
    print(f"\n(b) officer queue: {total:,} cases in all, {theirs:,} of them {OFFICER}'s organisation's; "
          f"{args.times} requests each (Django test Client, server time)")
    floor = None
    for name, figures in queue.items():
        if isinstance(figures, AssertionError):
            print(f"  {name:30s} refused or moved: {figures}")
            continue
        median, p95 = figures
        floor = floor or median
        verdict = "ok" if p95 <= GOAL_P95_MS else f"over {GOAL_P95_MS} ms"
        print(f"  {name:30s} median {median:7.1f} ms  p95 {p95:7.1f} ms  x{median / floor:5.2f} of the floor  "
              f"{verdict if name != 'account (floor)' else ''}")


if __name__ == "__main__":
    main()
