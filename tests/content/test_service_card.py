"""Service cards choose a service: they lead to its real page, follow a
renamed service, vanish with a deleted one, and the admin offers a chooser
instead of a field for a typed path."""

import importlib

import pytest
from django.apps import apps

from civichall.content.models import ArticlePage
from civichall.services.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def metro(make_org):
    return make_org("metro", name_zh="上海地铁")


@pytest.fixture
def bus(metro):
    return Service.objects.create(code="bus_realtime", kind="query", organisation=metro,
                                  name_zh="实时公交", name_en="Real-time bus",
                                  description_zh="查询公交车到站时间。", description_en="When the next bus comes.")


def card(service, title="", description=""):
    return [{"type": "service_card", "value": {"service": service.pk, "title": title,
                                               "description": description}}]


def test_card_leads_to_the_service_page_under_its_current_name(client, metro, bus, make_article):
    page = make_article(metro, body=card(bus), publish=True)
    html = client.get(page.url).content.decode()
    assert '<a class="service-card" href="/services/bus_realtime/" data-service="bus_realtime">' in html
    assert "<strong>实时公交</strong><span>查询公交车到站时间。</span>" in html
    assert client.get("/services/bus_realtime/").status_code == 200

    bus.name_zh = "公交到站"
    bus.save()
    assert "<strong>公交到站</strong>" in client.get(page.url).content.decode()
    english = client.get(page.url + "?lang=en").content.decode()
    assert "<strong>Real-time bus</strong><span>When the next bus comes.</span>" in english


def test_card_texts_written_by_the_editor_win(client, metro, bus, make_article):
    page = make_article(metro, body=card(bus, "等车不再久", "看一看下一班车几点到。"), publish=True)
    html = client.get(page.url).content.decode()
    assert "<strong>等车不再久</strong><span>看一看下一班车几点到。</span>" in html


def test_card_of_a_deleted_service_shows_nothing(client, metro, bus, make_article):
    page = make_article(metro, body=card(bus), publish=True)
    bus.delete()
    html = client.get(page.url).content.decode()
    assert "service-card" not in html
    api = client.get(f"/api/v1/articles/{page.pk}").json()
    assert [b["value"] for b in api["body"] if b["type"] == "service_card"] == [None]


def test_the_admin_offers_a_service_chooser(client, superuser, metro, bus, make_article):
    page = make_article(metro, body=card(bus), publish=True)
    client.force_login(superuser)
    edit = client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit.status_code == 200
    assert "/admin/services/choose/" in edit.content.decode()
    modal = client.get("/admin/services/choose/")
    assert modal.status_code == 200
    assert "实时公交" in modal.json()["html"]


def test_old_cards_with_a_typed_path_are_pointed_at_their_service(metro, bus, make_article):
    page = make_article(metro, body=card(bus), publish=True)
    old = [{"type": "service_card", "id": "c1", "value": {
        "title": "实时公交", "description": "少等车", "url": "/services/bus-realtime/", "service_code": ""}}]
    page.body = old
    ArticlePage.objects.filter(pk=page.pk).update(body=page.body)
    migration = importlib.import_module("civichall.content.migrations.0002_service_card_chooser")
    migration.cards_choose_services(apps, None)
    page.refresh_from_db()
    assert page.body.raw_data[0]["value"] == {"service": bus.pk, "title": "实时公交", "description": "少等车"}
    assert page.body[0].value["service"] == bus
