"""A second city starts with no change of code: a fresh installation is set
up as 杭州发布 (hotline 0571-12345) through the admin only, and every public
face -- the home page, page titles, the footer, the services' refusals with
their "call the hotline" alternative, the API -- shows that city, in Chinese
and in English, and never the first city's account."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Site

from civichall.services import runtime
from civichall.services.models import Service, ServiceKind, ServiceStatus

pytestmark = pytest.mark.django_db

NAME, NAME_EN, HOTLINE = "杭州发布", "Hangzhou Release", "0571-12345"
FIRST_CITY = ("上海发布", "上海", "Shanghai")


@pytest.fixture
def hangzhou(client, make_org, make_staff):
    """A fresh site; the city's municipal administrator fills in Settings →
    Site profile in the admin."""
    city = make_org("hangzhou", kind="municipal", name_zh="杭州市人民政府新闻办公室")
    admin = make_staff("hz_admin", city, "administrator")
    site = Site.objects.get(is_default_site=True)
    client.force_login(admin)
    response = client.post(reverse("wagtailsettings:edit", args=["civichall_core", "siteprofile", site.pk]), {
        "account_name_zh": NAME, "account_name_en": NAME_EN, "hotline": HOTLINE,
        "description_zh": "杭州市民身边的权威发布和一站式服务", "description_en": "Hangzhou's official account",
        "search_suggestions_zh": "公交\n西湖", "search_suggestions_en": "bus",
    })
    assert response.status_code == 302, response.content.decode()[:1000]
    client.logout()
    Service.objects.create(code="bus_realtime", kind=ServiceKind.QUERY, organisation=city, name_zh="实时公交",
                           name_en="Real-time bus", status=ServiceStatus.MAINTENANCE)
    return city


def never_the_first_city(text):
    for word in FIRST_CITY:
        assert word not in text, word


def title(page):
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def test_home_page_titles_and_footer_show_the_second_city(client, hangzhou):
    home = client.get("/").content.decode()
    assert title(home) == NAME and f"<h1>{NAME}</h1>" in home
    assert f'href="tel:{HOTLINE}"' in home and "杭州市民身边的权威发布和一站式服务" in home
    never_the_first_city(home)
    for path in ("/services/", "/services/search/?q=西湖", "/articles/", "/accounts/hangzhou/",
                 "/citizen/sign-in/"):
        page = client.get(path, follow=True).content.decode()
        assert title(page).endswith(f"· {NAME}"), (path, title(page))
        assert f'href="tel:{HOTLINE}"' in page, path
        never_the_first_city(page)


def test_the_second_city_in_english(client, hangzhou):
    home = client.get("/?lang=en").content.decode()
    assert title(home) == NAME_EN and f'href="tel:{HOTLINE}"' in home
    never_the_first_city(home)
    page = client.get("/services/").content.decode()  # the language is remembered
    assert title(page).endswith(f"· {NAME_EN}")


def test_a_refused_service_offers_the_second_city_hotline(client, hangzhou):
    service = Service.objects.get(code="bus_realtime")
    for lang, words in (("zh", "请拨打"), ("en", "Call the")):
        answer = runtime.query_service(service, {}, lang=lang)
        assert answer["status"] == "maintenance"
        assert HOTLINE in answer["alternative"] and words in answer["alternative"]
        never_the_first_city(answer["message"] + answer["alternative"])
    page = client.get("/services/bus_realtime/").content.decode()
    assert f'href="tel:{HOTLINE}"' in page
    never_the_first_city(page)


def test_the_api_shows_the_second_city(client, hangzhou):
    response = client.post("/api/v1/services/bus_realtime/query", {}, content_type="application/json")
    assert response.status_code == 503
    assert response.json()["error"]["alternative"] == f"请拨打 {HOTLINE} 市民服务热线。"
    never_the_first_city(response.content.decode())
    response = client.post("/api/v1/services/bus_realtime/query", {}, content_type="application/json",
                           headers={"accept-language": "en"})
    assert response.json()["error"]["alternative"] == f"Call the {HOTLINE} citizen service hotline."
    detail = client.get("/api/v1/services/bus_realtime")
    assert detail.status_code == 200 and detail.json()["alternative"] == f"请拨打 {HOTLINE} 市民服务热线。"
    never_the_first_city(detail.content.decode())
