"""A turn's statements, run straight through the database's driver.

Why: every turn runs the token check, ``begin_turn`` and ``finish_turn``, on the event loop
(see ``Store``; on PostgreSQL through psycopg's async connections, ``PostgresOnLoop``). Through
SQLAlchemy's connection, pool, transaction and result objects those few indexed statements cost
several times the database's own work (on PostgreSQL the pool also pinged the server before each
of them), and the CPU before a turn's model request is what every learner waits for when a class
asks at once.

Nothing here defines a statement or a row: the statements are ``statements.py``'s, compiled
once by SQLAlchemy for the database, their values converted by SQLAlchemy's own processor for each
column type, and ``repository.py``'s functions run them as they run on SQLAlchemy's
connection. ``DriverConnection`` is only the part of ``Connection`` those functions use.
A statement it was not given (a rare path, such as ending a turn whose process died) raises
``NotOnDriver``: the transaction is rolled back and done the usual way.
"""

from __future__ import annotations

import asyncio
import select
from collections import namedtuple
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.engine import Dialect, Engine

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


class CommitFailed(Exception):
    """The COMMIT of a turn's transaction failed on PostgreSQL's own connection."""


# What ``PostgresOnLoop``'s statements return when the work is to be done through SQLAlchemy.
FALL_BACK = object()


class PostgresOnLoop:
    """A few ``psycopg`` connections of the turn's own, for its statements on PostgreSQL, on the
    event loop itself (psycopg's async connections, in autocommit mode).

    Why on the loop: in a worker thread each statement cost two wake-ups of a sleeping thread
    (the worker's, then the loop's), a quarter of a millisecond of CPU each on this kind of VM,
    more than psycopg's own work; on the loop the server's answer is one more ready socket in
    the loop's next poll. A statement is sent as soon as the loop runs it and waits for nothing
    else while the server works.

    Opened on first use with SQLAlchemy's own arguments and connect hook; at most ``limit`` at
    once: a turn waits for one to be free. ``FALL_BACK`` (the work is then done through
    SQLAlchemy's engine, whose errors are the ones the caller knows) when a statement was not
    given here, a connection cannot be opened, or it fails before anything was committed.
    Each statement runs to its end in a task of its own, even when its caller is cancelled, as
    one in a thread did: the connection is never left in the middle of a statement."""

    def __init__(self, engine: Engine, statements: Iterable[Any], limit: int = 8):
        self.dialect = engine.dialect
        self.url = engine.url
        self.limit = limit
        self._known = {id(statement): statement for statement in statements}
        self._compiled: dict[int, DriverStatement] = {}
        self._idle: list[LoopConnection] = []
        self._open = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._closed = False

    def prepared(self, statement: Any) -> DriverStatement:
        """The statement compiled for psycopg (once); ``NotOnDriver`` for one not given here."""
        found = self._compiled.get(id(statement))
        if found is None:
            if self._known.get(id(statement)) is not statement:
                raise NotOnDriver(type(statement).__name__)
            found = self._compiled[id(statement)] = DriverStatement(statement, self.dialect)
        return found

    def compile_all(self) -> None:
        """Compile every statement now (SQLAlchemy's compiler costs milliseconds the first time)."""
        for statement in self._known.values():
            self.prepared(statement)

    async def read(self, statement: Any, params: dict[str, Any]) -> DriverResult | object:
        """One statement outside a transaction; its rows."""
        return await self._shielded(statement, params, False)

    async def write_one(self, statement: Any, params: dict[str, Any]) -> DriverResult | object:
        """One statement that is its own transaction (autocommit): no BEGIN and COMMIT round trips.
        A connection found closed, or ended by the server while idle (a restarted server), sends
        nothing: ``FALL_BACK``. A failure that leaves the connection broken may have come after
        the server committed: raised as ``CommitFailed``; any other failure stored nothing."""
        return await self._shielded(statement, params, True)

    async def _shielded(self, statement: Any, params: dict[str, Any], write: bool) -> DriverResult | object:
        try:
            prepared = self.prepared(statement)
        except NotOnDriver:
            return FALL_BACK
        if self._closed:
            return FALL_BACK
        return await asyncio.shield(self._run(prepared, params, write))

    async def _run(self, prepared: DriverStatement, params: dict[str, Any], write: bool) -> DriverResult | object:
        async with self._slots_here():
            connection = await self._take()
            if connection is None:
                return FALL_BACK
            errors = self.dialect.loaded_dbapi.Error
            if write and (connection.broken or _ended_while_idle(connection.raw, errors)):
                self._drop(connection)
                return FALL_BACK
            cursor = connection.cursor
            try:
                await cursor.execute(prepared.sql, prepared.values(params))
                rows = [prepared.typed(found) for found in await cursor.fetchall()] if prepared.row is not None else []
                result = DriverResult(rows, cursor.rowcount)
            except errors as exc:
                broken = connection.broken
                self._drop(connection)
                if write and broken:
                    raise CommitFailed(str(exc)) from exc
                return FALL_BACK  # rolled back, or gone: SQLAlchemy does it again, with its own errors
            except BaseException:
                self._drop(connection)  # in an unknown state
                raise
            self._give(connection)
            return result

    def _slots_here(self) -> asyncio.Semaphore:
        """The limit of this event loop; connections opened on another loop are closed (a test, or
        ``tutor chat`` after the service, may run the same store on a loop of its own)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._close_idle()
            self._loop, self._slots, self._open = loop, asyncio.Semaphore(self.limit), 0
        assert self._slots is not None
        return self._slots

    async def _take(self) -> LoopConnection | None:
        if self._idle:
            return self._idle.pop()
        cargs, cparams = self.dialect.create_connect_args(self.url)
        try:
            raw = await self.dialect.loaded_dbapi.AsyncConnection.connect(*cargs, **{**cparams, "autocommit": True})
        except Exception:
            return None
        try:
            hook = self.dialect.on_connect()
            if hook is not None:
                hook(raw)
        except Exception:
            raw.pgconn.finish()
            return None
        self._open += 1
        return LoopConnection(raw)

    def _give(self, connection: LoopConnection) -> None:
        if self._closed or connection.broken or asyncio.get_running_loop() is not self._loop:
            self._drop(connection)
        else:
            self._idle.append(connection)

    def _drop(self, connection: LoopConnection) -> None:
        try:
            connection.raw.pgconn.finish()
        except Exception:
            pass
        self._open -= 1

    def _close_idle(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            self._drop(connection)

    def close(self) -> None:
        """Close the idle connections; those in use are closed when their statement ends."""
        self._closed = True
        self._close_idle()


class LoopConnection:
    """A ``psycopg`` async connection with one cursor kept for all its statements: a new cursor for
    each cost about a tenth of a millisecond more a statement (its adapters looked up again)."""

    __slots__ = ("raw", "cursor")

    def __init__(self, raw: Any):
        self.raw, self.cursor = raw, raw.cursor()

    @property
    def broken(self) -> bool:
        return bool(self.raw.closed or self.raw.broken)


def _ended_while_idle(connection: Any, errors: type[Exception]) -> bool:
    """Whether the server wrote to this idle connection (it does only to end it), or closed it."""
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError, errors):
        return True
    return bool(readable)
