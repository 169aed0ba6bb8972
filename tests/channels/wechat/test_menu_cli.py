"""``civichall wechat_menu``: export prints WeChat's JSON, import takes it
back exactly; invalid JSON and every broken limit are refused with the
reason and a non-zero exit, leaving the stored menu as it was."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import ModelLogEntry

from civichall.contrib.demo import catalog
from civichall.services import actions
from civichall.services.models import AccountMenu
from tests.services.django_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def export(slug="shanghai"):
    out = io.StringIO()
    call_command("wechat_menu", "export", slug, stdout=out)
    return out.getvalue()


def import_(slug, path):
    out, err = io.StringIO(), io.StringIO()
    call_command("wechat_menu", "import", slug, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_prints_the_button_json(svc):
    data = json.loads(export())
    assert list(data) == ["button"]
    assert [c["name"] for c in data["button"]] == ["市民大厅", "随申办", "来上海"]
    assert data == catalog.demo_menu(
        json.loads(export())["button"][0]["sub_button"][0]["url"].rsplit("/services/", 1)[0])


def test_round_trip_is_exact(svc, tmp_path):
    first = export()
    path = tmp_path / "menu.json"
    path.write_text(first, encoding="utf-8")
    import_("huangpu", path)
    assert export("huangpu") == first
    # A menu written by hand, every item type, unusual key order: same JSON back.
    menu = {"button": [
        {"type": "click", "name": "今日", "key": "TODAY"},
        {"name": "服务", "sub_button": [
            {"type": "view", "name": "实时公交", "url": "https://example.org/services/bus_realtime/"},
            {"type": "miniprogram", "name": "随申办", "url": "https://example.org/",
             "appid": "wx1234567890abcdef", "pagepath": "pages/index"},
        ]},
    ]}
    path.write_text(json.dumps(menu, ensure_ascii=False), encoding="utf-8")
    import_("huangpu", path)
    assert json.loads(export("huangpu")) == menu
    assert AccountMenu.objects.get(organisation__slug="huangpu").menu == menu


def test_import_is_audited_and_a_second_identical_import_changes_nothing(svc, tmp_path):
    path = tmp_path / "menu.json"
    path.write_text(export(), encoding="utf-8")
    before = ModelLogEntry.objects.filter(action="civichall.services.menu.import").count()
    import_("shanghai", path)
    assert ModelLogEntry.objects.filter(action="civichall.services.menu.import").count() == before


BROKEN = [
    ("not json", "{\"button\": [", "JSON"),
    ("column name over 16 bytes", {"button": [{"name": "一二三四五六", "sub_button": [
        {"type": "click", "name": "a", "key": "K"}]}]}, "button[0].name"),
    ("item name over 60 bytes", {"button": [{"type": "click", "name": "名" * 21, "key": "K"}]}, "button[0].name"),
    ("key over 128 bytes", {"button": [{"type": "click", "name": "a", "key": "k" * 129}]}, "button[0].key"),
    ("url over 1024 bytes", {"button": [{"type": "view", "name": "a", "url": "https://e.org/" + "a" * 1011}]},
     "button[0].url"),
    ("four columns", {"button": [{"type": "click", "name": str(i), "key": "K"} for i in range(4)]}, "button"),
    ("six items", {"button": [{"name": "栏目", "sub_button": [
        {"type": "click", "name": str(i), "key": "K"} for i in range(6)]}]}, "button[0].sub_button"),
    ("unknown type", {"button": [{"type": "scan", "name": "扫", "key": "K"}]}, "button[0].type"),
    ("view without url", {"button": [{"type": "view", "name": "a"}]}, "button[0].url"),
]


@pytest.mark.parametrize("label, menu, where", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_menus_are_refused_with_the_reason(svc, tmp_path, label, menu, where):
    path = tmp_path / "menu.json"
    path.write_text(menu if isinstance(menu, str) else json.dumps(menu, ensure_ascii=False), encoding="utf-8")
    before = AccountMenu.objects.get(organisation__slug="shanghai").menu
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("wechat_menu", "import", "shanghai", str(path), stdout=io.StringIO(), stderr=err)
    assert where in err.getvalue()
    assert AccountMenu.objects.get(organisation__slug="shanghai").menu == before


def test_limits_at_the_edge_are_accepted(svc, tmp_path):
    menu = {"button": [{"name": "一二三四五", "sub_button": [
        {"type": "view", "name": "名" * 20, "url": "https://e.org/" + "a" * 1010},
        {"type": "click", "name": "键", "key": "k" * 128},
    ]}]}
    assert len(menu["button"][0]["sub_button"][0]["url"].encode()) == 1024
    path = tmp_path / "menu.json"
    path.write_text(json.dumps(menu, ensure_ascii=False), encoding="utf-8")
    import_("xuhui", path)
    assert json.loads(export("xuhui")) == menu


def test_unknown_account_missing_file_and_no_menu(svc, tmp_path):
    with pytest.raises(CommandError):
        export("nowhere")
    with pytest.raises(CommandError):
        import_("shanghai", tmp_path / "missing.json")
    with pytest.raises(CommandError):
        export("xuhui")


def test_the_action_refuses_with_problems_in_both_languages(svc):
    with pytest.raises(actions.MenuRefused) as refused:
        actions.check_menu({"button": [{"type": "click", "name": "a", "key": "k" * 129}]})
    problem = refused.value.problems[0]
    assert problem.path == "button[0].key" and problem.message_zh and problem.message_en


def test_the_command_line_exits_non_zero(svc, tmp_path, capsys):
    """As run from a shell: a refused import is a failing exit status."""
    from django.core.management import execute_from_command_line

    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"button": [{"type": "click", "name": "a", "key": "k" * 129}]}), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["civichall", "wechat_menu", "import", "shanghai", str(path)])
    assert exit_.value.code != 0
    assert "button[0].key" in capsys.readouterr().err
