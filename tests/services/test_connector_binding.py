"""The cross-department data hole, closed in the model: a service may use
only its own organisation's connectors (or ones shared with it by their
owner), and a service over a connector that returns personal data is bound
to the verified citizen -- whoever saves it and however (admin create,
admin edit/re-point, staff API, CLI, the model itself). Anonymous queries of
personal data through any service are refused."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import APIToken, ModelLogEntry

from civichall.accounts.models import Organisation
from civichall.accounts.policy import SYSTEM
from civichall.services import actions
from civichall.services.models import Connector, ConnectorShare, Service

from .django_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

ROLES = ("editor", "reviewer", "liaison", "administrator")
HEALTH = "health-commission"
EDUCATION = "education-commission"


def org(slug):
    return Organisation.objects.get(slug=slug)


def hospital_connector():
    return Connector.objects.get(name="hospital_reports")


def attack_fields(owner_slug=EDUCATION, **extra):
    """A public query service over the health commission's hospital reports,
    with the identity binding left empty -- the attack."""
    return {"code": "free_reports", "kind": "query", "organisation": owner_slug, "name_zh": "报告查询",
            "connector": "hospital_reports", "requires_login": False, "requires_verified": False,
            "identity_param": "", **extra}


def admin_form(organisation, connector, **extra):
    data = {"name_zh": "报告查询", "name_en": "", "code": "free_reports", "kind": "query", "icon": "",
            "organisation": organisation.pk, "description_zh": "", "description_en": "", "keywords": "",
            "synonyms": "", "sort_order": 0, "status": "available", "maintenance_message": "",
            "alternative": "", "connector": connector.pk, "cache_ttl_s": 0, "identity_param": "",
            "owned_param": "", "input_schema": "", "output_schema": "", "link_url": ""}
    data.update(extra)
    return data


@pytest.fixture
def staff(svc, make_staff):
    """staff(org_slug, role) -> a user holding that role there."""

    made = {}

    def make(slug, role):
        if (slug, role) not in made:
            made[slug, role] = make_staff(f"{slug[:12]}_{role}", org(slug), role)
        return made[slug, role]

    return make


def anonymous_query(client, code):
    return client.post(f"/api/v1/services/{code}/query", data=json.dumps({"resident_id": "R0001"}),
                       content_type="application/json")


# --- the model refuses, whoever saves ------------------------------------------------------------


def test_the_model_refuses_another_departments_connector(svc):
    with pytest.raises(ValidationError) as error:
        Service.objects.create(code="free_reports", kind="query", organisation=org(EDUCATION),
                               name_zh="报告查询", connector=hospital_connector())
    assert "connector" in error.value.message_dict
    assert not Service.objects.filter(code="free_reports").exists()


def test_the_model_refuses_personal_data_without_identity_binding(svc):
    with pytest.raises(ValidationError) as error:
        Service.objects.create(code="free_reports", kind="query", organisation=org(HEALTH),
                               name_zh="报告查询", connector=hospital_connector())
    problems = error.value.message_dict
    assert {"requires_verified", "identity_param"} <= set(problems)
    assert "resident_id" in " ".join(problems["identity_param"])


@pytest.mark.parametrize("role", ROLES)
def test_no_role_may_wire_another_departments_connector_through_the_action(staff, role):
    user = staff(EDUCATION, role)
    with pytest.raises((ValidationError, PermissionDenied)):
        actions.do_save_service(user, None, **actions.service_fields_from_references(attack_fields()))
    # Even binding identity does not make another department's system usable.
    with pytest.raises((ValidationError, PermissionDenied)):
        actions.do_save_service(user, None, **actions.service_fields_from_references(attack_fields(
            requires_login=True, requires_verified=True, identity_param="resident_id")))
    assert not Service.objects.filter(code="free_reports").exists()


@pytest.mark.parametrize("role", ROLES)
def test_no_role_of_the_owner_may_unbind_personal_data(staff, role):
    user = staff(HEALTH, role)
    with pytest.raises((ValidationError, PermissionDenied)):
        actions.do_save_service(user, None, **actions.service_fields_from_references(attack_fields(HEALTH)))
    assert not Service.objects.filter(code="free_reports").exists()


def test_the_system_actor_is_held_to_the_same_rules(svc):
    with pytest.raises(ValidationError):
        actions.do_save_service(SYSTEM, None, **actions.service_fields_from_references(attack_fields()))
    with pytest.raises(ValidationError):
        actions.do_save_service(SYSTEM, svc("hospital_reports"), identity_param="", requires_verified=False)


# --- admin: create, edit, re-point -----------------------------------------------------------------


@pytest.mark.parametrize("role", ("liaison", "administrator"))
def test_admin_create_offers_and_accepts_only_usable_connectors(client, staff, role):
    user = staff(EDUCATION, role)
    client.force_login(user)
    page = client.get(reverse("services_services:add")).content.decode()
    assert "hospital_reports" not in page and "social_security_card" not in page
    assert "school_enrolment" in page  # the education commission's own
    response = client.post(reverse("services_services:add"), admin_form(org(EDUCATION), hospital_connector()))
    assert response.status_code == 200
    assert not Service.objects.filter(code="free_reports").exists()


def test_admin_create_by_the_owner_without_binding_names_the_reason(client, staff):
    client.force_login(staff(HEALTH, "liaison"))
    response = client.post(reverse("services_services:add"), admin_form(org(HEALTH), hospital_connector()))
    assert response.status_code == 200
    assert "resident_id" in response.content.decode()
    assert not Service.objects.filter(code="free_reports").exists()


@pytest.mark.parametrize("role", ("liaison", "administrator"))
def test_admin_edit_cannot_repoint_to_another_departments_connector(client, svc, staff, role):
    school = svc("school_enrolment")
    client.force_login(staff(EDUCATION, role))
    form = admin_form(org(EDUCATION), hospital_connector(), code=school.code, name_zh=school.name_zh)
    response = client.post(reverse("services_services:edit", args=[school.pk]), form)
    assert response.status_code == 200
    assert Service.objects.get(pk=school.pk).connector.name == "school_enrolment"


def test_admin_edit_cannot_unbind_a_personal_service(client, svc, staff):
    reports = svc("hospital_reports")
    client.force_login(staff(HEALTH, "liaison"))
    form = admin_form(org(HEALTH), hospital_connector(), code=reports.code, name_zh=reports.name_zh)
    response = client.post(reverse("services_services:edit", args=[reports.pk]), form)
    assert response.status_code == 200
    reports.refresh_from_db()
    assert reports.identity_param == "resident_id" and reports.requires_verified


@pytest.mark.parametrize("role", ROLES)
def test_connectors_admin_shows_only_the_users_own(client, staff, role):
    client.force_login(staff(EDUCATION, role))
    response = client.get(reverse("services_connectors:edit", args=[hospital_connector().pk]))
    assert response.status_code in (302, 403, 404)
    listing = client.get(reverse("services_connectors:index"))
    assert "hospital_reports" not in listing.content.decode()


# --- staff API -----------------------------------------------------------------------------------


def api(client, method, path, user, body):
    token = APIToken.create_token(user=user, name="test")[1]
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("role", ROLES)
def test_api_create_is_refused_for_every_role(client, staff, role):
    response = api(client, "post", "/api/v1/staff/services", staff(EDUCATION, role), attack_fields())
    assert response.status_code in (403, 422), response.content
    assert "error" in response.json()
    assert not Service.objects.filter(code="free_reports").exists()


@pytest.mark.parametrize("role", ROLES)
def test_api_repoint_is_refused_for_every_role(client, svc, staff, role):
    response = api(client, "patch", "/api/v1/staff/services/school_enrolment", staff(EDUCATION, role),
                   {"connector": "hospital_reports"})
    assert response.status_code in (404, 422), response.content
    assert svc("school_enrolment").connector.name == "school_enrolment"


def test_api_cannot_see_another_organisations_service(client, svc, staff):
    response = api(client, "patch", "/api/v1/staff/services/hospital_reports", staff(EDUCATION, "liaison"),
                   {"identity_param": ""})
    missing = api(client, "patch", "/api/v1/staff/services/no_such_service", staff(EDUCATION, "liaison"), {})
    assert response.status_code == missing.status_code == 404
    assert response.json()["error"]["code"] == missing.json()["error"]["code"]


def test_api_creates_a_sound_service(client, staff):
    response = api(client, "post", "/api/v1/staff/services", staff(HEALTH, "liaison"),
                   attack_fields(HEALTH, requires_login=True, requires_verified=True, identity_param="resident_id"))
    assert response.status_code == 201, response.content
    assert response.json()["identity_param"] == "resident_id"
    entry = ModelLogEntry.objects.filter(action="civichall.services.service.create").latest("timestamp")
    assert entry.data["source"] == "api"


# --- CLI -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_cli_is_refused_for_every_role(staff, role):
    user = staff(EDUCATION, role)
    with pytest.raises(CommandError):
        call_command("service", "save", "free_reports", "--json", json.dumps(attack_fields()), "--as", user.username)
    assert not Service.objects.filter(code="free_reports").exists()


def test_cli_without_a_user_is_still_held_to_the_rules(svc):
    with pytest.raises(CommandError) as error:
        call_command("service", "save", "school_enrolment", "--json", json.dumps({"connector": "hospital_reports"}))
    assert "connector" in str(error.value)
    assert svc("school_enrolment").connector.name == "school_enrolment"


# --- sharing -------------------------------------------------------------------------------------


def test_only_the_owners_administrators_share_and_revoke(svc, staff):
    connector = hospital_connector()
    for slug, role in [(EDUCATION, "administrator"), (HEALTH, "liaison"), (HEALTH, "reviewer"),
                       (HEALTH, "editor")]:
        with pytest.raises(PermissionDenied):
            actions.do_share_connector(staff(slug, role), connector, org(EDUCATION), "家庭医生签约服务需要")
    owner_admin = staff(HEALTH, "administrator")
    with pytest.raises(ValidationError):
        actions.do_share_connector(owner_admin, connector, org(EDUCATION), "短")  # a reason, please
    share = actions.do_share_connector(owner_admin, connector, org(EDUCATION), "学生体检报告查询需要")
    with pytest.raises(PermissionDenied):
        actions.do_revoke_connector_share(staff(EDUCATION, "administrator"), share)
    entry = ModelLogEntry.objects.get(action="civichall.services.connector.share")
    assert entry.user_id == owner_admin.pk and entry.data["organisation"] == EDUCATION


def test_a_shared_personal_connector_still_needs_identity_and_stops_when_revoked(client, svc, staff, verified):
    connector = hospital_connector()
    owner_admin = staff(HEALTH, "administrator")
    share = actions.do_share_connector(owner_admin, connector, org(EDUCATION), "学生体检报告查询需要")
    liaison = staff(EDUCATION, "liaison")
    with pytest.raises(ValidationError):  # shared, but personal data still needs binding
        actions.do_save_service(liaison, None, **actions.service_fields_from_references(attack_fields()))
    service = actions.do_save_service(liaison, None, **actions.service_fields_from_references(attack_fields(
        requires_login=True, requires_verified=True, identity_param="resident_id")))
    assert anonymous_query(client, service.code).status_code == 401
    token = APIToken.create_token(user=verified("R0001"), name="test")[1]
    mine = client.post(f"/api/v1/services/{service.code}/query", data="{}", content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")
    assert mine.status_code == 200, mine.content
    actions.do_revoke_connector_share(owner_admin, share)
    assert ConnectorShare.objects.get(pk=share.pk).revoked_at is not None
    stopped = client.post(f"/api/v1/services/{service.code}/query", data="{}", content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert stopped.status_code == 503
    entry = ModelLogEntry.objects.get(action="civichall.services.connector.unshare")
    assert entry.data["services_stopped"] == [service.code]


def test_a_connector_cannot_be_changed_to_strand_its_services(svc):
    connector = hospital_connector()
    with pytest.raises(ValidationError) as error:
        actions.do_save_connector(SYSTEM, connector, organisation=org(EDUCATION))
    assert "hospital_reports" in str(error.value)
    with pytest.raises(ValidationError):
        actions.do_save_connector(SYSTEM, Connector.objects.get(name="road_conditions"), personal_data=True,
                                  identity_param="road")


# --- the query refuses, even for a service saved around the rules ---------------------------------


def test_anonymous_query_of_personal_data_is_refused_through_any_service(client, svc):
    reports = svc("hospital_reports")
    # Saved around every action (a raw update): the query still refuses.
    Service.objects.filter(pk=reports.pk).update(requires_login=False, requires_verified=False, identity_param="")
    Service.objects.filter(code="school_enrolment").update(connector=hospital_connector())
    for code in Service.objects.filter(connector__personal_data=True).values_list("code", flat=True):
        response = anonymous_query(client, code)
        assert response.status_code in (401, 403), (code, response.content)
        assert "data" not in response.json()


def test_a_citizen_sees_only_their_own_through_a_misbound_service(client, svc, verified):
    reports = svc("hospital_reports")
    Service.objects.filter(pk=reports.pk).update(identity_param="")
    token = APIToken.create_token(user=verified("R0001"), name="test")[1]
    response = client.post("/api/v1/services/hospital_reports/query",
                           data=json.dumps({"resident_id": "R0002"}), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    mine = client.post("/api/v1/services/hospital_reports/query", data="{}", content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["data"] == mine.json()["data"]


def test_the_cli_lists_shares(svc, staff):
    actions.do_share_connector(staff(HEALTH, "administrator"), hospital_connector(), org(EDUCATION),
                               "学生体检报告查询需要")
    out = io.StringIO()
    call_command("connector", "shares", stdout=out)
    assert "hospital_reports\teducation-commission" in out.getvalue()
