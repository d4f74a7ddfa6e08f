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

from sqlalchemy import JSON, Boolean, Integer, bindparam, case, column, insert, select, text, type_coerce, update

from .models import DailyUsage, MessageRow, SessionRow

_sessions = SessionRow.__table__
_messages = MessageRow.__table__
_daily = DailyUsage.__table__


def _p(name: str, column, prefix: str = "p_") -> object:
    """A bound parameter typed like ``column`` (JSON and datetimes are converted as the column does)."""
    return bindparam(f"{prefix}{name}", type_=column.type)


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
_daily_upserts: dict[tuple[str, str], object] = {}


def add_daily_usage(dialect: str, prefix: str = "p_") -> object:
    """The upsert that adds one turn to its day's totals, so concurrent processes never lose a turn
    (``INSERT ... ON CONFLICT DO UPDATE`` in PostgreSQL's and SQLite's own words). ``prefix``
    names its parameters (``FINISH_TURN_AT_ONCE`` holds it beside the answer's own counts)."""
    statement = _daily_upserts.get((dialect, prefix))
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert
        values = {"day": _p("day", _daily.c.day, prefix)} | {name: _p(name, _daily.c[name], prefix)
                                                             for name in DAILY_SUMS}
        statement = upsert(_daily).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[_daily.c.day],
            set_={name: _daily.c[name] + statement.excluded[name] for name in DAILY_SUMS},
        )
        _daily_upserts[(dialect, prefix)] = statement
    return statement


# PostgreSQL: the covered passages with a turn's new ones after them (those not there yet, in
# their order), as finish_turn works it out in Python after reading them.
_MERGED_COVERED = type_coerce(text(
    "to_json(ARRAY(SELECT e FROM json_array_elements_text(sessions.covered) WITH ORDINALITY AS old(e, i) ORDER BY i)"
    " || ARRAY(SELECT e FROM json_array_elements_text(:p_covered) WITH ORDINALITY AS new(e, i)"
    " WHERE e NOT IN (SELECT json_array_elements_text(sessions.covered)) ORDER BY i))",
).bindparams(bindparam("p_covered", type_=JSON)), JSON)
DAILY_PREFIX = "p_daily_"


def _finish_turn_at_once(counted: bool, covered: bool) -> object:
    """PostgreSQL: ``finish_turn``'s statements as one (its own transaction, one round trip instead
    of six with BEGIN and COMMIT): the answer's update and (``counted``) the day's upsert ride
    along the session's release as data-modifying WITH clauses; with ``covered`` the release adds
    the turn's passages to the covered ones in SQL."""
    release = {**_release, "covered": _MERGED_COVERED} if covered else _release
    statement = (update(_sessions).where(_sessions.c.id == bindparam("p_session_id")).values(release)
                 .add_cte(FINISH_MESSAGE.cte("finished")))
    if counted:
        statement = statement.add_cte(add_daily_usage("postgresql", DAILY_PREFIX).cte("counted"))
    return statement


# (the turn was counted, it covered passages) -> the statement.
FINISH_TURN_AT_ONCE = {(counted, covered): _finish_turn_at_once(counted, covered)
                       for counted in (False, True) for covered in (False, True)}


