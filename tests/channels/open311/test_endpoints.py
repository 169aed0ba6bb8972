"""GeoReport v2 at /open311/v2/: every endpoint in JSON and XML, the
spec's error shape with the fitting status, filters, and what a POST
makes (a routed case; contact data kept private)."""

import json
from xml.etree import ElementTree as ET

import pytest

from civichall.applications import actions as app_actions
from civichall.applications.models import Case
from civichall.channels.open311.actions import do_revoke_key
from civichall.channels.open311.models import InboundRequest

from .conftest import post

pytestmark = pytest.mark.django_db

CONTACT = {"email": "wang.li@example.cn", "first_name": "丽", "last_name": "王", "phone": "13912345678",
           "device_id": "dev-8842", "account_id": "acct-551"}
PINNED = {"lat": "31.2304", "long": "121.4737", "attribute[district]": "黄浦区", "attribute[category]": "household",
          "description": "福州路小区门口的垃圾箱房两天没人清运，已经有异味。"}


def xml(response):
    return ET.fromstring(response.content)


def errors_of(response):
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and body and set(body[0]) == {"code", "description"}
    assert body[0]["code"] == response.status_code
    return body


def test_services_list_in_json_and_xml(client, service):
    body = client.get("/open311/v2/services.json").json()
    assert body == [{"service_code": "garbage_uncollected", "service_name": "垃圾未清运",
                     "description": "垃圾箱房、道路边的生活垃圾未按时清运。", "metadata": True, "type": "realtime",
                     "keywords": "垃圾,清运", "group": "随手拍"}]
    response = client.get("/open311/v2/services.xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')  # as the spec asks
    root = xml(response)
    assert root.tag == "services"
    assert root.find("service/service_code").text == "garbage_uncollected"
    assert root.find("service/metadata").text == "true"


def test_discovery_names_the_v2_endpoint_and_its_formats(client, service):
    body = client.get("/open311/discovery.json").json()
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2" and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"] and body["changeset"].endswith("+08:00")
    root = xml(client.get("/open311/discovery.xml"))
    assert [f.text for f in root.iterfind("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]


def test_service_definition_lists_the_attributes(client, service):
    body = client.get("/open311/v2/services/garbage_uncollected.json").json()
    assert body["service_code"] == "garbage_uncollected"
    attrs = {a["code"]: a for a in body["attributes"]}
    assert set(attrs) == {"district", "category"}  # location and description are the request's own fields
    assert attrs["category"]["required"] is True and attrs["district"]["required"] is False
    assert attrs["category"]["datatype"] == "singlevaluelist" and attrs["category"]["variable"] is True
    assert attrs["category"]["values"] == [{"key": "household", "name": "生活垃圾"}, {"key": "bulky", "name": "大件垃圾"}]
    assert [a["order"] for a in body["attributes"]] == [1, 2]
    root = xml(client.get("/open311/v2/services/garbage_uncollected.xml"))
    assert root.tag == "service_definition"
    names = [v.find("name").text for v in root.iterfind("attributes/attribute/values/value")]
    assert "生活垃圾" in names and "黄浦区" in names


def test_unknown_service_is_a_404_in_both_shapes(client, service):
    response = client.get("/open311/v2/services/no_such_thing.json")
    assert response.status_code == 404
    assert "service_code" in errors_of(response)[0]["description"]
    response = client.get("/open311/v2/services/no_such_thing.xml")
    assert response.status_code == 404
    root = xml(response)
    assert root.tag == "errors" and root.find("error/code").text == "404"
    assert root.find("error/description").text


def test_post_with_lat_long_files_a_case_routed_to_the_district(client, service, key, orgs):
    response = post(client, key, **PINNED, media_url="https://img.example.cn/a.jpg", **CONTACT)
    assert response.status_code == 201
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    case = Case.objects.get(number=answer["service_request_id"])
    assert case.number.startswith("BX-") and case.citizen is None and case.channel == "open311"
    assert case.organisation == orgs["huangpu"]
    assert case.data["lat"] == 31.2304 and case.data["category"] == "household"
    assert case.data["media_url"] == "https://img.example.cn/a.jpg"
    assert case.reporter == CONTACT  # kept for the staff, on the case
    inbound = InboundRequest.objects.get(case=case)
    assert "api_key" not in inbound.params and inbound.api_key == key and not inbound.error
    assert case.events.get().event == "submit"


def test_post_with_an_address_routes_by_the_district_it_names(client, service, key, orgs):
    response = post(client, key, address_string="上海市徐汇区漕溪北路88号东侧", **{"attribute[category]": "bulky"},
                    description="路边堆着旧沙发和床垫，一周了没人清运。")
    assert response.status_code == 201
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.organisation == orgs["xuhui"] and case.data["district"] == "徐汇区"
    assert case.data["location_mode"] == "address"
    # A district the routing does not list goes to the city-wide bureau.
    response = post(client, key, address_string="浦东新区世纪大道100号", **{"attribute[category]": "bulky"},
                    description="世纪大道地铁口旁的垃圾桶满溢。", fmt="xml")
    assert response.status_code == 201
    number = xml(response).find("request/service_request_id").text
    assert Case.objects.get(number=number).organisation == orgs["city-green"]


def test_post_without_a_location_is_a_400_and_is_kept(client, service, key):
    response = post(client, key, **{"attribute[category]": "household"}, description="垃圾没有清运，味道很大。")
    assert response.status_code == 400
    assert "lat" in errors_of(response)[0]["description"]
    response = post(client, key, fmt="xml", **{"attribute[category]": "household"}, description="垃圾没有清运。")
    assert response.status_code == 400 and xml(response).find("error/code").text == "400"
    stored = InboundRequest.objects.filter(case__isnull=True)
    assert stored.count() == 2 and all(r.error.startswith("400") for r in stored)
    assert stored.first().params["description"] == "垃圾没有清运。"
    assert not Case.objects.exists()


@pytest.mark.parametrize("api_key", ["", "o311_not-a-real-key"])
def test_a_missing_or_unknown_key_is_a_403(client, service, key, api_key):
    response = post(client, api_key, **PINNED)
    assert response.status_code == 403 and errors_of(response)
    assert not Case.objects.exists()


def test_a_revoked_key_is_a_403(client, service, key, superuser):
    assert post(client, key, **PINNED).status_code == 201
    do_revoke_key(superuser, key)
    response = post(client, key, fmt="xml", **PINNED)
    assert response.status_code == 403
    assert "revoked" in xml(response).find("error/description").text or "撤销" in response.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"attribute[category]": "furniture"}, "category"),  # not one of the values
    ({"attribute[category]": ""}, "category"),  # required
    ({"attribute[district]": "火星区"}, "district"),
    ({"lat": "45.0"}, "lat"),  # outside Shanghai
    ({"lat": "北纬三十一度"}, "lat"),
    ({"description": "脏"}, "description"),  # too short to act on
])
def test_attributes_and_fields_are_validated(client, service, key, change, field):
    response = post(client, key, **{**PINNED, **change})
    assert response.status_code == 400
    assert any(e["description"].startswith(f"{field}:") for e in errors_of(response)), response.json()
    assert not Case.objects.exists()


