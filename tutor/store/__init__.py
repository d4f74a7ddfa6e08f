"""Persistence: SQLModel tables, the engine, migrations and the service's queries."""

from .engine import is_sqlite, make_engine, migrate
from .models import DailyUsage, MessageRow, SessionRow
from .repository import (
    PastMessage,
    SessionFull,
    Store,
    TurnInProgress,
    TurnOutcome,
    TurnStart,
    UsageTotals,
    hash_token,
)

__all__ = [
    "DailyUsage", "MessageRow", "PastMessage", "SessionFull", "SessionRow", "Store", "TurnInProgress", "TurnOutcome",
    "TurnStart", "UsageTotals",
    "hash_token", "is_sqlite", "make_engine", "migrate",
]
