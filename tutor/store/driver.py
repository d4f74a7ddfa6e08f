"""A turn's statements, run on the event loop straight through the SQLite driver.

Why: every turn runs the token check, ``begin_turn`` and ``finish_turn`` on the event
loop (SQLite, see ``Store``). Through SQLAlchemy's connection, transaction and result
objects those few indexed statements cost several times the database's own work, and the
CPU before a turn's model request is what every learner waits for when a class asks at once.

Nothing here defines a statement or a row: the statements are ``statements.py``'s, compiled
once by SQLAlchemy for SQLite, their values converted by SQLAlchemy's own processor for each
column type, and ``repository.py``'s functions run them as they run on SQLAlchemy's
connection. ``DriverConnection`` is only the part of ``Connection`` those functions use.
A statement it was not given (a rare path, such as ending a turn whose process died) raises
``NotOnDriver``: the transaction is rolled back and done the usual way.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.engine import Dialect


class NotOnDriver(Exception):
    """A statement this connection was not prepared for: do the work through SQLAlchemy."""


class DriverStatement:
    """One statement compiled once for SQLite: its SQL, how to turn a parameter dict into the
    driver's positional values, and how to turn the driver's rows back into typed rows."""

    __slots__ = ("sql", "params", "row", "results")

    def __init__(self, statement: Any, dialect: Dialect, column_keys: Sequence[str] | None = None):
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) if column_keys else None)
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            # Defaults SQLAlchemy would compute in Python: not worth a second way to compute them.
            raise NotOnDriver(str(compiled))
        self.sql = str(compiled)
        self.params: list[tuple[str, Any, Any]] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            # A value of the statement's own (a JSON path, ``+ 2``, an offset) unless the caller gives one.
            self.params.append((name, processor, bind.effective_value))
        columns = list(getattr(statement, "selected_columns", ()))
        self.row = namedtuple("Row", [column.key for column in columns], rename=True) if columns else None
        self.results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]

    def values(self, given: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, processor, fixed in self.params:
            value = given[name] if name in given else fixed
            out.append(processor(value) if processor is not None else value)
        return tuple(out)

    def typed(self, found: Iterable[Any]) -> Any:
        return self.row._make(convert(value) if convert is not None else value
                              for convert, value in zip(self.results, found))


class DriverResult:
    """The part of SQLAlchemy's ``Result`` a turn's statements read."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int):
        self._rows, self.rowcount = rows, rowcount

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def all(self) -> list[Any]:
        return self._rows

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None


class DriverConnection:
    """The part of SQLAlchemy's ``Connection`` a turn's statements use, on a ``sqlite3`` connection
    in autocommit mode (``begin`` runs a transaction). Only the statements it was given run here."""

    def __init__(self, raw: Any, dialect: Dialect, statements: Iterable[Any]):
        self.raw = raw
        self.dialect = dialect
        self._known = {id(statement): statement for statement in statements}
        self._compiled: dict[tuple[int, tuple[str, ...] | None], DriverStatement] = {}

    def _prepared(self, statement: Any, keys: tuple[str, ...] | None) -> DriverStatement:
        found = self._compiled.get((id(statement), keys))
        if found is None:
            if self._known.get(id(statement)) is not statement:
                raise NotOnDriver(type(statement).__name__)
            found = self._compiled[(id(statement), keys)] = DriverStatement(statement, self.dialect, keys)
        return found

    def execute(self, statement: Any, params: dict[str, Any] | list[dict[str, Any]]) -> DriverResult:
        if isinstance(params, list):  # many rows of an INSERT, all with the same keys
            prepared = self._prepared(statement, tuple(params[0]))
            cursor = self.raw.executemany(prepared.sql, [prepared.values(row) for row in params])
            return DriverResult([], cursor.rowcount)
        prepared = self._prepared(statement, None)
        cursor = self.raw.execute(prepared.sql, prepared.values(params))
        rows = [prepared.typed(found) for found in cursor.fetchall()] if prepared.row is not None else []
        return DriverResult(rows, cursor.rowcount)

    def write(self, work: Any) -> Any:
        """``work(self)`` in one writing transaction (``BEGIN IMMEDIATE``: it fails at once, before
        anything is written, when another process holds the lock), committed if it returns."""
        self.raw.execute("BEGIN IMMEDIATE")
        try:
            result = work(self)
            self.raw.execute("COMMIT")
        except BaseException:
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")
            raise
        return result

    def rehearse(self, work: Any) -> None:
        """``work(self)`` in a transaction that is rolled back: the statements are compiled, nothing stored."""
        self.raw.execute("BEGIN IMMEDIATE")
        try:
            work(self)
        finally:
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()
