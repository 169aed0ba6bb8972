"""The comment area's API: public list, citizens' and staff endpoints, errors
in the API's shape (Chinese by default, English when asked), OpenAPI."""

import pytest
from wagtail.models import APIToken

from civichall.interaction.models import Comment, Question

pytestmark = pytest.mark.django_db

GOOD = "您好，首班车时间不变，各站首末班车时间以车站公告为准，如有疑问可拨打12345。"


def bearer(user):
    _instance, token = APIToken.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def as_citizen(citizen):
    return bearer(citizen.user)


@pytest.fixture
def api_post(client):
    def do(path, data=None, auth=None, **extra):
        return client.post(path, data or {}, content_type="application/json", **(auth or {}), **extra)

    return do


def test_post_list_reply_and_read_back(client, api_post, article, as_citizen, staff, metro_rule):
    url = f"/api/v1/articles/{article.pk}/comments"
    posted = api_post(url, {"text": "请问地铁首班车几点？", "client_key": "k1"}, as_citizen)
    assert posted.status_code == 201, posted.content
    body = posted.json()
    assert body["comment"]["status"] == "visible" and body["outcome"] == "success"
    assert body["comment"]["question"]["state"] == "open"
    comment_id = body["comment"]["id"]
    assert api_post(url, {"text": "请问地铁首班车几点？", "client_key": "k1"}, as_citizen).json()[
        "comment"]["id"] == comment_id

    liaison = bearer(staff["transport_liaison"])
    queue = client.get("/api/v1/questions", **liaison).json()
    assert queue["count"] == 1 and queue["results"][0]["sla_state"] == "ok"
    assert queue["results"][0]["organisation"] == "transport-commission"
    assert client.get("/api/v1/questions", **bearer(staff["health_liaison"])).json()["count"] == 0

    reply = api_post(f"/api/v1/comments/{comment_id}/replies", {"text": GOOD}, liaison)
    assert reply.status_code == 201 and reply.json()["status"] == "published"

    public = client.get(url).json()
    assert public["count"] == 1 and public["article"]["comments_open"] is True
    item = public["results"][0]
    assert item["text"] == "请问地铁首班车几点？" and item["question"]["state"] == "answered"
    assert item["thread"][0]["type"] == "official_reply" and item["thread"][0]["account"]
    notes = client.get("/api/v1/citizen/notifications", **as_citizen).json()
    assert notes["unread"] == 1 and notes["results"][0]["kind"] == "answer"
    assert api_post("/api/v1/citizen/notifications/read", {}, as_citizen).json()["unread"] == 0


def test_flippant_reply_comes_back_with_reasons(api_post, post, staff):
    comment = post("为什么还不开站？")
    answer = api_post(f"/api/v1/comments/{comment.pk}/replies", {"text": "爱干不干，规定就是这样。"},
                      bearer(staff["editor"]))
    assert answer.status_code == 201
    assert answer.json()["status"] == "returned" and answer.json()["tone_reasons"]


def test_citizen_cannot_use_staff_endpoints(api_post, post, as_citizen):
    comment = post("首班车几点？")
    refused = api_post(f"/api/v1/comments/{comment.pk}/feature", {}, as_citizen)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_staff_of_another_bureau_cannot_tell_the_objects_exist(api_post, post, staff, metro_rule):
    comment = post("地铁首班车几点？")
    question = Question.objects.get(comment=comment)
    health = bearer(staff["health_liaison"])
    refused = api_post(f"/api/v1/comments/{comment.pk}/replies", {"text": GOOD}, health)
    missing = api_post("/api/v1/comments/999999/replies", {"text": GOOD}, health)
    assert refused.status_code == missing.status_code == 404
    assert refused.json()["error"] == missing.json()["error"]
    closing = {"kind": "out_of_scope", "where_to_go": "请拨打12345热线"}
    assert api_post(f"/api/v1/questions/{question.pk}/close", closing, health).status_code == 404
    detail = api_post(f"/api/v1/questions/{question.pk}/notes", {"text": "看看"}, health)
    assert detail.status_code == 404
    assert Question.objects.get(pk=question.pk).is_open and not question.notes.exists()


