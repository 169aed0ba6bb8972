"""Pages under load, side by side with a bare Django view serving the same bytes.

The morning push sends a crowd to one article. This script measures what a
reader waits for, on the production parts: gunicorn (2 workers, DEBUG off),
PostgreSQL and Redis, with the demo loaded. On the same server a bare Django
view (``benchmarks/pages_urls.py``) answers with the bytes each page gave, so
the ratio says how much of the framework's speed the page keeps.

Pages: the article with the most comments, the home page, the Municipal Hall
hub, and the same article for a signed-in citizen. For each, in interleaved
rounds, ``wrk`` runs against the page and then against its bare twin; the
best round of each is reported with p50/p99 latency.

``--spike``: 200 concurrent readers on the article while a moderator approves
a comment and a reviewer approves a supplement; reports wrk's errors and how
long after each action the change was visible to a fresh anonymous reader.

``--nginx``: the same, with Nginx in front as ``docs/performance.md``
describes, keeping public pages for one second (``s-maxage=1``, one request
a second per page reaches Django, readers get the kept copy meanwhile;
signed-in readers and query strings pass through). This is how a city runs
the push in production; the figures of both set-ups are printed. Needs
Debian's ``nginx`` package.

Needs: wrk (Debian package ``wrk``), PostgreSQL and Redis. By default it
creates the database ``civichall_bench`` on 127.0.0.1 (``--reuse`` keeps a
loaded one) and uses ``redis://127.0.0.1:6379/14`` (cleared).

Run from the repository root:
    python benchmarks/pages.py [--duration 5] [--connections 50] [--rounds 3] [--spike] [--nginx] [--reuse]
It prints figures and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from benchmarks.loadtools import benchmark_environment, free_port, psql, start_gunicorn, wrk_figures  # noqa: E402


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> dict:
    """One wrk run: requests/s, p50/p99 in ms, errors (socket errors and non-2xx/3xx)."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    return wrk_figures(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def fetch(url: str, cookie: str = "") -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode("utf-8")


def setup_environment(args) -> dict:
    # Behind Nginx, public pages may be kept one second (see --nginx).
    return benchmark_environment(args.database_url, args.redis_url,
                                 CIVICHALL_PAGE_CACHE_S_MAXAGE="1" if args.nginx else "0")


