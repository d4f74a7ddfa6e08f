"""Database engines and schema migration.

SQLite gets WAL, a busy timeout and foreign keys on every connection, so many
streaming sessions can write at once without "database is locked".
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from tutor.config import PROJECT_ROOT

from .models import SCHEMA_REVISION

log = logging.getLogger("tutor")

SQLITE_BUSY_TIMEOUT_MS = 10_000
EXAMPLES = "sqlite:///path/to/tutor.db or postgresql://user:password@host:5432/name"


class DatabaseUnusable(Exception):
    """The configured database cannot be used; the message says why (never with a password)."""


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnusable(f"TUTOR_DATABASE_URL is not a database URL; use {EXAMPLES}") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql", "postgres"):
        raise DatabaseUnusable(f"TUTOR_DATABASE_URL names an unsupported database "
                               f"{parsed.get_backend_name()!r}; use {EXAMPLES}")
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for SQLite or PostgreSQL; DatabaseUnusable for a URL we cannot use."""
    parsed = _parse(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                _private_file(Path(parsed.database))
            engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                pool_size=8, max_overflow=16,
            )
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
    except (NoSuchModuleError, ImportError):
        raise DatabaseUnusable(
            f"TUTOR_DATABASE_URL asks for the driver {parsed.drivername!r}, which is not installed; "
            f"use {EXAMPLES} (psycopg is included)") from None
    except OSError as exc:
        raise DatabaseUnusable(f"TUTOR_DATABASE_URL: cannot create the folder for "
                               f"{parsed.database}: {exc.strerror}") from None


def check_database(engine: Engine) -> None:
    """Connect once, so that an unreachable server or a refused login is said at start-up."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        reason = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnusable(f"cannot use the database {where} (TUTOR_DATABASE_URL): {reason}") from None


def _private_file(path: Path) -> None:
    """The database holds learners' conversations: readable by the service's user only.

    The file is created 0600 before SQLite opens it (SQLite gives its -wal and
    -shm files the database's permissions); files left by an older version
    lose their group and other permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.stat().st_uid == os.getuid() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except FileNotFoundError:
            pass


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event decide when a transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _loop_pragmas(dbapi_connection, record) -> None:
    """A connection used on the event loop's own thread: it never waits for another
    process's lock (SQLite's busy handler would sleep with the whole loop), and it
    leaves checkpoints, which write and sync the database file, to a worker thread."""
    _sqlite_pragmas(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def loop_engine(engine: Engine) -> Engine | None:
    """For a SQLite file, a small second engine on the same file whose statements run on the
    event loop itself (see ``Store``); None for PostgreSQL and in-memory databases."""
    if engine.url.get_backend_name() != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    loop = create_engine(engine.url, connect_args={"check_same_thread": False, "timeout": 0},
                         pool_size=1, max_overflow=8)
    event.listen(loop, "connect", _loop_pragmas)
    event.listen(loop, "begin", _sqlite_begin)
    return loop


def loop_reader(loop: Engine):
    """A connection of the SQLite driver itself on the loop engine's file, with the loop engine's
    own arguments and pragmas, for a turn's statements (see ``tutor.store.driver``)."""
    dialect = loop.dialect
    cargs, cparams = dialect.create_connect_args(loop.url)
    cparams.update(check_same_thread=False, timeout=0)
    connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
    _loop_pragmas(connection, None)
    return connection


def is_busy(exc: BaseException) -> bool:
    """SQLite said another connection holds the lock it needs (SQLITE_BUSY or SQLITE_LOCKED)."""
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy's error wraps the driver's
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (5, 6)
    text = str(orig or exc).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text


WRITE_OPTION = "sqlite_write"


def _sqlite_begin(connection) -> None:
    # Writers take the write lock at BEGIN: a read that later upgrades to a write
    # is what makes SQLite answer "database is locked" despite the busy timeout.
    # Readers begin deferred, so in WAL mode they never wait for a writer.
    immediate = connection.get_execution_options().get(WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def for_writing(engine: Engine) -> Engine:
    """The same engine (and pool), marked so that its transactions are writers."""
    return engine.execution_options(**{WRITE_OPTION: True})


def alembic_config(url: str):
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent).

    A database already at the models' revision is left alone without loading
    Alembic at all, which keeps the service's start-up fast.
    """
    current = current_revision(engine)
    if current == SCHEMA_REVISION:
        return
    from alembic import command

    log.info("bringing the database schema from %s to %s", current or "nothing", SCHEMA_REVISION)

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
