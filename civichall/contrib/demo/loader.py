"""The demo, loaded room by room in dependency order."""

import socket
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction

from civichall.accounts.models import Organisation
from civichall.content.models import ArticlePage

from . import (
    load_accounts,
    load_applications,
    load_assistant,
    load_comments,
    load_content,
    load_open311,
    load_services,
    load_wechat,
)
from .departments import vehicles
from .identity import DEMO_RESIDENTS

DEMO_ADMIN = {"username": "admin", "password": "civichall-admin"}


def ensure_demo_admin():
    """A superuser to sign in to the demo's admin; returns (username, password)."""
    User = get_user_model()
    if not User.objects.filter(username=DEMO_ADMIN["username"]).exists():
        User.objects.create_superuser(
            DEMO_ADMIN["username"], "admin@example.gov.cn", DEMO_ADMIN["password"],
            first_name="演示管理员",
        )
    return DEMO_ADMIN["username"], DEMO_ADMIN["password"]


def demo_residents():
    """The demo residents a visitor signs in and verifies as: name, ID
    number, mobile and the plates registered to them (the demo identity
    provider and the fake department systems know exactly these)."""
    return [
        {**resident, "plates": [v["plate"] for v in vehicles(resident["subject"])]}
        for resident in DEMO_RESIDENTS
    ]


def demo_resident_lines():
    """The demo residents as lines for the console."""
    lines = ["Demo residents (sign in with the mobile; the code is printed by the console SMS sender):"]
    for r in demo_residents():
        plates = ", ".join(r["plates"]) or "-"
        lines.append(f"  {r['name']}  ID {r['id_number']}  mobile {r['mobile']}  plates {plates}")
    return lines


def _silent(_line):
    pass


@transaction.atomic
def load_site_profile():
    """The demo is Shanghai Release: its name, hotline and search suggestions,
    set through the product's action on the first load (a profile an
    administrator has saved since is left as kept)."""
    from wagtail.models import Site

    from civichall.accounts.policy import SYSTEM
    from civichall.core.models import SiteProfile
    from civichall.core.site_actions import do_save_site_profile

    site = Site.objects.filter(is_default_site=True).first()
    if site is None or SiteProfile.objects.filter(site=site).exists():
        return
    do_save_site_profile(
        SYSTEM, site, source="demo", account_name_zh="上海发布", account_name_en="Shanghai Release",
        description_zh="上海市人民政府新闻办公室官方账号：权威发布、民生服务、有问必答。",
        description_en="The official account of the Shanghai government press office: news, services, answers.",
        hotline="12345",
        search_suggestions_zh="\n".join(["公交", "垃圾分类", "社保卡", "积水", "入学", "违章", "医院报告", "重名"]),
    )


@contextmanager
def _department_answering():
    """The fake department systems at the address the demo connectors use,
    for as long as the block runs, unless something already answers there
    (``civichall demo`` starts them before loading; ``load_demo`` does not)."""
    from urllib.parse import urlsplit

    from . import fake_department

    where = urlsplit(load_services.department_url())
    host, port = where.hostname or "127.0.0.1", where.port or 80
    try:
        with socket.create_connection((host, port), timeout=0.5):
            yield
            return
    except OSError:
        pass
    try:
        server, _url = fake_department.start(port=port, host=host)
    except OSError:  # the port is taken by something else: cases are filed without prefill
        yield
        return
    try:
        yield
    finally:
        fake_department.stop(server)


def load_all(progress=_silent):
    """Load every room's demo data; returns lines describing what is there.
    ``progress(line)`` hears about each step as it starts (the pictures of
    the articles take most of a minute)."""
    ensure_demo_admin()
    progress("Loading the demo: organisations and their avatars…")
    load_accounts.load_organisations()
    load_site_profile()
    progress("Loading the demo: staff…")
    staff = load_accounts.load_staff()
    load_content.load_topics()
    progress("Loading the demo: service matrix…")
    services = load_services.load_services()  # before the articles: their cards choose services
    progress("Loading the demo: articles and their pictures…")
    created = load_content.load_articles(progress=progress)
    progress("Loading the demo: comments…")
    comments = load_comments.load_comments()
    progress("Loading the demo: the WeChat account…")
    wechat = load_wechat.load_wechat()
    progress("Loading the demo: online applications and their cases…")
    with _department_answering():  # the demo cases are filled from the department systems
        applications = load_applications.load_applications()
    progress("Loading the demo: problem reports over Open311…")
    reports = load_open311.load_open311()
    progress("Loading the demo: the smart assistant's FAQ…")
    faqs = load_assistant.load_faqs()
    return [
        f"organisations: {Organisation.objects.count()}",
        f"articles: {ArticlePage.objects.count()} ({created} new)",
        *services,
        comments,
        *wechat,
        *applications,
        *reports,
        faqs,
        f"demo staff (password {load_accounts.DEMO_STAFF_PASSWORD}): {', '.join(staff)}",
    ]
