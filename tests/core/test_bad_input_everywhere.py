"""No 500 on bad input, anywhere: public pages, citizens' pages, the admin
and the API, on SQLite and on PostgreSQL.

The inputs are the classes a fuzzer and hand probes found: NUL characters
(PostgreSQL refuses them), unpaired surrogates, digits that are not ASCII
(``"²"``: ``isdigit()`` says yes, ``int()`` says no), numbers past what a
database column holds, bodies over the upload limit, posts to addresses
that do not exist. Each is sent to every page and every parameter we have,
not only where it was first seen.
"""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from civichall.accounts.models import Role
from civichall.interaction import actions
from civichall.interaction.models import Comment, Question

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
# Every query parameter a page of ours reads.
PARAMS = ["page", "p", "organisation", "days", "account", "topic", "q", "kind", "comments_page", "state",
          "export", "id", "next", "on", "unread", "page_size", "since", "until", "hub", "linked"]
NOT_NUMBERS = ["²", "١٢", "１２", "9" * 25, str(2**63), str(-(2**63) - 1), "1e999", "-1", "NaN", ""]


@pytest.fixture
def world(make_org, make_article, make_citizen, make_staff, superuser, topic):
    city = make_org("shanghai", kind="municipal", name_zh="上海发布")
    article = make_article(city, publish=True, topics=[topic])
    citizen = make_citizen("13900000311")
    comment = actions.do_post_comment(citizen, article, "请问地铁首班车几点？", address="t", rate_limit=False)
    editor = make_staff("probe_editor", city, Role.EDITOR)
    question = actions.do_mark_question(editor, Comment.objects.get(pk=comment.pk)) \
        if not Question.objects.filter(comment=comment).exists() else Question.objects.get(comment=comment)
    return {"city": city, "article": article, "citizen": citizen, "comment": comment,
            "question": question, "superuser": superuser}


def clients(world):
    anonymous = Client(raise_request_exception=False)
    citizen = Client(raise_request_exception=False)
    citizen.force_login(world["citizen"].user)
    staff = Client(raise_request_exception=False)
    staff.force_login(world["superuser"])
    return anonymous, citizen, staff


def pages(world):
    """(who, address) of pages that read query parameters."""
    article, question = world["article"], world["question"]
    return [
        ("anonymous", "/"), ("anonymous", article.url), ("anonymous", "/services/"),
        ("anonymous", "/services/search/"), ("anonymous", "/services/menu/weather/"),
        ("anonymous", "/api/v1/articles"), ("anonymous", "/api/v1/services"),
        ("anonymous", "/api/v1/organisations"), ("anonymous", f"/api/v1/articles/{article.pk}/comments"),
        ("citizen", "/citizen/"), ("citizen", "/citizen/notifications/"), ("citizen", article.url),
        ("staff", "/admin/"), ("staff", "/admin/interaction/questions/"),
        ("staff", f"/admin/interaction/questions/{question.pk}/"), ("staff", "/admin/interaction/moderation/"),
        ("staff", "/admin/interaction/dashboard/"), ("staff", "/admin/interaction/settings/"),
        ("staff", f"/admin/interaction/articles/{article.pk}/"), ("staff", "/admin/pages/"),
    ]


