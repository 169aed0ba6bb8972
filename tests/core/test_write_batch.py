"""Writes sent together (``core.write_batch``): the same rows as the ORM
writes one by one, in one statement on PostgreSQL, in one transaction
elsewhere; the model signals as ``save()`` sends them; a caller's transaction
left usable; the outcome's commit relaxed only when it is its own."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from civichall.core.write_batch import WriteBatch
from civichall.safety.models import SafetyCheck, SafetyHit

pytestmark = pytest.mark.django_db


def _check(text="首班车几点开？", decision="pass"):
    return SafetyCheck(kind="comment", decision=decision, text=text, hits=[], reasons=[], scores={}, source="test")


def _hit(term="冰毒"):
    return SafetyHit(term=term, category="gambling_drugs", severity="block", start=0, end=2, matched=term)


def _writes(queries):
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def _prepared():
    """How many statements this connection has prepared (0 off PostgreSQL)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def _outcome_batch(checked, *, unless_term="冰毒"):
    """Like a comment's outcome: an update, a record after it, two rows
    referring to the record, one more unless a row exists."""
    batch = WriteBatch()
    batch.update("changed", SafetyCheck, {"pk": checked.pk, "decision__in": ["pass", "review"]},
                 decision="block", reasons=["毒品"])
    record = _check("记录")
    batch.insert("recorded", record, after="changed")
    hits = [_hit("冰毒"), _hit("赌场")]
    for hit in hits:
        batch.insert(None, hit, refer={"safety_check": "recorded"})
    extra = _check("仅当没有")
    batch.insert("extra", extra, after="changed", unless=(SafetyHit, {"term": unless_term}))
    return batch, record, hits, extra


def test_a_batch_writes_every_row_and_sets_their_keys():
    checked = SafetyCheck.objects.create(kind="comment", decision="pass", text="原文")
    batch, record, hits, extra = _outcome_batch(checked, unless_term="不存在的词")
    written = batch.run()
    assert written == {"changed": 1, "recorded": 1, "extra": 1}
    checked.refresh_from_db()
    assert (checked.decision, checked.reasons) == ("block", ["毒品"])
    assert record.pk and SafetyCheck.objects.get(pk=record.pk).text == "记录"
    assert [h.safety_check_id for h in SafetyHit.objects.order_by("pk")] == [record.pk, record.pk]
    assert {h.pk for h in hits} == set(SafetyHit.objects.values_list("pk", flat=True))
    assert extra.pk and not extra._state.adding and extra._state.db == "default"


def test_when_the_update_finds_nothing_nothing_that_follows_it_is_written():
    checked = SafetyCheck.objects.create(kind="comment", decision="block", text="已经处理")
    batch, record, _hits, extra = _outcome_batch(checked)
    assert batch.run() == {"changed": 0, "recorded": 0, "extra": 0}
    assert SafetyCheck.objects.count() == 1 and not SafetyHit.objects.exists()
    assert record.pk is None and extra.pk is None


def test_an_insert_unless_a_row_exists_is_skipped_when_it_does():
    checked = SafetyCheck.objects.create(kind="comment", decision="pass", text="原文")
    existing = SafetyCheck.objects.create(kind="comment", decision="block", text="旧")
    SafetyHit.objects.create(safety_check=existing, **{k: v for k, v in vars(_hit("冰毒")).items()
                                                       if k in ("term", "category", "severity", "start", "end",
                                                                "matched")})
    batch, _record, _hits, extra = _outcome_batch(checked, unless_term="冰毒")
    written = batch.run()  # (asked of the rows before the batch: its own hits do not count)
    assert written["changed"] == 1 and written["recorded"] == 1 and written["extra"] == 0
    assert extra.pk is None and not SafetyCheck.objects.filter(text="仅当没有").exists()


def test_an_empty_in_filter_matches_nothing():
    checked = SafetyCheck.objects.create(kind="comment", decision="pass", text="原文")
    batch = WriteBatch()
    batch.update("changed", SafetyCheck, {"pk": checked.pk, "decision__in": []}, decision="block")
    assert batch.run() == {"changed": 0}
    checked.refresh_from_db()
    assert checked.decision == "pass"


def test_the_signals_of_save_are_sent():
    """``pre_save`` (the text guard drops a NUL before the row is written)
    and ``post_save`` with ``created``, for each inserted row."""
    seen = []

    def spy(sender, instance, created, **kwargs):
        seen.append((sender, instance.pk, created))

    post_save.connect(spy, sender=SafetyCheck, dispatch_uid="test_write_batch_spy")
    try:
        record = _check("含有\x00空字符")
        batch = WriteBatch()
        batch.insert("recorded", record)
        batch.run()
    finally:
        post_save.disconnect(dispatch_uid="test_write_batch_spy", sender=SafetyCheck)
    assert seen == [(SafetyCheck, record.pk, True)]
    assert SafetyCheck.objects.get(pk=record.pk).text == "含有空字符"


