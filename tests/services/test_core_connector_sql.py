"""sql_query connector: read-only SELECTs on a local SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

from civichall.contrib.demo.departments import build_population_db, read_csv
from civichall.services.connectors import (
    ConnectorConfigError,
    ConnectorUnavailable,
    FetchContext,
)
from civichall.services.connectors.runner import run_query
from civichall.services.connectors.sql_query import (
    SqlQueryConnector,
    UnsafeQueryError,
    check_read_only_query,
    to_pyformat,
)

CTX = FetchContext()
SELECT = "SELECT name, count FROM names WHERE name = :name"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "dept.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE names (name TEXT, count INTEGER, updated DATE)")
    conn.executemany("INSERT INTO names VALUES (?, ?, ?)",
                     [("张伟", 7409, "2025-01-01"), ("王芳", 6800, "2025-01-01"), ("李娜", 5000, "2025-01-02")])
    conn.commit()
    conn.close()
    return path


def dsn(path):
    return f"sqlite:///{path}"


def test_named_parameters_are_bound(db):
    c = SqlQueryConnector(dsn=dsn(db), query=SELECT)
    assert c.param_names == ["name"]
    assert c.fetch({"name": "张伟"}, CTX) == [{"name": "张伟", "count": 7409}]
    # An injection attempt is just a name nobody has.
    assert c.fetch({"name": "x' OR '1'='1"}, CTX) == []


def test_like_percent_and_single_row(db):
    c = SqlQueryConnector(dsn=dsn(db), query="SELECT name FROM names WHERE name LIKE :prefix || '%' ORDER BY name;",
                          single_row=True)
    assert c.fetch({"prefix": "王"}, CTX) == {"name": "王芳"}
    assert c.fetch({"prefix": "赵"}, CTX) is None


def test_field_map_limit_and_optional_param(db):
    c = SqlQueryConnector(dsn=dsn(db), query="SELECT name, count FROM names WHERE (:day IS NULL OR updated = :day)",
                          field_map={"姓名": "name"}, limit=2)
    assert len(c.fetch({}, CTX)) == 2
    assert c.fetch({"day": "2025-01-02"}, CTX) == [{"姓名": "李娜"}]


@pytest.mark.parametrize("sql", [
    "INSERT INTO names VALUES ('x', 1, NULL)",
    "UPDATE names SET count = 0",
    "DELETE FROM names",
    "DROP TABLE names",
    "CREATE TABLE t (x)",
    "PRAGMA writable_schema = ON",
    "ATTACH DATABASE 'other.db' AS other",
    "SELECT 1; DROP TABLE names",
    "select 1; select 2",
    "SELECT 1;;SELECT 2",
    "WITH gone AS (DELETE FROM names RETURNING *) SELECT * FROM gone",
    "SELECT * INTO backup FROM names",
    "SELECT * FROM names FOR UPDATE",
    "SELECT * FROM names WHERE name = ?",
    "SELECT * FROM names WHERE name = %s",
    "SELECT * FROM names WHERE name = %(name)s",
    "SELECT * FROM names WHERE name = $1",
    "",
    "   -- only a comment",
    "VALUES (1)",
    "(SELECT 1)",
])
def test_anything_but_one_select_is_refused_before_running(sql, db):
    with pytest.raises(UnsafeQueryError) as info:
        SqlQueryConnector(dsn=dsn(db), query=sql)
    assert info.value.message.zh.startswith("查询语句不安全")
    assert info.value.message.en.startswith("The query is not safe")
    assert isinstance(info.value, ConnectorConfigError)


def test_multiple_statements_message():
    with pytest.raises(UnsafeQueryError) as info:
        check_read_only_query("SELECT 1; DELETE FROM names")
    assert "一条语句" in info.value.message.zh


@pytest.mark.parametrize("sql", [
    "SELECT 1;",
    "  select name from names -- trailing; comment",
    "/* a; b */ SELECT name FROM names WHERE name = :name",
    "WITH recent AS (SELECT * FROM names WHERE updated > :day) SELECT name FROM recent",
    "SELECT replace(name, '张', 'Z') FROM names WHERE note = 'DELETE; DROP'",
])
def test_harmless_selects_are_accepted(sql):
    check_read_only_query(sql)


def test_the_database_is_read_only_even_if_the_check_were_bypassed(db):
    c = SqlQueryConnector(dsn=dsn(db), query=SELECT)
    c.query = "DELETE FROM names"  # simulate a bug that skipped the check
    with pytest.raises(ConnectorUnavailable):
        c.fetch({}, CTX)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM names").fetchone()[0] == 3


def test_statement_timeout(db):
    c = SqlQueryConnector(dsn=dsn(db), timeout_s=0.2,
                          query="WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n")
    with pytest.raises(ConnectorUnavailable) as info:
        c.fetch({}, CTX)
    assert "超时" in info.value.message.zh


def test_missing_database_is_unavailable(tmp_path):
    c = SqlQueryConnector(dsn=dsn(tmp_path / "missing.sqlite3"), query=SELECT)
    assert run_query(c, {"name": "张伟"}).status == "unavailable"
    assert c.health()["status"] == "down"


def test_bad_dsn():
    with pytest.raises(ConnectorConfigError):
        SqlQueryConnector(dsn="mysql://db/x", query=SELECT)


def test_postgres_password_is_redacted_and_placeholders_converted():
    c = SqlQueryConnector(dsn="postgresql://reader:pa55-w0rd-xyz@db.example:5432/dept", query=SELECT + " AND x::int > 0")
    assert "pa55-w0rd-xyz" not in repr(c)
    assert "pa55-w0rd-xyz" not in str(c.describe())
    assert c._pg_query == "SELECT name, count FROM names WHERE name = %(name)s AND x::int > 0"
    assert to_pyformat("SELECT * FROM t WHERE a LIKE 'x%' AND b = :b") == "SELECT * FROM t WHERE a LIKE 'x%%' AND b = %(b)s"


def test_same_name_database_from_demo_data(tmp_path):
    url = build_population_db(tmp_path / "population.sqlite3")
    c = SqlQueryConnector(dsn=url, single_row=True, query=(
        "SELECT :name AS name, COALESCE(SUM(count), 0) AS count FROM population_names WHERE name = :name"))
    expected = next(int(r["count"]) for r in read_csv("population_names.csv") if r["name"] == "张伟")
    assert c.fetch({"name": "张伟"}, CTX) == {"name": "张伟", "count": expected}
    assert c.fetch({"name": "不存在的名字"}, CTX) == {"name": "不存在的名字", "count": 0}
