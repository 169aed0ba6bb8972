"""The lexicon version a web process trusts between checks.

Every comment check asks for the lexicon version; outside a transaction a
process reuses the version it read less than ``LEXICON_RECHECK_SECONDS``
ago, so an edit made elsewhere reaches it within that bound. Inside a
transaction the database is always asked, so an edit is seen by the
checks that follow it. These run with real commits (no test transaction
around them)."""

import pytest
from django.db import connection, transaction

from civichall.safety import actions, models, services
from civichall.safety.models import Lexicon

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def lexicon_admin(make_org, make_staff):
    return make_staff("lexicon_admin", make_org("shanghai", kind="municipal", name_zh="上海市人民政府"),
                      "administrator")


@pytest.fixture(autouse=True)
def forgotten():
    models._version_read["version"] = None
    yield
    models._version_read["version"] = None


def _edit_elsewhere():
    """Another process's edit: a new version committed on another connection."""
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(f"UPDATE {Lexicon._meta.db_table} SET version = %s WHERE id = 1", ["elsewhere"])
    finally:
        other.close()


def test_an_edit_elsewhere_reaches_the_process_within_the_bound(monkeypatch):
    Lexicon.bump()
    first = services.lexicon_version()
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        assert services.lexicon_version() == first  # within the bound: not asked again
    assert queries == []
    _edit_elsewhere()
    assert services.lexicon_version() == first
    models._version_read["at"] -= models.LEXICON_RECHECK_SECONDS  # the bound has passed
    assert services.lexicon_version() == "elsewhere"


def test_a_check_after_an_edit_in_this_process_uses_the_new_lexicon(lexicon_admin):
    assert services.check_content("这里有测试禁用词出现", "comment")["decision"] == "pass"
    actions.do_add_entry(lexicon_admin, "测试禁用词", "other", "block")
    assert services.check_content("这里有测试禁用词出现", "comment")["decision"] == "block"


def test_inside_a_transaction_the_database_is_asked_and_nothing_is_kept(lexicon_admin):
    services.lexicon_version()
    with transaction.atomic():
        actions.do_add_entry(lexicon_admin, "测试禁用词", "other", "block")
        assert services.check_content("这里有测试禁用词出现", "comment")["decision"] == "block"
        transaction.set_rollback(True)  # the edit never happened
    assert models._version_read["version"] is None  # what the transaction saw is not trusted by others
    assert services.check_content("这里有测试禁用词出现", "comment")["decision"] == "pass"
