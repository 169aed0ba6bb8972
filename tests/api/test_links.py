"""A link service opens a web address or a page of this site, never
``javascript:`` or ``data:``: refused when saved, however it is saved, and
never served even if one was stored before the rule."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import APIToken

from civichall.services.models import Service, ServiceKind

pytestmark = pytest.mark.django_db

BAD_LINKS = ["javascript:alert(document.cookie)", "JAVASCRIPT:alert(1)", "data:text/html,<script>x</script>",
             "vbscript:msgbox", "//evil.example/", " javascript:alert(1)"]


@pytest.fixture
def city(make_org):
    return make_org("shanghai", kind="municipal")


def link_service(org, url, code="scan"):
    return Service(code=code, kind=ServiceKind.LINK, organisation=org, name_zh="扫一扫", link_url=url)


@pytest.mark.parametrize("url", BAD_LINKS)
def test_the_model_refuses_links_that_are_not_web_addresses(city, url):
    service = link_service(city, url)
    with pytest.raises(ValidationError) as refused:
        service.full_clean()
    assert "link_url" in refused.value.message_dict
    with pytest.raises(ValidationError):
        service.save()
    assert not Service.objects.filter(code="scan").exists()


@pytest.mark.parametrize("url", ["https://suishenban.example.org/scan", "http://example.gov.cn/a", "/assistant/"])
def test_web_addresses_and_site_paths_are_saved(city, url):
    link_service(city, url).save()
    assert Service.objects.get(code="scan").link_url == url


def test_the_staff_api_answers_which_field_is_wrong(client, city, superuser):
    token = APIToken.create_token(user=superuser, name="links")[1]
    response = client.post("/api/v1/staff/services", {
        "code": "scan", "kind": "link", "organisation": "shanghai", "name_zh": "扫一扫",
        "link_url": "javascript:alert(1)"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422, response.content
    assert "https://" in response.json()["error"]["fields"]["link_url"]
    assert not Service.objects.filter(code="scan").exists()


def test_a_bad_link_stored_before_the_rule_is_not_served(client, city):
    link_service(city, "https://ok.example.org/").save()
    Service.objects.filter(code="scan").update(link_url="javascript:alert(1)")  # as an old row would be
    listed = client.get("/api/v1/services").json()["results"]
    url = next(s["url"] for s in listed if s["code"] == "scan")
    assert url.endswith("/services/scan/") and "javascript" not in url
    detail = client.get("/api/v1/services/scan").json()
    assert "javascript" not in detail["url"]
    page = client.get("/services/scan/")
    assert b"javascript:" not in page.content
