"""Fixtures of the Open311 channel: the city bureau and two districts with
their case officers, the garbage report service, and an issued API key."""

import pytest

from civichall.accounts.models import Role
from civichall.accounts.policy import SYSTEM
from civichall.applications import actions as app_actions
from civichall.applications.models import ApplicationDefinition
from civichall.channels.open311 import actions

from .documents import garbage


@pytest.fixture
def orgs(make_org):
    return {"city-green": make_org("city-green", name_zh="上海市绿化和市容管理局"),
            "huangpu": make_org("huangpu", kind="district", name_zh="上海市黄浦区人民政府"),
            "xuhui": make_org("xuhui", kind="district", name_zh="上海市徐汇区人民政府")}


@pytest.fixture
def officers(orgs, make_staff):
    return {slug: make_staff(f"{slug}_officer", org, Role.CASE_OFFICER) for slug, org in orgs.items()}


@pytest.fixture
def service(orgs):
    app_actions.do_save_definition(SYSTEM, garbage())
    return ApplicationDefinition.objects.get(code="garbage_uncollected")


@pytest.fixture
def key(db):
    api_key, raw = actions.do_create_key(SYSTEM, "区网格化平台")
    api_key.raw = raw
    return api_key


def post(client, key, fmt="json", **fields):
    """POST requests.{fmt} form-encoded, as the spec says."""
    data = {"api_key": key.raw if hasattr(key, "raw") else key, "service_code": "garbage_uncollected", **fields}
    return client.post(f"/open311/v2/requests.{fmt}", data)
