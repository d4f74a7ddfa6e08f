"""Persistence: SQLModel tables, the engine, migrations and the service's queries."""

from .engine import DatabaseUnusable, check_database, is_sqlite, make_engine, migrate
from .models import DailyUsage, MessageRow, SessionRow, utcnow
from .repository import (
    MessagePage,
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
    "DailyUsage", "DatabaseUnusable", "MessagePage", "MessageRow", "PastMessage", "SessionFull", "SessionRow",
    "Store", "TurnInProgress", "TurnOutcome", "TurnStart", "UsageTotals", "check_database", "hash_token",
    "is_sqlite", "make_engine", "migrate", "utcnow",
]
