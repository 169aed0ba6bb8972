"""Who may touch the channel's objects: an organisation's administrators
configure its account and keyword replies, any of its staff answer its
followers' questions; another organisation's staff get a 404, as for a
missing object; secrets are never rendered; the decision for one object and
the list filter agree."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from civichall.accounts.models import Role
from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import actions
from civichall.channels.wechat.models import Delivery, Handoff, KeywordReply, WechatAccount
from tests.accounts.policy_walk import assert_decision_and_filter_agree

from .conftest import SECRET
from .player import AES_KEY, APPID

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(safe_account, make_org, make_staff, superuser):
    other = make_org("pudong", kind="district", name_zh="浦东发布")
    other_account = actions.do_configure_account(SYSTEM, other, appid="wx00000000000000aa", token="pudongtoken")
    rule = actions.do_save_keyword_reply(SYSTEM, None, account=safe_account, keyword="上班时间", reply="9:00 开门")
    actions.do_save_keyword_reply(SYSTEM, None, account=other_account, keyword="地址", reply="浦东大道")
    handoff = actions.do_file_handoff(safe_account, "o-asker", "落户需要什么材料？")
    actions.do_file_handoff(other_account, "o-asker-2", "浦东的社区医院在哪里？")
    for logged in (safe_account, other_account):
        Delivery.objects.create(account=logged, api="menu.create", errcode=0, errmsg="ok", duration_ms=3)
    return {
        "account": safe_account, "other_account": other_account, "rule": rule, "handoff": handoff,
        "admin": make_staff("city-admin", safe_account.organisation, Role.ADMINISTRATOR),
        "liaison": make_staff("city-liaison", safe_account.organisation, Role.LIAISON),
        "other_admin": make_staff("pudong-admin", other, Role.ADMINISTRATOR),
        "superuser": superuser,
    }


def test_decision_and_filter_agree(world):
    actors = [world["admin"], world["liaison"], world["other_admin"], world["superuser"], SYSTEM, AnonymousUser()]
    walked = assert_decision_and_filter_agree(actors, {
        "wechat_account": WechatAccount.objects.all,
        "keyword_reply": KeywordReply.objects.all,
        "wechat_handoff": Handoff.objects.all,
        "wechat_delivery": Delivery.objects.all,
    })
    assert walked == 6 * 7


def test_another_organisations_admin_cannot_configure_or_answer(world):
    with pytest.raises(PermissionDenied):
        actions.do_configure_account(world["other_admin"], world["account"].organisation, token="hijacked1")
    with pytest.raises(PermissionDenied):
        actions.do_answer_handoff(world["other_admin"], world["handoff"], "不是我们的问题")
    with pytest.raises(PermissionDenied):
        actions.do_configure_account(world["liaison"], world["account"].organisation, token="liaison1")
    world["account"].refresh_from_db()
    assert world["account"].token == "civichalltoken"


def test_admin_screens_answer_404_to_another_organisation(client, world):
    client.force_login(world["other_admin"])
    for url in (reverse("wechat_accounts:edit", args=[world["account"].pk]),
                reverse("wechat_keywords:edit", args=[world["rule"].pk]),
                reverse("wechat_handoffs:edit", args=[world["handoff"].pk]),
                f"/admin/wechat/accounts/{world['account'].pk}/push-menu/"):
        assert client.get(url).status_code == 404, url
    listing = client.get("/admin/wechat/accounts/").content.decode()
    assert "wx00000000000000aa" in listing and APPID not in listing


def test_secrets_are_never_rendered_and_an_empty_field_keeps_them(client, world):
    client.force_login(world["admin"])
    url = reverse("wechat_accounts:edit", args=[world["account"].pk])
    page = client.get(url)
    assert page.status_code == 200
    page = page.content.decode()
    assert "AppSecret" in page and SECRET not in page and AES_KEY not in page
    response = client.post(url, {"appid": APPID, "token": "newtoken99", "mode": "safe", "welcome_text": "欢迎！",
                                 "enabled": "on", "new_secret": "", "new_aes_key": ""})
    assert response.status_code == 302
    world["account"].refresh_from_db()
    assert (world["account"].token, world["account"].app_secret, world["account"].aes_key) == (
        "newtoken99", SECRET, AES_KEY)
    entry = ModelLogEntry.objects.filter(action="civichall.wechat.configure").order_by("-id").first()
    assert entry.data["changed"] == ["token", "welcome_text"] and entry.data["secrets_changed"] == []
    assert SECRET not in str(entry.data)


def test_a_liaison_answers_a_question_in_the_admin(client, world, django_capture_on_commit_callbacks, platform_api):
    client.force_login(world["liaison"])
    url = reverse("wechat_handoffs:edit", args=[world["handoff"].pk])
    assert "落户需要什么材料" in client.get("/admin/wechat/questions/").content.decode()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "请携带身份证和居住证明到社区事务受理中心。"})
    assert response.status_code == 302
    world["handoff"].refresh_from_db()
    assert world["handoff"].answered_by == world["liaison"]
    assert platform_api.sent[-1]["touser"] == "o-asker"


def test_bad_configuration_is_refused_with_a_reason_per_field(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.do_configure_account(SYSTEM, world["account"].organisation, appid="wx123", token="a b",
                                     aes_key="short", mode="safe")
    assert set(refused.value.message_dict) == {"appid", "token", "aes_key"}
