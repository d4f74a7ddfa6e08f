"""The schema comes from the migration, and conversations outlive the process."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from tests.conftest import throwaway_postgres_database
from tutor.store import Store, TurnInProgress, TurnOutcome, hash_token, make_engine, migrate


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """The same queries on SQLite and on a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with throwaway_postgres_database() as name:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"


def test_the_migration_builds_the_schema_on_an_empty_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(engine)
    migrate(engine)  # idempotent
    tables = set(inspect(engine).get_table_names())
    assert {"sessions", "messages", "alembic_version"} <= tables
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_the_models_name_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from tutor.store.engine import alembic_config
    from tutor.store.models import SCHEMA_REVISION

    assert ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() == SCHEMA_REVISION


async def test_tokens_are_stored_only_as_hashes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    store = Store(engine)
    row, token = await store.create_session("ko")
    assert len(token) >= 40  # 256 bits, url-safe
    raw = (tmp_path / "t.db").read_bytes() + (tmp_path / "t.db-wal").read_bytes()
    assert token.encode() not in raw
    assert row.token_hash == hash_token(token)
    assert await store.authenticate(row.id, token) is not None
    assert await store.authenticate(row.id, token[:-1]) is None


async def test_a_session_survives_a_new_engine(database_url: str) -> None:
    url = database_url
    engine = make_engine(url)
    migrate(engine)
    store = Store(engine)
    row, token = await store.create_session("ko")
    start = await store.begin_turn(row.id, "안녕하세요", lease=timedelta(minutes=1), history_limit=10,
                                     max_messages=10)
    await store.finish_turn(row.id, start.assistant_id,
                            TurnOutcome("반가워요", "complete", [], [], covered=["intro.why-distinguish"]))
    engine.dispose()

    again = Store(make_engine(url))
    migrate(again.engine)
    session = await again.authenticate(row.id, token)
    assert session is not None and session.covered == ["intro.why-distinguish"]
    assert [(m.role, m.content, m.status) for m in await again.messages(row.id)] == [
        ("user", "안녕하세요", "complete"), ("assistant", "반가워요", "complete")]


