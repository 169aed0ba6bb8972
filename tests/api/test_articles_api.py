"""The public articles API: what a client (the WeChat channel, a city app, a
journalist's script) can rely on when listing and reading articles."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from wagtail.models import Page, PageViewRestriction

from civichall.content.blocks import ArticleBodyBlock
from civichall.content.models import ArticlePage, SupplementPage, Topic, Withdrawal

from . import BLOCK_TYPES, SERVICE_CODE, SERVICE_URL, VIDEO_URL, all_blocks_body, make_image, make_service

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(text):
    """An aware datetime from 'YYYY-MM-DD HH:MM' in Shanghai time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def set_published(page, when):
    type(page).objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)


def get_json(client, url, **headers):
    response = client.get(url, **headers)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response, response.json()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Pictures in a throwaway folder; no renditions cached by an earlier test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def metro(make_org):
    return make_org("metro", name_zh="上海地铁")


@pytest.fixture
def health(make_org):
    return make_org("health", name_zh="健康上海")


@pytest.fixture
def education():
    return Topic.objects.create(slug="education", name_zh="教育", name_en="Education")


@pytest.fixture
def published(metro, health, topic, education, make_article):
    """Four public articles on different days, and pages that must not show."""
    pages = {
        "old": make_article(metro, title="五月的旧闻", slug="old", publish=True, topics=[topic]),
        "mid": make_article(health, title="六月一日深夜发布", slug="mid", publish=True, topics=[education]),
        "new": make_article(metro, title="六月二日凌晨发布", slug="new", publish=True,
                            topics=[topic, education]),
        "newest": make_article(health, title="六月十日的新闻", slug="newest", publish=True),
    }
    set_published(pages["old"], at("2022-05-20 09:00"))
    set_published(pages["mid"], at("2022-06-01 23:30"))   # 15:30 UTC on 1 June
    set_published(pages["new"], at("2022-06-02 01:00"))   # 17:00 UTC on 1 June
    set_published(pages["newest"], at("2022-06-10 08:00"))
    # Not listed: a draft, a withdrawn article and a private one.
    make_article(metro, title="草稿不应出现", slug="draft", publish=False, topics=[topic])
    withdrawn = make_article(metro, title="已撤回的文章", slug="withdrawn", publish=True, topics=[topic])
    set_published(withdrawn, at("2022-06-15 08:00"))
    Withdrawal.objects.create(page=withdrawn, reason="活动延期，原通知撤回。", withdrawn_at=timezone.now())
    private = make_article(health, title="内部文章", slug="private", publish=True)
    set_published(private, at("2022-06-16 08:00"))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    return pages


def titles(body):
    return [item["title"] for item in body["results"]]


# --- listing ---------------------------------------------------------------------


def test_list_shows_only_public_articles_newest_first(client, published):
    response, body = get_json(client, "/api/v1/articles")
    assert response.status_code == 200
    assert titles(body) == ["六月十日的新闻", "六月二日凌晨发布", "六月一日深夜发布", "五月的旧闻"]
    assert body["count"] == 4
    assert body["page"] == 1 and body["page_size"] == 20


def test_list_item_shape(client, published, metro):
    _response, body = get_json(client, "/api/v1/articles?organisation=metro")
    item = next(i for i in body["results"] if i["title"] == "六月二日凌晨发布")
    assert item["id"] == published["new"].pk
    assert item["summary"] == "地铁恢复运营的出行提示。"
    assert item["url"] == "http://testserver" + published["new"].url
    assert item["published_at"] == "2022-06-02T01:00:00+08:00"  # in Shanghai time
    assert item["organisation"]["slug"] == "metro"
    assert item["organisation"]["name_zh"] == "上海地铁"
    assert item["organisation"]["kind"] == "bureau"
    assert {t["slug"] for t in item["topics"]} == {"traffic", "education"}
    assert item["cover"] is None


