"""The demo's problem reports: the five report services are saved, the
demo key posts a handful of Open311 reports across districts, routed to
the organisations that handle them and moved into several states; the
demo key works against /open311/v2/."""

import pytest

from civichall.applications.models import ApplicationDefinition, Case
from civichall.contrib.demo import load_accounts, load_open311
from civichall.services.models import Service

pytestmark = pytest.mark.django_db


def test_the_demo_has_report_services_and_reports_across_districts(client):
    load_accounts.load_organisations()
    lines = load_open311.load_open311()
    assert not [line for line in lines if "refused" in line], lines
    assert load_open311.DEMO_KEY in lines[-1].split()[-1]
    codes = {"road_waterlogging", "street_light_out", "garbage_uncollected", "illegal_parking", "noise_nuisance"}
    assert set(ApplicationDefinition.objects.filter(code__in=codes).values_list("code", flat=True)) == codes
    assert set(Service.objects.filter(code__in=codes, kind="application").values_list("code", flat=True)) == codes
    reports = Case.objects.filter(channel="open311")
    assert reports.count() == len(load_open311.REPORTS)
    assert {"submitted", "accepted", "in_review", "completed", "not_accepted", "rejected"} <= set(
        reports.values_list("state", flat=True))
    handlers = set(reports.values_list("organisation__slug", flat=True))
    assert {"huangpu", "xuhui", "pudong", "traffic-police", "landscaping-city-appearance-bureau"} <= handlers

    services = client.get("/open311/v2/services.json").json()
    assert {s["service_code"] for s in services} == codes
    listed = client.get("/open311/v2/requests.json").json()
    assert len(listed) == reports.count() and {r["status"] for r in listed} == {"open", "closed"}
    posted = client.post("/open311/v2/requests.json", {
        "api_key": load_open311.DEMO_KEY, "service_code": "noise_nuisance", "address_string": "静安区南京西路1000号",
        "attribute[category]": "commercial", "description": "商场外广场音响声音太大，影响周边居民。"})
    assert posted.status_code == 201
    assert "<circle" in client.get("/open311/").content.decode()
    # A second load posts nothing again.
    load_open311.load_open311()
    assert Case.objects.filter(channel="open311").count() == len(load_open311.REPORTS) + 1
