"""Writes that belong together, sent to the database as one statement.

Storing a comment's outcome is a handful of small writes: its new status,
the record of its check (and the check's hits), the question it raised.
Sent one by one, each costs a round trip and Django's own per-query work --
more than the writes themselves. PostgreSQL runs data-modifying ``WITH``
clauses, so one statement can do them all, atomically; elsewhere (SQLite)
the same writes run one by one inside one transaction.

A batch is described once, from model classes, simple filters and unsaved
model instances, and either way the same rows are written:

* ``update(name, Model, filters, **values)`` --
  ``Model.objects.filter(**filters).update(**values)``;
* ``insert(name, obj, after=..., unless=(Model, filters), refer=...)`` --
  ``obj`` saved, only if the part named ``after`` wrote a row and no row of
  ``Model`` matched ``filters`` before the batch; ``refer`` sets a foreign
  key to the row another part inserted.

Filters are equalities (``field=value``) and ``field__in=[...]``, enough for
the hot paths this is for. Values are converted by Django's own field code,
and the model signals are sent as ``Model.save()`` sends them (``pre_save``
before, ``post_save`` after): what guards a save (the text guard) and what
follows one (page purges) still runs. The text of a statement depends only
on the batch's shape, so it is composed once per shape and kept.

``relax_commit=True`` lets the batch commit without waiting for the disk
(see ``durability``), only when it is a transaction of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connections, models, router, transaction
from django.db.models.signals import post_save, pre_save

from .config import setting
from .durability import commit_without_waiting

__all__ = ["WriteBatch", "one_statement_possible"]


def one_statement_possible(alias="default") -> bool:
    """True where one statement can carry several writes (PostgreSQL)."""
    return connections[alias].vendor == "postgresql"


@dataclass
class _Update:
    name: str
    model: type
    filters: dict
    values: dict


@dataclass
class _Insert:
    name: str | None
    obj: models.Model
    after: str | None = None
    unless: tuple | None = None  # (model, filters)
    refer: dict = field(default_factory=dict)


class WriteBatch:
    """Updates and inserts that are written together or not at all."""

    def __init__(self, using: str | None = None):
        self.using = using
        self.parts: list[_Update | _Insert] = []
        self.written: dict[str, int] = {}

    def update(self, name: str, model: type, filters: dict, **values) -> None:
        """Update the rows of ``model`` matching ``filters``; ``written[name]`` counts them."""
        self.parts.append(_Update(name, model, dict(filters), values))

    def insert(self, name: str | None, obj: models.Model, *, after: str | None = None,
               unless: tuple | None = None, refer: dict | None = None) -> None:
        """Insert ``obj`` (its primary key is set afterwards).

        ``after``: only if the part of that name wrote a row. ``unless``:
        ``(Model, filters)``, only if no such row exists, asked in the same
        statement. ``refer``: ``{foreign key name: part name}``, the key set
        to the row that part inserted (and only if it inserted one).
        """
        if obj._meta.parents:
            raise ValueError("a batch inserts rows of single-table models only")
        self.parts.append(_Insert(name, obj, after, unless, dict(refer or {})))

    def run(self, *, relax_commit: bool = False) -> dict[str, int]:
        """Write the batch; returns ``{part name: rows written}``."""
        first = self.parts[0]
        alias = self.using or router.db_for_write(first.model if isinstance(first, _Update) else type(first.obj))
        self.using = alias
        if one_statement_possible(alias):
            self._run_as_one_statement(connections[alias], relax_commit)
        else:
            self._run_one_by_one(alias, relax_commit)
        return self.written

    # --- one by one, in a transaction --------------------------------------------------

    def _run_one_by_one(self, alias, relax_commit):
        by_name = {part.name: part for part in self.parts if part.name}
        with transaction.atomic(using=alias):
            if relax_commit:
                commit_without_waiting()
            # Asked of the rows as they were before the batch, as one statement sees them.
            found = {id(part): part.unless[0]._default_manager.using(alias).filter(**part.unless[1]).exists()
                     for part in self.parts if isinstance(part, _Insert) and part.unless}
            for part in self.parts:
                if isinstance(part, _Update):
                    rows = part.model._default_manager.using(alias).filter(**part.filters)
                    self.written[part.name] = rows.update(**part.values)
                    continue
                sources = ([part.after] if part.after else []) + list(part.refer.values())
                if found.get(id(part)) or any(not self.written.get(source) for source in sources):
                    self._count(part, 0)
                    continue
                for name, source in part.refer.items():
                    setattr(part.obj, part.obj._meta.get_field(name).attname, by_name[source].obj.pk)
                part.obj.save(force_insert=True, using=alias)
                self._count(part, 1)

    def _count(self, part, n):
        if part.name:
            self.written[part.name] = n

    # --- one statement -----------------------------------------------------------------

    def _run_as_one_statement(self, connection, relax_commit):
        for part in self.parts:  # as save() does, before the values are read
            if isinstance(part, _Insert):
                pre_save.send(sender=type(part.obj), instance=part.obj, raw=False, using=connection.alias,
                              update_fields=None)
        # Outside a transaction the statement is a transaction of its own:
        # only then may its commit be relaxed (never an outer one's).
        relaxed = relax_commit and not connection.in_atomic_block
        statement = _statement(connection, self._shape(), relaxed)
        params = []
        for part in self.parts:
            params += _update_params(part, connection) if isinstance(part, _Update) \
                else _insert_params(part, connection)
        if connection.in_atomic_block:
            with transaction.atomic(using=connection.alias):  # a savepoint keeps the caller's transaction usable
                row = _execute(connection, statement, params)
        else:  # autocommit: the statement is a transaction of its own
            row = _execute(connection, statement, params)
        if relaxed:
            row.pop(0)
        for part, pks in zip(self.parts, row):
            pks = pks or []
            if part.name:
                self.written[part.name] = len(pks)
            if isinstance(part, _Insert) and pks:
                _saved(part.obj, pks[0], connection.alias)

    def _shape(self):
        """What the statement's text depends on (and nothing else)."""
        shape = []
        for part in self.parts:
            if isinstance(part, _Update):
                shape.append(("update", part.model, part.name, _filter_shape(part.filters), tuple(part.values)))
            else:
                unless = (part.unless[0], _filter_shape(part.unless[1])) if part.unless else None
                shape.append(("insert", type(part.obj), part.name, part.after, unless,
                              tuple(sorted(part.refer.items())), part.obj.pk is not None))
        return tuple(shape)