def test_on_postgresql_one_prepared_statement_elsewhere_one_transaction():
    """Inside a transaction (the test's) the commit is never relaxed."""
    checked = SafetyCheck.objects.create(kind="comment", decision="pass", text="原文")
    batch, *_ = _outcome_batch(checked)
    prepared_before = _prepared()
    with CaptureQueriesContext(connection) as queries:
        batch.run(relax_commit=True)
    writes = _writes(queries)
    assert not any("synchronous_commit" in sql for sql in writes)
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0].startswith('WITH "changed" AS (UPDATE')
        assert "'赌场'" in writes[0]  # the query log shows the values, as for any query
        assert _prepared() == prepared_before + 1  # planned once for this connection, kept for the next
    else:  # the update, the record, two hits, the check of the last one and its insert
        assert len(writes) == 6


def test_prepared_statements_can_be_turned_off(settings):
    """Behind a pooler that cannot keep them."""
    settings.CIVICHALL_PREPARED_STATEMENTS = False
    checked = SafetyCheck.objects.create(kind="comment", decision="pass", text="原文")
    batch = WriteBatch()
    batch.update("changed", SafetyCheck, {"pk": checked.pk, "text": "原文"}, decision="review")
    prepared_before = _prepared()
    assert batch.run() == {"changed": 1}
    assert _prepared() == prepared_before
    checked.refresh_from_db()
    assert checked.decision == "review"


def test_both_ways_write_the_same_rows():
    """The one statement (where the database can) and the writes one by one."""
    rows = []
    for way in ("_run_as_one_statement", "_run_one_by_one"):
        SafetyHit.objects.all().delete()
        SafetyCheck.objects.all().delete()
        checked = SafetyCheck.objects.create(kind="comment", decision="pass", text="原文")
        batch, record, hits, extra = _outcome_batch(checked, unless_term="不存在的词")
        batch.using = "default"
        if way == "_run_as_one_statement" and connection.vendor != "postgresql":
            way = "_run_one_by_one"
        getattr(batch, way)(*((connection,) if way == "_run_as_one_statement" else ("default",)), False)
        checked.refresh_from_db()
        rows.append((
            (checked.decision, checked.reasons),
            list(SafetyCheck.objects.exclude(pk=checked.pk).order_by("pk").values_list(
                "kind", "decision", "text", "hits", "reasons", "scores", "source")),
            list(SafetyHit.objects.order_by("pk").values_list("term", "category", "severity", "start", "end",
                                                               "matched", "safety_check__text")),
            batch.written, record.pk is not None, all(h.pk for h in hits), extra.pk is not None,
        ))
    assert rows[0] == rows[1]


def test_the_text_of_a_statement_depends_on_the_shape_of_the_batch_only():
    texts = []
    for extra_hits in (0, 0, 1):
        checked = SafetyCheck.objects.create(kind="comment", decision="pass", text="原文")
        batch, *_ = _outcome_batch(checked)
        for _ in range(extra_hits):
            batch.insert(None, _hit("第三个"), refer={"safety_check": "recorded"})
        sent = []
        with connection.execute_wrapper(lambda execute, sql, *args: sent.append(sql) or execute(sql, *args)):
            batch.run()
        texts.append([sql for sql in sent if not sql.startswith(("SAVEPOINT", "RELEASE"))])
    if connection.vendor == "postgresql":
        assert texts[0] == texts[1] != texts[2]
    assert SafetyHit.objects.filter(term="第三个").count() == 1


def test_a_clash_inside_a_callers_transaction_leaves_it_usable():
    """A row breaking a constraint fails the batch alone (a savepoint): the
    caller's transaction goes on."""
    checked = SafetyCheck.objects.create(kind="comment", decision="pass", text="原文")
    with transaction.atomic():
        batch = WriteBatch()
        clash = _check("重复")
        clash.pk = checked.pk  # the primary key of a row that exists
        batch.insert("clash", clash)
        with pytest.raises(IntegrityError):
            batch.run()
        SafetyCheck.objects.create(kind="comment", decision="pass", text="之后")
    assert SafetyCheck.objects.filter(text="之后").exists()
    assert not SafetyCheck.objects.filter(text="重复").exists()


def test_a_batch_refuses_rows_of_several_tables():
    from civichall.content.models import ArticlePage

    with pytest.raises(ValueError):
        WriteBatch().insert("page", ArticlePage(title="多表"))
