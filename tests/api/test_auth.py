"""Staff API tokens: created by ``civichall api_token``, sent as a bearer
token, revocable in the admin; only staff get through. The safety check
endpoint is the first staff endpoint, so its input errors are tested here too."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import APIToken, ModelLogEntry

from civichall.safety.services import MAX_TEXT_LENGTH

pytestmark = pytest.mark.django_db

URL = "/api/v1/safety/check"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def metro(make_org):
    return make_org("metro", name_zh="上海地铁")


@pytest.fixture
def editor(metro, make_staff):
    return make_staff("editor", metro, "editor")


@pytest.fixture
def citizen(make_staff):
    return make_staff("citizen")  # a user with no role anywhere


def token_for(user, name="test"):
    return APIToken.create_token(user=user, name=name)[1]


def post(client, body, token=None, raw=False, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = body if raw else json.dumps(body, ensure_ascii=False)
    return client.post(URL, data=data, content_type="application/json", **headers)


def error_of(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


BLOCKED = {"text": "网络賭@場注册送彩金", "kind": "comment"}


# --- who gets in --------------------------------------------------------------------------


def test_no_token_is_401(client):
    error = error_of(post(client, BLOCKED), 401)
    assert error["code"] == "unauthorized" and CJK.search(error["message"])
    english = error_of(post(client, BLOCKED, HTTP_ACCEPT_LANGUAGE="en"), 401)
    assert not CJK.search(english["message"])


@pytest.mark.parametrize("header", [
    "Bearer nonsense",
    "Bearer " + APIToken.generate_token(),  # well formed, never issued
    "Token abc",
    "Bearer ",
], ids=["malformed", "never-issued", "other-scheme", "empty"])
def test_bad_tokens_are_401(client, header):
    response = client.post(URL, data=json.dumps(BLOCKED), content_type="application/json",
                           HTTP_AUTHORIZATION=header)
    assert error_of(response, 401)["code"] == "unauthorized"


def test_a_session_does_not_replace_the_token(client, editor):
    client.force_login(editor)
    assert error_of(post(client, BLOCKED), 401)["code"] == "unauthorized"


def test_citizen_token_is_403(client, citizen):
    error = error_of(post(client, BLOCKED, token_for(citizen)), 403)
    assert error["code"] == "forbidden" and CJK.search(error["message"])
    english = error_of(post(client, BLOCKED, token_for(citizen), HTTP_ACCEPT_LANGUAGE="en"), 403)
    assert "staff" in english["message"]


def test_revoked_token_is_401(client, editor):
    token = token_for(editor)
    assert post(client, BLOCKED, token).status_code == 200
    APIToken.objects.get(user=editor).revoke()
    assert error_of(post(client, BLOCKED, token), 401)["code"] == "unauthorized"


def test_inactive_user_is_401(client, editor):
    token = token_for(editor)
    editor.is_active = False
    editor.save()
    assert error_of(post(client, BLOCKED, token), 401)["code"] == "unauthorized"


def test_staff_token_gets_the_engine_result(client, editor, superuser):
    for user in (editor, superuser):
        response = post(client, BLOCKED, token_for(user))
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"decision", "hits", "scores", "reasons", "masked"}
        assert body["decision"] == "block"
        hit = body["hits"][0]
        assert hit["term"] == "网络赌场"
        assert BLOCKED["text"][hit["start"]:hit["end"]] == hit["matched"] == "网络賭@場"
        assert body["scores"]["lexicon_block"] == 1 and isinstance(body["scores"]["lexicon_block"], int)
    assert APIToken.objects.get(user=editor).last_used_at is not None


def test_title_with_body_and_non_comment_kinds(client, editor):
    token = token_for(editor)
    body = post(client, {"text": "上海轨道交通网络6月1日起恢复基本运营", "kind": "title",
                         "body": "6月1日起，本市轨道交通网络恢复基本运营。"}, token).json()
    assert body["decision"] == "pass"
    assert "masked" not in body
    assert "clickbait" in body["scores"]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload, field", [
    ({"text": "你好", "kind": "headline"}, "kind"),
    ({"text": "   ", "kind": "body"}, "text"),
    ({"text": "", "kind": "body"}, "text"),
    ({"text": "字" * (MAX_TEXT_LENGTH + 1), "kind": "body"}, "text"),
    ({"kind": "body"}, "text"),
    ({"text": "你好"}, "kind"),
    ({"text": 123, "kind": "body"}, "text"),
])
def test_bad_input_is_422_with_the_field(client, editor, payload, field):
    token = token_for(editor)
    error = error_of(post(client, payload, token), 422)
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert CJK.search(error["message"])


def test_bad_input_in_english(client, editor):
    token = token_for(editor)
    error = error_of(post(client, {"text": "你好", "kind": "headline"}, token,
                          HTTP_ACCEPT_LANGUAGE="en"), 422)
    assert not CJK.search(error["message"])
    assert "headline" in error["fields"]["kind"]


@pytest.mark.parametrize("raw", ["{not json", "", "[1, 2]", '"text"', "null"])
def test_non_json_body_is_a_json_error(client, editor, raw):
    response = post(client, raw, token_for(editor), raw=True)
    assert response.status_code in (400, 422)
    error_of(response, response.status_code)


def test_wrong_method_is_405(client, editor):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token_for(editor)}")
    assert response.status_code == 405


def test_endpoint_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"][URL]["post"]
    assert operation["security"]
    scheme = next(iter(operation["security"][0]))
    assert spec["components"]["securitySchemes"][scheme]["scheme"] == "bearer"
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert {"text", "kind"} <= set(schema["required"])
    assert set(schema["properties"]["kind"]["enum"]) == {"title", "body", "comment", "reply"}


# --- the api_token command and the admin -------------------------------------------------------


def test_api_token_command_prints_a_working_token(client, editor):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "editor", "--name", "newsroom laptop", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert APIToken.validate_token_format(token)
    stored = APIToken.objects.get(user=editor)
    assert stored.name == "newsroom laptop"
    assert token not in stored.key_hash and stored.prefix in err.getvalue()
    assert ModelLogEntry.objects.filter(action="wagtail.apitoken.create").exists()
    assert post(client, BLOCKED, token).status_code == 200


def test_api_token_command_refuses_unknown_users_and_non_staff(citizen):
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody")
    with pytest.raises(CommandError, match="citizen"):
        call_command("api_token", "citizen")
    assert not APIToken.objects.exists()


def test_tokens_are_revocable_in_the_admin(client, editor, superuser):
    token = token_for(editor, name="editor laptop")
    stored = APIToken.objects.get(user=editor)
    client.force_login(superuser)
    listing = client.get(reverse("wagtailusers_api_tokens:index"))
    assert listing.status_code == 200
    assert "editor laptop" in listing.content.decode()
    response = client.post(reverse("wagtailusers_api_tokens:delete", args=[stored.pk]))
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    client.logout()
    assert error_of(post(client, BLOCKED, token), 401)["code"] == "unauthorized"
