"""Who sees a report and who manages keys: the routed organisation's
officers see the case, another organisation's do not; keys are issued on
the console and revoked in the admin by municipal administrators, audited;
the public pages show status and place, never contact data."""

import pytest
from django.core.management import call_command
from django.http import Http404
from wagtail.models import ModelLogEntry

from civichall.accounts.models import Role
from civichall.accounts.policy import SYSTEM
from civichall.applications import actions as app_actions
from civichall.applications.models import Case
from civichall.applications.permissions import access_case, cases_for_staff
from civichall.channels.open311.actions import do_create_key
from civichall.channels.open311.models import ApiKey
from tests.accounts.policy_walk import assert_decision_and_filter_agree

from .conftest import post
from .test_endpoints import CONTACT, PINNED

pytestmark = pytest.mark.django_db


def test_the_case_is_seen_by_the_routed_organisation_only(client, service, key, officers, orgs):
    number = post(client, key, **PINNED, **CONTACT).json()[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert access_case(officers["huangpu"], case, "handle") == case
    assert list(cases_for_staff(officers["huangpu"], Case.objects.all())) == [case]
    for other in ("xuhui", "city-green"):
        with pytest.raises(Http404):
            access_case(officers[other], case)
        assert not cases_for_staff(officers[other], Case.objects.all()).exists()
    # The routed officer handles it through the applications' own lifecycle.
    app_actions.do_transition(officers["huangpu"], case, "accept")
    assert client.get(f"/open311/v2/requests/{number}.json").json()[0]["expected_datetime"]


def test_the_officer_sees_the_reporters_contact_in_the_queue(client, service, key, officers):
    number = post(client, key, **PINNED, **CONTACT).json()[0]["service_request_id"]
    client.force_login(officers["huangpu"])
    page = client.get(f"/admin/applications/cases/{number}/")
    assert page.status_code == 200 and "wang.li@example.cn" in page.content.decode()
    client.force_login(officers["xuhui"])
    assert client.get(f"/admin/applications/cases/{number}/").status_code == 404


def test_a_citizen_report_through_the_form_is_routed_by_district(service, orgs, make_citizen):
    citizen = make_citizen("13800000001", verify_as="R0001")
    data = {"location_mode": "address", "address": "徐汇区天钥桥路100号", "district": "徐汇区",
            "category": "household", "description": "小区门口垃圾桶三天没有清运。"}
    case, created = app_actions.do_submit(citizen.user, service, data, idempotency_key="r-1")
    assert created and case.organisation == orgs["xuhui"] and case.citizen == citizen


def test_create_key_prints_the_key_as_its_last_word(client, service, capsys):
    call_command("open311", "create_key", "徐汇区城运中心")
    key = capsys.readouterr().out.split()[-1]
    assert post(client, key, **PINNED).status_code == 201
    assert ApiKey.objects.get().name == "徐汇区城运中心"
    assert ModelLogEntry.objects.filter(action="civichall.open311.key.create").exists()
    call_command("open311", "revoke_key", key[:12])
    assert post(client, key, **PINNED).status_code == 403


def test_a_municipal_administrator_revokes_a_key_in_the_admin(client, key, make_org, make_staff):
    city = make_org("shanghai", kind="municipal", name_zh="上海市人民政府新闻办公室")
    admin = make_staff("sh_admin", city, Role.ADMINISTRATOR)
    district_admin = make_staff("hp_admin", make_org("huangpu", kind="district"), Role.ADMINISTRATOR)
    client.force_login(district_admin)
    assert client.get("/admin/open311/keys/").status_code in (302, 403)
    assert client.post(f"/admin/open311/keys/edit/{key.pk}/", {"revoke": "on"}).status_code in (302, 403, 404)
    key.refresh_from_db()
    assert key.revoked_at is None
    client.force_login(admin)
    assert "区网格化平台" in client.get("/admin/open311/keys/").content.decode()
    response = client.post(f"/admin/open311/keys/edit/{key.pk}/", {"revoke": "on"})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == admin
    assert ModelLogEntry.objects.filter(action="civichall.open311.key.revoke", user_id=admin.pk).exists()


def test_the_key_rules_agree_with_their_filter(make_org, make_staff, key):
    city = make_org("shanghai", kind="municipal")
    actors = [make_staff("a1", city, Role.ADMINISTRATOR), make_staff("e1", city, Role.EDITOR),
              make_staff("a2", make_org("xuhui", kind="district"), Role.ADMINISTRATOR), SYSTEM]
    do_create_key(SYSTEM, "第二把")
    assert assert_decision_and_filter_agree(actors, {"open311_key": ApiKey.objects.all}) > 0


def test_public_pages_show_status_and_place_without_contact(client, service, key):
    number = post(client, key, **PINNED, **CONTACT).json()[0]["service_request_id"]
    listing = client.get("/open311/")
    text = listing.content.decode()
    assert listing.status_code == 200 and number in text and "<circle" in text and "31.23040" in text
    page = client.get(f"/open311/reports/{number}/")
    text = page.content.decode()
    assert page.status_code == 200 and "垃圾未清运" in text and "上海市黄浦区人民政府" in text
    for value in CONTACT.values():
        assert value not in text
    assert client.get("/open311/", {"number": number}).url.endswith(f"/open311/reports/{number}/")
    assert client.get("/open311/reports/BX-20200101-000404/").status_code == 404


def _png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 60)).save(out, "PNG")
    return out.getvalue()


def test_a_citizen_reports_with_a_pin_and_a_photo_on_the_site(client, service, orgs, make_citizen):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    citizen = make_citizen("13800000001", verify_as="R0001")
    client.force_login(citizen.user)
    base = "/applications/garbage_uncollected"
    missing = client.post(f"{base}/step/0/", {"location_mode": "pin", "lat": "31.23", "go": "next"})
    assert missing.status_code == 422 and 'value="31.23"' in missing.content.decode()  # nothing typed is lost
    assert client.post(f"{base}/step/0/", {"location_mode": "pin", "lat": "31.2304", "long": "121.4737",
                                           "district": "黄浦区", "go": "next"}).url == f"{base}/step/1/"
    client.post(f"{base}/step/1/", {"category": "household", "description": "小区门口垃圾桶三天没有清运。",
                                    "go": "next"})
    client.post(f"{base}/materials/", {"code": "photo", "file": SimpleUploadedFile("现场.png", _png())})
    review = client.get(f"{base}/review/").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', review).group(1)
    client.post(f"{base}/review/", {"key": key, "declare": "1"})
    case = Case.objects.get()
    assert case.organisation == orgs["huangpu"] and case.materials.get().code == "photo"
    assert case.channel == "web" and case.data["lat"] == 31.2304
    client.logout()
    status = client.get(f"/open311/reports/{case.number}/").content.decode()
    assert "垃圾未清运" in status and "13800000001" not in status


def test_the_queue_and_the_staff_api_handle_a_report_without_a_citizen(client, service, key, officers):
    from wagtail.models import APIToken

    number = post(client, key, **PINNED, **CONTACT).json()[0]["service_request_id"]
    client.force_login(officers["huangpu"])
    queue = client.get("/admin/applications/cases/")
    assert queue.status_code == 200 and number in queue.content.decode()
    token = APIToken.create_token(user=officers["huangpu"], name="test")[1]
    staff = client.get(f"/api/v1/staff/cases/{number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert staff["reporter"]["email"] == "wang.li@example.cn" and staff["channel"] == "open311"
    assert staff["data"]["category"] == "household"
    other = APIToken.create_token(user=officers["xuhui"], name="test")[1]
    assert client.get(f"/api/v1/staff/cases/{number}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
