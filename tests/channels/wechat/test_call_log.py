"""The log of calls made to the platform, in the admin (*WeChat → Platform
calls*): staff of the account's organisation see its calls — time, API,
follower (masked), the platform's answer in Chinese, duration — filtered
by API and by failure, paged; another organisation's staff see none of
them; a citizen is refused."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civichall.accounts.models import Role
from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import actions, platform
from civichall.channels.wechat.admin_views import CALLS_PER_PAGE
from civichall.channels.wechat.models import Delivery
from tests.accounts.policy_walk import assert_decision_and_filter_agree

pytestmark = pytest.mark.django_db

URL = "/admin/wechat/calls/"
FOLLOWER = "oCityFollower0123456789abcd"
OTHER_FOLLOWER = "oPudongFollower9876543210zz"


@pytest.fixture
def calls(account, platform_api, make_org):
    """Real calls through the fake platform: two that worked, one the
    platform refused (45015), and one of another organisation's account."""
    platform.send_text(account, FOLLOWER, "您的提问有了答复")
    platform.push_menu(account, {"button": [{"type": "click", "name": "服务", "key": "services"}]})
    platform_api.fail_next("message/custom/send", 45015, "response out of time limit or subscription is canceled")
    with pytest.raises(platform.PlatformError):
        platform.send_text(account, FOLLOWER, "又一条答复")
    other = make_org("pudong", kind="district", name_zh="浦东发布")
    other_account = actions.do_configure_account(SYSTEM, other, appid="wx00000000000000aa", token="pudongtoken")
    Delivery.objects.create(account=other_account, api="message.custom.text", openid=OTHER_FOLLOWER,
                            summary="浦东的通知", errcode=0, errmsg="ok", duration_ms=12)
    return {"account": account, "other": other, "other_account": other_account}


def page(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_of_the_organisation_see_its_calls_with_the_answer_in_chinese(client, calls, make_staff):
    liaison = make_staff("city-liaison", calls["account"].organisation, Role.LIAISON)
    shown = page(client, liaison)
    assert "message.custom.text" in shown and "menu.create" in shown
    assert "用户 48 小时内未与公众号互动" in shown and "错误码 45015" in shown
    assert FOLLOWER not in shown and "oCit…abcd" in shown  # masked
    assert "浦东的通知" not in shown and "oPud" not in shown
    durations = list(Delivery.objects.filter(account=calls["account"]).values_list("duration_ms", flat=True))
    assert all(d is not None for d in durations)


def test_filter_by_api_and_by_failure(client, calls, make_staff):
    admin = make_staff("city-admin", calls["account"].organisation, Role.ADMINISTRATOR)
    menus = page(client, admin, api="menu.create")
    assert "menu.create</code>" in menus and "message.custom.text</code>" not in menus
    failures = page(client, admin, failed="1")
    assert "错误码 45015" in failures and "menu.create</code>" not in failures
    assert failures.count("<tr class=\"call-failed\">") == 1


def test_the_log_is_paged(client, calls, make_staff):
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(account=calls["account"], api="qrcode.create", summary=f"scene-{i:03d}", errcode=0, errmsg="ok",
                 sent_at=now + timezone.timedelta(seconds=i), duration_ms=5)
        for i in range(CALLS_PER_PAGE + 5))
    admin = make_staff("city-admin", calls["account"].organisation, Role.ADMINISTRATOR)
    first = page(client, admin, api="qrcode.create")
    assert f"scene-{CALLS_PER_PAGE + 4:03d}" in first and "scene-000" not in first
    assert "p=2" in first and "第 1 页，共 2 页" in first
    second = page(client, admin, api="qrcode.create", p="2")
    assert "scene-000" in second and f"scene-{CALLS_PER_PAGE + 4:03d}" not in second


def test_another_organisations_staff_see_none_of_it(client, calls, make_staff):
    pudong_admin = make_staff("pudong-admin", calls["other"], Role.ADMINISTRATOR)
    shown = page(client, pudong_admin)
    assert "浦东的通知" in shown
    assert "oCit" not in shown and "menu.create" not in shown and "45015" not in shown
    # Asking for the city's account by its number changes nothing.
    assert "menu.create" not in page(client, pudong_admin, account=str(calls["account"].pk))


def test_a_citizen_is_refused(client, calls, make_citizen):
    citizen = make_citizen("13900000333")
    client.force_login(citizen.user)
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert "oCit" not in response.content.decode()
    if response.status_code == 302:
        assert "/login/" in response["Location"]


def test_the_menu_shows_the_screen_to_staff_only(client, calls, make_staff):
    liaison = make_staff("city-liaison", calls["account"].organisation, Role.LIAISON)
    client.force_login(liaison)
    assert URL in client.get("/admin/").content.decode()


def test_decision_and_filter_agree(calls, make_staff, make_citizen, superuser):
    actors = [make_staff("city-admin", calls["account"].organisation, Role.ADMINISTRATOR),
              make_staff("city-editor", calls["account"].organisation, Role.EDITOR),
              make_staff("pudong-liaison", calls["other"], Role.LIAISON),
              make_citizen("13900000334").user, superuser, SYSTEM, AnonymousUser()]
    walked = assert_decision_and_filter_agree(actors, {"wechat_delivery": Delivery.objects.all})
    assert walked == len(actors)