def assert_refused_clearly(response, status=400):
    """The status asked for, and a message a person reads: JSON under /api/,
    a page elsewhere; Chinese by default."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        error = response.json()["error"]
        assert error["code"] and CJK.search(error["message"]), error
    else:
        assert CJK.search(response.content.decode()), response.content[:300]


def test_numbers_that_are_not_numbers_never_break_a_page(world):
    anonymous, citizen, staff = clients(world)
    by = {"anonymous": anonymous, "citizen": citizen, "staff": staff}
    for who, address in pages(world):
        for value in NOT_NUMBERS:
            response = by[who].get(address, {name: value for name in PARAMS})
            assert response.status_code < 500, (who, address, value, response.status_code)


def test_nul_anywhere_in_a_query_is_refused_with_a_message(world):
    anonymous, citizen, staff = clients(world)
    by = {"anonymous": anonymous, "citizen": citizen, "staff": staff}
    for who, address in pages(world):
        for name in ("page", "organisation", "account", "q", "x"):
            assert_refused_clearly(by[who].get(address, {name: "a\x00b"}))
    # The key can be the bad part too, and English is there on request.
    response = anonymous.get("/services/", {"a\x00": "1", "lang": "en"})
    assert response.status_code == 400 and b"NUL character" in response.content


@pytest.mark.parametrize("address", [
    "/services/menu/a%00b/", "/services/a%00b/", "/api/v1/organisations/a%00b", "/api/v1/services/a%00b",
    "/api/v1/services/a%00b/query", "/a%00b/", "/admin/pages/%00/",
])
def test_nul_in_an_address_is_refused(client, world, address):
    client.raise_request_exception = False
    assert_refused_clearly(client.get(address) if "query" not in address else
                           client.post(address, "{}", content_type="application/json"))


@pytest.mark.parametrize("address", [
    "/admin/interaction/questions/99999999999999999999/", "/admin/interaction/articles/9223372036854775808/",
    "/admin/pages/99999999999999999999/", "/admin/pages/99999999999999999999/edit/",
    "/api/v1/articles/99999999999999999999", "/api/v1/articles/99999999999999999999/comments",
])
def test_ids_past_a_database_column_name_nothing(world, address):
    _anonymous, _citizen, staff = clients(world)
    response = staff.get(address)
    assert response.status_code == 404, (address, response.status_code)


def test_forms_with_bad_numbers_answer_without_failing(world):
    anonymous, citizen, staff = clients(world)
    article, comment, question = world["article"], world["comment"], world["question"]
    for value in NOT_NUMBERS + ["abc", "1\x00"]:
        for who, address, data in [
            (citizen, f"/comments/articles/{article.pk}/", {"text": "好的，谢谢。", "parent": value}),
            (citizen, f"/comments/{comment.pk}/like/", {"like": value}),
            (citizen, f"/comments/{comment.pk}/report/", {"reason": value}),
            (citizen, "/citizen/notifications/", {"id": [value, "1"]}),
            (staff, f"/admin/interaction/questions/{question.pk}/", {"action": "revise", "reply": value}),
            (staff, f"/admin/interaction/questions/{question.pk}/", {"action": "reply", "comment": value}),
            (staff, f"/admin/interaction/questions/{question.pk}/", {"action": "promote", "reply": value}),
            (staff, "/admin/interaction/moderation/", {"action": "approve", "comment": value}),
            (staff, "/admin/interaction/moderation/", {"action": "approve_reply", "reply": value}),
            (staff, f"/admin/interaction/articles/{article.pk}/", {"action": "hide", "comment": value}),
            (staff, "/admin/interaction/settings/", {"organisation": value}),
            (anonymous, "/preferences/elder-mode/", {"on": value, "next": value}),
        ]:
            response = who.post(address, data)
            assert response.status_code < 500, (address, data, response.status_code)
            if "\x00" in value:
                assert_refused_clearly(response)


@pytest.mark.parametrize("field", ["note", "reason", "title", "text"])
def test_nul_in_staff_text_fields_is_refused_and_nothing_is_stored(world, field):
    _anonymous, _citizen, staff = clients(world)
    question, comment = world["question"], world["comment"]
    before = (Question.objects.get(pk=question.pk).state, comment.official_replies.count())
    for action in ("note", "unmark", "reply", "promote", "close"):
        response = staff.post(f"/admin/interaction/questions/{question.pk}/",
                              {"action": action, field: "第一句\x00第二句", "comment": comment.pk})
        assert_refused_clearly(response)
    assert (Question.objects.get(pk=question.pk).state, comment.official_replies.count()) == before
    assert not question.notes.filter(text__contains="第一句").exists()


def test_nul_in_a_comment_is_refused_before_it_is_stored(world):
    _anonymous, citizen, _staff = clients(world)
    article = world["article"]
    count = Comment.objects.count()
    response = citizen.post(f"/comments/articles/{article.pk}/", {"text": "地铁\x00几点？"})
    assert_refused_clearly(response)
    assert Comment.objects.count() == count


# --- the API ----------------------------------------------------------------------------------


def api_operations(client):
    """(method, address) of every operation in the OpenAPI document, with 1 for each path parameter."""
    spec = client.get("/api/v1/openapi.json").json()
    for path, item in spec["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, re.sub(r"\{[^}]+\}", "1", path)


def test_every_api_body_over_the_limit_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    client.raise_request_exception = False
    body = json.dumps({"text": "长" * 3000, "mobile": "1" * 3000})
    checked = 0
    for method, address in api_operations(client):
        if method == "get":
            continue
        response = getattr(client, method)(address, body, content_type="application/json")
        assert response.status_code == 413, (method, address, response.status_code)
        error = response.json()["error"]
        assert error["code"] == "too_large" and CJK.search(error["message"])
        checked += 1
        # A form body is no way around the limit.
        response = getattr(client, method)(address, "text=" + "x" * 3000,
                                           content_type="application/x-www-form-urlencoded")
        assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert checked >= 20


@pytest.mark.parametrize("bad", ["\\u0000", "\\ud800", "a\\udfffb"])
def test_every_api_operation_refuses_unstorable_json_text(world, bad):
    anonymous, citizen, staff = clients(world)
    citizen_token = _token(world["citizen"].user)
    staff_token = _token(world["superuser"])
    for method, address in api_operations(anonymous):
        if method == "get":
            continue
        for token in (None, citizen_token, staff_token):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
            body = '{"text": "x%s", "note": "n", "reason": "r", "kind": "title", "mobile": "1"}' % bad
            response = getattr(anonymous, method)(address, body, content_type="application/json", **headers)
            assert response.status_code == 400, (method, address, response.status_code, response.content)
            assert response.json()["error"]["fields"] == {"text": response.json()["error"]["message"]}


def _token(user):
    from wagtail.models import APIToken

    return APIToken.create_token(user=user, name="probe")[1]


def test_lone_surrogate_in_the_safety_check_and_a_service_query_is_a_400(world):
    _anonymous, _citizen, _staff = clients(world)
    client = Client(raise_request_exception=False)
    token = _token(world["superuser"])
    response = client.post("/api/v1/safety/check", '{"text": "\\ud83d", "kind": "comment"}',
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_refused_clearly(response)
    response = client.post("/api/v1/services/garbage/query", '{"item": "\\ud83d奶茶"}',
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "NUL character or a broken emoji" in response.json()["error"]["message"]


@pytest.mark.parametrize("address", ["/api/v1/nope", "/api/anything", "/api/v2/articles", "/api/"])
def test_posts_to_unknown_api_addresses_are_json_404s_even_without_a_form_token(address):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for body, content_type in (("{}", "application/json"), ("a=b", "application/x-www-form-urlencoded")):
        response = client.post(address, body, content_type=content_type)
        assert response.status_code == 404, address
        assert response.json()["error"]["code"] == "not_found"


def test_a_refused_form_token_is_json_under_the_api_and_a_page_elsewhere(rf):
    from civichall.core.views import csrf_failure

    api = csrf_failure(rf.post("/api/v1/citizen/code"))
    assert api.status_code == 403 and json.loads(api.content)["error"]["code"] == "forbidden"
    page = csrf_failure(rf.post("/comments/articles/1/"))
    assert page.status_code == 403 and b"csrf-failure" in page.content


def test_form_posts_to_the_api_are_answered_by_the_api(client):
    client.raise_request_exception = False
    response = client.post("/api/v1/citizen/code", {"mobile": "13900000000"})
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"]


def test_the_upload_limit_for_pages_is_a_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.raise_request_exception = False
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": "x" * 2000})
    assert response.status_code == 413
    assert CJK.search(response.content.decode())
