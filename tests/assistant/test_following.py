"""The index follows publishing through the change log: what one process
publishes, changes, withdraws, deletes, approves or retires shows in (or
leaves) the answers of another process at once, and catching up with one
change reads that object only, however much the assistant knows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civichall.assistant import actions, index, sync
from civichall.assistant.models import KnowledgeChange
from civichall.services.models import Service

pytestmark = pytest.mark.django_db

BODY = [
    {"type": "rich_text", "value": "<p>本市推出敬老卡，65岁以上老人乘坐公交免费。</p>"},
    {"type": "qa_list", "value": {"title": "常见问题", "items": [
        {"question": "敬老卡丢了怎么补办？", "answer": "<p>带身份证到街道社区事务受理服务中心补办。</p>"},
    ]}},
]


def look_at_the_log(live):
    """As when the poll interval has passed: the next answer looks at the log
    (these tests write entries without moving the cache's stamp)."""
    live._looked -= index.POLL_SECONDS


def sources(live, question):
    return [hit.item.source for hit in live.current().search(question)]


def titles(live, question):
    return [hit.item.title for hit in live.current().search(question)]


@pytest.fixture
def other_process():
    """A second process: its own index, opened from the copy on disk, that
    hears of changes only through the log."""
    index.current()  # this process builds the shared copy
    other = index.LiveIndex()
    other.current()
    return other


def test_an_article_published_changed_withdrawn_and_deleted_shows_in_another_process(
        catalog, make_article, superuser, other_process, django_capture_on_commit_callbacks):
    from civichall.content.actions import do_withdraw

    assert "article:senior-card" not in sources(other_process, "敬老卡怎么办")
    with django_capture_on_commit_callbacks(execute=True):
        page = make_article(catalog["bureau"], title="敬老卡申领指南", body=BODY, slug="senior-card", publish=True)
    assert sources(other_process, "敬老卡怎么办")[0] == "article:senior-card"
    assert "敬老卡丢了怎么补办？" in titles(other_process, "敬老卡丢了怎么补办")

    # a new revision without the Q&A pair: the pair leaves, the article stays
    page.body = BODY[:1]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert "敬老卡丢了怎么补办？" not in titles(other_process, "敬老卡丢了怎么补办")
    assert sources(other_process, "敬老卡怎么办")[0] == "article:senior-card"

    with django_capture_on_commit_callbacks(execute=True):
        do_withdraw(page, superuser, "内容有误，已更正后重新发布。")
    assert "article:senior-card" not in sources(other_process, "敬老卡怎么办")

    again = make_article(catalog["bureau"], title="敬老卡申领指南（更正）", body=BODY, slug="senior-card-2",
                         publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        again.save_revision().publish()
    assert sources(other_process, "敬老卡怎么办")[0] == "article:senior-card-2"
    with django_capture_on_commit_callbacks(execute=True):
        again.delete()
    assert not any(s.startswith("article:senior-card") for s in sources(other_process, "敬老卡怎么办"))


def test_an_unpublished_article_leaves_another_process(catalog, make_article, other_process,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_article(catalog["bureau"], title="敬老卡申领指南", body=BODY, slug="senior-card", publish=True)
    assert sources(other_process, "敬老卡怎么办")[0] == "article:senior-card"
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert "article:senior-card" not in sources(other_process, "敬老卡怎么办")


def test_a_service_change_and_retirement_show_in_another_process(catalog, other_process,
                                                                 django_capture_on_commit_callbacks):
    assert "service:housing_fund" not in sources(other_process, "组合贷款")
    service = Service.objects.get(code="housing_fund")
    service.keywords = "公积金 余额 缴存 组合贷款"
    with django_capture_on_commit_callbacks(execute=True):
        service.save()
    assert sources(other_process, "组合贷款")[0] == "service:housing_fund"
    service.status = "retired"
    with django_capture_on_commit_callbacks(execute=True):
        service.save()
    assert "service:housing_fund" not in sources(other_process, "公积金余额")


def test_an_faq_approved_changed_and_retired_shows_in_another_process(catalog, make_staff, settings, other_process,
                                                                      django_capture_on_commit_callbacks):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    editor = make_staff("editor", catalog["bureau"], "editor")
    reviewer = make_staff("reviewer", catalog["bureau"], "reviewer")
    questions, answer = "积分落户要多少分\n居转户积分标准", "标准分值为120分。"
    with django_capture_on_commit_callbacks(execute=True):
        faq = actions.do_save_faq(editor, organisation=catalog["bureau"], questions=questions, answer=answer)
    assert f"faq:{faq.pk}" not in sources(other_process, "积分落户要多少分")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_review_faq(reviewer, faq)
    assert sources(other_process, "积分落户要多少分")[0] == f"faq:{faq.pk}"
    with django_capture_on_commit_callbacks(execute=True):  # a change goes back to review
        actions.do_save_faq(editor, faq, organisation=catalog["bureau"], questions=questions, answer=answer + "（新）")
    assert f"faq:{faq.pk}" not in sources(other_process, "积分落户要多少分")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_review_faq(reviewer, faq)
    assert sources(other_process, "积分落户要多少分")[0] == f"faq:{faq.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_retire_faq(editor, faq)
    assert f"faq:{faq.pk}" not in sources(other_process, "积分落户要多少分")


def _catch_up_queries(make_article, org, articles, capture):
    """Queries another process spends catching up with one publication when
    ``articles`` more articles are known."""
    for n in range(articles):
        make_article(org, title=f"第{n}期办事指南", body=BODY[:1], slug=f"guide-{articles}-{n}", publish=True)
    index.build()  # the copy on disk knows them all
    other = index.LiveIndex()
    other.current()
    with capture(execute=True):
        make_article(org, title=f"敬老卡申领指南（{articles}）", body=BODY, slug=f"senior-card-{articles}",
                     publish=True)
    with CaptureQueriesContext(connection) as queries:
        assert f"article:senior-card-{articles}" in sources(other, "敬老卡怎么办")
    return len(queries)


def test_catching_up_with_one_change_reads_that_object_only(catalog, make_article,
                                                            django_capture_on_commit_callbacks):
    few = _catch_up_queries(make_article, catalog["bureau"], 1, django_capture_on_commit_callbacks)
    many = _catch_up_queries(make_article, catalog["bureau"], 15, django_capture_on_commit_callbacks)
    assert many == few  # independent of how many articles the assistant knows
    assert few <= 6


def test_a_change_committed_late_under_a_lower_id_is_not_missed(catalog, other_process, monkeypatch):
    def refused(*args):
        raise AssertionError("compared everything instead of following the log")

    monkeypatch.setattr(index.LiveIndex, "_compare_all", refused)
    first = KnowledgeChange.objects.create(kind="service", object_id=0)
    late_id = first.pk + 1
    KnowledgeChange.objects.create(id=late_id + 1, kind="service", object_id=0)
    look_at_the_log(other_process)
    other_process.current()
    service = Service.objects.get(code="bus_realtime")
    Service.objects.filter(pk=service.pk).update(name_zh="实时公交到站查询", keywords="公交 到站 敬老卡乘车")
    KnowledgeChange.objects.create(id=late_id, kind="service", object_id=service.pk)
    look_at_the_log(other_process)
    assert sources(other_process, "敬老卡乘车")[0] == "service:bus_realtime"


def test_the_log_falls_back_to_comparing_everything(catalog, other_process, monkeypatch):
    Service.objects.filter(code="housing_fund").update(keywords="公积金 组合贷款")
    monkeypatch.setattr(sync, "MAX_BATCH", 0)  # more changes than are read one by one
    KnowledgeChange.objects.create(kind="service", object_id=1)
    look_at_the_log(other_process)
    assert sources(other_process, "组合贷款")[0] == "service:housing_fund"

    Service.objects.filter(code="housing_fund").update(keywords="公积金")
    monkeypatch.setattr(sync, "MAX_BATCH", 5_000)
    index.knowledge_changed()  # what the log cannot name: everything, once
    assert "service:housing_fund" not in sources(other_process, "组合贷款")


def test_a_copy_without_its_place_in_the_log_is_compared_once(catalog):
    index.current()
    (index._current_copy() / index.SYNC_FILE).unlink()
    Service.objects.filter(code="housing_fund").update(keywords="公积金 组合贷款")
    other = index.LiveIndex()
    assert sources(other, "组合贷款")[0] == "service:housing_fund"


def test_this_process_answers_from_its_own_change_before_the_commit(catalog):
    index.current()
    logged = KnowledgeChange.objects.count()
    Service.objects.create(code="pet_licence", kind="application", name_zh="养犬登记", keywords="狗 犬 登记",
                           description_zh="为家养犬办理登记。", organisation=catalog["bureau"])
    assert sources(index._process, "养狗要登记吗")[0] == "service:pet_licence"
    assert KnowledgeChange.objects.count() == logged  # the log gains the entry once committed


def test_a_log_that_cannot_be_written_does_not_fail_the_change(catalog, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    def unwritable(*args, **kwargs):
        raise RuntimeError("the log's table is being migrated")

    monkeypatch.setattr(sync, "record", unwritable)
    with django_capture_on_commit_callbacks(execute=True):
        Service.objects.create(code="pet_licence", kind="application", name_zh="养犬登记", keywords="狗 犬 登记",
                               description_zh="为家养犬办理登记。", organisation=catalog["bureau"])
    assert Service.objects.filter(code="pet_licence").exists()


def test_other_processes_open_the_one_copy_on_disk(catalog):
    index.current()
    copies = sorted(p.name for p in index.index_dir().glob("copy-*"))
    others = [index.LiveIndex() for _ in range(3)]
    for other in others:
        assert sources(other, "公积金余额")[0] == "service:housing_fund"
    assert sorted(p.name for p in index.index_dir().glob("copy-*")) == copies == [index._current_copy().name]
    assert all(other._followed.copy == index._current_copy() for other in others)


def test_the_log_reads_the_same_items_as_a_full_build(article, make_staff, settings):
    from civichall.assistant import knowledge

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    bureau = article.author_organisation
    faq = actions.do_save_faq(make_staff("editor", bureau, "editor"), organisation=bureau,
                              questions="积分落户要多少分", answer="标准分值为120分。")
    actions.do_review_faq(make_staff("reviewer", bureau, "reviewer"), faq)
    items, refs = sync.collect()
    assert sorted(items, key=lambda i: i.key) == sorted(knowledge.collect(), key=lambda i: i.key)
    assert sync.read(set(refs)) == {name: [i for i in items if i.key in keys] for name, keys in refs.items()}