def test_filter_by_topic(client, published):
    _response, body = get_json(client, "/api/v1/articles?topic=education")
    assert titles(body) == ["六月二日凌晨发布", "六月一日深夜发布"]
    assert body["count"] == 2
    _response, body = get_json(client, "/api/v1/articles?topic=traffic")
    assert titles(body) == ["六月二日凌晨发布", "五月的旧闻"]  # not the draft nor the withdrawn one


def test_filter_by_organisation(client, published):
    _response, body = get_json(client, "/api/v1/articles?organisation=health")
    assert titles(body) == ["六月十日的新闻", "六月一日深夜发布"]  # not the private one


def test_filters_combine(client, published):
    _response, body = get_json(client, "/api/v1/articles?organisation=metro&topic=education")
    assert titles(body) == ["六月二日凌晨发布"]


def test_since_and_until_are_days_in_shanghai_time(client, published):
    _response, body = get_json(client, "/api/v1/articles?since=2022-06-02")
    assert titles(body) == ["六月十日的新闻", "六月二日凌晨发布"]
    _response, body = get_json(client, "/api/v1/articles?until=2022-06-01")
    assert titles(body) == ["六月一日深夜发布", "五月的旧闻"]
    _response, body = get_json(client, "/api/v1/articles?since=2022-06-01&until=2022-06-01")
    assert titles(body) == ["六月一日深夜发布"]
    _response, body = get_json(client, "/api/v1/articles?since=2022-06-02&until=2022-06-02")
    assert titles(body) == ["六月二日凌晨发布"]


def test_pagination(client, published):
    _response, first = get_json(client, "/api/v1/articles?page_size=3")
    _response, second = get_json(client, "/api/v1/articles?page_size=3&page=2")
    assert first["count"] == second["count"] == 4
    assert titles(first) == ["六月十日的新闻", "六月二日凌晨发布", "六月一日深夜发布"]
    assert titles(second) == ["五月的旧闻"]
    assert second["page"] == 2 and second["page_size"] == 3
    response, beyond = get_json(client, "/api/v1/articles?page_size=3&page=9")
    assert response.status_code == 200
    assert beyond["results"] == [] and beyond["count"] == 4
    _response, biggest = get_json(client, "/api/v1/articles?page_size=100")
    assert len(biggest["results"]) == 4


def test_empty_site_lists_nothing(client):
    response, body = get_json(client, "/api/v1/articles")
    assert response.status_code == 200
    assert body == {"count": 0, "page": 1, "page_size": 20, "results": []}


# --- refused filters ---------------------------------------------------------------


def assert_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


@pytest.mark.parametrize("query, field", [
    ("topic=no-such-topic", "topic"),
    ("organisation=no-such-bureau", "organisation"),
    ("since=2022-06-10&until=2022-06-01", "since"),
])
def test_unknown_filters_and_reversed_dates_are_422(client, published, query, field):
    error = assert_error(client.get(f"/api/v1/articles?{query}"), 422, "invalid")
    assert field in error["fields"]


@pytest.mark.parametrize("query, field", [
    ("since=2022-13-01", "since"),
    ("until=yesterday", "until"),
    ("since=2022/06/01", "since"),
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=abc", "page"),
    ("page=1.5", "page"),
    ("page_size=0", "page_size"),
    ("page_size=1000", "page_size"),
    ("page_size=many", "page_size"),
])
def test_malformed_parameters_are_422_with_fields(client, published, query, field):
    error = assert_error(client.get(f"/api/v1/articles?{query}"), 422, "invalid")
    assert field in error["fields"]
    assert error["fields"][field]  # says what is wrong


@pytest.mark.parametrize("query", [
    "page=99999999999999999999",
    "page=9223372036854775807",
    "page=100000000&page_size=100",
    "topic=%00",
    "organisation=%00",
    "topic=" + "x" * 5000,
    "organisation=%E4%BA%A4%E9%80%9A",
    "since=0001-01-01&until=9999-12-31",
    "topic=&organisation=&since=&until=",
])
def test_hostile_parameters_never_cause_a_server_error(client, published, query):
    response = client.get(f"/api/v1/articles?{query}")
    assert response.status_code in (200, 400, 422), response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert ("results" in body) if response.status_code == 200 else ("error" in body)


