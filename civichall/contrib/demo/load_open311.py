"""The demo's problem reports: the five "report a problem" services of
``reports/`` (road waterlogging, a street light out, uncollected garbage,
illegal parking, noise) saved through the applications' action; case
officers for the organisations they are routed to; one Open311 API key with
a fixed value (printed by ``civichall demo``); and a handful of reports
across districts posted through the Open311 channel's own action, moved on
by the officers into several states.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from civichall.accounts.actions import do_add_membership
from civichall.accounts.models import Membership, Organisation, Role
from civichall.accounts.policy import SYSTEM
from civichall.applications import actions as app_actions
from civichall.applications.models import Case
from civichall.channels.open311 import actions
from civichall.channels.open311.actions import hash_key
from civichall.channels.open311.models import ApiKey, InboundRequest
from civichall.core.errors import REFUSALS
from civichall.services.actions import do_save_service
from civichall.services.models import Service, ServiceKind

from . import load_applications
from .load_accounts import DEMO_STAFF_PASSWORD

REPORTS_DIR = Path(__file__).parent / "reports"
#: The demo client's key (a demo only: a real key is issued by ``create_key``).
DEMO_KEY = "o311_demo_shanghai_release_2026"

#: Case officers of the organisations the demo's reports go to.
OFFICERS = {
    "huangpu_officer": "huangpu", "xuhui_officer": "xuhui", "pudong_officer": "pudong",
    "greening_officer": "landscaping-city-appearance-bureau", "traffic_police_officer": "traffic-police",
    "water_officer": "water-authority",
}

#: (service, fields as an Open311 client posts them, events the officer applies, reason)
REPORTS = [
    ("road_waterlogging", {"lat": "31.2317", "long": "121.4726", "address_string": "黄浦区人民大道与西藏中路路口",
                           "attribute[district]": "黄浦区", "attribute[category]": "knee",
                           "description": "暴雨后路口积水没过膝盖，非机动车无法通行。"}, ["accept", "start_review"], ""),
    ("street_light_out", {"lat": "31.1880", "long": "121.4370", "attribute[district]": "徐汇区",
                          "attribute[category]": "section",
                          "description": "天钥桥路南丹路往南一段路灯全部不亮，晚上很暗。"}, ["accept"], ""),
    ("garbage_uncollected", {"address_string": "浦东新区张杨路1500号小区垃圾箱房",
                             "attribute[category]": "household",
                             "description": "垃圾箱房两天没有清运，已经有异味。"},
     ["accept", "start_review", "approve", "complete"], ""),
    ("garbage_uncollected", {"lat": "31.2204", "long": "121.4860", "attribute[district]": "黄浦区",
                             "attribute[category]": "bulky", "description": "路边堆着旧沙发和床垫，一周没人清运。"}, [], ""),
    ("illegal_parking", {"lat": "31.2390", "long": "121.4990", "address_string": "黄浦区中山东一路外滩观景平台旁",
                         "attribute[category]": "fire_lane", "description": "多辆私家车占用消防通道停放。"},
     ["not_accept"], "已转交属地派出所现场处置，请直接拨打 110 反映正在发生的违停。"),
    ("noise_nuisance", {"lat": "31.1950", "long": "121.4400", "attribute[district]": "徐汇区",
                        "attribute[category]": "construction", "description": "工地每天夜里十一点以后还在施工，噪声很大。"},
     ["accept", "start_review", "reject"], "经现场核查，该工地已取得夜间施工许可。"),
    # No district given: the city-wide bureau takes it.
    ("street_light_out", {"lat": "31.1500", "long": "121.4200", "address_string": "沪闵高架路下辅路公交站旁",
                          "attribute[category]": "single", "description": "公交站旁一盏路灯不亮，候车的人看不清。"}, [], ""),
]


def report_documents():
    """The report definition documents, by code."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(REPORTS_DIR.glob("*.json"))}


def load_report_definitions():
    """Save each report service (a changed file becomes a new version)."""
    return load_applications.load_definitions(report_documents())


def load_report_services():
    """A service in the matrix for each report definition (its page leads
    into the form); returns how many were added."""
    added = 0
    orgs = {o.slug: o for o in Organisation.objects.all()}
    for position, (code, doc) in enumerate(report_documents().items()):
        if Service.objects.filter(code=code).exists() or doc["organisation"] not in orgs:
            continue
        do_save_service(SYSTEM, None, source="demo", code=code, organisation=orgs[doc["organisation"]],
                        kind=ServiceKind.APPLICATION, name_zh=doc["title"], name_en=doc.get("title_en", ""),
                        description_zh=doc["summary"], keywords=" ".join(doc.get("keywords") or []),
                        requires_login=True, requires_verified=True, sort_order=400 + position)
        added += 1
    return added


def load_officers():
    """A case officer per organisation the reports go to; returns them by organisation slug."""
    User = get_user_model()
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=OFFICERS.values())}
    found = {}
    for username, slug in OFFICERS.items():
        if slug not in orgs:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, f"{username}@example.gov.cn", DEMO_STAFF_PASSWORD,
                                            first_name="演示办件人员")
        if not Membership.objects.filter(user=user, organisation=orgs[slug], role=Role.CASE_OFFICER).exists():
            do_add_membership(user, orgs[slug], Role.CASE_OFFICER, SYSTEM)
        found[slug] = user
    return found


def load_demo_key():
    """The demo client's key, issued once."""
    if not ApiKey.objects.filter(key_hash=hash_key(DEMO_KEY)).exists():
        actions.do_create_key(SYSTEM, "演示客户端（Open311）", key=DEMO_KEY)
    return DEMO_KEY


def load_reports(officers):
    """The demo's reports, posted once; returns how many there are."""
    if InboundRequest.objects.filter(case__isnull=False).exists():
        return Case.objects.filter(channel="open311").count()
    now = timezone.now()
    for index, (service, fields, events, reason) in enumerate(REPORTS):
        try:
            inbound = actions.do_post_request({"api_key": DEMO_KEY, "service_code": service, **fields})
        except REFUSALS:
            continue
        case = inbound.case
        # Spread the reports over the last days, as they would arrive.
        Case.objects.filter(pk=case.pk).update(submitted_at=now - timedelta(days=len(REPORTS) - index, hours=index))
        case.refresh_from_db()
        officer = officers.get(case.organisation.slug, SYSTEM)
        for event in events:
            appeal = "如对处理结果有异议，可拨打 12345 市民服务热线反映。" if event == "reject" else ""
            app_actions.do_transition(officer, case, event, reason=reason if event in ("not_accept", "reject") else "",
                                      appeal=appeal)
    return Case.objects.filter(channel="open311").count()


def load_open311():
    """Everything above; returns lines for the console."""
    saved, problems = load_report_definitions()
    load_report_services()
    officers = load_officers()
    key = load_demo_key()
    reports = load_reports(officers)
    lines = [f"problem reports: {saved} services, {reports} Open311 reports (/open311/); case officers: "
             f"{', '.join(u.username for u in officers.values())}",
             f"Open311 API key (demo client): {key}"]
    lines += [f"  report service refused: {p}" for p in problems]
    return lines
