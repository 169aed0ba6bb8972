"""Loading the demo: the whole account matrix with its articles, and a
second run that changes nothing.

The demo is loaded once for this module (drawing its pictures takes a few
seconds) inside a transaction that is rolled back at the end; each test runs
in its own savepoint within it.
"""

from collections import Counter
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from taggit.models import Tag
from wagtail.images.models import Image
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

from civichall.accounts.models import Membership, Organisation
from civichall.content import charts
from civichall.content.models import (
    ArticlePage,
    OrganisationIndexPage,
    OrganisationPage,
    SupplementPage,
    Topic,
    Withdrawal,
)
from tests.demo_loading import load_demo_completely

pytestmark = pytest.mark.django_db

BLOCK_TYPES = ["rich_text", "heading", "image", "image_sequence", "video", "chart", "poster",
               "qa_list", "key_points", "step_guide", "extra_reading", "service_card"]


LOAD_OUTPUT = []  # what load_demo printed


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        cache.clear()
        with transaction.atomic():
            LOAD_OUTPUT.append(load_demo_completely())
            yield media
            transaction.set_rollback(True)
        cache.clear()


def snapshot():
    """Counts of everything the loader could create, and the pages' state."""
    User = get_user_model()
    counts = {
        "organisations": Organisation.objects.count(),
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "images": Image.objects.count(),
        "revisions": Revision.objects.count(),
        "memberships": Membership.objects.count(),
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "page log entries": PageLogEntry.objects.count(),
        "model log entries": ModelLogEntry.objects.count(),
        "admin log entries": LogEntry.objects.count(),
        "topics": Topic.objects.count(),
        "tags": Tag.objects.count(),
        "withdrawals": Withdrawal.objects.count(),
    }
    pages = sorted(Page.objects.values_list("id", "path", "title", "live", "first_published_at",
                                            "latest_revision_id"))
    orgs = sorted(Organisation.objects.values_list("slug", "parent__slug", "avatar_id", "kind", "name_zh"))
    return counts, pages, orgs


def test_the_account_matrix(demo):
    assert Organisation.objects.count() == 96
    kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {"municipal": 1, "district": 16, "bureau": 39, "institution": 40}
    city = Organisation.objects.get(kind="municipal")
    assert city.parent is None
    assert Organisation.objects.filter(parent__isnull=True).count() == 1
    assert not Organisation.objects.filter(kind="district").exclude(parent=city).exists()
    directory = OrganisationIndexPage.objects.get()
    for org in Organisation.objects.all():
        section = OrganisationPage.objects.child_of(directory).get(organisation=org)
        assert section.live, org.slug
        assert org.avatar_id is not None, org.slug


def test_the_articles(demo):
    live = ArticlePage.objects.live()
    assert live.count() >= 30
    assert not live.filter(author_organisation__isnull=True).exists()
    assert len(set(live.values_list("author_organisation", flat=True))) >= 10
    assert SupplementPage.objects.live().count() >= 1
    assert Withdrawal.objects.count() == 1
    assert Withdrawal.objects.get().reason.strip()
    assert Topic.objects.count() >= 9
    for topic in Topic.objects.all():
        assert live.filter(topics=topic).exists(), topic.slug
    showcase = ArticlePage.objects.get(slug="all-blocks-showcase")
    assert {b.block_type for b in showcase.body} == set(BLOCK_TYPES)


