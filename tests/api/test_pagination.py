"""Every list of the API pages the same way: one envelope
(``count``, ``page``, ``page_size``, ``results``), the same parameters, the
same 422 for a page or size out of bounds, and the same 422 for a filter
naming an organisation that does not exist."""

import pytest
from wagtail.models import APIToken

pytestmark = pytest.mark.django_db


def bearer(user):
    _instance, token = APIToken.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def callers(article, citizen, superuser):
    return {"anyone": {}, "citizen": bearer(citizen.user), "staff": bearer(superuser)}


# (path, who may call it); "{article}" is the published article's id.
PAGED = [
    ("/api/v1/articles", "anyone"),
    ("/api/v1/services", "anyone"),
    ("/api/v1/articles/{article}/comments", "anyone"),
    ("/api/v1/citizen/comments", "citizen"),
    ("/api/v1/citizen/notifications", "citizen"),
    ("/api/v1/moderation/comments", "staff"),
    ("/api/v1/questions", "staff"),
]


def _get(client, callers, article, path, who, query=""):
    return client.get(path.format(article=article.pk) + query, **callers[who])


@pytest.mark.parametrize("path, who", PAGED)
def test_one_envelope(client, callers, article, path, who):
    response = _get(client, callers, article, path, who, "?page=1&page_size=5")
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert {"count", "page", "page_size", "results"} <= set(body)
    assert (body["page"], body["page_size"]) == (1, 5)
    assert isinstance(body["count"], int) and isinstance(body["results"], list)
    assert len(body["results"]) <= 5


@pytest.mark.parametrize("path, who", PAGED)
def test_a_page_past_the_end_is_empty(client, callers, article, path, who):
    body = _get(client, callers, article, path, who, "?page=9999").json()
    assert body["results"] == [] and body["page"] == 9999


@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("page=-1", "page"), ("page=abc", "page"), ("page=10001", "page"),
    ("page_size=0", "page_size"), ("page_size=101", "page_size"), ("page_size=many", "page_size"),
])
@pytest.mark.parametrize("path, who", PAGED)
def test_bad_page_or_size_is_422_naming_the_field(client, callers, article, path, who, query, field):
    response = _get(client, callers, article, path, who, "?" + query)
    assert response.status_code == 422, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"] and error["fields"][field]


def test_pages_split_the_list(client, city, make_article):
    for n in range(3):
        make_article(city, title=f"第{n}篇通知", publish=True, slug=f"notice-{n}")
    pages = [client.get(f"/api/v1/articles?page={p}&page_size=2").json() for p in (1, 2)]
    assert [p["count"] for p in pages] == [3, 3]
    assert [len(p["results"]) for p in pages] == [2, 1]
    ids = [a["id"] for p in pages for a in p["results"]]
    assert len(set(ids)) == 3


def test_the_comments_list_keeps_its_own_members(client, callers, article):
    body = client.get(f"/api/v1/articles/{article.pk}/comments", **callers["citizen"]).json()
    assert body["article"]["id"] == article.pk and body["mine"] == []
    notes = client.get("/api/v1/citizen/notifications", **callers["citizen"]).json()
    assert notes["unread"] == 0


@pytest.mark.parametrize("path, field, who", [
    ("/api/v1/articles?organisation=no-such-bureau", "organisation", "anyone"),
    ("/api/v1/services?organisation=no-such-bureau", "organisation", "anyone"),
    ("/api/v1/organisations?parent=no-such-bureau", "parent", "anyone"),
    ("/api/v1/questions?organisation=no-such-bureau", "organisation", "staff"),
])
def test_an_unknown_organisation_is_422_everywhere(client, callers, article, path, field, who):
    response = _get(client, callers, article, path, who)
    assert response.status_code == 422, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]


def test_the_envelope_and_its_parameters_are_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/articles", "/api/v1/services", "/api/v1/questions"):
        operation = schema["paths"][path]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"page", "page_size"} <= names
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        ref = ok["$ref"].rsplit("/", 1)[-1]
        assert {"count", "page", "page_size", "results"} <= set(schema["components"]["schemas"][ref]["properties"])