def load(args, env) -> None:
    if not args.reuse:
        psql("DROP DATABASE IF EXISTS civichall_bench")
        psql("CREATE DATABASE civichall_bench")
    print("migrating and loading the demo (a few minutes the first time) ...", flush=True)
    subprocess.run([str(BIN / "civichall"), "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([str(BIN / "civichall"), "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(BIN / "civichall"), "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True)


def pick_pages():
    """Paths of the busiest article, the home page and the Municipal Hall."""
    from django.db.models import Count

    from civichall.content.models import ArticlePage
    from civichall.services.models import Hub

    article = (ArticlePage.objects.live().annotate(n=Count("citizen_comments")).order_by("-n", "pk").first())
    # The Municipal Hall, as the push sends people there; else the largest hub.
    hub = (Hub.objects.filter(slug="municipal-hall").first()
           or Hub.objects.annotate(n=Count("services")).order_by("-n", "pk").first())
    return {
        "article": article.get_url(),
        "home": "/",
        "hub": f"/services/hub/{hub.slug}/",
    }, article


def citizen_cookie(base: str) -> str:
    """Sign a citizen in through the real web flow (code from the memory sender)."""
    from django.conf import settings
    from django.test import Client

    from civichall.accounts.sms import MemorySender

    settings.CIVICHALL_SMS_SENDER = "civichall.accounts.sms.MemorySender"
    client = Client(HTTP_HOST="127.0.0.1")
    mobile = "13900000077"
    client.post("/citizen/sign-in/", {"mobile": mobile})
    code = re.search(r"\d{6}", MemorySender.outbox[-1][1]).group(0)
    client.post("/citizen/sign-in/", {"mobile": mobile, "code": code})
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def start_server(env, port, bodies_file) -> subprocess.Popen:
    return start_gunicorn(env, port, "benchmarks.pages_site", CIVICHALL_BENCH_BODIES=bodies_file)


NGINX_CONF = """
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    proxy_cache_path {cache} levels=1:2 keys_zone=civichall:10m inactive=1m use_temp_path=off;
    map $cookie_sessionid $civichall_personal {{ default 1; "" 0; }}
    upstream civichall {{ server 127.0.0.1:{upstream}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{
            proxy_pass http://civichall;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            # a whole page (about 100 kB) fits in memory: never a temporary file
            proxy_buffer_size 16k;
            proxy_buffers 16 16k;
            proxy_cache civichall;
            proxy_cache_key "$scheme$host$uri$cookie_civichall_language$cookie_civichall_elder$http_accept_language";
            proxy_cache_bypass $civichall_personal $args;
            proxy_no_cache $civichall_personal $args;
            proxy_cache_lock on;
            proxy_cache_lock_timeout 100ms;
            proxy_cache_use_stale updating;
            proxy_cache_background_update on;
        }}
    }}
}}
"""


def start_nginx(upstream_port):
    """Nginx on a free port in front of gunicorn (see NGINX_CONF); returns (process, port)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("--nginx needs Debian's nginx package (apt-get install nginx)")
    tmp = Path(tempfile.mkdtemp(prefix="civichall-nginx-"))
    tmp.chmod(0o755)  # nginx's workers run as another user: they keep the cache here
    for name in ("cache", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir()
        (tmp / name).chmod(0o777)
    port = free_port()
    # The kept pages in memory where the machine offers it (as /var/cache on tmpfs would be).
    shm = Path("/dev/shm")
    cache = Path(tempfile.mkdtemp(prefix="civichall-nginx-cache-", dir=shm)) if shm.is_dir() else tmp / "cache"
    cache.chmod(0o777)
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, cache=cache, upstream=upstream_port, port=port))
    process = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process.kept_pages = cache  # removed with the server (see main)
    for _ in range(50):
        try:
            fetch(f"http://127.0.0.1:{port}/healthz")
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"nginx did not start (see {tmp}/error.log)")


def measure(base, paths, cookie, args):
    rows = {}
    for round_no in range(args.rounds):
        for name, path in paths.items():
            for kind, url in (("page", base + path), ("bare", f"{base}/__bare__/{quote(name)}")):
                result = wrk(url, args.duration, args.connections, cookie if name == "signed-in article" else "")
                best = rows.setdefault(name, {}).get(kind)
                if best is None or result["rps"] > best["rps"]:
                    rows[name][kind] = result
        print(f"  round {round_no + 1}/{args.rounds} done", flush=True)
    print(f"\n{'page':<20} | {'CivicHall':>26} | {'bare Django view':>26} | ratio | errors")
    print(f"{'':<20} | {'req/s   p50 ms   p99 ms':>26} | {'req/s   p50 ms   p99 ms':>26} |       |")
    print("-" * 100)
    for name, r in rows.items():
        p, b = r["page"], r["bare"]
        ratio = f"{p['rps'] / b['rps']:5.3f}" if b["rps"] else "  n/a"  # nothing answered in time
        print(f"{name:<20} | {p['rps']:>8.0f} {p['p50']:>8.1f} {p['p99']:>8.1f} | "
              f"{b['rps']:>8.0f} {b['p50']:>8.1f} {b['p99']:>8.1f} | {ratio} | "
              f"{p['errors']} / {b['errors']}")
    return rows


def spike(base, article_path, article, args):
    """200 readers on the article while a comment is approved and a supplement published."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the review mails: not printed

    from civichall.accounts.models import Citizen
    from civichall.content.actions import current_task_state, do_add_supplement, do_review
    from civichall.interaction.actions import do_moderate, do_post_comment

    users = get_user_model().objects
    editor, reviewer = users.get(username="sh_editor"), users.get(username="sh_reviewer")
    citizen = Citizen.objects.order_by("pk").first()
    stamp = int(time.time())
    # A word of the starter lexicon's review list, so a moderator decides.
    comment_text = f"请问地铁末班车延长到几点？有人在站口卖冰毒吗？编号{stamp}"
    comment = do_post_comment(citizen, article, comment_text, rate_limit=False)
    supplement_title = f"补充说明：末班车时间调整（{stamp}）"

    result = {}
    load = threading.Thread(target=lambda: result.update(wrk(base + article_path, args.duration * 3, 200)))
    load.start()
    time.sleep(args.duration)

    def visible_after(text, started):
        while time.perf_counter() - started < 30:
            if text in fetch(base + article_path):
                return time.perf_counter() - started
            time.sleep(0.02)
        return float("inf")

    if comment.status != "visible":
        started = time.perf_counter()
        do_moderate(editor, comment, True)
        comment_delay = visible_after(comment_text, started)
    else:
        comment_delay = float("nan")  # passed the automatic check: visible at once
    supplement = do_add_supplement(editor, article, title=supplement_title, text="末班车延长至23:30。",
                                   kind="update", slug=f"late-trains-{stamp}")
    for _ in range(5):
        if current_task_state(supplement) is None:
            break
        started = time.perf_counter()
        do_review(supplement, reviewer, True, comment="benchmark")
        supplement.refresh_from_db()
    supplement_delay = visible_after(supplement_title, started)
    load.join()
    print(f"\npush spike: 200 readers on {article_path} for {args.duration * 3} s: "
          f"{result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
          f"errors {result['errors']} (goal 0)")
    print(f"  approved comment visible after {comment_delay:.3f} s; published supplement visible after "
          f"{supplement_delay:.3f} s (goal <= 1 s each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--spike", action="store_true", help="also run the push-spike scenario")
    parser.add_argument("--nginx", action="store_true", help="also measure behind Nginx keeping pages for 1 s")
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded civichall_bench database")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/civichall_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    env = setup_environment(args)
    load(args, env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "civichall.settings"
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()
    paths, article = pick_pages()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        bodies_file = f.name
    server = start_server(env, port, bodies_file)
    try:
        cookie = citizen_cookie(base)
        paths["signed-in article"] = paths["article"]
        bodies = {name: fetch(base + path, cookie if name == "signed-in article" else "")
                  for name, path in paths.items()}
        with open(bodies_file, "w", encoding="utf-8") as f:
            json.dump(bodies, f, ensure_ascii=False)
        print(f"gunicorn 2 workers on {base}; wrk -t2 -c{args.connections} -d{args.duration}s, "
              f"{args.rounds} interleaved rounds, best round each")
        for name, path in paths.items():
            print(f"  {name:<18} {path}  ({len(bodies[name].encode()):,} bytes)")
        measure(base, paths, cookie, args)
        if args.spike:
            spike(base, paths["article"], article, args)
        if args.nginx:
            proxy, proxy_port = start_nginx(port)
            try:
                proxied = f"http://127.0.0.1:{proxy_port}"
                print(f"\nbehind Nginx on {proxied} (public pages kept 1 s, s-maxage=1)")
                measure(proxied, paths, cookie, args)
                if args.spike:
                    spike(proxied, paths["article"], article, args)
            finally:
                proxy.terminate()
                proxy.wait(timeout=10)
                shutil.rmtree(proxy.kept_pages, ignore_errors=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
        os.unlink(bodies_file)
    print("\nratio = CivicHall req/s / bare view req/s on the same server (goal >= 0.8; p99 goal <= 50 ms).")


if __name__ == "__main__":
    main()
