"""The public site as a reader sees it: server-rendered pages that work
without JavaScript, in Chinese unless English is asked for."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Site

from civichall.accounts.policy import SYSTEM
from civichall.content import charts
from civichall.content.models import ArticlePage, SupplementPage, Topic, Withdrawal
from civichall.core.site_actions import do_save_site_profile
from tests.api import SERVICE_CODE, SERVICE_URL, VIDEO_URL, all_blocks_body, make_image, make_service

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
CJK = re.compile(r"[\u4e00-\u9fff]")


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def set_published(page, when):
    type(page).objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)


class Parsed(HTMLParser):
    """The bits of a page a test looks at: <html lang>, <title>, meta tags,
    body classes, scripts, and the text of elements by id."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.title = ""
        self.meta = {}
        self.body_class = None
        self.scripts = 0
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "body":
            self.body_class = (attrs.get("class") or "").split()
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def get(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code)
    html = response.content.decode()
    return html, Parsed(html)


def text_of(html, element_id):
    """The text of the element with this id (up to its first child tag)."""
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)', html)
    assert match, element_id
    return match.group(1).strip()


def section(html, element_id):
    """The HTML of the <section> (or other block) that contains id=..."""
    start = html.index(f'id="{element_id}"')
    start = html.rindex("<section", 0, start)
    end = html.index("</section>", start)
    return html[start:end]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
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
    return Topic.objects.create(slug="education", name_zh="教育", name_en="Education", sort_order=2)


@pytest.fixture
def articles(metro, health, topic, education, make_article):
    pages = {
        "metro_old": make_article(metro, title="地铁旧闻：五月客流", slug="metro-old", publish=True,
                                  topics=[topic]),
        "school": make_article(health, title="开学前健康提示", slug="school", publish=True,
                               topics=[education]),
        "metro_new": make_article(metro, title="地铁新闻：六月恢复运营", slug="metro-new", publish=True,
                                  topics=[topic]),
    }
    set_published(pages["metro_old"], at("2022-05-20 09:00"))
    set_published(pages["school"], at("2022-06-01 09:00"))
    set_published(pages["metro_new"], at("2022-06-02 09:00"))
    make_article(metro, title="尚未发布的草稿", slug="draft", publish=False, topics=[topic])
    return pages


# --- home --------------------------------------------------------------------------


def test_home_lists_latest_articles_topics_and_services(client, articles):
    html, page = get(client, "/")
    latest = section(html, "latest-heading")
    assert latest.index("地铁新闻：六月恢复运营") < latest.index("开学前健康提示") < latest.index("地铁旧闻：五月客流")
    assert "尚未发布的草稿" not in html
    assert f'href="{articles["metro_new"].url}"' in latest
    assert "上海地铁" in latest  # the account that published it
    topics = section(html, "topics-heading")
    assert 'href="/topics/traffic/"' in topics and "交通" in topics
    assert 'href="/topics/education/"' in topics and "教育" in topics
    assert CJK.search(text_of(html, "services-heading"))  # the service slot, in Chinese
    assert 'href="/accounts/"' in html


def test_home_has_title_description_and_open_graph(client, articles):
    # The account's name is the site profile's (Settings → Site profile).
    do_save_site_profile(SYSTEM, Site.objects.get(is_default_site=True), account_name_zh="上海发布")
    _html, page = get(client, "/")
    assert page.lang == "zh-Hans"
    assert "上海发布" in page.title
    assert page.meta["description"] and CJK.search(page.meta["description"])
    assert page.meta["og:type"] == "website"
    assert page.meta["og:title"]
    assert page.meta["og:description"] == page.meta["description"]
    assert page.meta["og:url"] == "http://testserver/"
    assert page.meta["og:site_name"]
    assert page.meta["viewport"].startswith("width=device-width")


def test_home_in_english(client, articles):
    html, page = get(client, "/?lang=en")
    assert page.lang == "en"
    assert "Latest" in html and "Topics" in html and "Services" in html
    assert "Traffic" in html  # topic names follow the language
    assert not CJK.search(page.meta["description"])


def test_pages_need_no_javascript(client, articles, metro):
    for url in ("/", "/topics/", "/topics/traffic/", "/accounts/", metro.section.url,
                articles["metro_new"].url, "/no-such-page/"):
        html = client.get(url).content.decode()
        assert "<script" not in html, url
        assert "<noscript" not in html, url


# --- topics ------------------------------------------------------------------------