QUERY_KEYS = st.sampled_from(["topic", "organisation", "since", "until", "page", "page_size", "lang", "x"])
QUERY_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
    st.sampled_from(["traffic", "metro", "2022-06-01", "0", "1", "100", "101", "", "%", "\x00"]),
)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.lists(st.tuples(QUERY_KEYS, QUERY_VALUES), max_size=5))
def test_any_query_string_gets_json_and_never_500(client, published, params):
    response = client.get("/api/v1/articles?" + urlencode(params))
    assert response.status_code in (200, 400, 422), (params, response.content[:300])
    body = json.loads(response.content)
    if response.status_code == 200:
        assert body["count"] >= len(body["results"])
    else:
        assert set(body["error"]) >= {"code", "message"}


# --- one article -------------------------------------------------------------------


@pytest.fixture
def showcase(metro, topic, make_article):
    image = make_image("站台图片")
    page = make_article(metro, title="一篇用上所有版式的文章", slug="showcase",
                        body=all_blocks_body(image, make_service(metro)), publish=True, topics=[topic])
    return page, image


def test_the_all_blocks_body_is_valid_content(showcase):
    page, _image = showcase
    ArticleBodyBlock().clean(page.body)  # raises if a block is not what an editor could save
    assert [b.block_type for b in page.body] == BLOCK_TYPES


def test_article_detail_gives_every_block_as_structured_json(client, showcase):
    page, image = showcase
    response, data = get_json(client, f"/api/v1/articles/{page.pk}")
    assert response.status_code == 200
    assert data["id"] == page.pk
    assert data["title"] == "一篇用上所有版式的文章"
    assert data["withdrawn"] is None
    assert data["not_reviewed"] is False
    assert data["supplements"] == []
    body = data["body"]
    assert [b["type"] for b in body] == BLOCK_TYPES
    assert all(b["id"] for b in body)
    blocks = {b["type"]: b["value"] for b in body}

    assert "<b>轨道交通</b>" in blocks["rich_text"] and blocks["rich_text"].startswith("<p>")
    assert blocks["heading"] == {"text": "出行提示小标题", "level": "h2"}

    picture = blocks["image"]
    assert picture["alt"] == "站台上乘客排队候车"
    assert picture["caption"] == "图片说明：有序候车"
    assert picture["image"]["id"] == image.pk
    assert picture["image"]["url"].endswith(".png")
    assert picture["image"]["width"] == 240 and picture["image"]["height"] == 160  # never upscaled

    frames = blocks["image_sequence"]["frames"]
    assert blocks["image_sequence"]["title"] == "漫画：扫码进站"
    assert [f["alt"] for f in frames] == ["第一格替代文本：老人拿出纸质码", "第二格替代文本：工作人员协助核验"]
    assert all(f["image"]["url"] and f["image"]["width"] for f in frames)

    video = blocks["video"]
    assert video["url"] == VIDEO_URL and video["file"] is None
    assert video["transcript"] == "视频文字稿：请全程佩戴口罩。"
    assert video["poster"]["id"] == image.pk

    chart = blocks["chart"]
    assert chart["chart_type"] == "bar" and chart["unit"] == "万人次" and chart["source"] == "市交通委"
    assert chart["table"] == [["月份", "客流"], ["5月", "120"], ["6月", "360"]]

    poster = blocks["poster"]
    assert poster["description"] == "海报全文第一行\n海报全文第二行"
    assert poster["image"]["id"] == image.pk

    qa = blocks["qa_list"]["items"]
    assert qa == [{"question": "问题一：没有智能手机怎么办？", "answer": "<p>回答一：可以使用纸质随申码。</p>"}]
    assert blocks["key_points"] == {"title": "敲黑板", "points": ["要点一：扫码进站", "要点二：佩戴口罩"]}

    steps = blocks["step_guide"]["steps"]
    assert [s["title"] for s in steps] == ["第一步：打开应用", "第二步：提交申请"]
    assert steps[0]["image"]["id"] == image.pk and steps[1]["image"] is None
    assert steps[0]["body"] == "步骤说明一"

    assert blocks["extra_reading"]["items"] == [{"title": "延伸阅读标题", "body": "延伸阅读正文"}]
    assert blocks["service_card"] == {"title": "道路积水查询", "description": "出门前看一看",
                                      "url": SERVICE_URL, "service_code": SERVICE_CODE}


