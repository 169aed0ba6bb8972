"""The lexicon in the database: the starter load, who may change it, the
actions and their audit log, the cached matcher, and the admin screens."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from civichall.safety import actions, services
from civichall.safety.engine import STARTER_LEXICON
from civichall.safety.lexicon import parse_lexicon_csv
from civichall.safety.models import Lexicon, LexiconEntry
from civichall.safety.permissions import access_lexicon

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipal(make_org):
    return make_org("shanghai", kind="municipal", name_zh="上海市人民政府")


@pytest.fixture
def bureau(make_org):
    return make_org("metro", name_zh="上海地铁")


@pytest.fixture
def lexicon_admin(municipal, make_staff):
    return make_staff("lexicon_admin", municipal, "administrator")


def logged(action):
    return ModelLogEntry.objects.filter(action=action)


# --- the starter lexicon ---------------------------------------------------------------


def test_starter_lexicon_is_loaded_on_migrate():
    with open(STARTER_LEXICON, encoding="utf-8") as f:
        entries, allow, errors = parse_lexicon_csv(f)
    assert not errors
    assert LexiconEntry.objects.count() == len(entries) + len(allow)
    assert LexiconEntry.objects.filter(severity="allow").count() == len(allow)
    assert Lexicon.objects.get(pk=1).version


def test_database_lexicon_gives_the_engine_decisions():
    assert services.check_content("网络赌场注册送彩金", "body")["decision"] == "block"
    assert services.check_content("公安机关严厉打击赌博违法犯罪", "body")["decision"] == "pass"
    assert services.check_content("地铁末班车延长", "body")["decision"] == "pass"


# --- who may change it ------------------------------------------------------------------


def test_access_lexicon(municipal, bureau, make_staff, superuser):
    admin = make_staff("admin", municipal, "administrator")
    bureau_admin = make_staff("bureau_admin", bureau, "administrator")
    reviewer = make_staff("reviewer", bureau, "reviewer")
    editor = make_staff("editor", municipal, "editor")
    citizen = make_staff("citizen")
    for user in (superuser, admin):
        assert access_lexicon(user, "change") and access_lexicon(user, "view")
    for user in (bureau_admin, reviewer):
        assert access_lexicon(user, "view")
        with pytest.raises(PermissionDenied):
            access_lexicon(user, "change")
    for user in (editor, citizen, None):
        for action in ("view", "change"):
            with pytest.raises(PermissionDenied):
                access_lexicon(user, action)
    with pytest.raises(PermissionDenied):
        access_lexicon(superuser, "destroy")


def test_only_lexicon_administrators_may_change_it(bureau, make_staff):
    reviewer = make_staff("reviewer", bureau, "reviewer")
    with pytest.raises(PermissionDenied):
        actions.do_add_entry(reviewer, "测试违禁词", "other", "block")
    assert not LexiconEntry.objects.filter(term="测试违禁词").exists()


# --- the actions, audited ----------------------------------------------------------------


def test_add_edit_delete_are_logged_and_change_the_decisions(lexicon_admin):
    text = "这里有测试违禁词"
    assert services.check_content(text, "body")["decision"] == "pass"
    version = Lexicon.objects.get(pk=1).version

    entry = actions.do_add_entry(lexicon_admin, " 测试违禁词 ", "其他", "block", note="测试")
    assert entry.term == "测试违禁词" and entry.category == "other"
    assert entry.created_by == lexicon_admin
    assert Lexicon.objects.get(pk=1).version != version
    assert services.check_content(text, "body")["decision"] == "block"
    add_log = logged("civichall.safety.lexicon.add").get(object_id=str(entry.pk))
    assert add_log.user_id == lexicon_admin.pk
    assert add_log.data["entry"]["term"] == "测试违禁词"

    actions.do_update_entry(lexicon_admin, entry, severity="review")
    assert services.check_content(text, "body")["decision"] == "review"
    edit_log = logged("civichall.safety.lexicon.edit").get(object_id=str(entry.pk))
    assert edit_log.data["changed"] == {"severity": ["block", "review"]}

    # An edit that changes nothing writes nothing.
    actions.do_update_entry(lexicon_admin, entry, severity="review")
    assert logged("civichall.safety.lexicon.edit").count() == 1

    pk = entry.pk
    actions.do_delete_entry(lexicon_admin, entry)
    assert services.check_content(text, "body")["decision"] == "pass"
    delete_log = logged("civichall.safety.lexicon.delete").get(object_id=str(pk))
    assert delete_log.data["entry"]["severity"] == "review"


def test_allow_phrase_suppresses_a_hit(lexicon_admin):
    text = "这一带的赌博馆旧址已改建为社区图书馆"
    assert services.check_content(text, "body")["decision"] == "review"
    actions.do_add_entry(lexicon_admin, "赌博馆旧址", "", "allow")
    assert services.check_content(text, "body")["decision"] == "pass"


def test_entries_are_validated(lexicon_admin):
    with pytest.raises(ValidationError) as error:
        actions.do_add_entry(lexicon_admin, "", "other", "block")
    assert "term" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.do_add_entry(lexicon_admin, "某词", "nonsense", "block")
    assert "category" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.do_add_entry(lexicon_admin, "某词", "other", "delete")
    assert "severity" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.do_add_entry(lexicon_admin, "@@@", "other", "block")
    assert "term" in error.value.message_dict
    # The same term in another spelling (traditional, full-width) is the same entry.
    with pytest.raises(ValidationError) as error:
        actions.do_add_entry(lexicon_admin, "網絡賭場", "gambling_drugs", "block")
    assert "网络赌场" in error.value.message_dict["term"][0]
    assert not logged("civichall.safety.lexicon.add").exists()


# --- import and export ---------------------------------------------------------------------


GOOD_CSV = (
    "term,category,severity,pinyin,note\n"
    "测试违禁词,other,block,0,新增\n"
    "网络赌场,gambling_drugs,review,0,改为人工审核\n"
    "测试白名单词组,,allow,,\n"
)


def test_import_adds_and_updates_all_or_nothing(lexicon_admin):
    before = LexiconEntry.objects.count()
    summary = actions.do_import_lexicon(lexicon_admin, io.StringIO(GOOD_CSV), source="test")
    assert (summary.rows, summary.created, summary.updated, summary.deleted) == (3, 2, 1, 0)
    assert LexiconEntry.objects.count() == before + 2
    assert LexiconEntry.objects.get(term="网络赌场").severity == "review"
    assert services.check_content("网络赌场", "body")["decision"] == "review"
    log = logged("civichall.safety.lexicon.import").get()
    assert log.data["summary"]["created"] == 2 and log.user_id == lexicon_admin.pk

    # Again: nothing changes.
    summary = actions.do_import_lexicon(lexicon_admin, io.StringIO(GOOD_CSV))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)

    bad = GOOD_CSV + "另一个词,nonsense,block,0,\n,other,block,0,\n"
    with pytest.raises(actions.LexiconImportError) as error:
        actions.do_import_lexicon(lexicon_admin, io.StringIO(bad))
    assert [line for line, _message in error.value.errors] == [5, 6]
    assert not LexiconEntry.objects.filter(term="另一个词").exists()
    assert logged("civichall.safety.lexicon.import").count() == 2


def test_import_with_replace_removes_the_rest(lexicon_admin):
    summary = actions.do_import_lexicon(lexicon_admin, io.StringIO(GOOD_CSV), replace=True)
    assert LexiconEntry.objects.count() == 3
    assert summary.deleted > 0
    assert services.check_content("炸学校", "body")["decision"] == "pass"


def test_export_reads_back(lexicon_admin):
    buffer = io.StringIO()
    services.export_lexicon(buffer)
    entries, allow, errors = parse_lexicon_csv(io.StringIO(buffer.getvalue()))
    assert not errors
    assert len(entries) + len(allow) == LexiconEntry.objects.count()


# --- the admin screens -----------------------------------------------------------------------


def screens(entry):
    return [
        reverse("safety_lexicon:index"),
        reverse("safety_lexicon:index") + "?q=赌",
        reverse("safety_lexicon:index") + "?category=gambling_drugs",
        reverse("safety_lexicon:add"),
        reverse("safety_lexicon:edit", args=[entry.pk]),
        reverse("safety_lexicon:delete", args=[entry.pk]),
        reverse("safety_lexicon:history", args=[entry.pk]),
        reverse("safety_lexicon:import"),
        reverse("safety_lexicon:export"),
        reverse("safety_lexicon:hits", args=[entry.pk]),
    ]


def test_admin_screens_render_for_a_superuser(client, superuser):
    entry = LexiconEntry.objects.get(term="网络赌场")
    client.force_login(superuser)
    for url in screens(entry):
        response = client.get(url)
        assert response.status_code == 200, url
    index = client.get(reverse("safety_lexicon:index") + "?category=violence").content.decode()
    assert "炸学校" in index and "网络赌场" not in index
    search = client.get(reverse("safety_lexicon:index") + "?q=赌场").content.decode()
    assert "网络赌场" in search and "炸学校" not in search
    export = client.get(reverse("safety_lexicon:export"))
    assert export["Content-Type"].startswith("text/csv")
    assert "网络赌场" in export.content.decode("utf-8-sig")


def test_admin_screens_are_refused_to_an_editor(client, municipal, make_staff):
    editor = make_staff("editor", municipal, "editor")
    entry = LexiconEntry.objects.get(term="网络赌场")
    client.force_login(editor)
    for url in screens(entry):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "网络赌场" not in response.content.decode("utf-8", "replace"), url
    response = client.post(reverse("safety_lexicon:delete", args=[entry.pk]))
    assert LexiconEntry.objects.filter(pk=entry.pk).exists()
    response = client.post(reverse("safety_lexicon:import"),
                           {"file": SimpleUploadedFile("x.csv", GOOD_CSV.encode())})
    assert not LexiconEntry.objects.filter(term="测试违禁词").exists()


def test_reviewer_may_read_but_not_change(client, bureau, make_staff):
    reviewer = make_staff("reviewer", bureau, "reviewer")
    entry = LexiconEntry.objects.get(term="网络赌场")
    client.force_login(reviewer)
    assert client.get(reverse("safety_lexicon:index")).status_code == 200
    assert client.get(reverse("safety_lexicon:hits", args=[entry.pk])).status_code == 200
    assert client.get(reverse("safety_lexicon:export")).status_code == 200
    for url in (reverse("safety_lexicon:add"), reverse("safety_lexicon:edit", args=[entry.pk]),
                reverse("safety_lexicon:import")):
        assert client.get(url).status_code in (302, 403), url
    client.post(reverse("safety_lexicon:edit", args=[entry.pk]),
                {"term": "网络赌场", "category": "gambling_drugs", "severity": "review"})
    assert LexiconEntry.objects.get(pk=entry.pk).severity == "block"


def test_admin_add_edit_delete_go_through_the_actions(client, lexicon_admin):
    client.force_login(lexicon_admin)
    response = client.post(reverse("safety_lexicon:add"), {
        "term": "测试违禁词", "category": "other", "severity": "block", "note": "后台添加"})
    assert response.status_code == 302
    entry = LexiconEntry.objects.get(term="测试违禁词")
    assert logged("civichall.safety.lexicon.add").filter(object_id=str(entry.pk)).exists()

    # A duplicate spelling is refused with a message on the form.
    response = client.post(reverse("safety_lexicon:add"), {
        "term": "測試違禁詞", "category": "other", "severity": "block"})
    assert response.status_code == 200
    assert LexiconEntry.objects.filter(key=entry.key).count() == 1

    response = client.post(reverse("safety_lexicon:edit", args=[entry.pk]), {
        "term": "测试违禁词", "category": "vulgar", "severity": "review", "note": "改"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.category, entry.severity, entry.updated_by) == ("vulgar", "review", lexicon_admin)
    assert logged("civichall.safety.lexicon.edit").filter(object_id=str(entry.pk)).exists()

    response = client.post(reverse("safety_lexicon:delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not LexiconEntry.objects.filter(pk=entry.pk).exists()
    assert logged("civichall.safety.lexicon.delete").filter(object_id=str(entry.pk)).exists()
    # The history report lists the changes.
    history = client.get(reverse("wagtailadmin_reports:site_history"))
    assert history.status_code == 200


def test_admin_import_refuses_a_bad_file_with_line_numbers(client, lexicon_admin):
    client.force_login(lexicon_admin)
    bad = GOOD_CSV + "另一个词,nonsense,block,0,\n"
    response = client.post(reverse("safety_lexicon:import"),
                           {"file": SimpleUploadedFile("bad.csv", bad.encode("utf-8"))})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "5" in html and "nonsense" in html
    assert not LexiconEntry.objects.filter(term="测试违禁词").exists()

    response = client.post(reverse("safety_lexicon:import"),
                           {"file": SimpleUploadedFile("good.csv", GOOD_CSV.encode("utf-8"))})
    assert response.status_code == 302
    assert LexiconEntry.objects.filter(term="测试违禁词").exists()


def test_content_each_term_hit(client, superuser, make_org, make_staff, make_article):
    from civichall.content import actions as content_actions

    metro = make_org("metro")
    editor = make_staff("editor", metro, "editor")
    page = make_article(metro, title="关于打击网络赌场的通告", body=[
        {"type": "rich_text", "value": "<p>严厉打击网络赌场等违法活动。</p>"}])
    content_actions.do_submit_for_review(page, editor)
    entry = LexiconEntry.objects.get(term="网络赌场")
    client.force_login(superuser)
    index = client.get(reverse("safety_lexicon:index") + "?q=网络赌场").content.decode()
    assert reverse("safety_lexicon:hits", args=[entry.pk]) in index
    html = client.get(reverse("safety_lexicon:hits", args=[entry.pk])).content.decode()
    assert page.title in html
    assert "<mark>网络赌场</mark>" in html
    assert reverse("safety_page_report", args=[page.pk]) in html
