"""The OpenAPI document as a contract: every status each operation can
answer, the real constraints of its input, authentication as it is."""

import re

import pytest

pytestmark = pytest.mark.django_db

BODY_METHODS = {"post", "put", "patch", "delete"}
# The one body that is free-form by design: the fields of the service's own form.
FREE_FORM = {("post", "/api/v1/services/{code}/query")}


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, operation


def resolve(spec, schema):
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        schema = node
    return schema


def body_schema(spec, operation):
    content = operation.get("requestBody", {}).get("content", {})
    return resolve(spec, content["application/json"]["schema"]) if "application/json" in content else None


def test_every_operation_declares_the_refusals_it_can_answer(spec):
    count = 0
    for method, path, operation in operations(spec):
        declared = set(operation["responses"])
        expected = {"400"}
        if method in BODY_METHODS:
            expected.add("413")
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add("422")
        if "{" in path:
            expected.add("404")
        if operation.get("security"):
            expected |= {"403"}
            if {} not in operation["security"]:
                expected.add("401")
        assert expected <= declared, (method, path, expected - declared)
        assert "500" not in declared
        count += 1
    assert count >= 30


def test_every_error_response_has_the_one_error_shape(spec):
    for method, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                schema = resolve(spec, response["content"]["application/json"]["schema"])
                assert schema["required"] == ["error"], (method, path, status)
                error = resolve(spec, schema["properties"]["error"])
                assert {"code", "message"} <= set(error["required"]), (method, path, status)


def test_particular_statuses(spec):
    paths = spec["paths"]
    assert {"401", "403", "404", "410", "422", "503"} <= set(paths["/api/v1/services/{code}/query"]["post"]["responses"])
    assert "410" in paths["/api/v1/services/{code}"]["get"]["responses"]
    assert {"409", "429"} <= set(paths["/api/v1/articles/{article_id}/comments"]["post"]["responses"])
    assert "429" in paths["/api/v1/citizen/code"]["post"]["responses"]


def test_optional_authentication_is_declared_optional(spec):
    optional = [(m, p) for m, p, op in operations(spec) if {} in (op.get("security") or [])]
    assert ("post", "/api/v1/services/{code}/query") in optional
    assert ("get", "/api/v1/articles/{article_id}/comments") in optional
    for method, path, operation in operations(spec):
        for requirement in operation.get("security") or []:
            for scheme in requirement:
                assert scheme in spec["components"]["securitySchemes"], (method, path, scheme)
    assert "OptionalCitizenAuth" not in spec["components"]["securitySchemes"]
    # A token someone must send is not optional.
    assert {} not in spec["paths"]["/api/v1/citizen/me"]["get"]["security"]


def _integers(spec, schema, where):
    schema = resolve(spec, schema)
    for alternative in schema.get("anyOf", []):
        yield from _integers(spec, alternative, where)
    if schema.get("type") == "integer":
        yield where, schema
    for name, prop in schema.get("properties", {}).items():
        yield from _integers(spec, prop, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from _integers(spec, schema["items"], f"{where}[]")


def test_every_number_a_client_sends_is_bounded(spec):
    """Page numbers, page sizes and ids in queries and bodies have both
    bounds, so that none can overflow a database column (2**63)."""
    found = 0
    for method, path, operation in operations(spec):
        sources = [(f"{method} {path} ?{p['name']}", p["schema"]) for p in operation.get("parameters", [])
                   if p["in"] == "query"]
        body = body_schema(spec, operation)
        if body is not None:
            sources.append((f"{method} {path} body", body))
        for where, schema in sources:
            for name, integer in _integers(spec, schema, where):
                assert "minimum" in integer and "maximum" in integer, name
                assert integer["maximum"] < 2**63, name
                found += 1
    assert found >= 10


def test_bodies_list_their_members_and_refuse_others(spec, client):
    checked = 0
    for method, path, operation in operations(spec):
        body = body_schema(spec, operation)
        if body is None or (method, path) in FREE_FORM:
            continue
        assert body.get("type") == "object", (method, path)
        assert body.get("additionalProperties") is False, (method, path)
        checked += 1
    assert checked >= 15
    # And the server does what the document says.
    response = client.post("/api/v1/citizen/code", {"mobile": "13900000000", "extra": 1},
                           content_type="application/json")
    assert response.status_code == 422 and "extra" in response.json()["error"]["fields"]
    response = client.post("/api/v1/citizen/code", [None], content_type="application/json")
    assert response.status_code == 422


def test_required_texts_cannot_be_empty(spec):
    for method, path, operation in operations(spec):
        body = body_schema(spec, operation)
        if body is None or (method, path) in FREE_FORM:
            continue
        for name in body.get("required", []):
            prop = resolve(spec, body["properties"][name])
            if prop.get("type") == "string" and "enum" not in prop and "pattern" not in prop:
                assert prop.get("minLength", 0) >= 1, (method, path, name)


def test_dates_are_dates(client):
    for value in ("0", "20220101", "2022-1-1", "1e5"):
        response = client.get("/api/v1/articles", {"until": value})
        assert response.status_code == 422, value
    assert client.get("/api/v1/articles", {"until": "2022-06-01"}).status_code == 200


def test_paths_declared_match_the_error_path_names(spec):
    # Each path parameter named in an address is declared, so that a client knows it.
    for method, path, operation in operations(spec):
        names = set(re.findall(r"\{(\w+)", path))
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert names == declared, (method, path)