# PostgreSQL: ``begin_turn``'s statements as one (its own transaction, one round trip instead of
# six with BEGIN and COMMIT), as ``_begin_turn`` runs them: the session read, its turn lease taken
# if free and the session not full, the answer of a lease that ran out marked interrupted, the
# recent history (with that mark), the two new messages. One row per message of the history
# (one with no message when there is none or the lease was not taken), each with the session's
# values read before the lease and whether it was taken (its covered passages on the first row
# only: decoded once); no row: no such session. Its commit does
# not wait for the disk (``synchronous_commit`` off for this transaction, see ``Store.begin_turn``).
BEGIN_TURN_AT_ONCE = text("""
WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true)),
read AS (
    SELECT message_count, active_turn, covered, summary, summary_seq FROM sessions WHERE id = :p_session_id
),
taken AS (
    UPDATE sessions SET active_turn = :p_assistant_id, active_until = :p_until,
        message_count = sessions.message_count + 2, last_active_at = :p_now
    FROM read
    WHERE sessions.id = :p_session_id AND sessions.message_count + 2 <= :p_max_messages
        AND (sessions.active_turn IS NULL OR sessions.active_until < :p_now)
    RETURNING sessions.message_count - 2 AS seq, read.active_turn AS lapsed
),
interrupted AS (
    UPDATE messages SET status = 'interrupted', error_code = 'server_restarted', completed_at = :p_now
    FROM taken WHERE messages.id = taken.lapsed AND messages.status = 'streaming'
    RETURNING messages.id
),
added AS (
    INSERT INTO messages (id, session_id, seq, role, content, sources, suggestions, status, created_at, completed_at)
    SELECT :p_user_id, :p_session_id, seq, 'user', :p_content, '[]'::json, '[]'::json, 'complete', :p_now, :p_now FROM taken
    UNION ALL
    SELECT :p_assistant_id, :p_session_id, seq + 1, 'assistant', '', '[]'::json, '[]'::json, 'streaming', :p_now, NULL FROM taken
)
SELECT read.message_count, read.active_turn,
    CASE WHEN history.place IS NULL OR history.place = 1 THEN read.covered END AS covered,
    read.summary, read.summary_seq, EXISTS (SELECT 1 FROM taken) AS taken,
    history.role, history.content,
    CASE WHEN history.id IN (SELECT id FROM interrupted) THEN 'interrupted' ELSE history.status END AS status,
    history.seq, history.activity, history.quiz, history.topic
FROM unflushed CROSS JOIN read LEFT JOIN LATERAL (
    SELECT id, role, content, status, seq, activity, quiz, CAST(sources #>> '{0,id}' AS VARCHAR) AS topic,
        row_number() OVER (ORDER BY seq DESC) AS place
    FROM messages
    WHERE session_id = :p_session_id AND seq >= read.summary_seq AND EXISTS (SELECT 1 FROM taken)
    ORDER BY seq DESC LIMIT :p_limit
) AS history ON true
ORDER BY history.place
""").bindparams(
    bindparam("p_session_id", type_=_sessions.c.id.type), bindparam("p_assistant_id", type_=_sessions.c.id.type),
    bindparam("p_user_id", type_=_messages.c.id.type), bindparam("p_content", type_=_messages.c.content.type),
    bindparam("p_now", type_=_sessions.c.active_until.type), bindparam("p_until", type_=_sessions.c.active_until.type),
    bindparam("p_max_messages", type_=Integer), bindparam("p_limit", type_=Integer),
).columns(
    _sessions.c.message_count, _sessions.c.active_turn, _sessions.c.covered, _sessions.c.summary,
    _sessions.c.summary_seq, column("taken", Boolean), _messages.c.role, _messages.c.content, _messages.c.status,
    _messages.c.seq, _messages.c.activity, _messages.c.quiz, column("topic", _messages.c.role.type),
)


def on_driver(dialect: str) -> tuple[object, ...]:
    """The statements a turn runs straight through the database's driver (``tutor.store.driver``)."""
    statements = (INSERT_SESSION, SESSION_BY_ID, TURN_SESSION, TAKE_TURN, RECENT_HISTORY, INSERT_MESSAGES,
                  FINISH_MESSAGE, SESSION_COVERED, RELEASE_TURN, RELEASE_TURN_COVERED, add_daily_usage(dialect))
    if dialect != "postgresql":
        return statements
    return (*statements, BEGIN_TURN_AT_ONCE, *FINISH_TURN_AT_ONCE.values())


# The statements a turn runs through the SQLite driver on the event loop.
ON_DRIVER = on_driver("sqlite")
