"""The few queries the service needs, each one short transaction.

The methods are async and run the blocking database work in a worker thread,
so a slow disk never stalls the event loop that streams answers. On SQLite the
three statements groups of every turn (the token check, ``begin_turn``,
``finish_turn``) run on the event loop itself: each takes a fraction of a
millisecond there, while handing it to a thread and back woke two threads and
cost more CPU than the queries (a sixth of a worker's CPU per turn at 64
learners). They never wait on the loop: a connection of their own gives up at
once when another process holds the lock (the work is then done in a thread,
which waits as usual), and leaves checkpoints to a thread. On the loop they go
straight through the SQLite driver (``tutor.store.driver``): SQLAlchemy's
connection, transaction and result objects cost several times the queries. On PostgreSQL
they run on the loop too, one statement each, through the turn's own ``psycopg`` async
connections (``PostgresOnLoop``): in a thread, each woke the worker and then the loop, and
SQLAlchemy's pool pinged the server before each and its objects cost more CPU than the
driver's work.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import Connection, Engine, case, delete, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from . import statements as sql
from .driver import FALL_BACK, DriverConnection, NotOnDriver, PostgresOnLoop
from .engine import for_writing, is_busy, loop_engine, loop_reader
from .models import DailyUsage, MessageRow, SessionRow, utcnow

T = TypeVar("T")
# (session id, message id) -> the text of an answer another process shared, if any.
SharedText = Callable[[str, str], Awaitable[str | None]]
log = logging.getLogger("tutor")


class TurnInProgress(Exception):
    """An answer for this session is still being written."""


class SessionFull(Exception):
    """The session has reached its message limit."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class PastMessage:
    role: str
    content: str
    status: str
    seq: int = 0
    activity: str | None = None
    quiz: dict[str, Any] | None = None
    # The passage an answer was about (its first source), if any.
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class MessagePage:
    messages: list[MessageRow]
    older: int | None  # the position to read before for the previous page; None at the start


@dataclass(frozen=True, slots=True)
class TurnStart:
    """What a new turn needs: its answer's id, the passages covered so far, recent history
    (after what the summary covers) and the summary of what came before it."""

    user_id: str
    assistant_id: str
    covered: list[str]
    history: list[PastMessage]
    summary: str = ""
    summary_seq: int = 0


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    content: str
    status: str  # complete | interrupted | failed
    sources: list[dict[str, Any]]
    suggestions: list[str]
    provider: str | None = None
    model: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_input_tokens: int | None = None
    cache_write_input_tokens: int | None = None
    cost_pico_usd: int | None = None  # None: the model's price is unknown
    error_code: str | None = None
    covered: Sequence[str] = ()
    activity: str | None = None
    quiz: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class UsageTotals:
    """Tokens and cost summed over turns (a session's, or a day's for the whole service).

    ``cost_pico_usd`` sums the priced turns; ``unpriced_turns`` counts those
    whose model has no price, which make the total cost unknown.
    """

    turns: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    cache_write_input_tokens: int = 0
    cost_pico_usd: int = 0
    unpriced_turns: int = 0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def cost(self) -> int | None:
        """The total in pico-dollars, or None when any turn's cost is unknown."""
        return None if self.unpriced_turns else self.cost_pico_usd


