"""Shared fixtures: organisations with their sections, staff in roles,
articles in a section."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from civichall.accounts.actions import do_add_membership
from civichall.accounts.models import Organisation
from civichall.accounts.policy import SYSTEM
from civichall.content.models import (
    ArticlePage,
    OrganisationIndexPage,
    OrganisationPage,
    Topic,
)


@pytest.fixture(scope="session", autouse=True)
def department_address_of_its_own():
    """Each test process its own address for the demo's department systems.

    ``load_demo`` starts the fake department systems at that address when
    nothing answers there, and uses whatever does answer. At the shared
    default address, two test processes loading the demo at once used each
    other's, and one stopped them while the other was still filing its demo
    cases: the cases were left out, then filed by a second load."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with override_settings(CIVICHALL_DEMO_DEPARTMENT_URL=f"http://127.0.0.1:{port}"):
        yield


@pytest.fixture
def make_org(db):
    """make_org(slug, kind="bureau", parent=None) -> Organisation with a live section."""

    def make(slug, kind="bureau", parent=None, name_zh=None):
        org = Organisation.objects.create(
            slug=slug, kind=kind, parent=parent, name_zh=name_zh or f"{slug}机构",
            name_en=slug.title(), account_name_zh=name_zh or f"{slug}发布",
        )
        directory = OrganisationIndexPage.objects.get()
        section = directory.add_child(
            instance=OrganisationPage(title=org.account_name_zh, slug=slug, organisation=org)
        )
        section.save_revision().publish()
        return org

    return make


@pytest.fixture
def make_staff(db):
    """make_staff(username, org, role) -> a staff user holding that role."""

    def make(username, org=None, role=None):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username)
        if org is not None:
            do_add_membership(user, org, role, SYSTEM)
        return user

    return make


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-root")


SAMPLE_BODY = [
    {"type": "heading", "value": {"text": "出行提示", "level": "h2"}},
    {"type": "rich_text", "value": "<p>6月1日起，本市轨道交通网络恢复基本运营。</p>"},
    {"type": "key_points", "value": {"title": "敲黑板", "points": ["进站请扫场所码", "全程规范佩戴口罩"]}},
]


@pytest.fixture
def topic(db):
    return Topic.objects.create(slug="traffic", name_zh="交通", name_en="Traffic")


@pytest.fixture
def make_article(db):
    """make_article(org, title=..., body=..., publish=False) -> ArticlePage (draft by default)."""

    def make(org, title="轨道交通网络6月1日起恢复基本运营", body=None, publish=False, slug=None,
             topics=()):
        section = OrganisationPage.objects.get(organisation=org)
        page = ArticlePage(
            title=title, slug=slug or f"a{ArticlePage.objects.count() + 1}",
            summary="地铁恢复运营的出行提示。", body=body if body is not None else SAMPLE_BODY,
            live=False,
        )
        section.add_child(instance=page)
        if topics:
            page.topics.set(topics)
        if publish:
            page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run inline in tests (the database worker's own loop
    closes connections, which a test transaction cannot survive)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def identity_provider(settings):
    """Real names are verified by the tests' stand-in for the city's identity
    service (the product ships none; the demo's tests use the demo's)."""
    settings.CIVICHALL_IDENTITY_PROVIDER = "tests.identity.ResidentsProvider"


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Sign-in codes go to an in-memory outbox; the cache (and what each
    process keeps for a second) starts empty so rate limits and settings do
    not leak between tests."""
    from django.core.cache import cache

    from civichall.accounts.sms import MemorySender
    from civichall.core.memo import Recent

    settings.CIVICHALL_SMS_SENDER = "civichall.accounts.sms.MemorySender"
    MemorySender.outbox = []
    cache.clear()
    Recent.forget_everything()  # ids are reused between tests
    return MemorySender.outbox


def last_code(outbox, mobile):
    """The code in the last message sent to ``mobile``."""
    import re

    text = [t for m, t in outbox if m == mobile][-1]
    return re.search(r"\d{6}", text).group(0)


@pytest.fixture
def make_citizen(db, sms_outbox):
    """make_citizen(mobile, verify_as=None) -> a signed-up citizen, verified as one of the
    residents of ``tests/identity.py`` if asked."""
    from civichall.accounts import citizens
    from tests.identity import RESIDENTS

    def make(mobile="13900000001", verify_as=None):
        citizens.do_request_code(mobile, address=f"test-{mobile}")
        citizen = citizens.do_sign_in_with_code(mobile, last_code(sms_outbox, mobile))
        if verify_as:
            resident = next(r for r in RESIDENTS if r["subject"] == verify_as)
            citizens.do_verify_identity(citizen, resident["name"], resident["id_number"])
        return citizen

    return make


@pytest.fixture(autouse=True)
def force_login_passes_two_factor(monkeypatch):
    """``client.force_login(user)`` stands for a finished sign-in; for staff
    who must use two factors (see civichall/accounts/twofactor.py) that
    includes the code, so their session is marked as having passed it with
    a confirmed authenticator. The second step itself is tested through the
    real forms in tests/accounts/test_staff_sign_in.py."""
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from civichall.accounts import twofactor

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if twofactor.is_required(user):
            device = twofactor.authenticator_for(user) or TOTPDevice.objects.create(
                user=user, name=twofactor.AUTHENTICATOR, confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture
def buses_running():
    """The demo's buses run 05:30-23:00 Shanghai time: a test that expects
    arrivals is moved to 10:00 that morning when it runs at night (the
    clock keeps ticking; the date stays today's, so cookies stay valid)."""
    from datetime import datetime, timedelta
    from datetime import time as clock_time
    from zoneinfo import ZoneInfo

    import time_machine

    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    if 7 <= now.hour < 21:
        yield now
        return
    morning = datetime.combine(now.date(), clock_time(10), now.tzinfo)
    if now.hour >= 21:
        morning += timedelta(days=1)
    with time_machine.travel(morning, tick=True):
        yield morning
