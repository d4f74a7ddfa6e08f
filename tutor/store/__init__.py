"""Persistence: SQLModel tables, the engine, migrations and the service's queries."""

from .engine import is_sqlite, make_engine, migrate
from .models import MessageRow, SessionRow, utcnow
from .repository import (
    MessagePage,
    PastMessage,
    SessionFull,
    Store,
    TurnInProgress,
    TurnOutcome,
    TurnStart,
    hash_token,
)

__all__ = [
    "MessagePage", "MessageRow", "PastMessage", "SessionFull", "SessionRow", "Store", "TurnInProgress", "TurnOutcome", "TurnStart",
    "hash_token", "is_sqlite", "make_engine", "migrate", "utcnow",
]