# The turn's writes on the event loop leave the WAL to grow; a worker thread folds it
# back into the database file after this many of them (SQLite's own default is 1,000 pages,
# a few hundred turns).
CHECKPOINT_EVERY = 200


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.writer = for_writing(engine)
        # SQLite takes one writer at a time; queueing writers here is cheaper and
        # fairer than letting them sleep in SQLite's busy handler.
        self._write_lock = asyncio.Lock() if engine.url.get_backend_name() == "sqlite" else None
        # The turn's statements on the event loop (a SQLite file only): see the module's docstring.
        self.loop_engine = loop_engine(engine)
        self._loop_writer = for_writing(self.loop_engine) if self.loop_engine is not None else None
        self._loop_writes = 0
        self._checkpoint: asyncio.Task[None] | None = None
        # The turn's statements on the loop, through the SQLite driver itself (see ``_on_driver``).
        self._driver: DriverConnection | None = None
        # On PostgreSQL, through psycopg's own connections on the event loop.
        self._postgres = (PostgresOnLoop(engine, sql.on_driver("postgresql"))
                          if engine.dialect.name == "postgresql" else None)

    @property
    def turns_on_loop(self) -> bool:
        """Whether a turn's statements run on the event loop (a SQLite file), not in threads."""
        return self._loop_writer is not None

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await anyio.to_thread.run_sync(fn, *args)

    async def _write(self, fn: Callable[..., T], *args: Any) -> T:
        if self._write_lock is None:
            return await self._run(fn, *args)
        async with self._write_lock:
            return await self._run(fn, *args)

    async def _read_hot(self, fn: Callable[[Engine], T]) -> T:
        """``fn(engine)``: a turn's read, on the event loop when it can be (SQLite), else in a thread."""
        if self.loop_engine is not None:
            try:
                return fn(self.loop_engine)
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
        return await self._run(fn, self.engine)

    async def _write_hot(self, statements: Callable[[Connection], T]) -> T:
        """``statements(connection)`` in one writing transaction: a turn's write, on the event loop
        when it can be (SQLite: through the driver, else SQLAlchemy's connection), else in a thread.

        On the loop, a lock held by another process fails at once, before anything is written
        (``BEGIN IMMEDIATE``) or with the transaction rolled back; the thread then does it."""
        if self._write_lock is None or self._loop_writer is None:
            return await self._write(_in_transaction, self.writer, statements)
        async with self._write_lock:
            driver = self._on_driver()
            if driver is not None:
                try:
                    result = driver.write(statements)
                except NotOnDriver:
                    pass
                except self._driver_errors as exc:
                    if is_busy(exc):
                        return await self._run(_in_transaction, self.writer, statements)
                    self._driver_failed(exc)
                else:
                    self._wrote_on_loop()
                    return result
            try:
                result = _in_transaction(self._loop_writer, statements)
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
            else:
                self._wrote_on_loop()
                return result
            return await self._run(_in_transaction, self.writer, statements)

    @property
    def _driver_errors(self) -> type[Exception]:
        return self.loop_engine.dialect.loaded_dbapi.Error

    def _on_driver(self) -> DriverConnection | None:
        """The connection of the SQLite driver itself that runs a turn's statements on the loop,
        opened on first use; None when the database is not a SQLite file, or it cannot be opened."""
        if self._driver is None and self.loop_engine is not None:
            try:
                self._driver = DriverConnection(loop_reader(self.loop_engine), self.loop_engine.dialect,
                                                sql.ON_DRIVER)
            except Exception as exc:
                log.warning("the database's driver connection could not be opened (%s)", exc)
        return self._driver

    def _driver_failed(self, exc: BaseException) -> None:
        log.warning("a statement through the driver on the event loop failed (%s); using SQLAlchemy", exc)
        self._close_driver()

    def _close_driver(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            try:
                driver.close()
            except Exception:
                pass

    def _wrote_on_loop(self) -> None:
        self._loop_writes += 1
        if self._loop_writes >= CHECKPOINT_EVERY and (self._checkpoint is None or self._checkpoint.done()):
            self._loop_writes = 0
            self._checkpoint = asyncio.get_running_loop().create_task(self._fold_wal())

    async def _fold_wal(self) -> None:
        """Copy the WAL's pages into the database file, in a thread (it writes and syncs the file).
        PASSIVE: it never waits for readers or writers, and whatever it leaves goes next time."""
        def work() -> None:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()

        try:
            await self._run(work)
        except Exception as exc:
            log.warning("the database's write-ahead log could not be checkpointed: %s", exc)

    def dispose(self) -> None:
        """Close the database connections."""
        self.engine.dispose()
        if self.loop_engine is not None:
            self.loop_engine.dispose()
        self._close_driver()
        if self._postgres is not None:
            self._postgres.close()

    # Sessions -----------------------------------------------------------

    async def create_session(self, language: str) -> tuple[SessionRow, str]:
        """A new session and its bearer token (returned once, stored only hashed)."""
        token = secrets.token_urlsafe(32)  # 256 bits
        row = SessionRow(id=new_id(), token_hash=hash_token(token), language=language)

        def work() -> SessionRow:
            with Session(self.writer, expire_on_commit=False) as db:
                db.add(row)
                db.commit()
                return row

        return await self._write(work), token

    async def authenticate(self, session_id: str, token: str, *, ttl: timedelta | None = None) -> SessionRow | None:
        """The session if the token matches and it is not expired, else None.

        An unknown id, a wrong token and a session idle longer than ``ttl`` all
        look alike, so nobody can learn which sessions exist.
        """

        def work(engine: Engine) -> SessionRow | None:
            with engine.connect() as connection:
                found = connection.execute(sql.SESSION_BY_ID, {"p_session_id": session_id}).first()
            # Built without validation: the row is ours and was validated on the way in.
            return SessionRow.model_construct(**found._mapping) if found else None

        row = self._session_on_loop(session_id)
        if row is False and self._postgres is not None:
            found = await self._postgres.read(sql.SESSION_BY_ID, {"p_session_id": session_id})
            if found is not FALL_BACK:
                row = _session_row(found.first())
        if row is False:
            row = await self._read_hot(work)
        expected = row.token_hash if row else hash_token("")
        matches = hmac.compare_digest(expected, hash_token(token))
        if row is None or not matches:
            return None
        if ttl is not None and as_utc(row.last_active_at) < utcnow() - ttl:
            return None
        return row

    def _session_on_loop(self, session_id: str) -> SessionRow | None | bool:
        """The session's row, read on the event loop straight through the SQLite driver; False when
        that cannot be done now (not a SQLite file, another process holds a lock it needs, any
        other error), and the read is to be done the usual way.

        Every request with a session token makes this read (see ``tutor.store.driver``)."""
        driver = self._on_driver()
        if driver is None:
            return False
        try:
            found = driver.execute(sql.SESSION_BY_ID, {"p_session_id": session_id}).first()
        except self._driver_errors as exc:
            if not is_busy(exc):
                self._driver_failed(exc)
            return False
        return _session_row(found)

    async def delete_session(self, session_id: str) -> None:
        def work() -> None:
            with Session(self.writer) as db:
                db.execute(delete(MessageRow).where(MessageRow.session_id == session_id))
                db.execute(delete(SessionRow).where(SessionRow.id == session_id))
                db.commit()

        await self._write(work)

    async def purge_idle(self, idle_for: timedelta) -> int:
        """Delete sessions (and their messages) idle longer than ``idle_for``."""
        cutoff = utcnow() - idle_for

        def work() -> int:
            with Session(self.writer) as db:
                ids = list(db.execute(select(SessionRow.id).where(SessionRow.last_active_at < cutoff)).scalars())
                if not ids:
                    return 0
                db.execute(delete(MessageRow).where(MessageRow.session_id.in_(ids)))
                db.execute(delete(SessionRow).where(SessionRow.id.in_(ids)))
                db.commit()
                return len(ids)

        return await self._write(work)

    # Messages -----------------------------------------------------------

    async def messages(self, session_id: str) -> list[MessageRow]:
        def work() -> list[MessageRow]:
            with Session(self.engine, expire_on_commit=False) as db:
                query = select(MessageRow).where(MessageRow.session_id == session_id).order_by(MessageRow.seq)
                return list(db.execute(query).scalars())

        return await self._run(work)

    async def message_page(self, session_id: str, *, limit: int, before: int | None = None) -> MessagePage:
        """The newest ``limit`` messages older than position ``before``, oldest first.

        A read costs at most one page, however long the conversation is.
        """

        def work() -> MessagePage:
            query = select(MessageRow).where(MessageRow.session_id == session_id)
            if before is not None:
                query = query.where(MessageRow.seq < before)
            query = query.order_by(MessageRow.seq.desc()).limit(limit + 1)
            with Session(self.engine, expire_on_commit=False) as db:
                rows = list(db.execute(query).scalars())
            page = rows[:limit]
            page.reverse()
            return MessagePage(page, page[0].seq if len(rows) > limit else None)

        return await self._run(work)

    async def message(self, session_id: str, message_id: str) -> MessageRow | None:
        def work() -> MessageRow | None:
            with Session(self.engine, expire_on_commit=False) as db:
                row = db.get(MessageRow, message_id)
                return row if row is not None and row.session_id == session_id else None

        return await self._run(work)

    async def mark_interrupted(self, message_ids: list[str], shared: Mapping[str, str] | None = None) -> None:
        """Mark answers interrupted whose process is known to be dead, before their sessions'
        leases run out (the leases are left to do so: they are the one lock on a turn).

        ``shared`` holds the text an answer's learner was already sent (through Redis), kept
        as its content. Only answers still "streaming" are touched: a text its writer stored
        itself is never overwritten."""

        def work() -> None:
            with Session(self.writer) as db:
                _mark_interrupted(db, message_ids, shared)
                db.commit()

        await self._write(work)

    async def begin_turn(
        self, session_id: str, content: str, *, lease: timedelta, history_limit: int, max_messages: int
    ) -> TurnStart:
        """Store the learner's message and an empty answer, and take the session's turn lock.

        Returns the new answer's id and the last ``history_limit`` messages before
        it (oldest first): a turn never reads the whole history.
        Raises TurnInProgress or SessionFull, having stored nothing.

        On PostgreSQL its commit does not wait for the disk: the learner waited for that flush
        (3-10 ms here) before the model was called. The turn's ``finish_turn`` flushes it with the
        answer before its ``done``; a crash of the database server in between loses the message
        with the unfinished answer, as SQLite (``synchronous=NORMAL``) may on a power loss.
        There in one statement (``BEGIN_TURN_AT_ONCE``): see ``finish_turn``.
        """
        if self._postgres is not None:
            values, user_id, assistant_id = _begin_turn_values(session_id, content, lease, history_limit, max_messages)
            rows = await self._postgres.write_one(sql.BEGIN_TURN_AT_ONCE, values)
            if rows is not FALL_BACK:
                return _turn_started(rows.all(), session_id, user_id, assistant_id, max_messages)
        return await self._write_hot(
            lambda connection: _begin_turn(connection, session_id, content, lease, history_limit, max_messages))

    def prepare(self) -> None:
        """Rehearse a turn's statements once, in a transaction that is rolled back: SQLAlchemy
        compiles a statement the first time it runs, which cost the first turn of every
        process about 20 ms (half of it before the model was called). Nothing is stored."""
        self._rehearse(self.writer)
        if self._postgres is not None:  # compiles for psycopg's own connections
            self._postgres.compile_all()
        if self._loop_writer is not None:  # its own statement cache; it gives up when another process writes
            for attempt in range(50):
                try:
                    self._rehearse(self._loop_writer)
                    if (driver := self._on_driver()) is not None:  # compiles for the driver
                        driver.rehearse(_rehearsal)
                    break
                except (OperationalError, self._driver_errors) as exc:
                    if not is_busy(exc):
                        raise
                    time.sleep(0.02)

    def _rehearse(self, writer: Engine) -> None:
        with writer.connect() as connection:
            transaction = connection.begin()
            try:
                _rehearsal(connection)
            finally:
                transaction.rollback()

    async def finish_turn(self, session_id: str, assistant_id: str, outcome: TurnOutcome) -> None:
        """Store the answer with its honest status and release the session's lock.

        On PostgreSQL in one statement (``FINISH_TURN_AT_ONCE``): each round trip to the server
        cost the turn's thread a wake-up, about half a millisecond of CPU here."""
        if self._postgres is not None:
            statement, values = _finish_turn_at_once(session_id, assistant_id, outcome)
            if await self._postgres.write_one(statement, values) is not FALL_BACK:
                return
        await self._write_hot(lambda connection: _finish_turn(connection, session_id, assistant_id, outcome))

    async def record_conversation(self, language: str, history: Sequence[tuple[str, str]], question: str,
                                  covered: Sequence[str], answer_id: str, outcome: TurnOutcome,
                                  max_messages: int) -> tuple[str, str]:
        """Keep a conversation a client sent (a chat completion, when the operator turns storing on):
        a new session with its newest messages, the question and the answer; returns its id and token."""
        token = secrets.token_urlsafe(32)
        session_id = new_id()
        kept = [*history, ("user", question)][-(max_messages - 1):]

        def work() -> None:
            now = utcnow()
            with self.writer.begin() as connection:
                connection.execute(insert(SessionRow.__table__), [{
                    "id": session_id, "token_hash": hash_token(token), "language": language, "created_at": now,
                    "last_active_at": now, "message_count": len(kept) + 1, "covered": list(covered),
                    "summary": "", "summary_seq": 0}])
                rows = [_new_message(new_id(), session_id, seq, role, content, "complete", now, now)
                        for seq, (role, content) in enumerate(kept)]
                rows.append(_new_message(answer_id, session_id, len(kept), "assistant", "", "streaming", now, None))
                connection.execute(insert(MessageRow.__table__), rows)

        await self._write(work)
        await self.finish_turn(session_id, answer_id, outcome)
        return session_id, token

    async def add_daily_usage(self, outcome: TurnOutcome) -> None:
        """Count an answer that belongs to no stored session in the day's totals (the daily budgets)."""

        def work() -> None:
            with self.writer.begin() as connection:
                _add_daily_usage(connection, utcnow().date(), outcome)

        await self._write(work)

    async def session_usage(self, session_id: str) -> UsageTotals:
        """The session's answers' usage and cost, summed (one indexed aggregate)."""
        usage = MessageRow.input_tokens.is_not(None)
        query = select(
            func.count(MessageRow.input_tokens), func.sum(MessageRow.input_tokens),
            func.sum(MessageRow.output_tokens), func.sum(MessageRow.cached_input_tokens),
            func.sum(MessageRow.cache_write_input_tokens), func.sum(MessageRow.cost_pico_usd),
            func.count(case((usage & MessageRow.cost_pico_usd.is_(None), 1))),
        ).where(MessageRow.session_id == session_id, usage)

        def work() -> UsageTotals:
            with self.engine.connect() as connection:
                row = connection.execute(query).one()
            return UsageTotals(*(int(value or 0) for value in row))

        return await self._run(work)

    async def daily_usage(self, day: date) -> UsageTotals:
        """The whole service's usage on one UTC day (one row by its key)."""
        table = DailyUsage.__table__
        query = select(table.c.turns, table.c.input_tokens, table.c.output_tokens, table.c.cached_input_tokens,
                       table.c.cache_write_input_tokens, table.c.cost_pico_usd,
                       table.c.unpriced_turns).where(table.c.day == day)

        def work() -> UsageTotals:
            with self.engine.connect() as connection:
                row = connection.execute(query).first()
            return UsageTotals(*(int(value) for value in row)) if row else UsageTotals()

        return await self._run(work)

    async def save_summary(self, session_id: str, summary: str, covers_before_seq: int) -> bool:
        """Store a session's rolling summary, unless a newer one already covers more."""

        def work() -> bool:
            with self.writer.begin() as connection:
                saved = connection.execute(
                    update(SessionRow)
                    .where(SessionRow.id == session_id, SessionRow.summary_seq < covers_before_seq)
                    .values(summary=summary, summary_seq=covers_before_seq)
                )
                return saved.rowcount == 1

        return await self._write(work)

    async def renew_leases(self, message_ids: Sequence[str], lease: timedelta) -> None:
        """Extend the leases of the turns this process is writing: they are alive."""
        if not message_ids:
            return

        def work() -> None:
            with self.writer.begin() as connection:
                connection.execute(
                    update(SessionRow).where(SessionRow.active_turn.in_(list(message_ids)))
                    .values(active_until=utcnow() + lease))

        # Not queued behind the write lock: it is an asyncio lock of one event loop, and this
        # runs from a background task (SQLite's busy timeout orders the writers instead).
        await self._run(work)

    async def recover_interrupted(self, *, keep: Sequence[str] = (), orphans: bool = False,
                                  shared_text: SharedText | None = None) -> int:
        """Mark as interrupted the answers whose turn lease ran out: their process died.

        A turn that another process is writing has a lease it keeps renewing, so it is
        never touched, whichever process (a second server, ``tutor chat``) runs this.
        ``keep`` names this process's own turns. With ``orphans`` (at start-up) also
        answers left "streaming" that hold no session's lease at all. ``shared_text``
        gives the words of such an answer its learner was already sent (shared through
        Redis), kept as its text.
        """

        def candidates() -> list[tuple[str, str]]:
            # A plain read first: most of the time nothing has expired and nothing is written.
            with self.engine.connect() as connection:
                found = [(s, m) for s, m in connection.execute(
                    select(SessionRow.id, SessionRow.active_turn).where(
                        SessionRow.active_turn.is_not(None), SessionRow.active_until < utcnow())) if m not in keep]
                if orphans:
                    leased = select(SessionRow.active_turn).where(SessionRow.active_turn.is_not(None))
                    found += list(connection.execute(
                        select(MessageRow.session_id, MessageRow.id).where(
                            MessageRow.status == "streaming", MessageRow.id.not_in(leased))))
                return [(s, m) for s, m in found]

        def work(shared: dict[str, str]) -> int:
            now = utcnow()
            with Session(self.writer) as db:
                # Locked (PostgreSQL): a renewal cannot slip in between this read and the marking.
                expired = (select(SessionRow.active_turn)
                           .where(SessionRow.active_turn.is_not(None), SessionRow.active_until < now)
                           .with_for_update())
                dead = [turn for turn in db.execute(expired).scalars() if turn and turn not in keep]
                if orphans:
                    leased = select(SessionRow.active_turn).where(SessionRow.active_turn.is_not(None))
                    unleased = select(MessageRow.id).where(MessageRow.status == "streaming",
                                                           MessageRow.id.not_in(leased))
                    dead += [m for m in db.execute(unleased).scalars() if m not in dead]
                if not dead:
                    return 0
                _mark_interrupted(db, dead, shared)
                db.execute(
                    update(SessionRow).where(SessionRow.active_turn.in_(dead), SessionRow.active_until < now)
                    .values(active_turn=None, active_until=None)
                )
                db.commit()
                return len(dead)

        found = await self._run(candidates)
        if not orphans and not found:
            return 0
        shared: dict[str, str] = {}
        if shared_text is not None:
            try:
                for session_id, message_id in found:
                    if text := await shared_text(session_id, message_id):
                        shared[message_id] = text
            except Exception as exc:  # Redis unreachable: the answers still end, without their text
                log.warning("the text of %d cut answer(s) could not be read back: %s", len(found), exc)
        return await self._run(work, shared)  # not behind the write lock: see renew_leases

    async def count(self) -> dict[str, int]:
        def work() -> dict[str, int]:
            with Session(self.engine) as db:
                return {
                    "sessions": db.execute(select(func.count()).select_from(SessionRow)).scalar_one(),
                    "messages": db.execute(select(func.count()).select_from(MessageRow)).scalar_one(),
                }

        return await self._run(work)


def _rehearsal(connection: Connection | DriverConnection) -> None:
    """Every statement of a turn once, on a throwaway session (the caller rolls it back)."""
    session_id, now = new_id(), utcnow()
    outcome = TurnOutcome("", "complete", [], [], input_tokens=0, output_tokens=0, covered=("-",))
    connection.execute(sql.INSERT_SESSION, [{
        "id": session_id, "token_hash": "", "language": "ko", "created_at": now, "last_active_at": now,
        "message_count": 0, "covered": [], "summary": "", "summary_seq": 0}])
    connection.execute(sql.SESSION_BY_ID, {"p_session_id": session_id}).first()
    start = _begin_turn(connection, session_id, "", timedelta(seconds=1), 1, 4)
    _finish_turn(connection, session_id, start.assistant_id, outcome)
    _finish_turn(connection, session_id, start.assistant_id, replace(outcome, covered=()))
    if connection.dialect.name == "postgresql":
        values, user_id, assistant_id = _begin_turn_values(session_id, "", timedelta(seconds=-1), 1, 8)
        _turn_started(connection.execute(sql.BEGIN_TURN_AT_ONCE, values).all(), session_id, user_id, assistant_id, 8)
        for counted in (None, 0):
            for covered in ((), ("-",)):
                connection.execute(*_finish_turn_at_once(session_id, assistant_id,
                                                         replace(outcome, input_tokens=counted, covered=covered)))


def _session_row(found: Any) -> SessionRow | None:
    """``sql.SESSION_BY_ID``'s row read through a driver, built without validation (it is ours)."""
    return SessionRow.model_construct(**found._asdict()) if found is not None else None


def _in_transaction(engine: Engine, statements: Callable[[Connection], T]) -> T:
    with engine.begin() as connection:
        return statements(connection)


def _begin_turn(connection: Connection, session_id: str, content: str, lease: timedelta, history_limit: int,
                max_messages: int) -> TurnStart:
    """``Store.begin_turn``'s statements, in the caller's transaction."""
    now = utcnow()
    user_id, assistant_id = new_id(), new_id()
    session = connection.execute(sql.TURN_SESSION, {"p_session_id": session_id}).first()
    if session is None:
        raise LookupError(session_id)
    if session.message_count + 2 > max_messages:
        raise SessionFull(session_id)
    taken = connection.execute(sql.TAKE_TURN, {"p_session_id": session_id, "p_now": now,
                                               "p_assistant_id": assistant_id, "p_until": now + lease})
    if taken.rowcount != 1:
        raise TurnInProgress(session_id)
    # A lease that ran out means its turn died with its process.
    if session.active_turn:
        _mark_interrupted(connection, [session.active_turn])
    history = connection.execute(sql.RECENT_HISTORY, {
        "p_session_id": session_id, "p_from_seq": session.summary_seq, "p_limit": history_limit,
    }).all()
    seq = session.message_count
    connection.execute(sql.INSERT_MESSAGES, [
        _new_message(user_id, session_id, seq, "user", content, "complete", now, now),
        _new_message(assistant_id, session_id, seq + 1, "assistant", "", "streaming", now, None),
    ])
    return TurnStart(user_id, assistant_id, list(session.covered), [PastMessage(*row) for row in reversed(history)],
                     session.summary, session.summary_seq)


def _begin_turn_values(session_id: str, content: str, lease: timedelta, history_limit: int,
                       max_messages: int) -> tuple[dict[str, Any], str, str]:
    """``sql.BEGIN_TURN_AT_ONCE``'s parameters (``_begin_turn``'s statements as one, on PostgreSQL),
    with the new message's and answer's ids."""
    now = utcnow()
    user_id, assistant_id = new_id(), new_id()
    values = {"p_session_id": session_id, "p_assistant_id": assistant_id, "p_user_id": user_id, "p_content": content,
              "p_now": now, "p_until": now + lease, "p_max_messages": max_messages, "p_limit": history_limit}
    return values, user_id, assistant_id


def _turn_started(rows: list[Any], session_id: str, user_id: str, assistant_id: str, max_messages: int) -> TurnStart:
    """What ``sql.BEGIN_TURN_AT_ONCE``'s rows say: the turn's start, or ``_begin_turn``'s errors
    (then nothing was stored)."""
    if not rows:
        raise LookupError(session_id)
    session = rows[0]
    if not session.taken:
        if session.message_count + 2 > max_messages:
            raise SessionFull(session_id)
        raise TurnInProgress(session_id)
    history = [PastMessage(row.role, row.content, row.status, row.seq, row.activity, row.quiz, row.topic)
               for row in reversed(rows) if row.seq is not None]
    return TurnStart(user_id, assistant_id, list(session.covered), history, session.summary, session.summary_seq)


def _finish_turn(connection: Connection, session_id: str, assistant_id: str, outcome: TurnOutcome) -> None:
    """``Store.finish_turn``'s statements, in the caller's transaction."""
    now = utcnow()
    connection.execute(sql.FINISH_MESSAGE, _finished_values(assistant_id, outcome, now))
    if outcome.input_tokens is not None:
        _add_daily_usage(connection, now.date(), outcome)
    release: dict[str, Any] = {"p_session_id": session_id, "p_message_id": assistant_id, "p_now": now}
    statement = sql.RELEASE_TURN
    if outcome.covered:
        covered = connection.execute(sql.SESSION_COVERED, {"p_session_id": session_id}).scalar()
        if covered is not None:
            statement = sql.RELEASE_TURN_COVERED
            release["p_covered"] = covered + [p for p in outcome.covered if p not in covered]
    connection.execute(statement, release)


def _finish_turn_at_once(session_id: str, assistant_id: str, outcome: TurnOutcome) -> tuple[Any, dict[str, Any]]:
    """``_finish_turn``'s statements as one, on PostgreSQL (``sql.FINISH_TURN_AT_ONCE``), and its parameters."""
    now = utcnow()
    counted, covered = outcome.input_tokens is not None, bool(outcome.covered)
    values = _finished_values(assistant_id, outcome, now)
    values |= {"p_session_id": session_id, "p_now": now}
    if counted:
        values |= {sql.DAILY_PREFIX + name.removeprefix("p_"): value
                   for name, value in _daily_values(now.date(), outcome).items()}
    if covered:
        values["p_covered"] = list(outcome.covered)
    return sql.FINISH_TURN_AT_ONCE[(counted, covered)], values


def _new_message(message_id: str, session_id: str, seq: int, role: str, content: str, status: str,
                 created: datetime, completed: datetime | None) -> dict[str, Any]:
    return {"id": message_id, "session_id": session_id, "seq": seq, "role": role, "content": content,
            "sources": [], "suggestions": [], "status": status, "created_at": created, "completed_at": completed}


def _finished_values(assistant_id: str, outcome: TurnOutcome, now: datetime) -> dict[str, Any]:
    """``sql.FINISH_MESSAGE``'s parameters: the answer as it ended."""
    return {
        "p_message_id": assistant_id, "p_content": outcome.content, "p_status": outcome.status,
        "p_sources": outcome.sources, "p_suggestions": outcome.suggestions,
        "p_provider": outcome.provider, "p_model": outcome.model,
        "p_input_tokens": outcome.input_tokens, "p_output_tokens": outcome.output_tokens,
        "p_cached_input_tokens": outcome.cached_input_tokens,
        "p_cache_write_input_tokens": outcome.cache_write_input_tokens,
        "p_cost_pico_usd": outcome.cost_pico_usd, "p_error_code": outcome.error_code,
        "p_activity": outcome.activity, "p_quiz": outcome.quiz, "p_completed_at": now,
    }


def _add_daily_usage(connection: Connection, day: date, outcome: TurnOutcome) -> None:
    """Add one turn to its day's totals: an upsert, so concurrent processes never lose a turn."""
    connection.execute(sql.add_daily_usage(connection.dialect.name), _daily_values(day, outcome))


def _daily_values(day: date, outcome: TurnOutcome) -> dict[str, Any]:
    """``sql.add_daily_usage``'s parameters: one turn's counts."""
    return {
        "p_day": day, "p_turns": 1, "p_input_tokens": outcome.input_tokens or 0,
        "p_output_tokens": outcome.output_tokens or 0, "p_cached_input_tokens": outcome.cached_input_tokens or 0,
        "p_cache_write_input_tokens": outcome.cache_write_input_tokens or 0,
        "p_cost_pico_usd": outcome.cost_pico_usd or 0, "p_unpriced_turns": int(outcome.cost_pico_usd is None),
    }


def as_utc(moment: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _mark_interrupted(db: Session | Connection, message_ids: list[str],
                      shared: Mapping[str, str] | None = None) -> None:
    shared = shared or {}
    ended = {"status": "interrupted", "error_code": "server_restarted", "completed_at": datetime.now(timezone.utc)}
    if bare := [m for m in message_ids if not shared.get(m)]:
        db.execute(update(MessageRow).where(MessageRow.id.in_(bare), MessageRow.status == "streaming")
                   .values(**ended))
    for message_id in message_ids:
        if shared.get(message_id):
            db.execute(update(MessageRow).where(MessageRow.id == message_id, MessageRow.status == "streaming")
                       .values(content=shared[message_id], **ended))
