"""Persistence: SQLModel tables, the engine, migrations and the service's queries."""

from .engine import DatabaseUnusable, check_database, is_sqlite, make_engine, migrate
from .models import MessageRow, SessionRow
from .repository import (
    PastMessage,
    SessionFull,
    Store,
    TurnInProgress,
    TurnOutcome,
    TurnStart,
    hash_token,
)

__all__ = [
    "DatabaseUnusable", "MessageRow", "PastMessage", "SessionFull", "SessionRow", "Store", "TurnInProgress", "TurnOutcome", "TurnStart",
    "check_database", "hash_token", "is_sqlite", "make_engine", "migrate",
]
