"""The platform side against the fake platform: one token for all workers,
the menu push (command and admin button) with the platform's errors in
Chinese, QR codes, the simulate command, web authorisation and the JS-SDK,
and notifications sent on to a linked OpenID."""

import io
import json
import threading
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import ModelLogEntry

from civichall.accounts.models import Citizen, Role
from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import platform
from civichall.channels.wechat.models import Delivery, Follower
from civichall.services import actions as service_actions

from .player import APPID

pytestmark = pytest.mark.django_db

MENU = '{"button":[{"type":"click","name":"垃圾分类","key":"garbage_sorting"},' \
       '{"name":"办事","sub_button":[{"type":"view","name":"全部服务","url":"https://civichall.example.org/services/"}]}]}'


def test_concurrent_workers_fetch_the_token_once(account, platform_api):
    platform_api.token_delay_s = 0.3  # a slow platform widens the window for a race
    try:
        tokens, barrier = [], threading.Barrier(8)

        def worker():
            client = platform.client_for(account)
            barrier.wait()
            tokens.append(client.access_token)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
    finally:
        platform_api.token_delay_s = 0.0
    assert platform_api.token_requests == 1
    assert len(tokens) == 8 and len(set(tokens)) == 1
    assert tokens[0] == platform_api.tokens[APPID]


def test_a_token_the_platform_no_longer_knows_is_refreshed_once(account, platform_api):
    platform.CacheSession().set(f"{APPID}_access_token", "stale-token", 600)
    platform.send_text(account, "o-reader", "您好")
    assert platform_api.token_requests == 1
    assert platform_api.sent[-1]["text"]["content"] == "您好"


def test_a_token_another_process_refreshed_meanwhile_is_used_not_fetched_again(account, platform_api):
    session = platform.CacheSession()
    session.set(f"{APPID}_access_token", "token-before", 600)
    client = platform.client_for(account)
    assert client.access_token == "token-before"  # this client sends it; the platform refuses it ...
    with platform_api.lock:  # ... because another process has fetched a new one
        platform_api.tokens[APPID] = "token-of-the-other"
    session.set(f"{APPID}_access_token", "token-of-the-other", 600)
    client.fetch_access_token()  # what wechatpy does on 40001
    assert client.access_token == "token-of-the-other"
    assert platform_api.token_requests == 0


def test_a_wrong_app_secret_is_explained_in_chinese(city, platform_api):
    from civichall.channels.wechat import actions

    account = actions.do_configure_account(SYSTEM, city, appid=APPID, token="civichalltoken", secret="wrongsecret1")
    with pytest.raises(platform.PlatformError) as refused:
        platform.send_text(account, "o-x", "您好")
    assert "AppSecret 无效" in refused.value.message and "40125" in refused.value.message


def test_menu_push_sends_the_stored_menu_and_shows_errors_in_chinese(account, platform_api):
    service_actions.do_import_menu(account.organisation, MENU, SYSTEM, source="test")
    out = io.StringIO()
    call_command("wechat_menu", "push", "shanghai", stdout=out)
    assert "2" in out.getvalue()
    assert platform_api.menus[APPID]["button"][0] == {"type": "click", "name": "垃圾分类", "key": "garbage_sorting"}
    platform_api.fail_next("menu/create", 40016, "invalid button size")
    with pytest.raises(CommandError) as refused:
        call_command("wechat_menu", "push", "shanghai", stdout=io.StringIO())
    assert "菜单按钮个数不合法" in str(refused.value) and "40016" in str(refused.value)
    calls = list(Delivery.objects.filter(api="menu.create").order_by("id").values_list("errcode", flat=True))
    assert calls == [0, 40016]
    logged = ModelLogEntry.objects.filter(action="civichall.wechat.menu_push").order_by("id")
    assert [e.data["errcode"] for e in logged] == [0, 40016]


