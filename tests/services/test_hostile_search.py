"""The one-window search sees through invisible characters, on the web page,
in the API and in the search core: 社保 with zero-width characters, fillers
or bidi marks inside finds what 社保 finds."""

import pytest

from civichall.services.search import build_index, search

from .django_fixtures import *  # noqa: F401,F403

HIDDEN = [
    "社\u200b保",  # zero-width space
    "\u200b社\u200c保\u200d",  # zero-width non-joiner and joiner
    "社\u2060保",  # word joiner
    "社\ufeff保",  # zero-width no-break space
    "社\u00ad保",  # soft hyphen
    "社\u3164保",  # Hangul filler
    "社\uffa0保",  # halfwidth Hangul filler
    "\u202e社保\u202c",  # bidi override
    "社\U000e0041保",  # tag character
    "社\ufe0f保",  # variation selector
]


def codes(response):
    assert response.status_code == 200, response.content
    return [s["code"] for s in response.json()["results"]]


@pytest.mark.parametrize("q", HIDDEN)
def test_search_core_sees_through_invisible_characters(q):
    index = build_index([
        {"code": "social_security_card", "name_zh": "社会保障卡", "name_en": "Social security card"},
        {"code": "bus_realtime", "name_zh": "实时公交", "name_en": "Real-time bus"},
    ])
    assert [h.code for h in search(index, q)] == [h.code for h in search(index, "社保")] == ["social_security_card"]


@pytest.mark.django_db
def test_api_search_finds_social_security_with_invisible_characters(client, svc):
    plain = codes(client.get("/api/v1/services", {"q": "社保"}))
    assert "social_security_card" in plain[:3]
    for q in HIDDEN:
        assert codes(client.get("/api/v1/services", {"q": q})) == plain, repr(q)


@pytest.mark.django_db
def test_web_search_finds_social_security_with_invisible_characters(client, svc):
    for q in HIDDEN:
        response = client.get("/services/search/", {"q": q})
        assert response.status_code == 200
        assert 'href="/services/social_security_card/"' in response.content.decode(), repr(q)


@pytest.mark.django_db
def test_only_invisible_characters_is_an_empty_search(client, svc):
    response = client.get("/services/search/", {"q": "\u200b\u3164\ufeff"})
    assert response.status_code == 200
    assert response.context["problem"] == "empty"
    assert codes(client.get("/api/v1/services", {"q": "\u200b\u3164", "page_size": 5})) == []


def test_query_inputs_lose_invisible_characters():
    from civichall.services.connectors.base import prepare_params

    schema = {"properties": {"item": {"type": "string"}, "n": {"type": "integer"}}}
    assert prepare_params(schema, {"item": "奶\u200b茶杯\u3164", "n": "1\u20602", "x": "\u200b\ufeff"}) == \
        {"item": "奶茶杯", "n": 12}


@pytest.mark.django_db
def test_api_query_with_invisible_characters_answers_like_the_plain_one(client, svc):
    def ask(item):
        response = client.post("/api/v1/services/garbage_sorting/query", {"item": item},
                               content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()["data"]["matches"][0]["category"]

    assert ask("奶\u200b茶\u3164杯") == ask("奶茶杯") == "干垃圾"