def _filter_shape(filters):
    return tuple((key, len(value) if key.endswith("__in") else None) for key, value in filters.items())


# --- composing a statement (once per shape) -------------------------------------------

_statements: dict = {}
_MAX_SHAPES = 1000  # a hot path has a handful (a comment's: by its number of hits)


def _statement(connection, shape, relaxed):
    key = (connection.vendor, shape, relaxed)
    statement = _statements.get(key)
    if statement is None:
        if len(_statements) >= _MAX_SHAPES:
            _statements.clear()
        statement = _statements[key] = _compose(connection, shape, relaxed)
    return statement


def _compose(connection, shape, relaxed):
    qn = connection.ops.quote_name
    clauses, results, names = [], [], {}
    if relaxed:
        clauses.append('"relaxed" AS (SELECT set_config(\'synchronous_commit\', \'off\', true) AS setting)')
        results.append('(SELECT setting FROM "relaxed")')
    for i, part in enumerate(shape):
        cte = qn(part[2] or f"part_{i}")
        names[part[2]] = cte
        sql = _compose_update(qn, *part[1:]) if part[0] == "update" else _compose_insert(qn, names, *part[1:])
        clauses.append(f"{cte} AS ({sql})")
        results.append(f"(SELECT array_agg({qn('pk')}) FROM {cte})")
    return f"WITH {', '.join(clauses)} SELECT {', '.join(results)}"


def _compose_update(qn, model, _name, filter_shape, value_names):
    meta = model._meta
    assignments = ", ".join(f"{qn(meta.get_field(name).column)} = %s" for name in value_names)
    return (f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {_where(qn, model, filter_shape)} "
            f"RETURNING {qn(meta.pk.column)} AS {qn('pk')}")


