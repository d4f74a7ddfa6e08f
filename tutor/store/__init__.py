"""Persistence: SQLModel tables, the engine, migrations and the service's queries."""

from .engine import is_sqlite, make_engine, migrate
from .models import MessageRow, SessionRow
from .repository import SessionFull, Store, TurnInProgress, TurnOutcome, TurnRows, hash_token

__all__ = [
    "MessageRow", "SessionFull", "SessionRow", "Store", "TurnInProgress", "TurnOutcome", "TurnRows",
    "hash_token", "is_sqlite", "make_engine", "migrate",
]
