"""The API's contract as a whole: its description, its one error shape in
the client's language, and no HTML or stack trace ever leaking out."""

import re

import pytest
from jsonschema import Draft202012Validator

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def error_of(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


# --- the description ---------------------------------------------------------------


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_document_is_valid_and_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    paths = spec["paths"]
    assert {"/api/v1/articles", "/api/v1/articles/{article_id}",
            "/api/v1/organisations", "/api/v1/organisations/{slug}"} <= set(paths)
    for path, item in paths.items():
        assert set(item) <= {"get", "put", "post", "delete", "patch", "options", "head", "parameters"}
        for operation in item.values():
            assert operation["responses"], path
            for param in operation.get("parameters", []):
                assert param["in"] in {"query", "path", "header", "cookie"}
                if param["in"] == "path":
                    assert param["required"] is True
                    assert "{" + param["name"] + "}" in path
    list_params = {p["name"] for p in paths["/api/v1/articles"]["get"]["parameters"]}
    assert {"topic", "organisation", "since", "until", "page", "page_size"} <= list_params
    org_params = {p["name"] for p in paths["/api/v1/organisations"]["get"]["parameters"]}
    assert {"kind", "parent"} <= org_params
    # Every reference resolves inside the document, and every schema is valid JSON Schema.
    for ref in _refs(spec):
        assert ref.startswith("#/")
        node = spec
        for part in ref[2:].split("/"):
            node = node[part]
    for schema in spec.get("components", {}).get("schemas", {}).values():
        Draft202012Validator.check_schema(schema)
    for item in paths.values():
        for operation in item.values():
            for param in operation.get("parameters", []):
                Draft202012Validator.check_schema(param["schema"])


def test_interactive_docs_answer(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


# --- not found ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/api/v1/nope", "/api/v1/", "/api/v1", "/api/anything", "/api/", "/api/v2/articles",
    "/api/v1/articles/1/extra", "/api/v1/nope.html",
])
def test_unknown_api_addresses_are_json_404s(client, path):
    error = error_of(client.get(path, HTTP_ACCEPT="text/html"), 404)
    assert error["code"] == "not_found"


def test_messages_are_chinese_by_default_and_english_on_request(client):
    zh = error_of(client.get("/api/v1/nope"), 404)
    assert CJK.search(zh["message"]), zh["message"]
    en = error_of(client.get("/api/v1/nope", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert en["message"] == "Nothing was found at this address."
    also_en = error_of(client.get("/api/v1/nope?lang=en"), 404)
    assert also_en["message"] == "Nothing was found at this address."
    # Code is the same in every language: clients branch on it, not on the words.
    assert zh["code"] == en["code"] == "not_found"


def test_validation_errors_follow_the_language(client):
    zh = error_of(client.get("/api/v1/articles?page=abc"), 422)
    en = error_of(client.get("/api/v1/articles?page=abc", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"), 422)
    assert CJK.search(zh["message"])
    assert en["message"] == "Some of the data sent is not valid."
    assert "page" in zh["fields"] and "page" in en["fields"]


def test_unknown_topic_message_names_it_in_both_languages(client):
    zh = error_of(client.get("/api/v1/articles?topic=astrology"), 422)
    en = error_of(client.get("/api/v1/articles?topic=astrology", HTTP_ACCEPT_LANGUAGE="en"), 422)
    assert "astrology" in zh["message"] and CJK.search(zh["message"])
    assert en["message"] == "Unknown topic “astrology”."


def test_a_chinese_browser_gets_chinese(client):
    error = error_of(client.get("/api/v1/nope", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8"), 404)
    assert CJK.search(error["message"])


# --- wrong method ------------------------------------------------------------------


@pytest.mark.parametrize("method, path", [
    ("post", "/api/v1/articles"),
    ("put", "/api/v1/articles"),
    ("delete", "/api/v1/articles/1"),
    ("patch", "/api/v1/organisations"),
    ("post", "/api/v1/organisations/shanghai"),
])
def test_wrong_method_is_a_json_405(client, method, path):
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    error = error_of(response, 405)
    assert error["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"
    en = getattr(client, method)(path, HTTP_ACCEPT_LANGUAGE="en")
    assert error_of(en, 405)["message"] == "This method is not allowed here."


# --- our own failures --------------------------------------------------------------


def test_unexpected_failure_is_a_json_500_without_details(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("civichall.content.api.public_articles", broken)
    client.raise_request_exception = False
    error = error_of(client.get("/api/v1/articles"), 500)
    assert error["code"] == "server_error"
    assert "hunter2" not in error["message"] and "Traceback" not in error["message"]
    assert CJK.search(error["message"])


def test_bad_host_header_is_a_json_400(client):
    client.raise_request_exception = False
    error = error_of(client.get("/api/v1/articles", HTTP_HOST="evil.example"), 400)
    assert error["code"] == "bad_request"
