"""The services API: catalog, one service with its input schema, queries
(with identity, bad input, a department that is down), and the OpenAPI
document."""

import pytest
from wagtail.models import APIToken

from civichall.contrib.demo import fake_department
from civichall.services.models import Service, ServiceStatus
from tests.services.django_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def post(client, code, body, token=None, **extra):
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(f"/api/v1/services/{code}/query", body, content_type="application/json", **extra)


def token_for(user):
    _record, plain = APIToken.create_token(user=user, name="test")
    return plain


def codes(response):
    assert response.status_code == 200, response.content
    return [s["code"] for s in response.json()["results"]]


# --- the catalog ----------------------------------------------------------------------------


def test_list_paginates_and_leaves_out_retired(client, svc):
    body = client.get("/api/v1/services?page_size=10").json()
    assert body["count"] == Service.objects.exclude(status=ServiceStatus.RETIRED).count()
    assert len(body["results"]) == 10 and body["page"] == 1
    everything = [s["code"] for p in range(1, body["count"] // 10 + 2)
                  for s in client.get(f"/api/v1/services?page_size=10&page={p}").json()["results"]]
    assert len(everything) == len(set(everything)) == body["count"]
    assert "nat_booking" not in everything
    first = body["results"][0]
    assert {"code", "name", "kind", "status", "organisation", "url", "requires_login"} <= set(first)


def test_filters(client, svc):
    queries = codes(client.get("/api/v1/services?kind=query&page_size=100"))
    assert len(queries) == 9 and "garbage_sorting" in queries
    hall = client.get("/api/v1/services?hub=municipal-hall&page_size=100").json()
    hall_codes = [s["code"] for s in hall["results"]]
    assert hall_codes[:20] == [e.service.code for e in svc("bus_realtime").hub_entries.first().hub.entries.all()][:20]
    assert len(hall_codes) >= 20
    apply = codes(client.get("/api/v1/services?hub=apply&kind=application&page_size=100"))
    assert len(apply) == 44
    transport = codes(client.get("/api/v1/services?organisation=transport-commission&page_size=100"))
    assert "bus_realtime" in transport and "garbage_sorting" not in transport
    linked = codes(client.get("/api/v1/services?organisation=public-security-bureau&linked=true&page_size=100"))
    assert "traffic_violations" in linked  # owned by the traffic police, under the bureau


def test_search_with_synonyms_and_linked_accounts(client, svc):
    assert "social_security_card" in codes(client.get("/api/v1/services?q=社保"))[:3]
    buses = codes(client.get("/api/v1/services?q=巴士"))
    # The hall's real-time bus, and the community buses of a linked district.
    assert "bus_realtime" in buses[:3] and "pudong_bus_shuttle" in buses[:3]
    found = codes(client.get("/api/v1/services?q=社区"))
    assert "huangpu_service_centres" in found
    assert codes(client.get("/api/v1/services?q=巴士&hub=apply")) == []
    assert codes(client.get("/api/v1/services?q=巴士&organisation=pudong")) == ["pudong_bus_shuttle"]


def test_unknown_filters_are_clear_errors(client, svc):
    bad = client.get("/api/v1/services?hub=nowhere")
    assert bad.status_code == 422 and "hub" in bad.json()["error"]["fields"]
    bad = client.get("/api/v1/services?organisation=nobody")
    assert bad.status_code == 422 and "organisation" in bad.json()["error"]["fields"]
    bad = client.get("/api/v1/services?kind=nonsense")
    assert bad.status_code == 422 and "kind" in bad.json()["error"]["fields"]
    assert client.get("/api/v1/services?page_size=1000").status_code == 422


def test_one_service_with_its_input_schema(client, svc):
    body = client.get("/api/v1/services/garbage_sorting").json()
    assert body["input_schema"]["required"] == ["item"]
    assert body["organisation"]["slug"] == "landscaping-city-appearance-bureau"
    assert "municipal-hall" in body["hubs"]
    personal = client.get("/api/v1/services/hospital_reports").json()
    assert personal["requires_verified"] is True
    assert "resident_id" not in personal["input_schema"].get("properties", {})
    assert client.get("/api/v1/services/weather").json()["input_schema"] is None
    missing = client.get("/api/v1/services/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/services/nat_booking").status_code == 410


# --- queries ---------------------------------------------------------------------------------


def test_query_and_cache(client, svc):
    first = post(client, "garbage_sorting", {"item": "奶茶杯"})
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["status"] == "ok" and body["data"]["matches"][0]["category"] == "干垃圾"
    assert body["from_cache"] is False
    assert post(client, "garbage_sorting", {"item": "奶茶杯"}).json()["from_cache"] is True


def test_bad_input_is_422_with_a_message_per_field(client, svc):
    response = post(client, "same_name", {"name": "abc"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and "汉字" in error["fields"]["name"]
    empty = post(client, "garbage_sorting", {})
    assert empty.status_code == 422 and "请填写" in empty.json()["error"]["fields"]["item"]
    english = post(client, "garbage_sorting", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert "required" in english.json()["error"]["fields"]["item"]
    not_an_object = post(client, "garbage_sorting", ["奶茶杯"])
    assert not_an_object.status_code == 422
    assert post(client, "weather", {}).status_code == 400
    assert post(client, "nope", {}).status_code == 404


def test_identity_services_401_403_and_own_data_only(client, svc, verified, unverified):
    anonymous = post(client, "hospital_reports", {})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"
    assert post(client, "hospital_reports", {}, token="nonsense").status_code == 401
    assert post(client, "hospital_reports", {}, token=token_for(unverified)).status_code == 403
    owner = token_for(verified("R0001"))
    mine = post(client, "hospital_reports", {"resident_id": "R0002"}, token=owner)
    assert mine.status_code == 200
    assert all(r["hospital"] for r in mine.json()["data"])
    assert post(client, "traffic_violations", {"plate": "沪A·D12345"}, token=owner).status_code == 200
    other = post(client, "traffic_violations", {"plate": "沪B·7K521"}, token=owner)
    assert other.status_code == 403 and "plate" in other.json()["error"]["fields"]
    assert "data" not in other.json()


def test_department_down_is_503_with_the_alternative(client, svc):
    fake_department.set_mode("down")
    response = post(client, "road_conditions", {"road": "延安高架"})
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "unavailable" and error["message"] and error["alternative"]
    assert response["Retry-After"]
    assert post(client, "garbage_sorting", {"item": "过期药品"}).status_code == 200


def test_maintenance_503_and_retired_410(client, svc):
    Service.objects.filter(code="school_enrolment").update(status=ServiceStatus.MAINTENANCE,
                                                           maintenance_message="数据更新中。")
    response = post(client, "school_enrolment", {"district": "黄浦区"})
    assert response.status_code == 503
    assert response.json()["error"] == {"code": "maintenance", "message": "数据更新中。",
                                        "alternative": svc("school_enrolment").alternative}
    Service.objects.filter(code="school_enrolment").update(status=ServiceStatus.RETIRED)
    assert post(client, "school_enrolment", {"district": "黄浦区"}).status_code == 410


def test_openapi_documents_the_endpoints(client, svc):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert "get" in paths["/api/v1/services"]
    assert "get" in paths["/api/v1/services/{code}"]
    query = paths["/api/v1/services/{code}/query"]["post"]
    assert {"200", "401", "403", "422", "503", "410"} <= set(query["responses"])
    assert query.get("security")  # the optional citizen token
    names = {p["name"] for p in paths["/api/v1/services"]["get"]["parameters"]}
    assert {"kind", "organisation", "hub", "q", "page", "page_size"} <= names