def test_demo_staff_and_admin_can_sign_in(demo, client):
    """As the demo command prints: staff with their password, the admin with
    a recovery code as the second factor."""
    from civichall.contrib.demo.management.commands.demo import two_factor_lines

    assert Membership.objects.count() >= 8
    signed_in = client.post("/admin/login/", {"username": "sh_editor", "password": "civichall-demo"})
    assert signed_in.status_code == 302 and client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    printed = "\n".join(two_factor_lines("admin"))
    code = printed.split("each once: ")[1].split()[0]
    assert client.post("/admin/login/", {"username": "admin", "password": "civichall-admin"}).status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/verify/")
    assert client.post("/admin/two-factor/verify/", {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_second_run_changes_nothing(demo):
    before = snapshot()
    load_demo_completely()
    after = snapshot()
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == before[2]


def test_every_demo_article_renders_and_is_in_the_api(demo, client):
    for article in ArticlePage.objects.live():
        response = client.get(article.url)
        assert response.status_code == 200, article.slug
        api = client.get(f"/api/v1/articles/{article.pk}")
        assert api.status_code == 200, article.slug
        assert api.json()["title"] == article.title


def test_the_showcase_page_shows_every_block(demo, client):
    showcase = ArticlePage.objects.get(slug="all-blocks-showcase")
    html = client.get(showcase.url).content.decode()
    for block_type in BLOCK_TYPES:
        assert f'class="block block-{block_type}"' in html, block_type
    assert f'<svg viewBox="0 0 {charts.WIDTH} {charts.HEIGHT}"' in html and '<details class="chart-data"' in html
    body = client.get(f"/api/v1/articles/{showcase.pk}").json()["body"]
    assert [b["type"] for b in body if b["type"] == "chart"] == ["chart"]


def test_the_withdrawn_demo_article(demo, client):
    withdrawal = Withdrawal.objects.select_related("page").get()
    html = client.get(withdrawal.page.url).content.decode()
    assert 'id="withdrawn-banner"' in html
    assert withdrawal.reason[:20] in html
    listing = client.get("/api/v1/articles?page_size=100").json()
    assert withdrawal.page_id not in [a["id"] for a in listing["results"]]
    assert listing["count"] == ArticlePage.objects.live().count() - 1


def test_home_page_of_the_demo(demo, client):
    html = client.get("/").content.decode()
    assert html.count('class="card"') == 10
    directory = client.get("/accounts/").content.decode()
    for slug in Organisation.objects.values_list("slug", flat=True):
        assert f'href="/accounts/{slug}/"' in directory, slug


def test_the_loader_shows_progress_and_the_demo_residents(demo):
    from civichall.contrib.demo.articles import ARTICLES
    from civichall.contrib.demo.identity import DEMO_RESIDENTS

    lines = LOAD_OUTPUT[0].splitlines()
    steps = [line for line in lines if line.startswith("Loading the demo:")]
    assert len(steps) >= 4
    assert f"  articles {len(ARTICLES)}/{len(ARTICLES)}" in lines
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    for resident in DEMO_RESIDENTS:
        line = next(line for line in lines if resident["name"] in line)
        assert resident["id_number"] in line and resident["mobile"] in line
        assert f"| {resident['name']} | {resident['id_number']} | {resident['mobile']} |" in readme
    chen = next(line for line in lines if DEMO_RESIDENTS[0]["name"] in line)
    assert "沪A·D12345" in chen  # the plate the traffic-violation demo knows


def test_the_loader_writes_through_the_actions_and_leaves_audit_entries(demo):
    """Organisations, topics, connectors, services, hubs, the account menu and
    the routing rules are written by the product's actions, as the platform
    with the source "demo": checked as in the admin, and each on record."""
    from civichall.interaction.models import RoutingRule
    from civichall.services.models import AccountMenu, Connector, Hub, Service

    def logged(action):
        return ModelLogEntry.objects.filter(action=action, data__source="demo").count()

    assert logged("civichall.organisation.create") == Organisation.objects.count() == 96
    assert logged("civichall.topic.create") == Topic.objects.count() > 0
    assert logged("civichall.services.connector.create") == Connector.objects.count() > 0
    assert logged("civichall.services.service.create") == Service.objects.count() > 0
    assert logged("civichall.services.hub.create") == Hub.objects.count() == 2
    assert logged("civichall.services.menu.import") == AccountMenu.objects.count() == 1
    assert logged("civichall.interaction.rule.create") == RoutingRule.objects.count() > 0
    assert not ModelLogEntry.objects.filter(data__source="demo").exclude(user=None).exists()


def test_the_demo_is_shanghai_release_and_a_kept_profile_stays(demo, client):
    from wagtail.models import Site

    from civichall.accounts.policy import SYSTEM
    from civichall.contrib.demo.loader import load_site_profile
    from civichall.core.models import SiteProfile
    from civichall.core.site_actions import do_save_site_profile

    html = client.get("/").content.decode()
    assert "<title>上海发布</title>" in html or "上海发布" in html.split("</title>")[0]
    assert 'href="tel:12345"' in html
    profile = SiteProfile.objects.get()
    assert profile.account_name_en == "Shanghai Release" and "垃圾分类" in profile.search_suggestions_zh
    assert ModelLogEntry.objects.filter(action="civichall.site_profile.edit").exists()
    # An administrator's own profile survives loading the demo again.
    site = Site.objects.get(is_default_site=True)
    do_save_site_profile(SYSTEM, site, account_name_zh="上海发布（试运行）")
    load_site_profile()
    assert SiteProfile.objects.get().account_name_zh == "上海发布（试运行）"
    do_save_site_profile(SYSTEM, site, account_name_zh="上海发布")


def test_load_demo_files_the_demo_cases_with_the_departments_it_starts(demo):
    """``load_demo`` runs without ``civichall demo`` serving the department
    systems: it starts them for as long as it files the demo cases."""
    from civichall.accounts.models import Citizen
    from civichall.applications.models import Case

    chen = Citizen.objects.get(mobile="13800000001")
    states = set(Case.objects.filter(citizen=chen).values_list("state", flat=True))
    assert {"needs_material", "completed"} <= states