def test_image_urls_in_the_api_point_at_real_renditions(client, showcase):
    from wagtail.images.models import Rendition

    page, image = showcase
    _response, data = get_json(client, f"/api/v1/articles/{page.pk}")
    url = data["body"][2]["value"]["image"]["url"]
    rendition = Rendition.objects.get(image=image, filter_spec="width-1200")
    assert url == rendition.url
    assert rendition.file.storage.exists(rendition.file.name)


def test_detail_is_json_with_chinese_text_as_is(client, showcase):
    page, _image = showcase
    response = client.get(f"/api/v1/articles/{page.pk}")
    assert "一篇用上所有版式的文章".encode() in response.content  # not \u escapes


def add_supplement(article, title, kind, when, live=True, major=False):
    sup = article.add_child(instance=SupplementPage(
        title=title, slug=f"s-{SupplementPage.objects.count() + 1}", kind=kind, major=major,
        text=f"<p>{title}的说明。</p>", live=False))
    if live:
        sup.save_revision().publish()
        set_published(sup, when)
    return sup


def test_supplements_newest_first_and_only_published(client, published):
    article = published["new"]
    add_supplement(article, "更正", "correction", at("2022-06-03 10:00"))
    add_supplement(article, "最新进展", "update", at("2022-06-05 10:00"), major=True)
    add_supplement(article, "尚未审核的跟进", "follow_up", None, live=False)
    _response, data = get_json(client, f"/api/v1/articles/{article.pk}")
    sups = data["supplements"]
    assert [s["title"] for s in sups] == ["最新进展", "更正"]
    assert [s["kind"] for s in sups] == ["update", "correction"]
    assert sups[0]["major"] is True and sups[1]["major"] is False
    assert sups[0]["published_at"] == "2022-06-05T10:00:00+08:00"
    assert "最新进展的说明" in sups[0]["text"]


def test_withdrawn_article_keeps_its_record_but_not_its_body(client, metro, make_article):
    page = make_article(metro, title="招聘会通知", slug="fair", publish=True)
    Withdrawal.objects.create(page=page, reason="因故延期，原通知撤回。", withdrawn_at=at("2022-06-16 12:00"))
    response, data = get_json(client, f"/api/v1/articles/{page.pk}")
    assert response.status_code == 200
    assert data["withdrawn"] == {"reason": "因故延期，原通知撤回。", "at": "2022-06-16T12:00:00+08:00"}
    assert data["body"] == []
    assert data["title"] == "招聘会通知"
    _response, listing = get_json(client, "/api/v1/articles")
    assert page.pk not in [i["id"] for i in listing["results"]]


def test_detail_404s_are_json(client, published, metro):
    draft = ArticlePage.objects.get(slug="draft")
    private = ArticlePage.objects.get(slug="private")
    section = metro.section
    home = Page.objects.get(depth=2)
    supplement = add_supplement(published["new"], "补充", "update", at("2022-06-03 10:00"))
    for target in (draft.pk, private.pk, section.pk, home.pk, supplement.pk, 987654,
                   "99999999999999999999"):
        response = client.get(f"/api/v1/articles/{target}")
        assert_error(response, 404, "not_found")


def test_article_id_must_be_a_number(client):
    response = client.get("/api/v1/articles/abc")
    assert response.status_code in (404, 422)
    assert response["Content-Type"].startswith("application/json")
    assert "error" in response.json()
