"""The editors' and liaisons' admin at a city's size.

Loads the demo and ``civichall make_load_data`` (10,000 articles, 2,000
citizens, 100,000 comments, about 10,000 questions by default) into a
PostgreSQL database of its own, then asks, in this process, the admin pages
staff live in: the page explorer of the section with the most articles, the
question queue, the moderation queue and connector health -- as a municipal
administrator and as a bureau's editor (connector health is not theirs). Each page is asked once to warm up,
then ``--times`` times; the median and the slowest are printed with the ratio
to Wagtail's own account settings page asked the same way in the same run
(the framework's floor). The goal: every page within 300 ms.

Needs PostgreSQL on 127.0.0.1 (and Redis for the cache: db 14, cleared).
Run from the repository root:

    python benchmarks/admin.py [--articles 10000] [--comments 100000] [--times 7] [--reuse]

``--reuse`` keeps an already loaded ``civichall_bench_admin`` database. It
prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.loadtools import benchmark_environment, client_timings, psql  # noqa: E402

DB = "civichall_bench_admin"


def environment(args) -> dict:
    return benchmark_environment(f"postgresql://postgres@127.0.0.1:5432/{DB}", args.redis_url,
                                 DJANGO_SETTINGS_MODULE="civichall.settings")


def load(args, env) -> None:
    # This checkout's code (python -m from the repository root), whatever is installed.
    civichall = [sys.executable, "-m", "civichall"]
    # DEBUG is off: the admin's static files come from the collected manifest.
    subprocess.run([*civichall, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    if args.reuse:
        return
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    print("migrating and loading the demo ...", flush=True)
    subprocess.run([*civichall, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*civichall, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    print(f"adding {args.articles} articles and {args.comments} comments ...", flush=True)
    subprocess.run([*civichall, "make_load_data", "--articles", str(args.articles),
                    "--comments", str(args.comments)], env=env, check=True, cwd=ROOT)


def signed_in(client, user):
    """A finished staff sign-in, the second factor included."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from civichall.accounts import twofactor

    client.force_login(user)
    if twofactor.is_required(user):
        device = twofactor.authenticator_for(user) or TOTPDevice.objects.create(
            user=user, name=twofactor.AUTHENTICATOR, confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def timed(client, path, times):
    """(median, slowest) milliseconds of ``times`` requests."""
    spent = client_timings(client, path, times)
    return statistics.median(spent), spent[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--times", type=int, default=7)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    env = environment(args)
    load(args, env)

    import django

    django.setup()
    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client

    from civichall.accounts.models import Membership, Role
    from civichall.content.models import ArticlePage, OrganisationPage
    from civichall.interaction.models import Comment, Question

    cache.clear()
    section = (OrganisationPage.objects.annotate(n=Count("organisation__articles"))
               .order_by("-n", "pk").first())
    print(f"articles {ArticlePage.objects.count()}, comments {Comment.objects.count()}, "
          f"questions {Question.objects.count()}; explorer of {section.title}")
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench-admin", password="bench-admin-password-0123")
    # a bureau's editor: their own section, their organisation's queues
    editor = (Membership.objects.filter(role=Role.EDITOR).exclude(organisation__kind="municipal")
              .select_related("user").first().user)
    pages = {
        "account (floor)": "/admin/account/",
        "dashboard": "/admin/",
        "page explorer": f"/admin/pages/{section.pk}/",
        "question queue": "/admin/interaction/questions/",
        "moderation queue": "/admin/interaction/moderation/",
        "connector health": "/admin/services/health/",
    }
    own_section = OrganisationPage.objects.filter(organisation__memberships__user=editor).first()
    for who, user in (("administrator", admin), ("bureau editor", editor)):
        client = signed_in(Client(), user)
        if user is editor and own_section is not None:
            pages["page explorer"] = f"/admin/pages/{own_section.pk}/"
        floor = None
        print(f"\n{who} ({user.username})")
        for name, path in pages.items():
            try:
                median, slowest = timed(client, path, args.times)
            except AssertionError as refused:
                print(f"  {name:18s} refused or moved: {refused}")
                continue
            floor = floor or median
            verdict = "ok" if slowest <= 300 else "over 300 ms"
            print(f"  {name:18s} median {median:7.1f} ms  slowest {slowest:7.1f} ms  "
                  f"x{median / floor:5.2f} of the floor  {verdict}")


if __name__ == "__main__":
    main()
