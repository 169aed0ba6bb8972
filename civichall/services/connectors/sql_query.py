"""Connector kind ``sql_query``: a read-only query on a department database.

Configuration::

    dsn        "sqlite:///relative/path.db", "sqlite:////absolute/path.db",
               or "postgresql://user:password@host:5432/dbname"
    query      one SELECT (a WITH ... SELECT is fine) with named parameters:
               "SELECT name, count FROM population_names WHERE name = :name"
    field_map  {"output field": "column"} (default: every column)
    limit      at most this many rows
    single_row return the first row as an object (or ``None``) instead of a list
    timeout_s  statement timeout

The query is checked when the connector is configured, before anything
runs: exactly one statement, a SELECT, no data-changing or session-changing
keyword anywhere (INSERT, UPDATE, DELETE, INTO, PRAGMA, ATTACH, SET, ... —
also inside a WITH), and only ``:name`` placeholders. Values are always bound
as parameters, never formatted into the text.

The database itself is opened read-only as well: SQLite with ``mode=ro`` and
``PRAGMA query_only``; PostgreSQL inside a READ ONLY transaction with a local
``statement_timeout``. Give the connector a database role that can read only
the tables or views the service needs: a read-only transaction still lets a
SELECT call functions.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import re
import sqlite3
import time
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlparse
from sqlparse import tokens as T

from ..messages import Message
from .base import Connector, ConnectorConfigError, ConnectorUnavailable, FetchContext, register

# Keywords that change data, schema or session state. The statement must
# start with SELECT or WITH, so these matter where they can hide inside one:
# a data-changing WITH, SELECT ... INTO, SELECT ... FOR UPDATE.
FORBIDDEN_KEYWORDS = frozenset({
    "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "TRUNCATE", "DROP", "ALTER", "CREATE",
    "GRANT", "REVOKE", "INTO", "PRAGMA", "ATTACH", "DETACH", "VACUUM", "COPY", "CALL", "EXECUTE",
    "SET", "LOCK",
})
_PLACEHOLDER = re.compile(r"^:([A-Za-z_][A-Za-z0-9_]*)$")


class UnsafeQueryError(ConnectorConfigError):
    """The configured SQL is not a single read-only SELECT."""


def _unsafe(zh: str, en: str) -> UnsafeQueryError:
    return UnsafeQueryError(Message(f"查询语句不安全：{zh}", f"The query is not safe: {en}"))


def check_read_only_query(sql: str) -> list[str]:
    """Check that ``sql`` is exactly one SELECT using only ``:name``
    placeholders; return the placeholder names in order of first use.
    Raises :class:`UnsafeQueryError` with a clear message otherwise."""
    if not isinstance(sql, str) or not sql.strip():
        raise _unsafe("语句为空。", "it is empty.")
    statements = [s for s in sqlparse.split(sql) if s.strip().rstrip(";").strip()]
    if len(statements) != 1:
        raise _unsafe("只能包含一条语句（不能用分号连接多条）。", "it must be a single statement (no semicolons joining several).")
    parsed = sqlparse.parse(statements[0])[0]
    tokens = [t for t in parsed.flatten() if not t.is_whitespace and t.ttype not in T.Comment]
    # A trailing semicolon is harmless; any other one is a second statement.
    while tokens and tokens[-1].ttype is T.Punctuation and tokens[-1].value == ";":
        tokens.pop()
    if not tokens:
        raise _unsafe("语句为空。", "it is empty.")
    first = tokens[0]
    if first.normalized.upper() not in ("SELECT", "WITH"):
        raise _unsafe("只允许 SELECT 查询。", "only a SELECT query is allowed.")
    if parsed.get_type() != "SELECT":
        raise _unsafe("只允许 SELECT 查询。", "only a SELECT query is allowed.")
    names: list[str] = []
    for tok in tokens:
        value = tok.value
        upper = tok.normalized.upper() if tok.ttype in T.Keyword else ""
        if tok.ttype is T.Punctuation and value == ";":
            raise _unsafe("只能包含一条语句（不能用分号连接多条）。", "it must be a single statement (no semicolons joining several).")
        if tok.ttype in T.Keyword.DML and upper != "SELECT":
            raise _unsafe(f"不能包含 {upper}。", f"it must not contain {upper}.")
        if tok.ttype in T.Keyword.DDL or upper in FORBIDDEN_KEYWORDS:
            raise _unsafe(f"不能包含 {upper}。", f"it must not contain {upper}.")
        if tok.ttype in T.Name and value.upper() in ("PRAGMA", "ATTACH", "DETACH", "VACUUM"):
            raise _unsafe(f"不能包含 {value.upper()}。", f"it must not contain {value.upper()}.")
        if tok.ttype in T.Name.Placeholder:
            match = _PLACEHOLDER.match(value)
            if not match:
                raise _unsafe(
                    f"参数“{value}”请写成 :名称 的形式（例如 :name）。",
                    f"write parameter '{value}' as :name (for example :name).",
                )
            if match.group(1) not in names:
                names.append(match.group(1))
    return names


def to_pyformat(sql: str) -> str:
    """``sql`` with ``:name`` placeholders turned into psycopg's
    ``%(name)s`` and literal ``%`` doubled (so ``LIKE 'a%'`` survives)."""
    out: list[str] = []
    for tok in sqlparse.parse(sql)[0].flatten():
        if tok.ttype in T.Name.Placeholder and _PLACEHOLDER.match(tok.value):
            out.append(f"%({tok.value[1:]})s")
        else:
            out.append(tok.value.replace("%", "%%"))
    return "".join(out)


def parse_dsn(dsn: str) -> tuple[str, str]:
    """``("sqlite", path)`` or ``("postgresql", dsn)``."""
    if dsn.startswith("sqlite:///"):
        rest = dsn[len("sqlite:///"):]
        if not rest:
            raise ConnectorConfigError(Message("SQLite 地址缺少文件路径。", "The SQLite DSN has no file path."))
        return "sqlite", urllib.parse.unquote(rest)
    scheme = urllib.parse.urlsplit(dsn).scheme
    if scheme in ("postgres", "postgresql"):
        return "postgresql", dsn
    raise ConnectorConfigError(
        Message("数据库地址只支持 sqlite:/// 或 postgresql://。", "The database DSN must be sqlite:/// or postgresql://."),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, memoryview)):
        return None  # binary columns are not shown to citizens
    return value


@register("sql_query")
class SqlQueryConnector(Connector):
    """Runs one configured read-only SELECT with bound parameters."""

    default_input_schema = {"type": "object", "properties": {}}
    default_output_schema: dict[str, Any] = {}

    def __init__(
        self,
        *,
        dsn: str,
        query: str,
        field_map: Mapping[str, str] | None = None,
        limit: int = 100,
        single_row: bool = False,
        timeout_s: float = 2.0,
        input_schema: Mapping[str, Any] | None = None,
        output_schema: Mapping[str, Any] | None = None,
        name: str = "",
    ) -> None:
        super().__init__(input_schema=input_schema, output_schema=output_schema, name=name)
        self.engine, self._target = parse_dsn(dsn)
        self._dsn = dsn
        self.query = query.strip()
        self.param_names = check_read_only_query(self.query)
        self.field_map = dict(field_map or {})
        self.limit = int(limit)
        self.single_row = single_row
        self.timeout_s = float(timeout_s)
        if self.engine == "postgresql":
            self._pg_query = to_pyformat(self.query.rstrip().rstrip(";"))

    def secrets(self) -> list[str]:
        password = urllib.parse.urlsplit(self._dsn).password if self.engine == "postgresql" else None
        return [password, urllib.parse.unquote(password)] if password else []

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "dsn": self.redact(self._dsn),
            "query": self.query,
            "limit": self.limit,
        }

    def _bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        # Only the names the query uses; an absent optional field binds NULL.
        return {name: params.get(name) for name in self.param_names}

    def fetch(self, params: dict[str, Any], ctx: FetchContext) -> dict[str, Any] | list[Any] | None:  # type: ignore[override]
        """Run the query; rows as dicts (mapped by ``field_map``)."""
        timeout = max(0.1, min(self.timeout_s, ctx.timeout_s))
        bound = self._bind(params)
        if self.engine == "sqlite":
            columns, rows = self._run_sqlite(bound, timeout)
        else:
            columns, rows = self._run_postgres(bound, timeout)
        records = [{c: _jsonable(v) for c, v in zip(columns, row)} for row in rows]
        if self.field_map:
            records = [{out: r.get(col) for out, col in self.field_map.items()} for r in records]
        if self.single_row:
            return records[0] if records else None
        return records

    def _run_sqlite(self, bound: dict[str, Any], timeout: float) -> tuple[list[str], list[tuple[Any, ...]]]:
        path = Path(self._target)
        if not path.is_file():
            raise ConnectorUnavailable(Message("数据库暂时无法访问。", "The database cannot be reached right now."),
                                       detail="database file missing")
        uri = f"{path.resolve().as_uri()}?mode=ro"
        deadline = time.monotonic() + timeout
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=timeout)
        except sqlite3.Error as exc:
            raise ConnectorUnavailable(detail=f"sqlite open failed: {type(exc).__name__}") from None
        try:
            conn.execute("PRAGMA query_only = ON")
            # Interrupt a statement that runs past the deadline.
            conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
            cur = conn.execute(self.query.rstrip().rstrip(";"), bound)
            columns = [d[0] for d in cur.description or ()]
            rows = cur.fetchmany(self.limit)
            return columns, rows
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise ConnectorUnavailable(Message("数据库查询超时。", "The database query timed out."),
                                           detail="statement timeout") from None
            raise ConnectorUnavailable(detail=f"sqlite error: {exc}") from None
        except sqlite3.Error as exc:
            raise ConnectorUnavailable(detail=f"sqlite error: {type(exc).__name__}") from None
        finally:
            conn.close()

    def _run_postgres(self, bound: dict[str, Any], timeout: float) -> tuple[list[str], list[tuple[Any, ...]]]:
        import psycopg  # only needed when a PostgreSQL DSN is configured

        failure: ConnectorUnavailable | None = None
        try:
            conn = psycopg.connect(self._target, connect_timeout=max(1, int(round(timeout))), autocommit=False)
        except psycopg.Error as exc:
            # psycopg's message can quote the DSN (and its password): only the
            # class is kept, and the original is not chained.
            failure = ConnectorUnavailable(detail=f"postgresql connect failed: {type(exc).__name__}")
        if failure is not None:
            raise failure
        try:
            conn.read_only = True  # every transaction starts READ ONLY
            with conn.cursor() as cur:
                cur.execute("SELECT set_config('statement_timeout', %s, true)", (str(int(timeout * 1000)),))
                cur.execute(self._pg_query, bound)
                columns = [d.name for d in cur.description or ()]
                rows = cur.fetchmany(self.limit)
            conn.rollback()
            return columns, rows
        except psycopg.errors.QueryCanceled:
            raise ConnectorUnavailable(Message("数据库查询超时。", "The database query timed out."),
                                       detail="statement timeout") from None
        except psycopg.Error as exc:
            raise ConnectorUnavailable(detail=f"postgresql error: {type(exc).__name__}") from None
        finally:
            conn.close()

    def health(self, ctx: FetchContext | None = None) -> dict[str, Any]:
        report: dict[str, Any] = {"kind": self.kind, "name": self.name, "engine": self.engine}
        if self.engine == "sqlite":
            report["status"] = "ok" if Path(self._target).is_file() else "down"
        else:
            report["status"] = "unknown"
        return report
