"""The account-matrix API: organisations, their kinds and parents."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(make_org):
    city = make_org("shanghai", kind="municipal", name_zh="上海发布")
    huangpu = make_org("huangpu", kind="district", parent=city, name_zh="上海黄浦")
    xuhui = make_org("xuhui", kind="district", parent=city, name_zh="徐汇通")
    health = make_org("health", kind="bureau", parent=city, name_zh="健康上海")
    hospital = make_org("ruijin", kind="institution", parent=health, name_zh="瑞金医院")
    return {o.slug: o for o in (city, huangpu, xuhui, health, hospital)}


def slugs(body):
    return [o["slug"] for o in body["results"]]


def test_list_all_organisations(client, matrix):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert set(slugs(body)) == set(matrix)


def test_filter_by_kind(client, matrix):
    body = client.get("/api/v1/organisations?kind=district").json()
    assert sorted(slugs(body)) == ["huangpu", "xuhui"]
    assert body["count"] == 2
    assert slugs(client.get("/api/v1/organisations?kind=institution").json()) == ["ruijin"]


def test_filter_by_parent(client, matrix):
    body = client.get("/api/v1/organisations?parent=shanghai").json()
    assert sorted(slugs(body)) == ["health", "huangpu", "xuhui"]
    body = client.get("/api/v1/organisations?parent=health&kind=institution").json()
    assert slugs(body) == ["ruijin"]
    unknown = client.get("/api/v1/organisations?parent=nobody")
    assert unknown.status_code == 422 and "parent" in unknown.json()["error"]["fields"]


def test_organisation_shape(client, matrix):
    response = client.get("/api/v1/organisations/ruijin")
    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == "ruijin"
    assert data["kind"] == "institution"
    assert data["name_zh"] == "瑞金医院"
    assert data["account_name"] == "瑞金医院"
    assert data["parent"] == "health"
    assert data["url"] == "http://testserver" + matrix["ruijin"].section.url
    assert "瑞金医院".encode() in response.content  # Chinese as is, not \u escapes


def test_names_follow_the_language(client, matrix):
    zh = client.get("/api/v1/organisations/huangpu").json()
    en = client.get("/api/v1/organisations/huangpu", HTTP_ACCEPT_LANGUAGE="en").json()
    assert zh["name"] == "上海黄浦"
    assert en["name"] == "Huangpu"


@pytest.mark.parametrize("query", ["kind=province", "kind=DISTRICT", "kind=1"])
def test_bad_kind_is_422_with_fields(client, matrix, query):
    response = client.get(f"/api/v1/organisations?{query}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "kind" in error["fields"]


@pytest.mark.parametrize("path", [
    "/api/v1/organisations/no-such-office",
    "/api/v1/organisations/%E9%BB%84%E6%B5%A6",
    "/api/v1/organisations/huangpu/extra",
])
def test_unknown_organisation_is_a_json_404(client, matrix, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("query", ["parent=%00", "parent=" + "p" * 3000, "kind=%00", "kind=&parent="])
def test_hostile_filters_never_cause_a_server_error(client, matrix, query):
    response = client.get(f"/api/v1/organisations?{query}")
    # A NUL character is refused as such (400), before any filter reads it.
    assert response.status_code in ((400,) if "%00" in query else (200, 422))
    assert response["Content-Type"].startswith("application/json")
