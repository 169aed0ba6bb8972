"""Fixtures of the comment area: a bureau with a published article, citizens,
staff in every role, and helpers to post and answer."""

import pytest

from civichall.accounts.models import Role
from civichall.interaction import actions
from civichall.interaction.models import OrganisationInteractionSettings, RoutingRule


@pytest.fixture
def city(make_org):
    return make_org("shanghai", kind="municipal", name_zh="上海市人民政府新闻办公室")


@pytest.fixture
def transport(make_org):
    return make_org("transport-commission", name_zh="上海市交通委员会")


@pytest.fixture
def health(make_org):
    return make_org("health-commission", name_zh="上海市卫生健康委员会")


@pytest.fixture
def article(city, make_article, topic):
    return make_article(city, publish=True, topics=[topic])


@pytest.fixture
def citizen(make_citizen):
    return make_citizen("13900000101")


@pytest.fixture
def other_citizen(make_citizen):
    return make_citizen("13900000102")


@pytest.fixture
def staff(make_staff, city, transport, health):
    """Staff by name: city editor/reviewer/admin, liaisons of transport and health."""
    return {
        "editor": make_staff("city_editor", city, Role.EDITOR),
        "reviewer": make_staff("city_reviewer", city, Role.REVIEWER),
        "admin": make_staff("city_admin", city, Role.ADMINISTRATOR),
        "transport_liaison": make_staff("transport_liaison", transport, Role.LIAISON),
        "transport_reviewer": make_staff("transport_reviewer", transport, Role.REVIEWER),
        "health_liaison": make_staff("health_liaison", health, Role.LIAISON),
    }


@pytest.fixture
def metro_rule(transport, topic):
    rule = RoutingRule.objects.create(name="交通出行", organisation=transport, keywords="地铁，首班车、末班车")
    return rule


@pytest.fixture
def org_settings():
    """org_settings(org, **fields) -> saved settings."""

    def make(org, **fields):
        obj, _created = OrganisationInteractionSettings.objects.update_or_create(
            organisation=org, defaults=fields)
        return obj

    return make


@pytest.fixture
def post(article, citizen):
    """post(text, citizen=..., article=..., **kwargs) -> Comment (no rate limit)."""

    def do(text, who=None, on=None, **kwargs):
        kwargs.setdefault("rate_limit", False)
        return actions.do_post_comment(who or citizen, on or article, text, **kwargs)

    return do


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Staff fixtures hash passwords; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def start_of_minute():
    """Rate limits count in fixed one-minute windows: start the test at the
    beginning of one, so that its posts never straddle two windows."""
    import time

    import time_machine

    with time_machine.travel((int(time.time()) // 60 + 1) * 60 + 1, tick=True):
        yield