def test_topic_page_lists_only_that_topics_articles(client, articles):
    html, page = get(client, "/topics/traffic/")
    assert "地铁新闻：六月恢复运营" in html and "地铁旧闻：五月客流" in html
    assert html.index("地铁新闻：六月恢复运营") < html.index("地铁旧闻：五月客流")
    assert "开学前健康提示" not in html
    assert "尚未发布的草稿" not in html
    assert "交通" in page.title
    html, _page = get(client, "/topics/education/")
    assert "开学前健康提示" in html
    assert "地铁新闻：六月恢复运营" not in html and "地铁旧闻：五月客流" not in html


def test_topic_index_lists_topics_in_order(client, articles):
    html, _page = get(client, "/topics/")
    assert html.index("/topics/traffic/") < html.index("/topics/education/")


def test_unknown_topic_is_a_friendly_chinese_404(client, articles):
    html, page = get(client, "/topics/astrology/", status=404)
    assert page.lang == "zh-Hans"
    assert CJK.search(page.title) and "Page not found" not in html
    assert 'href="/"' in html  # a way back home
    assert "Traceback" not in html and "<pre" not in html
    assert "elder-switch" in html  # the normal page chrome, not a bare error


def test_unknown_page_in_english(client):
    html, page = get(client, "/no-such-page/?lang=en", status=404)
    assert page.lang == "en"
    assert "Page not found" in html


def test_request_for_a_host_we_do_not_serve_is_a_friendly_400(client, articles):
    client.raise_request_exception = False
    for url in ("/", "/topics/traffic/", "/no-such-page/"):
        response = client.get(url, HTTP_HOST="evil.example")
        assert response.status_code == 400, url
        html = response.content.decode()
        assert '<html lang="zh-Hans">' in html and 'href="/"' in html
        assert "evil.example" not in html  # the bad host is never echoed into the page


def test_topic_pages_paginate(client, metro, topic, make_article):
    for n in range(13):
        page = make_article(metro, title=f"交通消息第{n:02d}条", slug=f"t{n}", publish=True, topics=[topic])
        set_published(page, at("2022-06-01 08:00") + datetime.timedelta(hours=n))
    first, _ = get(client, "/topics/traffic/")
    second, _ = get(client, "/topics/traffic/?page=2")
    assert "交通消息第12条" in first and "交通消息第01条" in first and "交通消息第00条" not in first
    assert "交通消息第00条" in second and "交通消息第01条" not in second
    assert 'rel="next"' in first and 'rel="prev"' in second
    bad, _ = get(client, "/topics/traffic/?page=abc")
    assert "交通消息第12条" in bad
    beyond, _ = get(client, "/topics/traffic/?page=999")
    assert "交通消息第00条" in beyond


# --- the account matrix ------------------------------------------------------------


@pytest.fixture
def matrix(make_org):
    city = make_org("shanghai", kind="municipal", name_zh="上海发布")
    huangpu = make_org("huangpu", kind="district", parent=city, name_zh="上海黄浦")
    health = make_org("health", kind="bureau", parent=city, name_zh="健康上海")
    hospital = make_org("ruijin", kind="institution", parent=health, name_zh="瑞金医院")
    return {o.slug: o for o in (city, huangpu, health, hospital)}


def test_directory_groups_accounts_by_kind(client, matrix):
    html, _page = get(client, "/accounts/")
    order = [html.index(f'id="kind-{kind}"') for kind in ("municipal", "district", "bureau", "institution")]
    assert order == sorted(order)
    groups = {kind: section(html, f"kind-{kind}") for kind in ("municipal", "district", "bureau", "institution")}
    assert "上海发布" in groups["municipal"] and "上海黄浦" not in groups["municipal"]
    assert "上海黄浦" in groups["district"] and "健康上海" not in groups["district"]
    assert "健康上海" in groups["bureau"]
    assert "瑞金医院" in groups["institution"]
    assert "(1)" in groups["district"] and "(1)" in groups["institution"]
    labels = [text_of(html, f"kind-{kind}") for kind in ("municipal", "district", "bureau", "institution")]
    assert all(CJK.search(label) for label in labels) and len(set(labels)) == 4
    english, _page = get(client, "/accounts/?lang=en")
    labels = [text_of(english, f"kind-{kind}") for kind in ("municipal", "district", "bureau", "institution")]
    assert labels == ["Municipal", "District", "Commission / bureau", "Institution"]
    assert f'href="{matrix["ruijin"].section.url}"' in groups["institution"]