def test_an_unknown_service_code_in_a_post_is_a_404(client, service, key):
    response = post(client, key, **{**PINNED, "service_code": "pothole"})
    assert response.status_code == 404
    assert errors_of(response)[0]["description"] == "没有这个 service_code 对应的服务。"
    # An application that is not a problem report is no Open311 service either.
    response = post(client, key, **{**PINNED, "service_code": "unemployment_insurance"})
    assert response.status_code == 404


def test_errors_speak_english_when_asked(client, service, key):
    response = client.post("/open311/v2/requests.json", {"api_key": key.raw, "service_code": "garbage_uncollected"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert errors_of(response)[0]["description"].startswith("Say where the problem is")


def test_get_requests_filters_and_never_shows_contact_data(client, service, key, superuser):
    first = post(client, key, **PINNED, **CONTACT).json()[0]["service_request_id"]
    second = post(client, key, address_string="徐汇区漕溪北路88号", **{"attribute[category]": "bulky"},
                  description="旧沙发堆在路边，联系我 13912345678。", **CONTACT).json()[0]["service_request_id"]
    app_actions.do_transition(superuser, Case.objects.get(number=second), "not_accept", reason="已由物业清运")

    listing = client.get("/open311/v2/requests.json")
    text = listing.content.decode()
    for value in CONTACT.values():
        assert value not in text
    body = {r["service_request_id"]: r for r in listing.json()}
    assert set(body) == {first, second}
    one = body[first]
    assert list(one) == ["service_request_id", "status", "status_notes", "service_name", "service_code",
                         "description", "agency_responsible", "service_notice", "requested_datetime",
                         "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
                         "long", "media_url"]
    assert one["status"] == "open" and one["lat"] == 31.2304 and one["long"] == 121.4737
    assert one["agency_responsible"] == "上海市黄浦区人民政府" and one["requested_datetime"].endswith("+08:00")
    assert body[second]["status"] == "closed" and "已由物业清运" in body[second]["status_notes"]
    assert "139********" in body[second]["description"]

    def ids(**params):
        return [r["service_request_id"] for r in client.get("/open311/v2/requests.json", params).json()]

    assert ids(status="open") == [first] and ids(status="closed") == [second]
    assert ids(service_request_id=f"{second},{first}", status="open") != [first]  # the id overrides the rest
    assert ids(service_code="garbage_uncollected") == [second, first]
    assert ids(service_code="noise_nuisance") == []
    assert ids(start_date="2031-01-01T00:00:00Z") == []
    assert ids(end_date="2020-01-01T00:00:00+08:00") == []
    root = xml(client.get("/open311/v2/requests.xml", {"status": "closed"}))
    assert root.tag == "service_requests" and root.find("request/status").text == "closed"
    assert "wang.li" not in client.get("/open311/v2/requests.xml").content.decode()


@pytest.mark.parametrize("params", [{"status": "pending"}, {"start_date": "昨天"},
                                    {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}])
def test_bad_filters_are_a_400(client, service, params):
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 400 and errors_of(response)


def test_one_request_and_a_token_in_json_and_xml(client, service, key):
    number = post(client, key, **PINNED).json()[0]["service_request_id"]
    [one] = client.get(f"/open311/v2/requests/{number}.json").json()
    assert one["service_request_id"] == number and one["service_code"] == "garbage_uncollected"
    assert xml(client.get(f"/open311/v2/requests/{number}.xml")).find("request/service_request_id").text == number
    assert client.get("/open311/v2/requests/BX-20200101-999999.json").status_code == 404
    token = InboundRequest.objects.get(case__number=number).token
    assert client.get(f"/open311/v2/tokens/{token}.json").json() == [{"service_request_id": number, "token": token}]
    assert xml(client.get(f"/open311/v2/tokens/{token}.xml")).find("request/service_request_id").text == number
    response = client.get("/open311/v2/tokens/nothing-here.xml")
    assert response.status_code == 404 and xml(response).tag == "errors"


def test_a_wrong_method_is_a_405_in_the_error_shape(client, service):
    response = client.delete("/open311/v2/services.json")
    assert response.status_code == 405 and errors_of(response)


def test_the_endpoints_are_never_kept_in_the_page_cache(client, service, key):
    from civichall.core.page_cache import SKIPPED_PREFIXES

    assert "/open311/" in SKIPPED_PREFIXES
    response = client.get("/open311/v2/requests.json")
    assert response["Cache-Control"] == "no-store"
    assert "X-Page-Cache" not in response
    json.loads(response.content)
