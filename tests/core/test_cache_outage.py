"""A cache outage is not a site outage: the site served with its Redis cache
pointing at a closed port (nothing listens there), so every cache call fails
to connect."""

import logging

import pytest
from django.core.cache import cache

from civichall.core import ratelimit
from civichall.interaction.models import Comment
from tests.conftest import last_code
from tests.core.conftest import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_org, make_article, topic):
    org = make_org("metro", name_zh="上海地铁")
    return make_article(org, title="轨道交通恢复运营", slug="metro-open", publish=True, topics=[topic])


@pytest.fixture
def start_of_minute():
    """Limits count in one-minute windows: start at the beginning of one."""
    import time

    import time_machine

    with time_machine.travel((int(time.time()) // 60 + 1) * 60 + 1, tick=True):
        yield


@pytest.fixture
def service(make_org):
    from civichall.services.models import Service, ServiceKind

    org = make_org("civil-affairs", name_zh="上海市民政局")
    return Service.objects.create(
        code="residence-permit", kind=ServiceKind.APPLICATION, organisation=org,
        name_zh="居住登记", name_en="Residence registration", keywords="居住 登记",
    )


def test_the_site_serves_with_redis_unreachable(client, redis_down, published, service, sms_outbox, caplog):
    caplog.set_level(logging.WARNING, logger="civichall")
    assert client.get("/").status_code == 200
    article = client.get(published.url)
    assert article.status_code == 200 and "轨道交通恢复运营" in article.content.decode()
    page = client.get("/services/residence-permit/")
    assert page.status_code == 200 and "居住登记" in page.content.decode()
    found = client.get("/services/search/", {"q": "居住登记"})
    assert found.status_code == 200 and 'href="/services/residence-permit/"' in found.content.decode()
    articles = client.get("/api/v1/articles")
    assert articles.status_code == 200
    assert [a["title"] for a in articles.json()["results"]] == ["轨道交通恢复运营"]
    orgs = client.get("/api/v1/organisations")
    assert orgs.status_code == 200 and "metro" in orgs.content.decode()

    # Citizen sign-in, verification and a comment, all stored.
    sent = client.post("/citizen/sign-in/", {"mobile": "13900000071"})
    assert sent.status_code in (200, 302)
    code = last_code(sms_outbox, "13900000071")
    signed = client.post("/citizen/sign-in/", {"mobile": "13900000071", "code": code, "next": "/citizen/"})
    assert signed.status_code == 302 and signed["Location"] == "/citizen/"
    from tests.identity import RESIDENTS

    resident = RESIDENTS[0]
    verified = client.post("/citizen/", {"name": resident["name"], "id_number": resident["id_number"]})
    assert verified.status_code in (200, 302)
    assert 'id="verified"' in client.get("/citizen/").content.decode()
    posted = client.post(f"/comments/articles/{published.pk}/", {"text": "请问首班车几点？"})
    assert posted.status_code == 302
    assert Comment.objects.filter(text="请问首班车几点？").count() == 1

    # The outage was noticed and logged once, not once per cache call.
    records = caplog.get_records("setup") + caplog.get_records("call")
    warnings = [r for r in records if r.name == "civichall.cache"
                and "unreachable" in r.getMessage()]
    assert len(warnings) == 1 and redis_down in warnings[0].getMessage()


def test_rate_limits_fall_back_to_a_count_in_this_process(redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="civichall")
    key = f"outage-test-{closed_port()}"
    allowed = [ratelimit.hit(key, 3, 60, now=1_000_020.0) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    # A new window starts a new count.
    assert ratelimit.hit(key, 3, 60, now=1_000_080.0) is True
    assert any("counted in this process" in r.getMessage() for r in caplog.records)


def test_comment_limit_holds_with_redis_unreachable(client, redis_down, published, make_citizen, start_of_minute):
    citizen = make_citizen("13900000072")
    client.force_login(citizen.user)
    for i in range(7):
        client.post(f"/comments/articles/{published.pk}/", {"text": f"第{i}条留言"})
    assert Comment.objects.filter(citizen=citizen).count() == 5


def test_cache_operations_answer_as_empty(redis_down):
    assert cache.add("k", 1) is False
    assert cache.set("k", 1) is None
    assert cache.get_many(["k", "j"]) == {}
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    with pytest.raises(ValueError):
        cache.incr("k")
    assert cache.get_or_set("k", 5) == 5
    assert cache.is_down() is True


def test_the_service_catalogue_is_still_memoised_with_redis_unreachable(redis_down):
    from civichall.services import runtime

    builds = []
    for _ in range(3):
        assert runtime._memoised("outage-test", lambda: builds.append(1) or "index") == "index"
    assert len(builds) == 1  # built once, not once per request
    runtime.catalog_changed()  # a change in this process is seen at once
    runtime._memoised("outage-test", lambda: builds.append(1) or "index")
    assert len(builds) == 2


def test_one_redis_client_serves_every_operation():
    """Django builds a client per cache call; ours keeps one per pool (no
    connection is needed to see it: clients connect lazily)."""
    from civichall.core.cache import FailOpenRedisCache

    shared = FailOpenRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {})
    first = shared._cache.get_client("a", write=True)
    assert shared._cache.get_client("b", write=True) is first
    assert shared._cache.get_client("c") is first  # one server: reads use the same pool