def test_organisation_profile_lists_its_own_articles(client, matrix, make_article):
    mine = make_article(matrix["health"], title="健康上海：接种提示", slug="vaccine", publish=True)
    make_article(matrix["huangpu"], title="黄浦：社区通知", slug="notice", publish=True)
    html, page = get(client, matrix["health"].section.url)
    assert "健康上海：接种提示" in html and f'href="{mine.url}"' in html
    assert "黄浦：社区通知" not in html
    assert "Commission / bureau" in client.get(matrix["health"].section.url + "?lang=en").content.decode()
    linked = section(html, "linked-heading")
    assert "瑞金医院" in linked  # accounts it links to
    assert f'href="{matrix["shanghai"].section.url}"' in html  # part of the municipal account
    assert "健康上海" in page.title


# --- an article with every block type ----------------------------------------------


@pytest.fixture
def showcase(metro, topic, make_article):
    image = make_image("站台图片")
    page = make_article(metro, title="一篇用上所有版式的文章", slug="showcase",
                        body=all_blocks_body(image, make_service(metro)), publish=True, topics=[topic])
    page.cover_image = image
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def test_article_renders_every_block_type(client, showcase):
    html, page = get(client, showcase.url)
    body = html[html.index('<div class="body">'):]
    for block_type in ("rich_text", "heading", "image", "image_sequence", "video", "chart", "poster",
                       "qa_list", "key_points", "step_guide", "extra_reading", "service_card"):
        assert f'class="block block-{block_type}"' in body, block_type
    assert "<b>轨道交通</b>" in body
    assert "<h2>出行提示小标题</h2>" in body
    assert 'alt="站台上乘客排队候车"' in body and "图片说明：有序候车" in body
    # comic frames, in order, each with its alt text
    frames = body[body.index('class="frames"'):]
    assert frames.index('alt="第一格替代文本：老人拿出纸质码"') < frames.index('alt="第二格替代文本：工作人员协助核验"')
    # video with its transcript
    video = body[body.index('<figure class="video">'):]
    assert f'src="{VIDEO_URL}"' in video
    assert re.search(r'<video [^>]*poster="/media/[^"]+\.png"', video)  # the poster frame
    assert "视频文字稿：请全程佩戴口罩。" in body
    # the chart as SVG, and its data as a table beside it
    chart = body[body.index('<figure class="chart">'):body.index("</figure>", body.index('<figure class="chart">'))]
    assert f'<svg viewBox="0 0 {charts.WIDTH} {charts.HEIGHT}" role="img" aria-label="客流变化图"' in chart
    assert chart.count("<rect ") == 2
    assert "<title>6月 客流 360</title>" in chart
    assert '<details class="chart-data"' in chart
    assert '<th scope="col">月份</th>' in chart and '<th scope="row">6月</th>' in chart and "<td>360</td>" in chart
    assert "万人次" in chart and "市交通委" in chart
    # the poster's full text, not just its picture
    assert "海报全文第一行<br>海报全文第二行" in body
    # Q&A, key points, steps, extra reading
    assert "问题一：没有智能手机怎么办？" in body and "回答一：可以使用纸质随申码。" in body
    assert "<li>要点一：扫码进站</li>" in body and "<li>要点二：佩戴口罩</li>" in body
    assert body.index("第一步：打开应用") < body.index("第二步：提交申请")
    assert "延伸阅读标题" in body and "延伸阅读正文" in body
    # the service card is a plain link
    assert f'<a class="service-card" href="{SERVICE_URL}" data-service="{SERVICE_CODE}">' in body
    assert "道路积水查询" in body


def test_article_meta_tags(client, showcase):
    html, page = get(client, showcase.url)
    assert page.title.startswith("一篇用上所有版式的文章")
    assert page.meta["description"] == "地铁恢复运营的出行提示。"
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == "一篇用上所有版式的文章"
    assert page.meta["og:url"] == "http://testserver" + showcase.url
    assert page.meta["og:image"].startswith("http://testserver/") and page.meta["og:image"].endswith(".png")
    assert page.meta["article:published_time"]
    assert "上海地铁" in html and 'href="/topics/traffic/"' in html


def add_supplement(article, title, kind, when, live=True, major=False):
    sup = article.add_child(instance=SupplementPage(
        title=title, slug=f"s-{SupplementPage.objects.count() + 1}", kind=kind, major=major,
        text=f"<p>{escape(title)}：详细说明。</p>", live=False))
    if live:
        sup.save_revision().publish()
        set_published(sup, when)
    return sup


