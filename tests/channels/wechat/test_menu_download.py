"""The WeChat channel's additions to the service matrix's menus: the JSON
download in the admin (linked from the menu list, 404 for a menu one may
not edit) and WeChat's limits on every saved menu."""

import json

import pytest
from django.urls import reverse

from civichall.accounts.models import Organisation
from civichall.channels.wechat.menus import check_wechat_menu
from civichall.services import account_menus, actions
from civichall.services.models import AccountMenu
from tests.services.django_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def test_the_download_is_wechats_json_and_linked_from_the_menu_list(client, svc, superuser):
    client.force_login(superuser)
    menu = AccountMenu.objects.get(organisation__slug="shanghai")
    url = reverse("wechat_menu_export", args=[menu.pk])
    assert url == f"/admin/services/menus/{menu.pk}/export/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="menu-shanghai.json"'
    assert json.loads(response.content) == menu.menu
    assert url in client.get(reverse("services_menus:index")).content.decode()


def test_a_menu_one_may_not_edit_is_not_downloaded(client, svc, make_staff):
    huangpu = Organisation.objects.get(slug="huangpu")
    client.force_login(make_staff("huangpu_admin", huangpu, "administrator"))
    city_menu = AccountMenu.objects.get(organisation__slug="shanghai")
    assert client.get(reverse("wechat_menu_export", args=[city_menu.pk])).status_code == 404


def test_the_channel_registers_its_check_and_download():
    assert check_wechat_menu in account_menus._validators
    assert ("wechat_menu_export" in [name for _label, name in account_menus.menu_downloads()])
    with pytest.raises(actions.MenuRefused) as refused:
        actions.check_menu({"button": [{"type": "click", "name": "a" * 17, "key": "k"}]})
    assert [p.code for p in refused.value.problems] == ["too_long"]
