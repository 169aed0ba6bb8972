"""The health report: ``/healthz`` for load balancers, ``civichall health``
for operators; database, cache, queue and connectors."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def run_health(*args):
    """(exit status, output) of ``civichall health``."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("health", *args, stdout=out, no_color=True)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_healthz_reports_every_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    report = response.json()
    assert report["status"] == "ok"
    assert set(report["parts"]) == {"database", "cache", "queue", "connectors"}
    assert all(part["status"] == "ok" for part in report["parts"].values())
    assert report["parts"]["database"]["critical"] is True


def test_health_command_prints_one_line_per_part(client):
    status, output = run_health()
    assert status == 0
    lines = dict(line.split(None, 1) for line in output.strip().splitlines())
    assert list(lines) == ["database", "cache", "queue", "connectors", "overall"]
    assert lines["overall"].strip() == "ok"
    status, output = run_health("--json")
    assert status == 0 and json.loads(output)["status"] == "ok"


def test_redis_down_is_degraded_not_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200  # the site still serves
    report = response.json()
    assert report["status"] == "degraded"
    cache = report["parts"]["cache"]
    assert cache["status"] == "down" and "unreachable" in cache["detail"]
    assert cache["facts"]["failures"] >= 1
    assert redis_down not in response.content.decode()  # no addresses in the public report
    status, output = run_health()
    assert status == 1 and "cache" in output and "down" in output


def test_health_sees_redis_come_back(client, redis_down, monkeypatch, caplog):
    assert client.get("/healthz").json()["parts"]["cache"]["status"] == "down"
    import redis

    # Redis answers again (its client's ping succeeds): the next check says
    # ok at once, without waiting for the pause, and the recovery is logged.
    monkeypatch.setattr(redis.Redis, "ping", lambda self, **kwargs: True)
    assert client.get("/healthz").json()["parts"]["cache"]["status"] == "ok"
    from django.core.cache import cache

    assert cache.is_down() is False
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_an_open_breaker_makes_connectors_degraded(client, make_org):
    from civichall.services.models import Connector
    from civichall.services.runtime import breaker_for

    org = make_org("transport")
    ok = Connector.objects.create(name="bus_realtime", organisation=org, kind="http_json",
                                  config={"url": "http://127.0.0.1:1/"})
    broken = Connector.objects.create(name="violations", organisation=org, kind="http_json",
                                      config={"url": "http://127.0.0.1:1/"})
    breaker = breaker_for(broken)
    for _ in range(10):
        if breaker.allow():
            breaker.record_failure(error="refused")
    assert breaker.state == "open" and breaker_for(ok).state == "closed"
    report = client.get("/healthz").json()
    part = report["parts"]["connectors"]
    assert part["status"] == "degraded" and part["facts"]["open"] == ["violations"]
    assert report["status"] == "degraded"


def test_a_queue_nobody_takes_from_is_degraded(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    before = client.get("/healthz").json()["parts"]["queue"]["facts"]["waiting"]
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="civichall.core.periodic.run_periodic_jobs",
        backend_name="default", queue_name="default", run_after=timezone.now(), priority=0,
    )
    assert client.get("/healthz").json()["parts"]["queue"]["status"] == "ok"
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - timedelta(hours=2))
    queue = client.get("/healthz").json()["parts"]["queue"]
    assert queue["status"] == "degraded" and "civichall worker" in queue["detail"]
    assert queue["facts"]["waiting"] == before + 1 and queue["facts"]["oldest_waiting_s"] >= 7200
