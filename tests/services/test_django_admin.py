"""Admin screens of the service matrix: they render for a superuser; a
liaison sees and edits only their organisation's services; connector
secrets are write-only; CSV files are uploaded as documents; menus are
refused with WeChat's limits named; the health report is for
administrators."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from civichall.accounts.models import Organisation
from civichall.contrib.demo import departments as demo_departments
from civichall.services import runtime
from civichall.services.models import AccountMenu, Connector, Hub, Service

from .django_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def service_form(service, **changes):
    data = {
        "name_zh": service.name_zh, "name_en": service.name_en, "code": service.code, "kind": service.kind,
        "icon": service.icon, "organisation": service.organisation_id, "description_zh": service.description_zh,
        "description_en": service.description_en, "keywords": service.keywords, "synonyms": service.synonyms,
        "sort_order": service.sort_order, "status": service.status,
        "maintenance_message": service.maintenance_message, "alternative": service.alternative,
        "connector": service.connector_id or "", "cache_ttl_s": service.cache_ttl_s,
        "identity_param": service.identity_param, "owned_param": service.owned_param,
        "input_schema": json.dumps(service.input_schema) if service.input_schema else "",
        "output_schema": json.dumps(service.output_schema) if service.output_schema else "",
        "link_url": service.link_url,
    }
    if service.requires_login:
        data["requires_login"] = "on"
    if service.requires_verified:
        data["requires_verified"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def liaison(svc, make_staff):
    return make_staff("transport_liaison", Organisation.objects.get(slug="transport-commission"), "liaison")


def test_every_screen_renders_for_a_superuser(client, svc, superuser):
    client.force_login(superuser)
    service = svc("bus_realtime")
    hub = Hub.objects.get(slug="municipal-hall")
    menu = AccountMenu.objects.get(organisation__slug="shanghai")
    connector = Connector.objects.get(name="traffic_violations")
    urls = [
        reverse("services_services:index"), reverse("services_services:add"),
        reverse("services_services:edit", args=[service.pk]),
        reverse("services_hubs:index"), reverse("services_hubs:add"), reverse("services_hubs:edit", args=[hub.pk]),
        reverse("services_connectors:index"), reverse("services_connectors:add"),
        reverse("services_connectors:edit", args=[connector.pk]),
        reverse("services_menus:index"), reverse("services_menus:edit", args=[menu.pk]),
        reverse("services_menus:add"), reverse("services_connector_health"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    index = client.get(reverse("services_services:index") + "?p=1").content.decode()
    assert "实时公交" in index
    assert "实时公交" in client.get(reverse("services_hubs:edit", args=[hub.pk])).content.decode()


def test_a_liaison_sees_and_edits_only_their_organisations_services(client, svc, liaison):
    client.force_login(liaison)
    index = client.get(reverse("services_services:index") + "?q=").content.decode()
    assert "实时公交" in index and "垃圾分类查询" not in index
    bus, garbage = svc("bus_realtime"), svc("garbage_sorting")
    assert client.get(reverse("services_services:edit", args=[bus.pk])).status_code == 200
    # Someone else's service: answered as if it did not exist, and nothing changes.
    for url in (reverse("services_services:edit", args=[garbage.pk]),
                reverse("services_services:delete", args=[garbage.pk])):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("services_services:edit", args=[999999])).status_code == 404
    response = client.post(reverse("services_services:edit", args=[garbage.pk]),
                           service_form(garbage, name_zh="被改掉了"))
    assert response.status_code == 404
    assert Service.objects.get(pk=garbage.pk).name_zh == "垃圾分类查询"
    # Their own: saved through the action, in the audit log.
    response = client.post(reverse("services_services:edit", args=[bus.pk]),
                           service_form(bus, name_zh="实时公交到站", status="maintenance",
                                        maintenance_message="系统升级，今晚恢复。"))
    assert response.status_code == 302, response.content.decode()[:2000]
    bus.refresh_from_db()
    assert bus.name_zh == "实时公交到站" and bus.status == "maintenance"
    entry = ModelLogEntry.objects.filter(action="civichall.services.service.edit").latest("timestamp")
    assert entry.user_id == liaison.pk and "name_zh" in entry.data["changed"]
    # ... and cannot hand it to another organisation.
    other = Organisation.objects.get(slug="landscaping-city-appearance-bureau")
    response = client.post(reverse("services_services:edit", args=[bus.pk]),
                           service_form(bus, organisation=other.pk))
    assert response.status_code == 200
    assert Service.objects.get(pk=bus.pk).organisation.slug == "transport-commission"
    # Connectors, hubs, menus and the health report are not theirs.
    for url in (reverse("services_connectors:index"), reverse("services_connector_health"),
                reverse("services_connectors:edit", args=[bus.connector_id]),
                reverse("services_menus:add"), reverse("services_hubs:add")):
        assert client.get(url).status_code in (302, 403), url


def test_service_form_errors_are_clear(client, svc, superuser):
    client.force_login(superuser)
    bus = svc("bus_realtime")
    response = client.post(reverse("services_services:edit", args=[bus.pk]),
                           service_form(bus, connector="", input_schema="{not json", owned_param="nothing"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "JSON" in page
    response = client.post(reverse("services_services:edit", args=[bus.pk]),
                           service_form(bus, connector=""))
    assert response.status_code == 200 and Service.objects.get(pk=bus.pk).connector_id


def test_connector_secret_is_write_only(client, svc, superuser):
    client.force_login(superuser)
    connector = Connector.objects.get(name="traffic_violations")
    page = client.get(reverse("services_connectors:edit", args=[connector.pk])).content.decode()
    assert demo_departments.DEMO_API_KEY not in page
    data = {"name": connector.name, "kind": connector.kind, "config": json.dumps(connector.config),
            "organisation": connector.organisation_id, "identity_param": connector.identity_param,
            "new_secret": "", "timeout_s": "2.0", "enabled": "on"}
    if connector.personal_data:
        data["personal_data"] = "on"
    response = client.post(reverse("services_connectors:edit", args=[connector.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    connector.refresh_from_db()
    assert connector.secret == demo_departments.DEMO_API_KEY and connector.timeout_s == 2.0
    response = client.post(reverse("services_connectors:edit", args=[connector.pk]),
                           {**data, "new_secret": "a-new-key-123"})
    assert response.status_code == 302
    connector.refresh_from_db()
    assert connector.secret == "a-new-key-123"
    entry = ModelLogEntry.objects.filter(action="civichall.services.connector.edit").latest("timestamp")
    assert entry.data["secret_changed"] is True
    assert "a-new-key-123" not in json.dumps(entry.data) and demo_departments.DEMO_API_KEY not in json.dumps(entry.data)
    # A secret typed into the configuration is refused, and not echoed back.
    bad = client.post(reverse("services_connectors:edit", args=[connector.pk]),
                      {**data, "config": json.dumps({**connector.config, "secret": "leaked-9876"})})
    assert bad.status_code == 200 and "leaked-9876" not in bad.content.decode()


def test_a_timeout_beyond_three_seconds_is_refused(client, svc, superuser):
    client.force_login(superuser)
    connector = Connector.objects.get(name="garbage_sorting")
    response = client.post(reverse("services_connectors:edit", args=[connector.pk]), {
        "name": connector.name, "kind": connector.kind, "config": json.dumps(connector.config),
        "timeout_s": "10", "enabled": "on"})
    assert response.status_code == 200
    assert Connector.objects.get(pk=connector.pk).timeout_s == 2.5


def test_csv_upload_becomes_an_indexed_document(client, svc, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(superuser)
    csv_bytes = "place,district,status\n人民路口,黄浦区,积水\n中山路口,徐汇区,正常\n".encode()
    config = {"lookups": {"district": {"column": "district"}}, "allow_all": True,
              "input_schema": {"type": "object", "properties": {"district": {"type": "string", "title": "区"}}}}
    response = client.post(reverse("services_connectors:add"), {
        "name": "flood_points", "kind": "csv_file", "config": json.dumps(config, ensure_ascii=False),
        "organisation": Organisation.objects.get(slug="water-authority").pk,
        "timeout_s": "2.5", "enabled": "on",
        "upload": SimpleUploadedFile("flood.csv", csv_bytes, content_type="text/csv"),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    connector = Connector.objects.get(name="flood_points")
    assert connector.data_file is not None and connector.data_file.file_size == len(csv_bytes)
    built = runtime.connector_for(connector)
    from civichall.services.connectors.base import FetchContext

    assert built.fetch({"district": "黄浦区"}, FetchContext())[0]["place"] == "人民路口"
    # A file without the column a lookup needs is refused at once.
    response = client.post(reverse("services_connectors:add"), {
        "name": "broken_points", "kind": "csv_file", "timeout_s": "2.5", "enabled": "on",
        "organisation": Organisation.objects.get(slug="water-authority").pk,
        "config": json.dumps({"lookups": {"road": {"column": "road"}}}),
        "upload": SimpleUploadedFile("x.csv", b"place\nA\n", content_type="text/csv"),
    })
    assert response.status_code == 200 and not Connector.objects.filter(name="broken_points").exists()
    assert "road" in response.content.decode()


MENU_PROBLEMS = [
    ({"button": [{"name": "一二三四五六", "sub_button": [{"type": "click", "name": "a", "key": "K"}]}]},
     "button[0].name"),
    ({"button": [{"type": "click", "name": "a" * 61, "key": "K"}]}, "button[0].name"),
    ({"button": [{"type": "click", "name": "a", "key": "K" * 129}]}, "button[0].key"),
    ({"button": [{"type": "view", "name": "a", "url": "https://x.org/" + "a" * 1020}]}, "button[0].url"),
    ({"button": [{"type": "click", "name": str(i), "key": "K"} for i in range(4)]}, "button"),
    ({"button": [{"name": "多", "sub_button": [{"type": "click", "name": str(i), "key": "K"} for i in range(6)]}]},
     "button[0].sub_button"),
]


@pytest.mark.parametrize("menu, path", MENU_PROBLEMS, ids=[p for _m, p in MENU_PROBLEMS])
def test_menu_admin_refuses_broken_limits_with_the_place(client, svc, superuser, menu, path):
    client.force_login(superuser)
    record = AccountMenu.objects.get(organisation__slug="shanghai")
    before = record.menu
    response = client.post(reverse("services_menus:edit", args=[record.pk]),
                           {"menu": json.dumps(menu, ensure_ascii=False)})
    assert response.status_code == 200
    assert path in response.content.decode()
    record.refresh_from_db()
    assert record.menu == before


def test_menu_admin_saves_a_valid_menu_and_refuses_bad_json(client, svc, superuser):
    client.force_login(superuser)
    record = AccountMenu.objects.get(organisation__slug="shanghai")
    bad = client.post(reverse("services_menus:edit", args=[record.pk]), {"menu": '{"button": [}'})
    assert bad.status_code == 200 and "JSON" in bad.content.decode()
    menu = {"button": [{"type": "view", "name": "市民大厅", "url": "https://example.org/services/"}]}
    response = client.post(reverse("services_menus:edit", args=[record.pk]), {"menu": json.dumps(menu)})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.menu == menu and record.updated_by_id == superuser.pk
    huangpu = Organisation.objects.get(slug="huangpu")
    response = client.post(reverse("services_menus:add"), {"organisation": huangpu.pk, "menu": json.dumps(menu)})
    assert response.status_code == 302
    assert runtime.menu_for(huangpu) == menu


def test_district_administrator_edits_only_their_menu(client, svc, make_staff):
    huangpu = Organisation.objects.get(slug="huangpu")
    admin = make_staff("huangpu_admin", huangpu, "administrator")
    client.force_login(admin)
    city_menu = AccountMenu.objects.get(organisation__slug="shanghai")
    assert client.get(reverse("services_menus:edit", args=[city_menu.pk])).status_code == 404
    menu = {"button": [{"type": "click", "name": "黄浦", "key": "HP"}]}
    response = client.post(reverse("services_menus:add"), {"organisation": huangpu.pk, "menu": json.dumps(menu)})
    assert response.status_code == 302
    xuhui = Organisation.objects.get(slug="xuhui")
    response = client.post(reverse("services_menus:add"), {"organisation": xuhui.pk, "menu": json.dumps(menu)})
    assert response.status_code == 200 and not AccountMenu.objects.filter(organisation=xuhui).exists()


def test_hub_admin_orders_entries(client, svc, superuser):
    client.force_login(superuser)
    hub = Hub.objects.get(slug="municipal-hall")
    entries = list(hub.entries.order_by("sort_order"))
    data = {"name_zh": hub.name_zh, "name_en": hub.name_en, "slug": hub.slug,
            "organisation": hub.organisation_id, "sort_order": 0, "description_zh": hub.description_zh,
            "show_linked": "on", "entries-TOTAL_FORMS": len(entries), "entries-INITIAL_FORMS": len(entries),
            "entries-MIN_NUM_FORMS": 0, "entries-MAX_NUM_FORMS": 1000}
    for i, entry in enumerate(entries):
        data[f"entries-{i}-id"] = entry.pk
        data[f"entries-{i}-service"] = entry.service_id
        # Reverse the order; drop the last one.
        data[f"entries-{i}-ORDER"] = len(entries) - i
        if i == len(entries) - 1:
            data[f"entries-{i}-DELETE"] = "on"
    response = client.post(reverse("services_hubs:edit", args=[hub.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    codes = list(hub.entries.order_by("sort_order").values_list("service__code", flat=True))
    assert codes == [e.service.code for e in reversed(entries[:-1])]
    assert ModelLogEntry.objects.filter(action="civichall.services.hub.edit").exists()


def test_health_report_and_breaker_reset(client, svc, superuser):
    from civichall.contrib.demo import fake_department

    client.force_login(superuser)
    fake_department.set_mode("down")
    for _ in range(3):
        runtime.query_service(svc("road_conditions"), {"road": "延安高架"})
    page = client.get(reverse("services_connector_health")).content.decode()
    assert "road_conditions" in page and "garbage_sorting" in page
    assert "连接器运行状况" in page and "每个部门系统都通过连接器调用" in page and "已熔断" in page
    assert demo_departments.DEMO_API_KEY not in page
    connector = Connector.objects.get(name="road_conditions")
    assert runtime.breaker_for(connector).state == "open"
    response = client.post(reverse("services_connector_reset", args=[connector.pk]))
    assert response.status_code == 302
    assert runtime.breaker_for(connector).state == "closed"
