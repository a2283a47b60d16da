"""Statements the vote path runs on every click, compiled once and sent straight to the driver.

A vote runs four small statements. Through SQLAlchemy's ``Connection.execute`` each one costs
far more Python than the database's own work (an execution context, the compiled cache
lookup, a result object): most of a vote's CPU in the closed-loop benchmark. A ``Prepared``
statement is compiled once per dialect and run on the DBAPI cursor of the session's own
connection, inside the session's transaction, with the column types' bind and result
processing (JSON, enums, UTC datetimes) done as SQLAlchemy would. It keeps what the rest of
the app relies on:

* driver errors become SQLAlchemy's exceptions (``IntegrityError`` on a UNIQUE constraint,
  which ``app.transaction.run`` retries), and a dropped connection is invalidated;
* ``before_cursor_execute`` listeners see the statement (the SQL counts in the tests and
  the benchmark);
* Python-side column defaults are not applied: an insert names every value it writes.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any, Callable, Mapping

from sqlalchemy import exc
from sqlalchemy.sql import ClauseElement

from app.extensions import db


class _Compiled:
    __slots__ = ("sql", "names", "binds", "keys", "results", "row")

    def __init__(self, statement: ClauseElement, dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        defaulted = [c.key for c in (*getattr(compiled, "insert_prefetch", ()), *getattr(compiled, "update_prefetch", ()))]
        if defaulted:
            # SQLAlchemy computes these in Python when it runs a statement; this runner does not.
            raise ValueError(f"a prepared write must name every value it writes; missing: {', '.join(defaulted)}")
        self.sql: str = compiled.string
        # Positional drivers (sqlite3) take a list in the order of the placeholders.
        self.names: list[str] | None = list(compiled.positiontup) if compiled.positional else None
        self.binds: dict[str, Callable] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type._cached_bind_processor(dialect)
            if processor is not None:
                self.binds[name] = processor
        columns = getattr(compiled, "_result_columns", None) or []
        self.keys: tuple[str, ...] = tuple(c.keyname for c in columns)
        # Only the columns whose type turns the driver's value into Python's (JSON text, enums).
        self.results: tuple[tuple[int, Callable], ...] = tuple(
            (i, p) for i, c in enumerate(columns) if (p := c.type._cached_result_processor(dialect, None)) is not None)
        #: Rows with attribute access by column key, like SQLAlchemy's ``Row``.
        self.row = namedtuple("Row", self.keys) if self.keys else None


class Prepared:
    """A Core statement run on the session connection's DBAPI cursor (see the module)."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            found = self._by_dialect[dialect.name] = _Compiled(self.statement, dialect)
        return found

    def _run(self, params: Mapping[str, Any]):
        connection = db.session.connection()
        dialect = connection.dialect
        compiled = self._compiled(dialect)
        if compiled.binds:
            params = {k: (compiled.binds[k](v) if k in compiled.binds else v) for k, v in params.items()}
        args = [params[name] for name in compiled.names] if compiled.names is not None else params
        cursor = connection.connection.cursor()
        if (connection._has_events or connection.engine._has_events) and connection.dispatch.before_cursor_execute:
            connection.dispatch.before_cursor_execute(connection, cursor, compiled.sql, args, None, False)
        try:
            cursor.execute(compiled.sql, args)
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            if dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor):
                connection.invalidate(error)
            raise exc.DBAPIError.instance(compiled.sql, args, error, dialect.loaded_dbapi.Error,
                                          dialect=dialect) from error
        return cursor, compiled

    def rows(self, params: Mapping[str, Any]) -> list[tuple]:
        """Every row of the result (named tuples), processed by the column types."""
        cursor, compiled = self._run(params)
        try:
            raw = cursor.fetchall()
        finally:
            cursor.close()
        make = compiled.row._make
        if not compiled.results:
            return [make(r) for r in raw]
        out = []
        for r in raw:
            values = list(r)
            for i, process in compiled.results:
                values[i] = process(values[i])
            out.append(make(values))
        return out

    def first(self, params: Mapping[str, Any]) -> tuple | None:
        """The first row, or None."""
        found = self.rows(params)
        return found[0] if found else None

    def run(self, params: Mapping[str, Any]) -> int:
        """Run a write; the number of rows it changed."""
        cursor, _compiled = self._run(params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()
