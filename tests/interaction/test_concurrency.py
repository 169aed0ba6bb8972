"""Comments posted concurrently from several threads: all stored, none lost,
none duplicated -- each through the full path (stored, checked, detected).

On PostgreSQL: 1,000 comments from 8 threads. On SQLite (one writer at a
time) the same test runs with 200 comments from 4 threads, so that it is
never skipped.
"""

import threading

import pytest
from django.db import connection, connections

from civichall.interaction import actions
from civichall.interaction.models import Comment, CommentStatus, Question

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUESTIONS = ["首班车几点？", "换乘通道开了吗", "老人怎么进站？"]
REMARKS = ["感谢一线工作人员！", "终于恢复了👍", "建议高峰加密班次。"]


def _sizes():
    if connection.vendor == "postgresql":
        return 8, 1000
    return 4, 200


def test_concurrent_comments_are_all_stored_once(article, make_citizen):
    n_threads, total = _sizes()
    citizens = [make_citizen(f"139000{i:05d}") for i in range(n_threads * 2)]
    errors, barrier = [], threading.Barrier(n_threads)

    def worker(t):
        try:
            barrier.wait()
            for i in range(t, total, n_threads):
                citizen = citizens[i % len(citizens)]
                text = (QUESTIONS if i % 3 == 0 else REMARKS)[i % 3] + f" #{i}"
                first = actions.do_post_comment(citizen, article, text, client_key=f"k{i}", rate_limit=False)
                if i % 10 == 0:  # a client retrying after a lost answer
                    again = actions.do_post_comment(citizen, article, text, client_key=f"k{i}", rate_limit=False)
                    assert again.pk == first.pk
        except Exception as error:  # collected and reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors[:5]
    stored = list(Comment.objects.values_list("client_key", "text", "status"))
    assert len(stored) == total
    assert {key for key, _text, _status in stored} == {f"k{i}" for i in range(total)}
    assert all(text.endswith(f"#{key[1:]}") for key, text, _status in stored)
    assert {status for _key, _text, status in stored} == {CommentStatus.VISIBLE}
    assert Question.objects.count() == len(range(0, total, 3))


def test_the_input_commit_waits_for_the_disk_and_only_its_outcome_does_not(article, make_citizen, monkeypatch):
    """The comment's own commit is durable and comes before its check; only
    the writes holding the check's outcome (which the re-check can redo) are
    let commit lazily."""
    citizen = make_citizen("13900099999")
    statements, commits = [], []
    real_commit = connection.commit
    monkeypatch.setattr(connection, "commit", lambda: commits.append(1) or real_commit())

    def spy(execute, sql, params, many, context):
        statements.append((sql, connection.in_atomic_block, len(commits)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        comment = actions.do_post_comment(citizen, article, "请问首班车几点开？", rate_limit=False)
    assert comment.status == CommentStatus.VISIBLE
    insert = next(i for i, (sql, *_) in enumerate(statements) if 'INSERT INTO "interaction_comment"' in sql)
    update = next(i for i, (sql, *_) in enumerate(statements) if 'UPDATE "interaction_comment"' in sql)
    assert insert < update
    relaxed = [i for i, (sql, *_) in enumerate(statements) if "synchronous_commit" in sql]
    if connection.vendor == "postgresql":
        # One statement each, in autocommit: the insert commits on its own,
        # durably; the outcome's statement alone relaxes its own commit.
        assert statements[insert][1] is False and statements[update][1] is False
        assert relaxed == [update]
        with connection.cursor() as cursor:  # the relaxation ended with its transaction
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    else:
        assert statements[update][2] > statements[insert][2]  # the insert's transaction committed first
        assert relaxed == []
    assert Question.objects.filter(comment=comment).exists()


def test_inside_a_callers_transaction_nothing_is_relaxed(article, make_citizen):
    """Posting inside an outer transaction (which then holds the input too)
    keeps every commit durable."""
    from django.db import transaction

    citizen = make_citizen("13900099998")
    statements = []

    def spy(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy), transaction.atomic():
        actions.do_post_comment(citizen, article, "终于恢复了👍", rate_limit=False)
    assert not any("synchronous_commit" in sql for sql in statements)


def test_outside_a_transaction_a_comment_purges_its_page_once_and_readers_see_it(
        article, make_citizen, client, monkeypatch):
    """The action's own transactions are committed when the purge runs, so
    the page's version moves on once (one round trip), and the next
    anonymous reader gets the page with the comment."""
    from civichall.core import page_cache

    citizen = make_citizen("13900099997")
    assert "终于恢复了👍" not in client.get(article.url).content.decode()
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    bumps = []
    real_count_up = page_cache.count_up
    monkeypatch.setattr(page_cache, "count_up", lambda cache, items: bumps.append(items) or real_count_up(cache, items))
    actions.do_post_comment(citizen, article, "终于恢复了👍", rate_limit=False)
    assert len(bumps) == 1
    page = client.get(article.url)
    assert page["X-Page-Cache"] == "miss" and "终于恢复了👍" in page.content.decode()