def test_close_assign_note_and_detail(client, api_post, post, staff, health, citizen):
    comment = post("我家楼下噪音扰民怎么办？")
    question = Question.objects.get(comment=comment)
    editor = bearer(staff["editor"])
    noted = api_post(f"/api/v1/questions/{question.pk}/notes", {"text": "先问下属地"}, editor)
    assert noted.status_code == 201
    detail = client.get(f"/api/v1/questions/{question.pk}", **editor).json()
    assert detail["notes"][0]["text"] == "先问下属地"
    bad = api_post(f"/api/v1/questions/{question.pk}/assign", {"organisation": "nowhere", "note": "不归我们管理"},
                   editor)
    assert bad.status_code == 422 and "organisation" in bad.json()["error"]["fields"]
    moved = api_post(f"/api/v1/questions/{question.pk}/assign",
                     {"organisation": "health-commission", "note": "噪音影响健康，请卫健委答复"}, editor)
    assert moved.status_code == 200 and moved.json()["organisation"] == "health-commission"
    # The city no longer owns it: it sees the question but not the notes.
    assert "notes" not in client.get(f"/api/v1/questions/{question.pk}", **editor).json()
    health_liaison = bearer(staff["health_liaison"])
    missing = api_post(f"/api/v1/questions/{question.pk}/close", {"kind": "out_of_scope"}, health_liaison)
    assert missing.status_code == 422 and missing.json()["error"]["message"]
    closed = api_post(f"/api/v1/questions/{question.pk}/close",
                      {"kind": "out_of_scope", "where_to_go": "请拨打12345市民服务热线反映"}, health_liaison)
    assert closed.status_code == 200 and closed.json()["state"] == "closed_out_of_scope"
    again = api_post(f"/api/v1/questions/{question.pk}/close",
                     {"kind": "out_of_scope", "where_to_go": "请拨打12345市民服务热线反映"}, health_liaison)
    assert again.status_code == 409 and again.json()["error"]["code"] == "ended"
    public = client.get(f"/api/v1/articles/{comment.article_id}/comments").json()
    assert public["results"][0]["question"]["where_to_go"].startswith("请拨打")


def test_mark_unmark_feature_hide_moderate(client, api_post, post, staff, as_citizen):
    editor = bearer(staff["editor"])
    comment = post("求告知首班车时间")
    marked = api_post(f"/api/v1/comments/{comment.pk}/question", {}, editor)
    assert marked.status_code == 201 and marked.json()["detected"] is False
    unmarked = api_post(f"/api/v1/questions/{marked.json()['id']}/unmark", {"reason": "已在正文中说明"}, editor)
    assert unmarked.json()["state"] == "unmarked"
    assert api_post(f"/api/v1/comments/{comment.pk}/feature", {}, editor).json()["featured"] is True
    assert api_post(f"/api/v1/comments/{comment.pk}/hide", {"note": "与本文无关"}, editor).json()["status"] == "hidden"
    queue = client.get("/api/v1/moderation/comments", **editor).json()
    assert [c["id"] for c in queue["results"]] == [comment.pk]
    restored = api_post(f"/api/v1/comments/{comment.pk}/moderate", {"decision": "approve"}, editor)
    assert restored.json()["status"] == "visible"
    refused = api_post(f"/api/v1/comments/{comment.pk}/moderate", {"decision": "maybe"}, editor)
    assert refused.status_code == 422


def test_citizen_edit_delete_like_report(client, api_post, post, article, citizen, other_citizen, as_citizen):
    mine = post("首班车几点")
    edited = client.patch(f"/api/v1/comments/{mine.pk}", {"text": "首班车几点开？"},
                          content_type="application/json", **as_citizen)
    assert edited.status_code == 200 and edited.json()["comment"]["text"] == "首班车几点开？"
    other = bearer(other_citizen.user)
    assert client.patch(f"/api/v1/comments/{mine.pk}", {"text": "改"}, content_type="application/json",
                        **other).status_code == 403
    assert api_post(f"/api/v1/comments/{mine.pk}/like", {}, other).json() == {"likes": 1, "liked": True}
    assert client.delete(f"/api/v1/comments/{mine.pk}/like", **other).json()["likes"] == 0
    assert api_post(f"/api/v1/comments/{mine.pk}/reports", {"reason": "spam"}, other).status_code == 201
    assert api_post(f"/api/v1/comments/{mine.pk}/reports", {"reason": "bad"}, other).status_code == 422
    assert client.delete(f"/api/v1/comments/{mine.pk}", **as_citizen).json() == {"deleted": True}
    assert client.get(f"/api/v1/articles/{article.pk}/comments").json()["count"] == 0
    own = client.get("/api/v1/citizen/comments", **as_citizen).json()
    assert own["results"][0]["status"] == "deleted"