async def test_one_turn_at_a_time_and_a_dead_turn_is_recovered(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    store = Store(engine)
    row, _ = await store.create_session("ko")
    await store.begin_turn(row.id, "하나", lease=timedelta(seconds=1), history_limit=10, max_messages=10)
    with pytest.raises(TurnInProgress):
        await store.begin_turn(row.id, "둘", lease=timedelta(seconds=1), history_limit=10, max_messages=10)
    # Another process starting now must not touch an answer whose lease is still running.
    assert await store.recover_interrupted(orphans=True) == 0
    assert [m.status for m in await store.messages(row.id)] == ["complete", "streaming"]
    # The writer "dies": nobody renews the lease; once it has run out, any process recovers it.
    await asyncio.sleep(1.2)
    assert await store.recover_interrupted() == 1
    statuses = [m.status for m in await store.messages(row.id)]
    assert statuses == ["complete", "interrupted"]
    await store.begin_turn(row.id, "둘", lease=timedelta(minutes=1), history_limit=10, max_messages=10)


async def test_a_turn_whose_lease_ran_out_is_taken_over_by_the_next_message(database_url: str) -> None:
    """A learner whose answer died with its process (nobody recovered it) asks again once the lease
    has run out: the new turn starts, and the dead answer is stored as interrupted."""
    engine = make_engine(database_url)
    migrate(engine)
    store = Store(engine)
    store.prepare()
    row, _ = await store.create_session("ko")
    await store.begin_turn(row.id, "하나", lease=timedelta(seconds=0.3), history_limit=10, max_messages=10)
    await asyncio.sleep(0.5)
    start = await store.begin_turn(row.id, "둘", lease=timedelta(minutes=1), history_limit=10, max_messages=10)
    await store.finish_turn(row.id, start.assistant_id, TurnOutcome("네", "complete", [], []))
    messages = await store.messages(row.id)
    assert [(m.content, m.status) for m in messages] == [
        ("하나", "complete"), ("", "interrupted"), ("둘", "complete"), ("네", "complete")]
    assert messages[1].error_code == "server_restarted"
    store.dispose()


async def test_a_renewed_lease_keeps_its_turn_alive(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    store = Store(engine)
    row, _ = await store.create_session("ko")
    start = await store.begin_turn(row.id, "하나", lease=timedelta(seconds=1), history_limit=10, max_messages=10)
    for _ in range(3):
        await asyncio.sleep(0.5)
        await store.renew_leases([start.assistant_id], timedelta(seconds=1))
        assert await store.recover_interrupted() == 0
    with pytest.raises(TurnInProgress):
        await store.begin_turn(row.id, "둘", lease=timedelta(seconds=1), history_limit=10, max_messages=10)
    # Its own process never recovers a turn it is still writing, even one whose renewal came late.
    await asyncio.sleep(1.2)
    assert await store.recover_interrupted(keep=[start.assistant_id]) == 0
    assert [m.status for m in await store.messages(row.id)] == ["complete", "streaming"]


async def test_a_turn_reads_only_recent_history(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    store = Store(engine)
    row, _ = await store.create_session("ko")
    for n in range(30):
        start = await store.begin_turn(row.id, f"질문 {n}", lease=timedelta(minutes=1),
                                       history_limit=6, max_messages=1000)
        await store.finish_turn(row.id, start.assistant_id, TurnOutcome(f"답 {n}", "complete", [], []))
    assert len(start.history) == 6
    assert start.history[-1].content == "답 28" and start.history[0].content == "질문 26"


async def test_idle_sessions_are_purged_with_their_messages(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    store = Store(engine)
    row, _ = await store.create_session("ko")
    await store.begin_turn(row.id, "하나", lease=timedelta(minutes=1), history_limit=10, max_messages=10)
    assert await store.purge_idle(timedelta(days=1)) == 0
    assert await store.purge_idle(timedelta(seconds=-1)) == 1
    assert await store.count() == {"sessions": 0, "messages": 0}
    engine.dispose()


async def test_rehearsing_a_turn_at_start_up_stores_nothing(database_url: str) -> None:
    from datetime import date

    engine = make_engine(database_url)
    migrate(engine)
    store = Store(engine)
    store.prepare()
    store.prepare()  # every worker does it; nothing of the first is left for the second to trip on
    assert await store.count() == {"sessions": 0, "messages": 0}
    assert (await store.daily_usage(date.today())).turns == 0
    row, _ = await store.create_session("ko")
    start = await store.begin_turn(row.id, "하나", lease=timedelta(minutes=1), history_limit=10, max_messages=10)
    await store.finish_turn(row.id, start.assistant_id, TurnOutcome("답", "complete", [], [], covered=("p1",)))
    assert [m.status for m in await store.messages(row.id)] == ["complete", "complete"]
    engine.dispose()


async def test_a_turn_on_sqlite_never_waits_for_another_process_on_the_event_loop(tmp_path: Path) -> None:
    """The turn's statements run on the event loop, but a lock held elsewhere (another worker)
    does not stall the loop: the work moves to a thread, which waits for the lock as usual."""
    import sqlite3

    path = tmp_path / "busy.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    store = Store(engine)
    assert store.loop_engine is not None
    store.prepare()
    row, token = await store.create_session("ko")
    lease = timedelta(minutes=1)
    first = await store.begin_turn(row.id, "하나", lease=lease, history_limit=10, max_messages=20)
    await store.finish_turn(row.id, first.assistant_id, TurnOutcome("답", "complete", [], []))

    other = sqlite3.connect(path, isolation_level=None)  # another process's writer, holding the lock
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def release() -> None:
        await asyncio.sleep(0.3)
        other.execute("COMMIT")

    ticking = asyncio.create_task(ticker())
    releasing = asyncio.create_task(release())
    try:
        second = await store.begin_turn(row.id, "둘", lease=lease, history_limit=10, max_messages=20)
        await store.finish_turn(row.id, second.assistant_id, TurnOutcome("답 둘", "complete", [], []))
        assert await store.authenticate(row.id, token) is not None
    finally:
        await releasing
        ticking.cancel()
        other.close()
    assert ticks >= 10  # the loop went on while the thread waited for the lock
    messages = await store.messages(row.id)
    assert [(m.role, m.content, m.status) for m in messages] == [
        ("user", "하나", "complete"), ("assistant", "답", "complete"),
        ("user", "둘", "complete"), ("assistant", "답 둘", "complete")]
    store.dispose()


async def test_the_write_ahead_log_is_folded_back_from_a_thread(tmp_path: Path, monkeypatch) -> None:
    """The loop's connection never checkpoints (that writes and syncs the file); a thread does,
    every CHECKPOINT_EVERY writes on the loop."""
    from tutor.store import repository

    monkeypatch.setattr(repository, "CHECKPOINT_EVERY", 4)
    path = tmp_path / "wal.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    store = Store(engine)
    row, _ = await store.create_session("ko")
    folded: list[None] = []
    fold = store._fold_wal

    async def counted() -> None:
        folded.append(None)
        await fold()

    monkeypatch.setattr(store, "_fold_wal", counted)
    for n in range(4):
        start = await store.begin_turn(row.id, f"질문 {n}", lease=timedelta(minutes=1), history_limit=10,
                                       max_messages=40)
        await store.finish_turn(row.id, start.assistant_id, TurnOutcome("답", "complete", [], []))
        if store._checkpoint is not None:
            await store._checkpoint
    assert len(folded) == 2  # 8 writes on the loop
    with store.loop_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    store.dispose()


async def test_the_token_check_on_the_event_loop_reads_the_row_sqlalchemy_reads(tmp_path: Path) -> None:
    """On SQLite the token check reads its session through the driver itself: every field is what
    the SQLAlchemy statement gives (times, the JSON list, a held turn's lease), it sees what another
    connection committed a moment before, and a database it cannot read falls back to the usual way."""
    from tutor.store import statements as sql

    engine = make_engine(f"sqlite:///{tmp_path / 'reader.db'}")
    migrate(engine)
    store = Store(engine)
    row, token = await store.create_session("en")
    lease = timedelta(minutes=1)
    first = await store.begin_turn(row.id, "one", lease=lease, history_limit=10, max_messages=20)
    await store.finish_turn(row.id, first.assistant_id,
                            TurnOutcome("answer", "complete", [], [], covered=["intro.1", "gan.2"]))
    await store.begin_turn(row.id, "two", lease=lease, history_limit=10, max_messages=20)  # holds the lease

    fast = await store.authenticate(row.id, token)
    assert store._driver is not None  # read through the driver
    with engine.connect() as connection:
        found = connection.execute(sql.SESSION_BY_ID, {"p_session_id": row.id}).first()
    assert fast is not None and dict(fast) == dict(found._mapping)
    assert fast.covered == ["intro.1", "gan.2"] and fast.active_until is not None
    assert type(fast.last_active_at) is type(found.last_active_at)

    assert await store.authenticate(row.id, "wrong") is None
    assert await store.authenticate("no-such-session", token) is None
    with engine.begin() as connection:  # another connection's change is seen at once
        connection.execute(text("UPDATE sessions SET language = 'ko' WHERE id = :id"), {"id": row.id})
    assert (await store.authenticate(row.id, token)).language == "ko"

    store._driver.close()  # a connection that fails is dropped, and the read done the usual way
    assert (await store.authenticate(row.id, token)).id == row.id
    assert store._driver is None
    assert (await store.authenticate(row.id, token)).id == row.id
    assert store._driver is not None
    store.dispose()
    assert store._driver is None


async def test_a_turn_through_the_driver_reads_and_writes_what_sqlalchemy_does(tmp_path: Path) -> None:
    """On SQLite a turn's statements run through the driver on the event loop: the turn start it
    reads (history with quizzes, activities and topics, the summary, covered passages) and the rows
    it writes (the answer, the session's lease and covered list, the day's usage) are the ones the
    same statements give and write through SQLAlchemy; a connection that fails is replaced."""
    from datetime import date

    from sqlalchemy import Engine

    from tutor.store.repository import _begin_turn, _finish_turn

    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'driver.db'}")
    migrate(engine)
    store = Store(engine)
    store.prepare()
    row, _ = await store.create_session("ko")
    lease = timedelta(minutes=1)
    sources = [{"id": "gan.1", "title": "GAN", "text": "생성자와 판별자"}, {"id": "intro.2", "title": "t", "text": "x"}]
    outcomes = [
        TurnOutcome("GAN은 …", "complete", sources, ["더 알려줘"], provider="openai", model="m", input_tokens=120,
                    output_tokens=30, cached_input_tokens=10, cost_pico_usd=12345, covered=("gan.1", "intro.2"),
                    activity="answer"),
        TurnOutcome("퀴즈예요", "complete", [], [], activity="quiz", quiz={"question": "Q?", "answer": "A"}),
        TurnOutcome("끊긴 답", "interrupted", [], [], error_code="cancelled"),
    ]
    for n, outcome in enumerate(outcomes):
        start = await store.begin_turn(row.id, f"질문 {n}", lease=lease, history_limit=10, max_messages=40)
        await store.finish_turn(row.id, start.assistant_id, outcome)
    await store.save_summary(row.id, "요약", 1)
    assert store._driver is not None

    def raw(table: str, key: str, value: object) -> dict:
        with engine.connect() as connection:
            found = connection.exec_driver_sql(f"SELECT * FROM {table} WHERE {key} = ?", (value,)).mappings().first()
            return dict(found)

    def with_sqlalchemy(work):
        """``work`` through SQLAlchemy's connection, with what it wrote read back, then rolled back."""
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                return work(connection)
            finally:
                transaction.rollback()

    expected = with_sqlalchemy(lambda c: _begin_turn(c, row.id, "다음", lease, 10, 40))
    start = await store.begin_turn(row.id, "다음", lease=lease, history_limit=10, max_messages=40)
    assert (start.covered, start.history, start.summary, start.summary_seq) == (
        expected.covered, expected.history, expected.summary, expected.summary_seq)
    assert [m.topic for m in start.history if m.role == "assistant"] == ["gan.1", None, None]
    assert start.history[-3].quiz == {"question": "Q?", "answer": "A"}

    last = TurnOutcome("끝", "complete", sources, ["또"], provider="openai", model="m", input_tokens=7,
                       output_tokens=3, cost_pico_usd=None, covered=("gan.1", "new.1"), activity="answer",
                       quiz={"correct": True})

    def finish_through_sqlalchemy(connection) -> tuple[dict, dict, dict]:
        _finish_turn(connection, row.id, start.assistant_id, last)
        found = [dict(connection.exec_driver_sql(f"SELECT * FROM {table} WHERE {key} = ?", (value,)).mappings().first())
                 for table, key, value in (("messages", "id", start.assistant_id), ("sessions", "id", row.id),
                                           ("daily_usage", "day", date.today().isoformat()))]
        return tuple(found)

    message, session, usage = with_sqlalchemy(finish_through_sqlalchemy)
    await store.finish_turn(row.id, start.assistant_id, last)
    times = {"completed_at", "last_active_at"}
    for table, key, value, before in (("messages", "id", start.assistant_id, message), ("sessions", "id", row.id, session),
                                      ("daily_usage", "day", date.today().isoformat(), usage)):
        after = raw(table, key, value)
        assert {k: v for k, v in after.items() if k not in times} == {k: v for k, v in before.items() if k not in times}
        for name in times & after.keys():  # written in the same format, a moment later
            assert len(after[name]) == len(before[name]) and after[name] >= before[name]
    assert session["covered"] == '["gan.1", "intro.2", "new.1"]' and session["active_turn"] is None

    store._driver.close()  # a connection that fails is dropped and the turn goes the usual way
    again = await store.begin_turn(row.id, "또", lease=lease, history_limit=10, max_messages=40)
    assert store._driver is None
    await store.finish_turn(row.id, again.assistant_id, TurnOutcome("네", "complete", [], []))
    assert store._driver is not None
    assert [m.status for m in await store.messages(row.id)][-2:] == ["complete", "complete"]
    store.dispose()


@pytest.mark.postgres
async def test_a_turn_on_postgresql_through_psycopg_reads_and_writes_what_sqlalchemy_does(postgres_url: str) -> None:
    """On PostgreSQL a turn's statements (the token check, begin_turn, finish_turn) run through
    psycopg's own connections: the session row, the turn start and the rows written are the ones
    the same statements give and write through SQLAlchemy; a connection that is lost is dropped
    and the turn goes through SQLAlchemy, and a statement the turn did not prepare is done there too."""
    from datetime import date

    from tutor.store import statements as sql
    from tutor.store.repository import _begin_turn, _finish_turn

    engine = make_engine(postgres_url)
    migrate(engine)
    store = Store(engine)
    store.prepare()
    row, token = await store.create_session("ko")
    lease = timedelta(minutes=1)
    sources = [{"id": "gan.1", "title": "GAN", "text": "생성자와 판별자"}, {"id": "intro.2", "title": "t", "text": "x"}]
    outcomes = [
        TurnOutcome("GAN은 …", "complete", sources, ["더 알려줘"], provider="openai", model="m", input_tokens=120,
                    output_tokens=30, cached_input_tokens=10, cost_pico_usd=12345, covered=("gan.1", "intro.2"),
                    activity="answer"),
        TurnOutcome("퀴즈예요", "complete", [], [], activity="quiz", quiz={"question": "Q?", "answer": "A"}),
        TurnOutcome("끊긴 답", "interrupted", [], [], error_code="cancelled"),
    ]
    for n, outcome in enumerate(outcomes):
        start = await store.begin_turn(row.id, f"질문 {n}", lease=lease, history_limit=10, max_messages=40)
        await store.finish_turn(row.id, start.assistant_id, outcome)
    await store.save_summary(row.id, "요약", 1)
    drivers = store._postgres
    assert drivers is not None and drivers._open >= 1  # the turns went through psycopg's own connections

    fast = await store.authenticate(row.id, token)
    with engine.connect() as connection:
        found = connection.execute(sql.SESSION_BY_ID, {"p_session_id": row.id}).first()
    assert fast is not None and dict(fast) == dict(found._mapping)
    assert fast.covered == ["gan.1", "intro.2"] and fast.last_active_at.tzinfo is not None
    assert await store.authenticate(row.id, "wrong") is None
    assert await store.authenticate("no-such-session", token) is None

    def raw(table: str, key: str, value: object) -> dict:
        with engine.connect() as connection:
            return dict(connection.exec_driver_sql(f"SELECT * FROM {table} WHERE {key} = %(v)s",
                                                   {"v": value}).mappings().first())

    def with_sqlalchemy(work):
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                return work(connection)
            finally:
                transaction.rollback()

    expected = with_sqlalchemy(lambda c: _begin_turn(c, row.id, "다음", lease, 10, 40))
    start = await store.begin_turn(row.id, "다음", lease=lease, history_limit=10, max_messages=40)
    assert (start.covered, start.history, start.summary, start.summary_seq) == (
        expected.covered, expected.history, expected.summary, expected.summary_seq)
    assert [m.topic for m in start.history if m.role == "assistant"] == ["gan.1", None, None]
    assert start.history[-3].quiz == {"question": "Q?", "answer": "A"}
    with pytest.raises(TurnInProgress):  # the lease is held: refused, nothing stored
        await store.begin_turn(row.id, "또 다음", lease=lease, history_limit=10, max_messages=40)

    last = TurnOutcome("끝", "complete", sources, ["또"], provider="openai", model="m", input_tokens=7,
                       output_tokens=3, cost_pico_usd=None, covered=("gan.1", "new.1"), activity="answer",
                       quiz={"correct": True})

    def finish_through_sqlalchemy(connection) -> tuple[dict, ...]:
        _finish_turn(connection, row.id, start.assistant_id, last)
        return tuple(dict(connection.exec_driver_sql(f"SELECT * FROM {table} WHERE {key} = %(v)s",
                                                     {"v": value}).mappings().first())
                     for table, key, value in (("messages", "id", start.assistant_id), ("sessions", "id", row.id),
                                               ("daily_usage", "day", date.today())))

    before_rows = with_sqlalchemy(finish_through_sqlalchemy)
    await store.finish_turn(row.id, start.assistant_id, last)
    times = {"completed_at", "last_active_at"}
    for (table, key, value), before in zip((("messages", "id", start.assistant_id), ("sessions", "id", row.id),
                                            ("daily_usage", "day", date.today())), before_rows):
        after = raw(table, key, value)
        assert {k: v for k, v in after.items() if k not in times} == {k: v for k, v in before.items() if k not in times}
    session = raw("sessions", "id", row.id)
    assert session["covered"] == ["gan.1", "intro.2", "new.1"] and session["active_turn"] is None

    for connection in drivers._idle:  # connections lost (a restarted server): the turn still goes through
        await connection.raw.close()
    again = await store.begin_turn(row.id, "또", lease=lease, history_limit=10, max_messages=40)
    await store.finish_turn(row.id, again.assistant_id, TurnOutcome("네", "complete", [], []))
    assert [m.status for m in await store.messages(row.id)][-2:] == ["complete", "complete"]
    assert (await store.authenticate(row.id, token)).message_count == 10  # the refused turn stored nothing
    store.dispose()
    assert drivers._open == 0


@pytest.mark.postgres
async def test_on_postgresql_a_turn_starts_and_ends_in_one_statement_each(postgres_url: str, monkeypatch) -> None:
    """begin_turn and finish_turn are one statement each on PostgreSQL (no BEGIN and COMMIT of their
    own), with what the statements one by one did: a lapsed lease's answer is interrupted and read
    back so, a full session is refused, and a connection the server ended while idle (a restarted
    server) sends nothing: the turn goes through another."""
    import psycopg

    from tutor.store import SessionFull
    from tutor.store.driver import PostgresOnLoop

    engine = make_engine(postgres_url)
    migrate(engine)
    store = Store(engine)
    store.prepare()
    statements: list[str] = []
    run = PostgresOnLoop._shielded
    monkeypatch.setattr(PostgresOnLoop, "_shielded", lambda self, statement, params, write: (
        statements.append(type(statement).__name__), run(self, statement, params, write))[1])
    row, token = await store.create_session("ko")
    first = await store.begin_turn(row.id, "하나", lease=timedelta(seconds=0.3), history_limit=10, max_messages=6)
    assert statements == ["TextualSelect"]
    await asyncio.sleep(0.5)  # its process died: the lease runs out
    start = await store.begin_turn(row.id, "둘", lease=timedelta(minutes=1), history_limit=10, max_messages=6)
    assert [(m.content, m.status) for m in start.history] == [("하나", "complete"), ("", "interrupted")]
    statements.clear()
    await store.finish_turn(row.id, start.assistant_id, TurnOutcome(
        "네", "complete", [{"id": "gan.1"}], [], input_tokens=5, output_tokens=2, covered=("gan.1", "intro.2")))
    assert statements == ["Update"]
    messages = await store.messages(row.id)
    assert [(m.content, m.status) for m in messages] == [
        ("하나", "complete"), ("", "interrupted"), ("둘", "complete"), ("네", "complete")]
    assert messages[1].id == first.assistant_id and messages[1].error_code == "server_restarted"
    assert (await store.session_usage(row.id)).input_tokens == 5
    last = await store.begin_turn(row.id, "셋", lease=timedelta(minutes=1), history_limit=10, max_messages=6)
    assert last.covered == ["gan.1", "intro.2"]
    with pytest.raises(TurnInProgress):
        await store.begin_turn(row.id, "넷", lease=timedelta(minutes=1), history_limit=10, max_messages=8)
    await store.finish_turn(row.id, last.assistant_id, TurnOutcome("응", "complete", [], [], covered=("new.1", "gan.1")))
    with pytest.raises(SessionFull):
        await store.begin_turn(row.id, "넷", lease=timedelta(minutes=1), history_limit=10, max_messages=6)
    with pytest.raises(LookupError):
        await store.begin_turn("no-such-session", "넷", lease=timedelta(minutes=1), history_limit=10, max_messages=6)
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        for connection in store._postgres._idle:
            admin.execute("SELECT pg_terminate_backend(%s)", (connection.raw.info.backend_pid,))
    await asyncio.sleep(0.2)
    again = await store.begin_turn(row.id, "넷", lease=timedelta(minutes=1), history_limit=10, max_messages=10)
    await store.finish_turn(row.id, again.assistant_id, TurnOutcome("끝", "complete", [], []))
    assert [m.status for m in await store.messages(row.id)][-2:] == ["complete", "complete"]
    assert (await store.authenticate(row.id, token)).covered == ["gan.1", "intro.2", "new.1"]
    store.dispose()
