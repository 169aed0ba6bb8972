"""Fixtures for the service matrix's Django tests: the demo catalog loaded
once per module (organisations without their pages, which the service room
does not need), and the fake department system started in-process on a free
port with the demo connectors pointed at it.

Import with ``from .django_fixtures import *`` in a test module.
"""

import pytest
from django.core.cache import cache
from django.db import transaction

from civichall.accounts.models import Organisation
from civichall.contrib.demo import fake_department
from civichall.contrib.demo import load_services as demo
from civichall.contrib.demo.accounts_data import ORGANISATIONS
from civichall.services import runtime
from civichall.services.models import Service

__all__ = ["service_demo", "department", "svc", "verified", "unverified", "load_organisations"]


def load_organisations():
    """The 96 organisations of the demo matrix (rows only, no section pages)."""
    by_slug = {}
    for position, row in enumerate(ORGANISATIONS):
        by_slug[row["slug"]] = Organisation.objects.create(
            slug=row["slug"], kind=row["kind"], name_zh=row["name_zh"], name_en=row["name_en"],
            account_name_zh=row["account_name_zh"], contact=row["contact"], sort_order=position,
        )
    for row in ORGANISATIONS:
        if row["parent"]:
            org = by_slug[row["slug"]]
            org.parent = by_slug[row["parent"]]
            org.save(update_fields=["parent"])
    return by_slug


@pytest.fixture(scope="module")
def department():
    """The fake department system on a free port: its base URL."""
    fake_department.set_mode("ok")
    server, base_url = fake_department.start(port=0)
    try:
        yield base_url
    finally:
        fake_department.set_mode("ok")
        fake_department.stop(server)


@pytest.fixture(scope="module")
def service_demo(django_db_setup, django_db_blocker, department, tmp_path_factory):
    """The demo service matrix, wired to the in-process fake department;
    rolled back after the module."""
    from django.test import override_settings

    var = tmp_path_factory.mktemp("var")
    with override_settings(VAR_DIR=var, CIVICHALL_DEMO_DEPARTMENT_URL=department), \
            django_db_blocker.unblock():
        cache.clear()
        runtime.forget_connectors()
        with transaction.atomic():
            load_organisations()
            summary = demo.load_services(department)
            yield summary
            transaction.set_rollback(True)
        runtime.forget_connectors()
        cache.clear()


@pytest.fixture
def svc(service_demo, db):
    """svc(code) -> the demo Service."""
    fake_department.set_mode("ok")

    def get(code):
        return Service.objects.select_related("connector", "organisation").get(code=code)

    yield get
    fake_department.set_mode("ok")


@pytest.fixture
def verified(make_citizen):
    """verified(resident="R0001") -> the Django user of a citizen verified as that demo resident."""
    from tests.identity import RESIDENTS

    def make(resident="R0001"):
        index = [r["subject"] for r in RESIDENTS].index(resident)
        return make_citizen(f"1390000{index:04d}", verify_as=resident).user

    return make


@pytest.fixture
def unverified(make_citizen):
    return make_citizen("13911110000").user