def test_the_admin_button_pushes_the_menu(client, account, platform_api, make_staff):
    service_actions.do_import_menu(account.organisation, MENU, SYSTEM, source="test")
    admin = make_staff("admin-city", account.organisation, Role.ADMINISTRATOR)
    client.force_login(admin)
    url = f"/admin/wechat/accounts/{account.pk}/push-menu/"
    assert client.get(url).status_code == 200
    platform_api.fail_next("menu/create", 48001, "api unauthorized")
    response = client.post(url, follow=True)
    assert "公众号没有该接口的权限" in response.content.decode()
    response = client.post(url, follow=True)
    assert APPID in platform_api.menus
    with urllib.request.urlopen(platform_api.base_url + "_control/received", timeout=5) as answer:
        received = json.load(answer)
    assert received["menus"][APPID]["button"][0]["name"] == "垃圾分类"


def test_qrcode_command_asks_the_platform(account, platform_api):
    out = io.StringIO()
    call_command("wechat", "qrcode", "shanghai", "bus_realtime:stop=人民广场", stdout=out)
    assert platform_api.qrcodes[-1]["action_info"]["scene"]["scene_str"] == "bus_realtime:stop=人民广场"
    assert "ticket:" in out.getvalue() and "showqrcode" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("wechat", "qrcode", "shanghai", "有 空格", stdout=io.StringIO())


def test_configure_and_simulate_commands(city, platform_api, monkeypatch):
    from civichall.channels.wechat import answering

    monkeypatch.setattr(answering, "assistant_installed", lambda: False)
    out = io.StringIO()
    call_command("wechat", "configure", "shanghai", "--appid", APPID, "--token", "demoToken1", "--mode", "safe",
                 "--aes-key", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "--secret", "s3cretS3cretS3cret",
                 stdout=out)
    assert "/wechat/shanghai/" in out.getvalue()
    shown = io.StringIO()
    call_command("wechat", "show", "shanghai", stdout=shown)
    assert "s3cretS3cret" not in shown.getvalue() and "abcdefghijklmnop" not in shown.getvalue()
    out = io.StringIO()
    call_command("wechat", "simulate", "shanghai", "--event", "subscribe", stdout=out)
    assert "欢迎关注" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("wechat", "configure", "shanghai", "--appid", "nonsense", "--token", "t", stdout=io.StringIO())
    assert "AppID" in str(refused.value)


def test_web_authorisation_signs_the_follower_in_and_links_the_openid(client, account, platform_api):
    response = client.get("/wechat/shanghai/oauth/", {"next": "/services/"})
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(platform_api.base_url + "connect/oauth2/authorize?appid=" + APPID)
    assert "snsapi_base" in authorize
    state = authorize.split("state=")[1].split("#")[0]
    code = platform_api.code_for("o-web-follower")
    response = client.get("/wechat/shanghai/oauth/callback/", {"code": code, "state": state})
    assert response.status_code == 302 and response["Location"] == "/services/"
    citizen = Citizen.objects.get(wechat_openid="o-web-follower")
    assert client.session["_auth_user_id"] == str(citizen.user_id)


def test_web_authorisation_links_a_citizen_signed_in_by_mobile(client, account, platform_api, make_citizen):
    citizen = make_citizen("13900000123")
    client.force_login(citizen.user)
    response = client.get("/wechat/shanghai/oauth/", {"next": "https://evil.example.com/"})
    state = response["Location"].split("state=")[1].split("#")[0]
    response = client.get("/wechat/shanghai/oauth/callback/",
                          {"code": platform_api.code_for("o-linked"), "state": state})
    assert response["Location"] == "/"  # never sent off-site
    citizen.refresh_from_db()
    assert citizen.wechat_openid == "o-linked"


def test_a_forged_callback_is_refused(client, account, platform_api):
    response = client.get("/wechat/shanghai/oauth/callback/", {"code": "x", "state": "forged"})
    assert response.status_code == 400
    assert "授权已失效" in response.content.decode()


