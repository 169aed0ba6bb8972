"""One refusal, mapped once per kind of client: the same ``Refusal`` reads
the same in the API (JSON error shape), on a public page (the flash
message) and in the Wagtail admin (the form's error)."""

import json

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from ninja.operation import PathView
from wagtail.models import APIToken

from civichall.content import actions as content_actions
from civichall.content.models import Topic
from civichall.core.api_errors import on_refusal
from civichall.core.errors import (
    REFUSALS,
    RateLimited,
    Refusal,
    as_refusal,
    error_body,
    refusal_message,
    report_refusal,
)
from civichall.interaction import actions
from civichall.interaction.models import Comment

pytestmark = pytest.mark.django_db


def bearer(user):
    _instance, token = APIToken.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- the one type and its reading of Django's refusals ----------------------------------


@pytest.mark.parametrize("error, code, status, fields", [
    (Refusal("comments_closed", "关闭", 403), "comments_closed", 403, None),
    (RateLimited("太快"), "rate_limited", 429, None),
    (actions.InteractionError("not_your_thread", "不是你的"), "not_your_thread", 409, None),
    (ValidationError("不对"), "invalid", 422, None),
    (ValidationError({"slug": ["已被使用"]}), "invalid", 422, {"slug": "已被使用"}),
    (PermissionDenied(), "forbidden", 403, None),
    (Http404(), "not_found", 404, None),
])
def test_every_refusal_reads_as_one_type(error, code, status, fields):
    refusal = as_refusal(error)
    assert (refusal.code, refusal.status, refusal.fields) == (code, status, fields)
    assert str(refusal.message)
    assert isinstance(error, REFUSALS) or isinstance(error, Http404)


def test_what_is_not_a_refusal_stays_a_failure():
    assert as_refusal(RuntimeError("boom")) is None
    assert not isinstance(RuntimeError("boom"), REFUSALS)


def test_a_refusal_without_a_message_takes_its_codes_message():
    with translation.override("en"):
        assert str(Refusal("forbidden", status=403).message) == "You do not have permission to do this."
        assert error_body("not_found")["error"]["message"] == "Nothing was found at this address."


def test_the_three_mappings_of_one_refusal_say_the_same(rf):
    """The API handler, the public pages' message and the admin's form error
    for one refusal: one code, one status, one message."""
    refusal = Refusal("invalid", "名称不能为空。", 422, fields={"name": "名称不能为空。"})
    api = on_refusal(rf.get("/api/v1/x"), refusal)
    assert api.status_code == 422
    assert json.loads(api.content) == {"error": {"code": "invalid", "message": "名称不能为空。",
                                                 "fields": {"name": "名称不能为空。"}}}
    assert refusal_message(refusal) == "名称不能为空。"


# --- the same refusal from a real action, in each shell ---------------------------------------


def test_closed_comments_read_the_same_in_the_api_and_on_the_page(client, article, citizen):
    article.comments_open = False
    article.save()
    api = client.post(f"/api/v1/articles/{article.pk}/comments", {"text": "还能留言吗"},
                      content_type="application/json", **bearer(citizen.user))
    assert api.status_code == 403
    error = api.json()["error"]
    assert error["code"] == "comments_closed"

    client.force_login(citizen.user)
    page = client.post(f"/comments/articles/{article.pk}/", {"text": "还能留言吗"})
    assert page.status_code == 302
    assert [str(m) for m in get_messages(page.wsgi_request)] == [error["message"]]
    assert not Comment.objects.exists()


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


TOPIC = {"name_zh": "出行", "name_en": "Getting around", "slug": "getting-around",
         "description_zh": "", "sort_order": 1}


def test_a_refused_admin_save_shows_why_on_the_form(admin_client, monkeypatch):
    """The action-backed admin shows the refusal on the form (the field it
    names) instead of failing, and saves nothing."""

    def refuse(*args, **kwargs):
        raise ValidationError({"slug": ["这个地址已被其他专题使用。"]})

    monkeypatch.setattr(content_actions, "do_save_topic", refuse)
    response = admin_client.post("/admin/content/topics/new/", TOPIC)
    assert response.status_code == 200
    assert "这个地址已被其他专题使用。" in response.context["form"].errors["slug"]
    assert not Topic.objects.filter(slug="getting-around").exists()


def test_the_admin_shows_the_same_message_as_the_api(admin_client, monkeypatch, client):
    refusal = actions.InteractionError("closed", "此功能已关闭。", 403)

    def refuse(*args, **kwargs):
        raise refusal

    monkeypatch.setattr(content_actions, "do_save_topic", refuse)
    response = admin_client.post("/admin/content/topics/new/", TOPIC)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [refusal_message(refusal)]
    assert on_refusal(RequestFactory().get("/api/v1/x"), refusal).status_code == 403


def test_an_admin_save_refused_by_the_policy_is_a_form_error(admin_client, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionDenied

    monkeypatch.setattr(content_actions, "do_save_topic", refuse)
    response = admin_client.post("/admin/content/topics/new/", TOPIC, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


# --- no patching of the library ------------------------------------------------------------


def test_the_json_405_does_not_patch_ninja():
    assert PathView._not_allowed.__module__ == "ninja.operation"


def test_a_refused_admin_delete_goes_back_with_why(admin_client, monkeypatch, topic):
    def refuse(*args, **kwargs):
        raise actions.InteractionError("in_use", "专题仍在使用中。", 409)

    monkeypatch.setattr(content_actions, "do_delete_topic", refuse)
    response = admin_client.post(f"/admin/content/topics/delete/{topic.pk}/")
    assert response.status_code == 200
    assert "专题仍在使用中。" in [str(m) for m in get_messages(response.wsgi_request)]
    assert Topic.objects.filter(pk=topic.pk).exists()


class _NameForm(forms.Form):
    name = forms.CharField(required=False)


def test_the_admin_mapping_puts_each_message_where_it_belongs():
    form = _NameForm({"name": "x"})
    assert form.is_valid()
    report_refusal(None, ValidationError({"name": ["太短。", "含有不允许的字。"], "other": ["整体不对。"]}), form=form)
    assert form.errors["name"] == ["太短。", "含有不允许的字。"]
    assert form.non_field_errors() == ["整体不对。"]

    form = _NameForm({"name": "x"})
    assert form.is_valid()
    report_refusal(None, Refusal("invalid", "名称不对。", 422, fields={"name": "名称已被使用。"}), form=form)
    assert form.errors["name"] == ["名称已被使用。"] and not form.non_field_errors()

    form = _NameForm({"name": "x"})
    assert form.is_valid()
    report_refusal(None, RateLimited("请稍后再试。"), form=form)
    assert form.non_field_errors() == ["请稍后再试。"]
