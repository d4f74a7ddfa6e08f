"""A turn's statements, run straight through the database's driver.

Why: every turn runs the token check, ``begin_turn`` and ``finish_turn``: on SQLite on the
event loop (see ``Store``), on PostgreSQL in a thread. Through SQLAlchemy's connection, pool,
transaction and result objects those few indexed statements cost several times the
database's own work (on PostgreSQL the pool also pinged the server before each of them), and
the CPU before a turn's model request is what every learner waits for when a class asks at once.

Nothing here defines a statement or a row: the statements are ``statements.py``'s, compiled
once by SQLAlchemy for the database, their values converted by SQLAlchemy's own processor for each
column type, and ``repository.py``'s functions run them as they run on SQLAlchemy's
connection. ``DriverConnection`` is only the part of ``Connection`` those functions use.
A statement it was not given (a rare path, such as ending a turn whose process died) raises
``NotOnDriver``: the transaction is rolled back and done the usual way.
"""

from __future__ import annotations

import select
import threading
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy.engine import Dialect, Engine

T = TypeVar("T")


class NotOnDriver(Exception):
    """A statement this connection was not prepared for: do the work through SQLAlchemy."""


class DriverStatement:
    """One statement compiled once for the database: its SQL, how to turn a parameter dict into
    the driver's values (positional for SQLite, named for psycopg), and how to turn the driver's
    rows back into typed rows."""

    __slots__ = ("sql", "params", "row", "results", "named")

    def __init__(self, statement: Any, dialect: Dialect, column_keys: Sequence[str] | None = None):
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) if column_keys else None)
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            # Defaults SQLAlchemy would compute in Python: not worth a second way to compute them.
            raise NotOnDriver(str(compiled))
        if getattr(compiled, "escaped_bind_names", None):
            raise NotOnDriver(str(compiled))
        self.sql = str(compiled)
        self.params: list[tuple[str, Any, Any]] = []
        # psycopg's ``%(name)s``: each name once, however often the statement uses it.
        self.named = compiled.positiontup is None
        for name in (list(compiled.binds) if self.named else compiled.positiontup):
            bind = compiled.binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            # A value of the statement's own (a JSON path, ``+ 2``, an offset) unless the caller gives one.
            self.params.append((name, processor, bind.effective_value))
        columns = list(getattr(statement, "selected_columns", ()))
        self.row = namedtuple("Row", [column.key for column in columns], rename=True) if columns else None
        self.results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]

    def values(self, given: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        out = []
        for name, processor, fixed in self.params:
            value = given[name] if name in given else fixed
            out.append(processor(value) if processor is not None else value)
        if self.named:
            return {name: value for (name, _, _), value in zip(self.params, out)}
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

    def execute(self, statement: Any, params: dict[str, Any] | list[dict[str, Any]] | None = None) -> DriverResult:
        """Like ``Connection.execute``; a statement it was not given (one with its values inside,
        such as ending a dead turn) raises ``NotOnDriver`` before anything runs."""
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


class PostgresConnection(DriverConnection):
    """``DriverConnection`` on a ``psycopg`` connection in autocommit mode, used from one thread
    at a time (``PostgresDrivers``): a lone read is one round trip, a write one transaction."""

    def execute(self, statement: Any, params: dict[str, Any] | list[dict[str, Any]] | None = None) -> DriverResult:
        if isinstance(params, list):
            prepared = self._prepared(statement, tuple(params[0]))
            with self.raw.cursor() as cursor:
                cursor.executemany(prepared.sql, [prepared.values(row) for row in params])
                return DriverResult([], cursor.rowcount)
        prepared = self._prepared(statement, None)
        with self.raw.cursor() as cursor:
            cursor.execute(prepared.sql, prepared.values(params))
            rows = [prepared.typed(found) for found in cursor.fetchall()] if prepared.row is not None else []
            return DriverResult(rows, cursor.rowcount)

    def write(self, work: Any, flush: bool = True) -> Any:
        """``work(self)`` in one transaction, committed if it returns. A failure of the COMMIT
        itself is raised as ``CommitFailed``: whether it was stored is then not known.

        With ``flush`` false the COMMIT does not wait for the server to write it to disk
        (``synchronous_commit`` off, for this transaction only): it is seen by everyone at once,
        but a crash of the server in the next few hundred milliseconds may lose it, as a power
        loss may lose SQLite's last commits (``synchronous=NORMAL``). Any later flushed COMMIT
        writes it to disk too (the server's log is written in order)."""
        self.raw.execute("BEGIN" if flush else "BEGIN; SET LOCAL synchronous_commit TO OFF")
        try:
            result = work(self)
        except BaseException:
            self._roll_back()
            raise
        try:
            self.raw.execute("COMMIT")
        except BaseException as exc:
            raise CommitFailed(str(exc)) from exc
        return result

    def write_one(self, work: Any) -> Any:
        """``work(self)``, one statement that is its own transaction (autocommit): no BEGIN and
        COMMIT round trips. A connection found closed, or ended by the server while idle (a
        restarted server), sends nothing: the driver's error, and the work is done elsewhere. A
        failure that leaves the connection broken may have come after the server committed:
        raised as ``CommitFailed``, as a failed COMMIT is; any other failure stored nothing."""
        if self.broken or self._ended_while_idle():
            raise self.dialect.loaded_dbapi.OperationalError("the connection was closed before the statement")
        try:
            return work(self)
        except self.dialect.loaded_dbapi.Error as exc:
            if self.broken:
                raise CommitFailed(str(exc)) from exc
            raise

    def _ended_while_idle(self) -> bool:
        """Whether the server wrote to this idle connection (it does only to end it), or closed it."""
        try:
            readable, _, _ = select.select([self.raw.fileno()], [], [], 0)
        except (OSError, ValueError, self.dialect.loaded_dbapi.Error):
            return True
        return bool(readable)

    def rehearse(self, work: Any) -> None:
        self.raw.execute("BEGIN")
        try:
            work(self)
        finally:
            self._roll_back()

    def _roll_back(self) -> None:
        if not self.raw.closed and self.raw.info.transaction_status != 0:  # not IDLE
            self.raw.execute("ROLLBACK")

    @property
    def broken(self) -> bool:
        return bool(self.raw.closed or getattr(self.raw, "broken", False))


class CommitFailed(Exception):
    """The COMMIT of a turn's transaction failed on PostgreSQL's own connection."""


# What ``PostgresDrivers.write`` and ``read`` return when the work is to be done through SQLAlchemy.
FALL_BACK = object()


class PostgresDrivers:
    """A few ``psycopg`` connections of the turn's own, for its statements on PostgreSQL, taken
    and given back by the threads that run them. Opened on first use with SQLAlchemy's own
    arguments and connect hooks; at most ``limit`` at once, beyond which (and whenever a
    statement was not prepared here, or a connection fails before anything was committed) the
    work is done through SQLAlchemy's engine instead (``FALL_BACK``): its errors are the ones
    the caller knows."""

    def __init__(self, engine: Engine, statements: Iterable[Any], limit: int = 8):
        self.dialect = engine.dialect
        self.url = engine.url
        self.statements = tuple(statements)
        self.limit = limit
        self._idle: list[PostgresConnection] = []
        self._open = 0
        self._lock = threading.Lock()
        self._closed = False

    def _connect(self) -> PostgresConnection:
        cargs, cparams = self.dialect.create_connect_args(self.url)
        raw = self.dialect.loaded_dbapi.connect(*cargs, **cparams)
        try:
            hook = self.dialect.on_connect()
            if hook is not None:
                hook(raw)
            raw.autocommit = True
        except BaseException:
            raw.close()
            raise
        return PostgresConnection(raw, self.dialect, self.statements)

    def _take(self) -> PostgresConnection | None:
        with self._lock:
            if self._closed:
                return None
            if self._idle:
                return self._idle.pop()
            if self._open >= self.limit:
                return None
            self._open += 1
        try:
            return self._connect()
        except Exception:
            with self._lock:
                self._open -= 1
            return None

    def _give(self, connection: PostgresConnection) -> None:
        if connection.broken:
            self._drop(connection)
            return
        with self._lock:
            if not self._closed:
                self._idle.append(connection)
                return
        self._drop(connection)

    def _drop(self, connection: PostgresConnection) -> None:
        try:
            connection.close()
        except Exception:
            pass
        with self._lock:
            self._open -= 1

    def _run(self, work: Callable[[PostgresConnection], T]) -> T | object:
        connection = self._take()
        if connection is None:
            return FALL_BACK
        errors = self.dialect.loaded_dbapi.Error
        try:
            result = work(connection)
        except NotOnDriver:
            self._give(connection)
            return FALL_BACK
        except CommitFailed:
            self._drop(connection)
            raise
        except errors:
            self._drop(connection)  # rolled back, or gone: SQLAlchemy does it again, with its own errors
            return FALL_BACK
        except BaseException:
            self._give(connection)
            raise
        self._give(connection)
        return result

    def write(self, statements: Callable[[Any], T], flush: bool = True) -> T | object:
        """``statements(connection)`` in one transaction; in a worker thread. ``flush``: see
        ``PostgresConnection.write``."""
        return self._run(lambda connection: connection.write(statements, flush))

    def write_one(self, statement: Callable[[Any], T]) -> T | object:
        """``statement(connection)``, one statement in its own transaction; in a worker thread
        (``PostgresConnection.write_one``)."""
        return self._run(lambda connection: connection.write_one(statement))

    def read(self, work: Callable[[Any], T]) -> T | object:
        """``work(connection)`` outside a transaction (one statement); in a worker thread."""
        return self._run(work)

    def rehearse(self, work: Callable[[Any], None]) -> None:
        """Compile every statement once (in a transaction rolled back)."""
        self._run(lambda connection: connection.rehearse(work))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            self._drop(connection)