@pytest.mark.parametrize("payload, field", [
    ({}, "text"), ({"text": ""}, None), ({"text": "好" * 501}, None), ({"text": 5}, "text"),
    ({"text": "好", "parent_id": 0}, "parent_id"),
])
def test_bad_input_is_a_json_error(api_post, article, as_citizen, payload, field):
    response = api_post(f"/api/v1/articles/{article.pk}/comments", payload, as_citizen)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"]
    if field:
        assert field in error["fields"]
    assert not Comment.objects.exists()


def test_script_is_returned_as_text(client, api_post, article, as_citizen):
    api_post(f"/api/v1/articles/{article.pk}/comments", {"text": "<script>alert(1)</script>"}, as_citizen)
    assert client.get(f"/api/v1/articles/{article.pk}/comments").json()["results"][0]["text"] == \
        "<script>alert(1)</script>"


@pytest.mark.parametrize("path", [
    "/api/v1/articles/999999/comments", "/api/v1/articles/99999999999999999999999/comments",
    "/api/v1/articles/0/comments",
])
def test_unknown_articles_are_404(client, path):
    response = client.get(path)
    assert response.status_code in (404, 422) and "error" in response.json()


def test_invalid_ids_and_wrong_tokens(client, api_post, as_citizen, staff):
    assert client.get("/api/v1/articles/abc/comments").status_code == 422
    assert api_post("/api/v1/comments/999999/like", {}, as_citizen).status_code == 404
    assert api_post("/api/v1/comments/1/like", {}).status_code == 401
    assert client.get("/api/v1/questions", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    assert client.get("/api/v1/questions/99999999999999999999", **bearer(staff["editor"])).status_code in (404, 422)
    assert client.get("/api/v1/questions?state=gone", **bearer(staff["editor"])).status_code == 422


def test_rate_limit_is_429_in_chinese_and_english(api_post, article, as_citizen, start_of_minute):
    url = f"/api/v1/articles/{article.pk}/comments"
    for i in range(5):
        assert api_post(url, {"text": f"第{i}条"}, as_citizen).status_code == 201
    limited = api_post(url, {"text": "第6条"}, as_citizen)
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert "留言太快" in limited.json()["error"]["message"]
    english = api_post(url, {"text": "第7条"}, as_citizen, HTTP_ACCEPT_LANGUAGE="en")
    assert "too fast" in english.json()["error"]["message"]


def test_closed_comments_are_refused(api_post, article, as_citizen):
    article.comments_open = False
    article.save()
    refused = api_post(f"/api/v1/articles/{article.pk}/comments", {"text": "还能留言吗"}, as_citizen)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "comments_closed"


def test_blocked_comment_answer_says_why(api_post, article, as_citizen, client):
    response = api_post(f"/api/v1/articles/{article.pk}/comments", {"text": "网络赌场"}, as_citizen)
    assert response.status_code == 201
    assert response.json()["outcome"] == "error" and response.json()["comment"]["status"] == "blocked"
    listing = client.get(f"/api/v1/articles/{article.pk}/comments", **as_citizen).json()
    assert listing["count"] == 0 and listing["mine"][0]["status"] == "blocked"


def test_openapi_documents_the_comment_area(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/articles/{article_id}/comments", "/api/v1/comments/{comment_id}/replies",
                 "/api/v1/questions", "/api/v1/questions/{question_id}/close", "/api/v1/citizen/notifications"):
        assert path in paths
