"""The site profile: what a deployment decides about its public face (the
account's name, the citizen hotline, the search suggestions), read through
one accessor, changed through one action (municipal administrators only,
audited), and shown on the pages in Chinese and English."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry, Site

from civichall.accounts.policy import SYSTEM
from civichall.core.models import SiteProfile
from civichall.core.site import hotline, may_edit_site_profile, site_profile
from civichall.core.site_actions import do_save_site_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def staff(make_org, make_staff):
    city = make_org("city", kind="municipal")
    bureau = make_org("transport-commission")
    return {
        "city_admin": make_staff("city_admin", city, "administrator"),
        "city_editor": make_staff("city_editor", city, "editor"),
        "bureau_admin": make_staff("bureau_admin", bureau, "administrator"),
    }


def form(**changes):
    data = {"account_name_zh": "杭州发布", "account_name_en": "Hangzhou Release", "description_zh": "",
            "description_en": "", "hotline": "0571-12345", "search_suggestions_zh": "公交\n社保卡",
            "search_suggestions_en": ""}
    data.update(changes)
    return data


def test_a_fresh_site_has_the_neutral_first_values_and_stores_nothing_on_a_read(client, site):
    profile = site_profile(site)
    assert (profile.account_name_zh, profile.hotline, profile.pk) == ("CivicHall", "12345", None)
    page = client.get("/").content.decode()
    assert "<title>CivicHall</title>" in page and 'href="tel:12345"' in page
    assert not SiteProfile.objects.exists()


def test_the_first_values_come_from_the_environment(monkeypatch, site):
    monkeypatch.setenv("CIVICHALL_SITE_NAME", "苏州发布")
    monkeypatch.setenv("CIVICHALL_HOTLINE", "0512-12345")
    profile = site_profile(site)
    assert (profile.account_name_zh, profile.hotline) == ("苏州发布", "0512-12345")


def test_the_action_saves_and_audits_what_changed(site):
    profile = do_save_site_profile(SYSTEM, site, source="test", **form())
    assert site_profile(site).pk == profile.pk and hotline() == "0571-12345"
    site.refresh_from_db()
    assert site.site_name == "杭州发布"
    entry = ModelLogEntry.objects.get(action="civichall.site_profile.edit")
    assert entry.user_id is None and entry.data["source"] == "test"
    assert entry.data["changed"]["hotline"] == [None, "0571-12345"]
    do_save_site_profile(SYSTEM, site, hotline="12345")
    latest = ModelLogEntry.objects.filter(action="civichall.site_profile.edit").order_by("-pk").first()
    assert latest.data["changed"] == {"hotline": ["0571-12345", "12345"]}


def test_only_municipal_administrators_may_change_it(site, staff):
    assert may_edit_site_profile(staff["city_admin"]) and may_edit_site_profile(SYSTEM)
    for name in ("city_editor", "bureau_admin"):
        assert not may_edit_site_profile(staff[name])
        with pytest.raises(PermissionDenied):
            do_save_site_profile(staff[name], site, **form())
    with pytest.raises(PermissionDenied):
        do_save_site_profile(None, site, **form())
    assert not SiteProfile.objects.exists()
    do_save_site_profile(staff["city_admin"], site, **form())
    assert ModelLogEntry.objects.get(action="civichall.site_profile.edit").user_id == staff["city_admin"].pk


def test_a_name_and_a_hotline_are_required(site):
    with pytest.raises(ValidationError):
        do_save_site_profile(SYSTEM, site, **form(account_name_zh="  "))
    with pytest.raises(ValidationError):
        do_save_site_profile(SYSTEM, site, **form(hotline=""))
    with pytest.raises(ValueError):
        do_save_site_profile(SYSTEM, site, site_id=3)
    assert not SiteProfile.objects.exists()


def test_the_admin_screen_saves_through_the_action(client, site, staff):
    client.force_login(staff["city_admin"])
    url = reverse("wagtailsettings:edit", args=["civichall_core", "siteprofile", site.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="hotline"' in page.content.decode()
    response = client.post(url, form())
    assert response.status_code == 302
    assert site_profile(site).account_name_zh == "杭州发布"
    entry = ModelLogEntry.objects.get(action="civichall.site_profile.edit")
    assert entry.user_id == staff["city_admin"].pk and entry.data["source"] == "admin"
    # an invalid form is shown again and saves nothing
    response = client.post(url, form(account_name_zh="", hotline="x" * 40))
    assert response.status_code == 200
    assert site_profile(site).hotline == "0571-12345"


def test_the_admin_menu_offers_it_to_municipal_administrators_only(client, site, staff):
    url = reverse("wagtailsettings:edit", args=["civichall_core", "siteprofile", site.pk])
    menu_item = "settings/civichall_core/siteprofile/"
    client.force_login(staff["city_admin"])
    assert menu_item in client.get("/admin/").content.decode()
    client.force_login(staff["bureau_admin"])
    assert menu_item not in client.get("/admin/").content.decode()
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, form()).status_code in (302, 403)
    assert not SiteProfile.objects.exists()


def test_names_and_suggestions_in_the_active_language(site):
    do_save_site_profile(SYSTEM, site, **form(search_suggestions_en="bus\nsocial security"))
    profile = site_profile(site)
    with translation.override("zh-hans"):
        assert profile.account_name == "杭州发布" and profile.search_suggestions == ["公交", "社保卡"]
    with translation.override("en"):
        assert profile.account_name == "Hangzhou Release"
        assert profile.search_suggestions == ["bus", "social security"]
    do_save_site_profile(SYSTEM, site, account_name_en="", search_suggestions_en="")
    profile = site_profile(site)
    with translation.override("en"):
        assert profile.account_name == "杭州发布" and profile.search_suggestions == ["公交", "社保卡"]


def test_pages_show_the_profile_in_chinese_and_english(client, site):
    do_save_site_profile(SYSTEM, site, **form(description_zh="杭州市人民政府新闻办公室官方账号",
                                              description_en="The official account of Hangzhou"))
    page = client.get("/").content.decode()
    assert "<title>杭州发布</title>" in page and "<h1>杭州发布</h1>" in page
    assert 'content="杭州市人民政府新闻办公室官方账号"' in page and 'href="tel:0571-12345"' in page
    page = client.get("/?lang=en").content.decode()
    assert "<title>Hangzhou Release</title>" in page and 'content="The official account of Hangzhou"' in page
    assert 'href="tel:0571-12345"' in page


def test_search_suggestions_come_from_the_profile(client, site):
    do_save_site_profile(SYSTEM, site, **form(search_suggestions_zh="西湖\n地铁"))
    page = client.get("/services/search/").content.decode()
    assert "/services/search/?q=%E8%A5%BF%E6%B9%96" in page and "/services/search/?q=%E5%9C%B0%E9%93%81" in page


def test_without_a_database_the_last_profile_read_still_answers(site, monkeypatch):
    from django.db import OperationalError

    do_save_site_profile(SYSTEM, site, **form())
    assert site_profile(site).hotline == "0571-12345"

    def down(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(SiteProfile, "for_site", classmethod(down))
    assert site_profile().hotline == hotline() == "0571-12345"


def test_the_500_page_names_no_city_and_no_number():
    from django.template.loader import get_template

    page = get_template("500.html").render({})
    assert "热线" in page and "hotline" in page
    assert "12345" not in page and "上海" not in page and "Shanghai" not in page