def test_supplements_show_newest_first_with_their_kind(client, articles):
    article = articles["metro_new"]
    correction = add_supplement(article, "原文日期有误", "correction", at("2022-06-03 10:00"))
    update = add_supplement(article, "首末班车恢复正常", "update", at("2022-06-05 10:00"), major=True)
    add_supplement(article, "审核中的跟进", "follow_up", None, live=False)
    html, _page = get(client, article.url)
    sups = section(html, "supplements-heading")
    assert sups.index("首末班车恢复正常") < sups.index("原文日期有误")
    assert "审核中的跟进" not in html
    assert f'id="supplement-{update.pk}"' in sups and f'id="supplement-{correction.pk}"' in sups
    labels = re.findall(r'<p class="supplement-label"><strong>([^<]*)</strong>', sups)
    assert len(labels) == 2 and labels[0] != labels[1] and all(CJK.search(label) for label in labels)
    english, _page = get(client, article.url + "?lang=en")
    assert "<strong>Update</strong>" in english and "<strong>Correction</strong>" in english


def test_supplement_url_leads_to_the_article_anchor(client, articles):
    article = articles["metro_new"]
    sup = add_supplement(article, "补充", "follow_up", at("2022-06-03 10:00"))
    response = client.get(sup.url)
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}#supplement-{sup.pk}"
    assert f'id="supplement-{sup.pk}"' in client.get(article.url).content.decode()


def test_withdrawn_article_keeps_its_url_with_an_explanation(client, articles, metro):
    article = articles["metro_new"]
    Withdrawal.objects.create(page=article, reason="活动延期举办，原通知撤回。\n新时间另行通知。",
                              withdrawn_at=at("2022-06-03 12:00"))
    html, page = get(client, article.url)
    assert 'id="withdrawn-banner"' in html
    banner = html[html.index('id="withdrawn-banner"'):]
    assert CJK.search(banner[:banner.index("</strong>")])
    assert "活动延期举办，原通知撤回。<br>新时间另行通知。" in html
    assert "2022-06-03 12:00" in html
    assert '<div class="body">' not in html
    assert "进站请扫场所码" not in html  # the body is gone
    assert "withdrawn" in page.body_class
    for url in ("/", "/topics/traffic/", metro.section.url):
        listing = client.get(url).content.decode()
        assert "地铁新闻：六月恢复运营" not in listing, url
        assert "地铁旧闻：五月客流" in listing, url


def test_draft_article_is_not_public(client, articles):
    assert ArticlePage.objects.filter(slug="draft", live=False).exists()
    html, page = get(client, "/accounts/metro/draft/", status=404)
    assert "尚未发布的草稿" not in html


# --- escaping ----------------------------------------------------------------------


def test_text_from_editors_is_escaped_everywhere(client, make_org, make_article):
    evil = '<script>alert("x")</script>'
    org = make_org("evil", name_zh=f"机构{evil}")
    org.description_zh = f"简介{evil}"
    org.contact = f"电话{evil}"
    org.save()
    topic = Topic.objects.create(slug="evil-topic", name_zh=f"专题{evil}",
                                 description_zh=f"专题说明{evil}")
    page = make_article(org, title=f"标题{evil}", slug="evil-article", publish=True, topics=[topic], body=[
        {"type": "heading", "value": {"text": f"小标题{evil}", "level": "h2"}},
        {"type": "key_points", "value": {"title": "敲黑板", "points": [f"要点{evil}"]}},
        {"type": "extra_reading", "value": {"title": "阅读", "items": [{"title": "t", "body": f"正文{evil}"}]}},
    ])
    page.summary = f'摘要"{evil}'
    page.save_revision().publish()
    page.tags.add(f"标签{evil}")
    page.save()
    add_supplement(page, f"补充{evil}", "update", at("2022-06-03 10:00"))
    urls = ["/", "/topics/", "/topics/evil-topic/", "/accounts/", org.section.url, page.url]
    for url in urls:
        html = client.get(url).content.decode()
        assert "<script" not in html, url
        assert "&lt;script&gt;" in html, url
    article = client.get(page.url).content.decode()
    parsed = Parsed(article)
    assert parsed.meta["og:title"] == f"标题{evil}"  # attribute-escaped, read back intact
    assert parsed.meta["description"] == f'摘要"{evil}'
    Withdrawal.objects.create(page=page, reason=f"撤回说明{evil}", withdrawn_at=timezone.now())
    withdrawn = client.get(page.url).content.decode()
    assert "<script" not in withdrawn and "撤回说明&lt;script&gt;" in withdrawn
