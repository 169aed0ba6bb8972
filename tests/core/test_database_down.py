"""The database unavailable: the site answers 503 with Retry-After (JSON
under /api/), the health report says which part is down. Each check runs
the site in a fresh process whose DATABASE_URL points at a closed port."""

import json
import os
import subprocess
import sys

import pytest

from tests.core.conftest import closed_port

SCRIPT = r"""
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for path in ("/", "/some-article/", "/api/v1/articles", "/api/v1/organisations", "/healthz"):
    r = client.get(path, secure=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    out[path] = {"status": r.status_code, "retry_after": r.get("Retry-After"),
                 "type": r.get("Content-Type"), "body": r.content.decode(),
                 "hsts": r.get("Strict-Transport-Security"), "csp": r.get("Content-Security-Policy")}
for path in ("/", "/healthz"):
    r = client.get(path)  # plain HTTP
    out["http:" + path] = {"status": r.status_code, "location": r.get("Location")}
r = client.get("/", {"lang": "en"}, secure=True)
out["/?lang=en"] = {"status": r.status_code, "body": r.content.decode()}
print("RESULT" + json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{closed_port()}/civichall",
        DJANGO_SETTINGS_MODULE="civichall.settings", DEBUG="0",
        SECRET_KEY="test-only-secret-key-for-a-database-outage-0123456789",
        CIVICHALL_VAR=str(tmp_path_factory.mktemp("var")), LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    return env


@pytest.fixture(scope="module")
def answers(env):
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT")), None)
    assert line, done.stderr[-3000:]
    answers = json.loads(line[len("RESULT"):])
    answers["log"] = done.stderr
    return answers


def test_pages_are_503_with_retry_after_and_the_sites_own_page(answers):
    for path in ("/", "/some-article/"):
        page = answers[path]
        assert page["status"] == 503 and page["retry_after"] == "30"
        assert page["type"].startswith("text/html")
        assert "暂时无法访问" in page["body"] and "12345" in page["body"]
        assert "Traceback" not in page["body"] and "OperationalError" not in page["body"]
    english = answers["/?lang=en"]
    assert english["status"] == 503 and "The site is temporarily unavailable" in english["body"]


def test_api_is_503_in_its_json_shape(answers):
    for path in ("/api/v1/articles", "/api/v1/organisations"):
        answer = answers[path]
        assert answer["status"] == 503 and answer["retry_after"] == "30"
        assert answer["type"].startswith("application/json")
        error = json.loads(answer["body"])["error"]
        assert error["code"] == "unavailable" and "稍后" in error["message"]


def test_production_pages_are_https_only_with_hsts_and_csp(answers):
    assert answers["http:/"] == {"status": 301, "location": "https://testserver/"}
    assert answers["/"]["hsts"].startswith("max-age=31536000")
    assert "script-src 'self'" in answers["/"]["csp"]
    # Load balancers probe over plain HTTP: the health check is not redirected.
    assert answers["http:/healthz"]["status"] == 503


def test_the_outage_is_logged_once_not_per_request(answers):
    assert answers["log"].count("Database unavailable (OperationalError") == 1


def test_healthz_is_503_and_names_the_database(answers):
    health = answers["/healthz"]
    assert health["status"] == 503
    report = json.loads(health["body"])
    assert report["status"] == "down"
    assert report["parts"]["database"]["status"] == "down"
    assert "postgres@" not in health["body"]  # no address, no credentials


def test_health_command_exits_non_zero(env):
    done = subprocess.run([sys.executable, "-m", "civichall", "health"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr[-2000:]
    lines = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines() if line.strip()}
    assert lines["database"] == "down" and lines["overall"] == "down"