def test_a_code_the_platform_does_not_know_is_explained(client, account, platform_api):
    response = client.get("/wechat/shanghai/oauth/", {"next": "/"})
    state = response["Location"].split("state=")[1].split("#")[0]
    response = client.get("/wechat/shanghai/oauth/callback/", {"code": "used-or-made-up", "state": state})
    assert response.status_code == 400
    assert "code 无效" in response.content.decode() and "40029" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_jssdk_configuration_is_signed(client, account, platform_api):
    data = client.get("/wechat/shanghai/jssdk/", {"url": "https://civichall.example.org/a/1/#top"}).json()
    assert data["appId"] == APPID and len(data["signature"]) == 40
    assert client.get("/wechat/shanghai/jssdk/", {"url": "javascript:alert(1)"}).status_code == 422


def test_an_answer_notification_goes_on_to_the_linked_openid(account, platform_api, make_citizen,
                                                               django_capture_on_commit_callbacks):
    from civichall.accounts import citizens
    from civichall.notify.services import notify_citizen

    citizen = make_citizen("13900000456")
    citizens.do_link_wechat(citizen, "o-notified")
    Follower.objects.create(account=account, openid="o-notified")
    with django_capture_on_commit_callbacks(execute=True):
        notify_citizen(citizen, "answer", "上海发布答复了您的问题：可以在线办理。", "https://civichall.example.org/c/1/")
    sent = [m for m in platform_api.sent if m["touser"] == "o-notified"]
    assert len(sent) == 1 and "可以在线办理" in sent[0]["text"]["content"]
    assert Delivery.objects.get(openid="o-notified").errcode == 0
    assert citizen.notifications.count() == 1  # the notification centre keeps it


def test_a_case_notification_goes_on_with_its_link_made_absolute(account, platform_api, make_citizen,
                                                                  django_capture_on_commit_callbacks):
    from civichall.accounts import citizens
    from civichall.notify.services import notify_citizen

    citizen = make_citizen("13900000789")
    citizens.do_link_wechat(citizen, "o-case")
    Follower.objects.create(account=account, openid="o-case")
    with django_capture_on_commit_callbacks(execute=True):
        notify_citizen(citizen, "case", "SH2026-0001：材料已受理。", "/applications/cases/1/")
        notify_citizen(citizen, "comment", "您的留言已显示。")  # not sent on
    sent = [m for m in platform_api.sent if m["touser"] == "o-case"]
    assert len(sent) == 1
    assert sent[0]["text"]["content"] == "SH2026-0001：材料已受理。\nhttps://civichall.example.org/applications/cases/1/"


def test_outside_the_48_hours_a_notice_goes_as_a_template_message(account, platform_api, make_citizen,
                                                                   django_capture_on_commit_callbacks):
    from civichall.accounts import citizens
    from civichall.channels.wechat import actions
    from civichall.notify.services import notify_citizen

    actions.do_configure_account(SYSTEM, account.organisation, notice_template_id="TPL_notice-01")
    citizen = make_citizen("13900000790")
    citizens.do_link_wechat(citizen, "o-quiet")
    Follower.objects.create(account=account, openid="o-quiet")
    platform_api.fail_next("message/custom/send", 45015, "response out of time limit or subscription is canceled")
    with django_capture_on_commit_callbacks(execute=True):
        notify_citizen(citizen, "answer", "上海发布答复了您的问题：请携带身份证办理。", "/c/2/")
    sent = [m for m in platform_api.sent if m["touser"] == "o-quiet"]
    assert len(sent) == 1 and sent[0]["api"] == "message/template/send"
    assert sent[0]["template_id"] == "TPL_notice-01"
    assert sent[0]["data"]["keyword1"]["value"] == "上海发布答复了您的问题：请携带身份证办理。"
    assert sent[0]["url"] == "https://civichall.example.org/c/2/"
    calls = list(Delivery.objects.filter(openid="o-quiet").order_by("id").values_list("api", "errcode"))
    assert calls == [("message.custom.text", 45015), ("message.template", 0)]
