"""Integrity of the demo data: the account matrix, the articles and the
pictures drawn for them. Pure tests: no database, no Django settings."""

import re
from collections import Counter
from datetime import datetime
from html.parser import HTMLParser

import pytest

from civichall.contrib.demo.accounts_data import DEMO_STAFF, ORGANISATIONS
from civichall.contrib.demo.articles import ARTICLES, IMAGES, TOPICS
from civichall.contrib.demo.catalog import service_catalog
from civichall.contrib.demo.load_services import APPLICATIONS, DISTRICT_SERVICES, TOOLS
from civichall.contrib.demo.pictures import (
    MOTIFS,
    render_avatar,
    render_image,
    size_for,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BLOCK_TYPES = {
    "rich_text", "heading", "image", "image_sequence", "video", "chart", "poster",
    "qa_list", "key_points", "step_guide", "extra_reading", "service_card",
}
ALLOWED_TAGS = {"p", "h3", "ul", "ol", "li", "b", "i", "a"}
TOPIC_SLUGS = [
    "epidemic-prevention", "employment", "education", "medical-care", "traffic",
    "weather", "policy-explained", "work-resumption", "daily-life",
]
IMAGE_KINDS = {"photo", "comic", "poster", "chart-bg", "cover"}
# Every service a demo card may lead to: the demo matrix's services.
DEMO_SERVICE_CODES = (
    {s["code"] for s in service_catalog()}
    | {code for code, *_rest in APPLICATIONS} | {s["code"] for s in TOOLS + DISTRICT_SERVICES}
)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEX_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
CLICKBAIT = ["震惊", "重磅", "必看", "速看", "速转", "紧急扩散", "惊呆", "刚刚", "史上最", "炸了", "疯传", "看哭", "万万没想到"]
PUBLIC_HOTLINES = {"12320", "12333", "12345", "12393", "962222"}

ORGS = {o["slug"]: o for o in ORGANISATIONS}
TOPICS_BY_SLUG = {t["slug"]: t for t in TOPICS}


def when(text):
    value = datetime.fromisoformat(text)
    assert value.utcoffset() is not None, f"{text} has no time zone"
    return value


def blocks_of(article):
    return article["body"]


def image_keys(block):
    """Every image key a block refers to."""
    t, v = block["type"], block["value"]
    if t in ("image", "poster"):
        return [v["image"]]
    if t == "image_sequence":
        return [f["image"] for f in v["frames"]]
    if t == "step_guide":
        return [s["image"] for s in v["steps"] if s["image"]]
    return []


def html_fragments(block):
    t, v = block["type"], block["value"]
    if t == "rich_text":
        return [v]
    if t == "qa_list":
        return [i["answer"] for i in v["items"]]
    return []


def all_text(article):
    """Everything a reader can read in an article, joined."""
    parts = [article["title"], article["summary"], " ".join(article["tags"])]

    def walk(value):
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                if k not in ("image", "service", "chart_type", "level"):
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(article["body"])
    for s in article.get("supplements", []):
        parts.append(s["text"])
    if article.get("withdrawn"):
        parts.append(article["withdrawn"]["reason"])
    return "\n".join(parts)


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href"))


# --- organisations ----------------------------------------------------------


def test_ninety_six_organisations_in_the_right_kinds():
    assert len(ORGANISATIONS) == 96
    assert Counter(o["kind"] for o in ORGANISATIONS) == {
        "municipal": 1, "district": 16, "bureau": 39, "institution": 40,
    }


def test_organisation_slugs_are_unique_ascii_slugs():
    slugs = [o["slug"] for o in ORGANISATIONS]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert SLUG_RE.match(slug), slug
        assert len(slug) <= 80


def test_organisations_have_every_field():
    keys = {"slug", "kind", "parent", "name_zh", "name_en", "account_name_zh", "description_zh",
            "description_en", "contact", "avatar_color"}
    for o in ORGANISATIONS:
        assert set(o) == keys, o["slug"]
        for key in keys - {"parent"}:
            assert o[key], (o["slug"], key)
        assert HEX_RE.match(o["avatar_color"]), o["slug"]
        assert "12345" in o["contact"]
        assert len(o["name_zh"]) <= 120 and len(o["account_name_zh"]) <= 60


def test_account_names_and_org_names_are_unique():
    assert len({o["name_zh"] for o in ORGANISATIONS}) == 96
    assert len({o["account_name_zh"] for o in ORGANISATIONS}) == 96


def test_parents_exist_and_make_a_tree_under_the_municipal_account():
    municipal = [o for o in ORGANISATIONS if o["kind"] == "municipal"]
    assert municipal[0]["slug"] == "shanghai" and municipal[0]["parent"] is None
    assert municipal[0]["account_name_zh"] == "上海发布"
    for o in ORGANISATIONS:
        if o["kind"] == "municipal":
            continue
        assert o["parent"] in ORGS, o["slug"]
        if o["kind"] in ("district", "bureau"):
            assert o["parent"] == "shanghai", o["slug"]
        else:
            assert ORGS[o["parent"]]["kind"] in ("municipal", "bureau"), o["slug"]
    assert ORGS["education-exam-authority"]["parent"] == "education-commission"


def test_the_sixteen_districts():
    names = {o["name_zh"] for o in ORGANISATIONS if o["kind"] == "district"}
    for district in ["黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定",
                     "浦东新区", "金山", "松江", "青浦", "奉贤", "崇明"]:
        assert any(district in n for n in names), district


def test_demo_staff_belong_to_existing_organisations():
    usernames = [s["username"] for s in DEMO_STAFF]
    assert len(set(usernames)) == len(usernames)
    assert 6 <= len(DEMO_STAFF) <= 12
    for s in DEMO_STAFF:
        assert s["username"].isascii() and re.match(r"^[A-Za-z0-9_.@+-]+$", s["username"])
        assert s["org"] in ORGS, s
        assert s["role"] in ("editor", "reviewer", "liaison", "administrator")
        assert s["name"]
    roles = {(s["org"], s["role"]) for s in DEMO_STAFF}
    for needed in [("shanghai", "editor"), ("shanghai", "reviewer"), ("education-commission", "editor"),
                   ("education-commission", "reviewer"), ("huangpu", "editor"),
                   ("transport-commission", "liaison"), ("health-commission", "liaison")]:
        assert needed in roles, needed


# --- topics and images ------------------------------------------------------


def test_topics_are_the_livelihood_areas():
    assert [t["slug"] for t in TOPICS] == TOPIC_SLUGS
    for t in TOPICS:
        assert t["name_zh"] and t["name_en"] and t["description_zh"]


def test_image_specs_are_well_formed():
    for key, spec in IMAGES.items():
        assert SLUG_RE.match(key), key
        assert set(spec) == {"title", "kind", "palette", "motif"}, key
        assert CJK_RE.search(spec["title"]), key
        assert spec["kind"] in IMAGE_KINDS, key
        assert spec["motif"] in MOTIFS, key
        assert len(spec["palette"]) == 3 and all(HEX_RE.match(c) for c in spec["palette"]), key


def test_every_image_key_referenced_exists_and_every_image_is_used():
    used = set()
    for a in ARTICLES:
        used.add(a["cover"])
        for block in blocks_of(a):
            used.update(image_keys(block))
    assert used - set(IMAGES) == set()
    assert set(IMAGES) - used == set()


# --- articles ---------------------------------------------------------------


def test_enough_articles_with_unique_slugs():
    assert len(ARTICLES) >= 30
    slugs = [a["slug"] for a in ARTICLES]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert SLUG_RE.match(slug) and len(slug) <= 80, slug


def test_article_fields():
    required = {"slug", "title", "summary", "org", "topics", "tags", "published", "cover", "body"}
    for a in ARTICLES:
        assert required <= set(a), a["slug"]
        assert set(a) <= required | {"supplements", "withdrawn"}, a["slug"]
        assert 0 < len(a["title"]) <= 60, a["slug"]
        assert a["summary"] and a["tags"] and a["body"], a["slug"]
        assert a["published"].endswith("+08:00"), a["slug"]
        when(a["published"])


def test_article_orgs_and_topics_exist():
    for a in ARTICLES:
        assert a["org"] in ORGS, a["slug"]
        assert a["topics"], a["slug"]
        for t in a["topics"]:
            assert t in TOPICS_BY_SLUG, (a["slug"], t)


def test_articles_are_spread_across_accounts():
    kinds = Counter(ORGS[a["org"]]["kind"] for a in ARTICLES)
    assert kinds["municipal"] >= 2 and kinds["district"] >= 3 and kinds["bureau"] >= 5
    assert len({a["org"] for a in ARTICLES}) >= 15


def test_every_topic_has_at_least_two_articles():
    counts = Counter(t for a in ARTICLES for t in a["topics"])
    for slug in TOPIC_SLUGS:
        assert counts[slug] >= 2, slug


def test_publication_dates_follow_the_seed():
    years = Counter(when(a["published"]).year for a in ARTICLES)
    assert years[2022] >= 25 and years[2026] >= 2
    for a in ARTICLES:
        p = when(a["published"])
        if p.year == 2022:
            assert p.month in (5, 6), a["slug"]


def test_block_values_have_the_expected_shapes():
    for a in ARTICLES:
        for block in blocks_of(a):
            assert set(block) == {"type", "value"}
            t, v = block["type"], block["value"]
            assert t in BLOCK_TYPES, (a["slug"], t)
            where = (a["slug"], t)
            if t == "rich_text":
                assert isinstance(v, str) and v.strip(), where
            elif t == "heading":
                assert v["text"] and len(v["text"]) <= 120 and v["level"] in ("h2", "h3"), where
            elif t == "image":
                assert set(v) == {"image", "alt", "caption"}, where
            elif t == "image_sequence":
                assert v["title"] and 3 <= len(v["frames"]) <= 8, where
                for f in v["frames"]:
                    assert set(f) == {"image", "alt", "caption"}, where
            elif t == "video":
                assert v["url"].startswith("https://"), where
                assert v["caption"] and len(v["caption"]) <= 300, where
                assert len(CJK_RE.findall(v["transcript"])) >= 100, where
            elif t == "chart":
                assert v["title"] and v["chart_type"] in ("bar", "line", "pie"), where
                assert v["unit"] and v["source"] and len(v["unit"]) <= 30, where
            elif t == "poster":
                assert v["title"] and len(v["title"]) <= 120, where
                assert len(CJK_RE.findall(v["description"])) >= 40, where
            elif t == "qa_list":
                assert v["title"] and v["items"], where
                for item in v["items"]:
                    assert item["question"] and item["answer"], where
                    assert len(item["question"]) <= 300, where
            elif t == "key_points":
                assert v["title"] and len(v["title"]) <= 60 and v["points"], where
                assert all(p and len(p) <= 300 for p in v["points"]), where
            elif t == "step_guide":
                assert v["title"] and v["steps"], where
                for s in v["steps"]:
                    assert set(s) == {"title", "body", "image"} and s["title"] and s["body"], where
            elif t == "extra_reading":
                assert v["title"] and len(v["title"]) <= 60 and v["items"], where
                assert all(i["title"] and i["body"] for i in v["items"]), where
            elif t == "service_card":
                assert set(v) == {"service", "title", "description"}, where
                assert v["service"] in DEMO_SERVICE_CODES, where
                assert len(v["title"]) <= 60 and len(v["description"]) <= 200, where


def test_every_block_type_is_used_at_least_twice():
    counts = Counter(b["type"] for a in ARTICLES for b in blocks_of(a))
    for t in BLOCK_TYPES:
        assert counts[t] >= 2, t


def test_showcase_uses_every_block_type():
    showcase = next(a for a in ARTICLES if a["slug"] == "all-blocks-showcase")
    assert {b["type"] for b in blocks_of(showcase)} == BLOCK_TYPES


def test_every_picture_has_alt_text():
    for a in ARTICLES:
        for block in blocks_of(a):
            v = block["value"]
            if block["type"] == "image":
                assert v["alt"].strip() and len(v["alt"]) <= 300, a["slug"]
            if block["type"] == "image_sequence":
                for f in v["frames"]:
                    assert f["alt"].strip() and len(f["alt"]) <= 300, a["slug"]
                    assert f["alt"] != f["caption"], a["slug"]


def test_chart_tables_are_rectangular_and_numeric():
    charts = [b["value"] for a in ARTICLES for b in blocks_of(a) if b["type"] == "chart"]
    assert charts
    for c in charts:
        table = c["table"]
        assert len(table) >= 3, c["title"]
        width = len(table[0])
        assert width >= 2, c["title"]
        for row in table:
            assert len(row) == width, c["title"]
            assert all(isinstance(cell, str) and cell for cell in row), c["title"]
        for row in table[1:]:
            for cell in row[1:]:
                float(cell)  # raises if not a number
        if c["chart_type"] == "pie":
            assert width == 2, c["title"]


def test_rich_text_uses_only_allowed_tags():
    for a in ARTICLES:
        for block in blocks_of(a):
            for fragment in html_fragments(block):
                parser = TagCollector()
                parser.feed(fragment)
                assert set(parser.tags) <= ALLOWED_TAGS, (a["slug"], set(parser.tags) - ALLOWED_TAGS)
                assert all(parser.links), a["slug"]


def test_exactly_one_withdrawn_article():
    withdrawn = [a for a in ARTICLES if a.get("withdrawn")]
    assert len(withdrawn) == 1
    w = withdrawn[0]["withdrawn"]
    assert w["reason"] and when(w["date"]) > when(withdrawn[0]["published"])


def test_supplements_come_after_publication():
    kinds = Counter()
    for a in ARTICLES:
        for s in a.get("supplements", []):
            assert s["kind"] in ("correction", "update", "follow_up"), a["slug"]
            assert isinstance(s["major"], bool) and s["text"], a["slug"]
            assert when(s["date"]) > when(a["published"]), a["slug"]
            kinds[(s["kind"], s["major"])] += 1
    assert sum(1 for a in ARTICLES if a.get("supplements")) >= 2
    assert any(kind == "correction" for kind, _ in kinds)
    assert kinds[("update", True)] >= 1


def test_one_article_opens_with_a_long_text():
    longest = max(len(CJK_RE.findall(a["body"][0]["value"])) for a in ARTICLES if a["body"][0]["type"] == "rich_text")
    assert longest >= 600


@pytest.mark.parametrize("slug,published", [
    ("metro-resumes-basic-operation", "2022-05-31T13:13:00+08:00"),
    ("elderly-scan-code-comic", "2022-05-30T21:50:00+08:00"),
    ("mosquito-season-qa", "2022-06-08T18:19:00+08:00"),
])
def test_the_articles_named_in_the_seed(slug, published):
    article = next(a for a in ARTICLES if a["slug"] == slug)
    assert article["published"] == published


def test_seed_article_forms():
    by_slug = {a["slug"]: a for a in ARTICLES}
    types = {slug: {b["type"] for b in a["body"]} for slug, a in by_slug.items()}
    assert "image_sequence" in types["elderly-scan-code-comic"]
    assert {"qa_list", "extra_reading"} <= types["mosquito-season-qa"]
    reading = " ".join(i["title"] + i["body"] for b in by_slug["mosquito-season-qa"]["body"]
                       if b["type"] == "extra_reading" for i in b["value"]["items"])
    assert "白蚁不是蚂蚁，而是蟑螂的近亲" in reading and "蚊子偏爱O型血只是传说" in reading
    assert "poster" in types["industrial-resumption-guideline-poster"]
    assert "qa_list" in types["school-return-qa"]
    assert by_slug["gaokao-delay-qa"]["org"] == "education-exam-authority"
    assert by_slug["high-court-12-qa"]["org"] == "high-court"
    assert sum(len(b["value"]["items"]) for b in by_slug["high-court-12-qa"]["body"] if b["type"] == "qa_list") == 12


def test_no_clickbait_and_no_private_numbers():
    for a in ARTICLES:
        text = all_text(a)
        for word in CLICKBAIT:
            assert word not in text, (a["slug"], word)
        for number in re.findall(r"\d{5,}", text):  # no phone or ID numbers, only hotlines
            assert number in PUBLIC_HOTLINES, (a["slug"], number)


# --- pictures ---------------------------------------------------------------


def test_render_image_is_png_and_deterministic():
    spec = IMAGES["cover-metro"]
    first = render_image(spec)
    assert first.startswith(PNG_MAGIC)
    assert render_image(dict(spec)) == first
    assert render_image(IMAGES["cover-school-return"]) != first


@pytest.mark.parametrize("key", ["comic-scan-1", "poster-industrial-v3", "photo-park-2", "cover-plum-rain"])
def test_rendered_images_are_small(key):
    spec = IMAGES[key]
    data = render_image(spec, size_for(spec))
    assert data.startswith(PNG_MAGIC) and len(data) < 60_000


def test_every_motif_renders_within_budget():
    for motif in MOTIFS:
        data = render_image({"title": motif, "kind": "cover", "palette": ["#FFFFFF", "#1F5FA8", "#C8102E"],
                             "motif": motif}, size=(600, 338))
        assert data.startswith(PNG_MAGIC) and len(data) < 60_000, motif


def test_render_avatar():
    data = render_avatar("#C8102E", "SH")
    assert data.startswith(PNG_MAGIC)
    assert data == render_avatar("#C8102E", "SH")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (256, 256)
