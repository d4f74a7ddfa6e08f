"""The statements of a turn's hot path, built once with bound parameters.

Why: SQLAlchemy builds, checks and keys a statement every time one is
written inline; for the few statements every turn runs (the token check,
``begin_turn``, ``finish_turn``) that cost several milliseconds of CPU per
turn, more than the database's own work. A statement built once at import
keeps its cache key, so each run only binds values to an already compiled
statement. Parameter names start with ``p_``: names of the columns being set
are reserved by SQLAlchemy.
"""

from __future__ import annotations

from sqlalchemy import Integer, bindparam, case, insert, select, update

from .models import DailyUsage, MessageRow, SessionRow

_sessions = SessionRow.__table__
_messages = MessageRow.__table__
_daily = DailyUsage.__table__


def _p(name: str, column) -> object:
    """A bound parameter typed like ``column`` (JSON and datetimes are converted as the column does)."""
    return bindparam(f"p_{name}", type_=column.type)


INSERT_SESSION = insert(_sessions)

SESSION_BY_ID = select(_sessions).where(_sessions.c.id == bindparam("p_session_id"))

TURN_SESSION = select(
    _sessions.c.message_count, _sessions.c.active_turn, _sessions.c.covered, _sessions.c.summary,
    _sessions.c.summary_seq,
).where(_sessions.c.id == bindparam("p_session_id"))

# The session's turn lease is taken only if nobody holds it, or its holder's lease ran out.
TAKE_TURN = (
    update(_sessions)
    .where(_sessions.c.id == bindparam("p_session_id"),
           _sessions.c.active_turn.is_(None) | (_sessions.c.active_until < _p("now", _sessions.c.active_until)))
    .values(active_turn=_p("assistant_id", _sessions.c.active_turn),
            active_until=_p("until", _sessions.c.active_until),
            message_count=_sessions.c.message_count + 2,
            last_active_at=_p("now", _sessions.c.last_active_at))
)

# An answer's topic is its first source's id, read in SQL: decoding every answer's sources
# (the passages' whole texts) cost more than the rest of the query.
RECENT_HISTORY = (
    select(_messages.c.role, _messages.c.content, _messages.c.status, _messages.c.seq, _messages.c.activity,
           _messages.c.quiz, _messages.c.sources[(0, "id")].as_string().label("topic"))
    .where(_messages.c.session_id == bindparam("p_session_id"),
           _messages.c.seq >= bindparam("p_from_seq", type_=Integer))
    .order_by(_messages.c.seq.desc())
    .limit(bindparam("p_limit", type_=Integer))
)

INSERT_MESSAGES = insert(_messages)

_OUTCOME_COLUMNS = ("content", "status", "sources", "suggestions", "provider", "model", "input_tokens",
                    "output_tokens", "cached_input_tokens", "cache_write_input_tokens", "cost_pico_usd",
                    "error_code", "activity", "quiz", "completed_at")

FINISH_MESSAGE = (
    update(_messages)
    .where(_messages.c.id == bindparam("p_message_id"))
    .values({name: _p(name, _messages.c[name]) for name in _OUTCOME_COLUMNS})
)

SESSION_COVERED = select(_sessions.c.covered).where(_sessions.c.id == bindparam("p_session_id"))

_release = {
    "last_active_at": _p("now", _sessions.c.last_active_at),
    # Released only if this turn still holds it (a recovery may have handed it on).
    "active_turn": case((_sessions.c.active_turn == bindparam("p_message_id"), None),
                        else_=_sessions.c.active_turn),
    "active_until": case((_sessions.c.active_turn == bindparam("p_message_id"), None),
                         else_=_sessions.c.active_until),
}
RELEASE_TURN = update(_sessions).where(_sessions.c.id == bindparam("p_session_id")).values(_release)
RELEASE_TURN_COVERED = (update(_sessions).where(_sessions.c.id == bindparam("p_session_id"))
                        .values({**_release, "covered": _p("covered", _sessions.c.covered)}))

DAILY_SUMS = ("turns", "input_tokens", "output_tokens", "cached_input_tokens", "cache_write_input_tokens",
              "cost_pico_usd", "unpriced_turns")
_daily_upserts: dict[str, object] = {}


def add_daily_usage(dialect: str) -> object:
    """The upsert that adds one turn to its day's totals, so concurrent processes never lose a turn
    (``INSERT ... ON CONFLICT DO UPDATE`` in PostgreSQL's and SQLite's own words)."""
    statement = _daily_upserts.get(dialect)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert
        values = {"day": _p("day", _daily.c.day)} | {name: _p(name, _daily.c[name]) for name in DAILY_SUMS}
        statement = upsert(_daily).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[_daily.c.day],
            set_={name: _daily.c[name] + statement.excluded[name] for name in DAILY_SUMS},
        )
        _daily_upserts[dialect] = statement
    return statement


def on_driver(dialect: str) -> tuple[object, ...]:
    """The statements a turn runs straight through the database's driver (``tutor.store.driver``)."""
    return (INSERT_SESSION, SESSION_BY_ID, TURN_SESSION, TAKE_TURN, RECENT_HISTORY, INSERT_MESSAGES,
            FINISH_MESSAGE, SESSION_COVERED, RELEASE_TURN, RELEASE_TURN_COVERED, add_daily_usage(dialect))


# The statements a turn runs through the SQLite driver on the event loop.
ON_DRIVER = on_driver("sqlite")
