"""The matrix around the queries: one-window search, hub sections, menus
by account, who may touch what, the audited actions, and the demo loader
(which a second run leaves unchanged)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from civichall.accounts.models import Organisation
from civichall.accounts.policy import SYSTEM
from civichall.contrib.demo import load_services as demo
from civichall.services import actions, runtime
from civichall.services.models import (
    AccountMenu,
    Connector,
    Hub,
    HubEntry,
    Service,
    ServiceStatus,
)
from civichall.services.permissions import access_connector, access_menu, access_service

from .django_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def found(q, **kwargs):
    return [s.code for s in runtime.search_services(q, **kwargs)]


# --- one window -----------------------------------------------------------------------------


def test_synonyms_work_both_ways(svc):
    assert found("社保")[0] == "social_security_card"
    assert "social_security_card" in found("社会保障")[:3]
    assert "social_security_card_application" in found("社保")
    assert "bus_realtime" in found("巴士")[:3]
    assert "pudong_bus_shuttle" in found("公交")  # its name says 巴士
    assert found("公交")[0] == "bus_realtime"


def test_sensible_ranking_and_chinese_words(svc):
    assert found("垃圾分类")[0] == "garbage_sorting"
    assert found("违章")[0] == "traffic_violations"
    assert found("积水")[0] == "waterlogging"
    assert found("重名")[0] == "same_name"
    assert found("居住证")[0] == "residence_permit"
    assert found("看病") and found("看病")[0] in ("hospital_appointment", "hospital_reports")


def test_results_include_linked_accounts_and_never_retired(svc):
    assert "huangpu_service_centres" in found("社区事务")
    assert "elderly_meal_service" in found("助餐")
    assert found("核酸") == []
    assert found("") == []


def test_filters_by_organisation_hub_and_kind(svc):
    city = Organisation.objects.get(slug="shanghai")
    police = Organisation.objects.get(slug="public-security-bureau")
    assert "traffic_violations" in found("违章", organisation=police)  # its traffic police
    assert found("违章", organisation=Organisation.objects.get(slug="huangpu")) == []
    assert "huangpu_service_centres" in found("社区事务", organisation=city)
    apply = Hub.objects.get(slug="apply")
    assert set(found("社保", hub=apply)) <= set(apply.entries.values_list("service__code", flat=True))
    assert all(Service.objects.get(code=c).kind == "application" for c in found("社保", kind="application"))


def test_the_index_follows_changes(svc, superuser):
    assert found("自习室") == []
    service = actions.do_save_service(
        superuser, None, code="library_seats", kind="link", organisation=Organisation.objects.get(slug="xuhui"),
        name_zh="图书馆自习室预约", keywords="自习室 座位", link_url="https://example.org/seats")
    assert found("自习室") == ["library_seats"]
    actions.do_set_status(superuser, service, ServiceStatus.RETIRED)
    assert found("自习室") == []


# --- hubs and menus -------------------------------------------------------------------------


def test_hub_sections_own_services_then_linked_accounts_by_owner(svc):
    hall = Hub.objects.get(slug="municipal-hall")
    sections = runtime.hub_sections(hall)
    own = sections[0]
    assert own["organisation"].slug == "shanghai"
    assert len(own["services"]) == 20
    assert [s.code for s in own["services"]][:3] == ["bus_realtime", "traffic_violations", "road_conditions"]
    owners = [s["organisation"] for s in sections[1:]]
    assert owners and len({o.pk for o in owners}) == len(owners)
    kinds = [o.kind for o in owners]
    assert kinds == sorted(kinds, key=lambda k: runtime.LINKED_KIND_ORDER[k])
    assert "huangpu" in [o.slug for o in owners]
    shown = [s.code for section in sections for s in section["services"]]
    assert len(shown) == len(set(shown)) and "nat_booking" not in shown
    for section in sections[1:]:
        assert all(s.organisation_id == section["organisation"].pk for s in section["services"])


def test_hub_without_linked_accounts_is_one_section(svc):
    apply = Hub.objects.get(slug="apply")
    sections = runtime.hub_sections(apply)
    assert len(sections) == 1
    codes = [s.code for s in sections[0]["services"]]
    assert codes[:3] == ["scan", "suishen_code", "assistant"]
    assert sum(1 for s in sections[0]["services"] if s.kind == "application") == 44


def test_menu_falls_back_to_parent_then_municipal(svc, superuser):
    city_menu = AccountMenu.objects.get(organisation__slug="shanghai").menu
    assert [c["name"] for c in city_menu["button"]] == ["市民大厅", "随申办", "来上海"]
    assert runtime.menu_for(Organisation.objects.get(slug="huangpu")) == city_menu
    police = Organisation.objects.get(slug="public-security-bureau")
    own = {"button": [{"type": "click", "name": "报警", "key": "110"}]}
    actions.do_import_menu(police, own, superuser)
    assert runtime.menu_for(police) == own
    assert runtime.menu_for(Organisation.objects.get(slug="traffic-police")) == own
    assert runtime.menu_for(Organisation.objects.get(slug="xuhui")) == city_menu


def test_no_menu_anywhere_is_none(svc):
    AccountMenu.objects.all().delete()
    assert runtime.menu_for(Organisation.objects.get(slug="huangpu")) is None


# --- who may touch what ---------------------------------------------------------------------


def test_access_service(svc, make_staff, superuser):
    transport = Organisation.objects.get(slug="transport-commission")
    bus, garbage = svc("bus_realtime"), svc("garbage_sorting")
    liaison = make_staff("t_liaison", transport, "liaison")
    editor = make_staff("t_editor", transport, "editor")
    admin = make_staff("t_admin", transport, "administrator")
    assert access_service(AnonymousUser(), bus, "view") is bus
    assert access_service(liaison, bus, "edit") is bus and access_service(admin, bus, "edit") is bus
    assert access_service(superuser, garbage, "edit") is garbage
    for user, service in [(editor, bus), (liaison, garbage), (AnonymousUser(), bus), (None, bus)]:
        with pytest.raises(PermissionDenied):
            access_service(user, service, "edit")
    with pytest.raises(PermissionDenied):
        access_service(superuser, bus, "delete-everything")
    Service.objects.filter(pk=bus.pk).update(status=ServiceStatus.RETIRED)
    bus.refresh_from_db()
    with pytest.raises(PermissionDenied):
        access_service(AnonymousUser(), bus, "view")
    assert access_service(liaison, bus, "view") is bus


def test_access_menu_and_connectors(svc, make_staff, superuser):
    city, huangpu = Organisation.objects.get(slug="shanghai"), Organisation.objects.get(slug="huangpu")
    city_admin = make_staff("city_admin", city, "administrator")
    district_admin = make_staff("hp_admin", huangpu, "administrator")
    liaison = make_staff("hp_liaison", huangpu, "liaison")
    assert access_menu(None, city, "view") is city
    assert access_menu(city_admin, city, "edit") is city
    assert access_menu(district_admin, huangpu, "edit") is huangpu
    for user, org in [(district_admin, city), (liaison, huangpu), (None, huangpu)]:
        with pytest.raises(PermissionDenied):
            access_menu(user, org, "edit")
    # Connectors: the administrators of the organisation that owns them.
    assert access_connector(city_admin, None, "edit") and access_connector(superuser, None, "view")
    assert access_connector(district_admin, None, "edit")  # may keep Huangpu's own connectors
    health = Connector.objects.get(name="hospital_reports")
    assert access_connector(superuser, health, "edit") is health
    for user in (city_admin, district_admin, liaison, None, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            access_connector(user, health, "view")
    for user in (liaison, None, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            access_connector(user, None, "view")


def test_actions_authorise_before_changing(svc, make_staff):
    liaison = make_staff("x_liaison", Organisation.objects.get(slug="transport-commission"), "liaison")
    with pytest.raises(PermissionDenied):
        actions.do_set_status(liaison, svc("garbage_sorting"), ServiceStatus.MAINTENANCE, "维护")
    with pytest.raises(PermissionDenied):
        actions.do_import_menu(Organisation.objects.get(slug="transport-commission"),
                               {"button": [{"type": "click", "name": "a", "key": "K"}]}, liaison)
    with pytest.raises(PermissionDenied):
        actions.do_save_connector(liaison, Connector.objects.get(name="garbage_sorting"), timeout_s=1.0)
    assert svc("garbage_sorting").status == ServiceStatus.AVAILABLE


def test_set_status_is_audited(svc, superuser):
    service = actions.do_set_status(superuser, svc("waterlogging"), ServiceStatus.MAINTENANCE, "汛期数据校准中。")
    assert service.status == "maintenance" and service.maintenance_message == "汛期数据校准中。"
    entry = ModelLogEntry.objects.get(action="civichall.services.service.status")
    assert entry.data["status"] == ["available", "maintenance"] and entry.user_id == superuser.pk
    answer = runtime.query_service(svc("waterlogging"), {})
    assert answer["status"] == "maintenance" and answer["message"] == "汛期数据校准中。"


def test_check_service_names_each_problem(svc):
    bus = svc("bus_realtime")
    with pytest.raises(ValidationError) as error:
        actions.do_save_service(SYSTEM, bus, code="garbage_sorting", identity_param="nobody",
                                input_schema={"type": "nonsense"})
    fields = error.value.message_dict
    assert {"code", "input_schema"} <= set(fields)
    with pytest.raises(ValidationError) as error:
        actions.do_save_service(SYSTEM, bus, identity_param="nobody")
    assert "identity_param" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.do_save_service(SYSTEM, bus, connector=None)
    assert "connector" in error.value.message_dict


def test_a_personal_connector_bound_through_the_owned_parameter_can_be_saved(svc):
    # Traffic violations: the plate must be one of the citizen's own vehicles.
    violations = svc("traffic_violations")
    saved = actions.do_save_service(SYSTEM, violations, name_zh="交通违法查询（本人车辆）")
    assert saved.owned_param == "plate" and saved.connector.personal_data
    assert ModelLogEntry.objects.filter(action="civichall.services.service.edit", object_id=str(saved.pk)).exists()
    # Without the owned parameter the same connector is refused.
    with pytest.raises(ValidationError) as error:
        actions.do_save_service(SYSTEM, violations, owned_param="")
    assert "identity_param" in error.value.message_dict


def bus_owner():
    return Organisation.objects.get(slug="transport-commission")


def test_check_connector_refuses_a_bad_configuration_without_echoing_the_secret(svc):
    with pytest.raises(ValidationError) as error:
        actions.do_save_connector(SYSTEM, None, secret="top-secret-42", name="x", organisation=bus_owner(), kind="http_json",
                                  config={"url_template": "ftp://top-secret-42/"})
    text = str(error.value.message_dict)
    assert "config" in error.value.message_dict and "top-secret-42" not in text
    with pytest.raises(ValidationError) as error:
        actions.do_save_connector(SYSTEM, None, name="y", organisation=bus_owner(), kind="nonsense", config={})
    assert "kind" in error.value.message_dict


# --- the demo -------------------------------------------------------------------------------


def test_demo_catalog(svc):
    hall = Hub.objects.get(slug=demo.HALL_SLUG)
    assert hall.entries.count() >= 20
    applications = Service.objects.filter(kind="application")
    assert applications.count() == 44
    owners = {s.code: s.organisation.slug for s in applications.select_related("organisation")}
    assert owners["disability_living_subsidy"] == "disabled-persons-federation"
    assert owners["unemployment_insurance"] == "human-resources-social-security-bureau"
    assert owners["residence_registration"] == "public-security-bureau"
    assert owners["newborn_medical_insurance"] == "medical-security-bureau"
    assert owners["housing_fund_withdrawal"] == "housing-provident-fund"
    assert Service.objects.filter(kind="assistant").count() == 1
    assert Service.objects.filter(kind="query").count() == 9
    assert all(s.connector_id for s in Service.objects.filter(kind="query"))
    assert svc("traffic_violations").organisation.slug == "traffic-police"
    assert svc("hospital_reports").requires_verified and svc("hospital_reports").identity_param == "resident_id"
    assert Connector.objects.filter(name=demo.VEHICLE_REGISTRY).exists()
    assert demo_departments_secret_not_in_config()


def demo_departments_secret_not_in_config():
    return all("secret" not in c.config for c in Connector.objects.all())


def test_loading_twice_changes_nothing(svc, department):
    def state():
        return (
            list(Service.objects.order_by("pk").values_list("pk", "code", "updated_at")),
            list(Connector.objects.order_by("pk").values_list("pk", "config", "updated_at")),
            list(HubEntry.objects.order_by("pk").values_list("pk", "hub_id", "service_id", "sort_order")),
            list(AccountMenu.objects.values_list("pk", "menu", "updated_at")),
            ModelLogEntry.objects.count(),
        )

    before = state()
    demo.load_services(department)
    assert state() == before


def test_pointing_the_connectors_elsewhere(svc, department):
    changed = demo.point_connectors_at("http://127.0.0.1:9")
    assert changed >= 6
    assert "127.0.0.1:9/" in Connector.objects.get(name="road_conditions").config["url_template"]
    assert demo.point_connectors_at("http://127.0.0.1:9") == 0
    demo.point_connectors_at(department)


def test_old_road_data_is_shown_with_its_date(svc, client):
    """The demo's road data are from 2025: the page says so, in Chinese and English."""
    svc("road_conditions")
    page = client.get("/services/road_conditions/?run=1").content.decode()
    note = page[page.index('id="stale-data"'):][:200]
    assert "数据来自 2025-07-15" in note and "可能已过时" in note
    english = client.get("/services/road_conditions/?run=1&lang=en").content.decode()
    assert "These data are from 2025-07-15" in english