def _compose_insert(qn, names, model, _name, after, unless, refer, pk_set):
    meta = model._meta
    refers = dict(refer)
    fields = _insert_fields(meta, pk_set)
    plain = [f for f in fields if f.name not in refers]
    referring = [f for f in fields if f.name in refers]
    selected = ["%s"] * len(plain) + [f"(SELECT {qn('pk')} FROM {names[refers[f.name]]})" for f in referring]
    sources = [names[after]] if after else []
    sources += [names[source] for source in refers.values() if names[source] not in sources]
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in plain + referring)}) "
           f"SELECT {', '.join(selected)}")
    if sources:
        sql += f" FROM {', '.join(sources)}"
    if unless:
        other, filter_shape = unless
        sql += f" WHERE NOT EXISTS (SELECT 1 FROM {qn(other._meta.db_table)} WHERE {_where(qn, other, filter_shape)})"
    return sql + f" RETURNING {qn(meta.pk.column)} AS {qn('pk')}"


def _where(qn, model, filter_shape):
    table = qn(model._meta.db_table)
    conditions = []
    for key, size in filter_shape:
        column = qn(_filter_field(model, key).column)
        if size is None:
            conditions.append(f"{table}.{column} = %s")
        else:
            conditions.append(f"{table}.{column} IN ({', '.join(['%s'] * size)})" if size else "FALSE")
    return " AND ".join(conditions) or "TRUE"


def _filter_field(model, key):
    name = key.removesuffix("__in")
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _insert_fields(meta, pk_set):
    """The fields ``Model.save()`` inserts."""
    return [f for f in meta.local_concrete_fields if not f.generated and (pk_set or f is not meta.auto_field)]


# --- the values (every time) ----------------------------------------------------------


def _update_params(part, connection):
    meta = part.model._meta
    params = [meta.get_field(name).get_db_prep_save(value, connection) for name, value in part.values.items()]
    return params + _filter_params(part.model, part.filters, connection)


def _insert_params(part, connection):
    obj = part.obj
    fields = [f for f in _insert_fields(obj._meta, obj.pk is not None) if f.name not in part.refer]
    params = []
    for f in fields:
        value = f.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            raise ValueError(f"a batch inserts plain values, not expressions ({f.name})")
        params.append(f.get_db_prep_save(value, connection))
    if part.unless:
        params += _filter_params(*part.unless, connection)
    return params


def _filter_params(model, filters, connection):
    params = []
    for key, value in filters.items():
        f = _filter_field(model, key)
        values = value if key.endswith("__in") else [value]
        params += [f.get_db_prep_value(f.get_prep_value(v), connection, prepared=True) for v in values]
    return params


def _execute(connection, statement, params):
    """Run ``statement``, its values bound on the server and, unless turned
    off (``CIVICHALL_PREPARED_STATEMENTS``), prepared: its text depends only
    on the batch's shape, so PostgreSQL parses and plans each shape once per
    connection. It goes through Django's cursor wrapper, so query logging
    and ``execute_wrapper`` see it like any other query."""
    connection.ensure_connection()
    prepare = bool(setting("CIVICHALL_PREPARED_STATEMENTS"))
    if prepare and connection.connection.prepare_threshold is None:
        # Django leaves psycopg's preparing off (None), which refuses even an
        # explicit ``prepare=True``; a threshold never reached turns it on
        # for what asks for it, and for nothing else.
        connection.connection.prepare_threshold = 2**31 - 1
    cursor = _cursor_class(prepare, connection.queries_logged)(connection.connection)
    # ``_prepare_cursor`` is how Django wraps a cursor it made itself (as its
    # ``chunked_cursor`` does): the wrapper, its logging, the wrappers.
    with connection._prepare_cursor(cursor) as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchone())


_cursor_classes: dict = {}


def _cursor_class(prepare, logged):
    """Django's server-binding cursor, preparing every statement or none;
    ``logged``: it keeps the statement with its values for Django's query
    log (psycopg keeps nothing of a statement bound on the server)."""
    if (prepare, logged) not in _cursor_classes:
        import psycopg
        from django.db.backends.postgresql.base import ServerBindingCursor

        class Cursor(ServerBindingCursor):
            def execute(self, query, params=None, **kwargs):
                result = super().execute(query, params, prepare=prepare)
                if logged:
                    self._query = _Logged(psycopg.ClientCursor(self.connection).mogrify(query, params).encode())
                return result

        _cursor_classes[prepare, logged] = Cursor
    return _cursor_classes[prepare, logged]


@dataclass
class _Logged:
    query: bytes


def _saved(obj, pk, alias):
    """What ``Model.save()`` does after its INSERT: the key, the state, the signal."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias
    post_save.send(sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=alias)
