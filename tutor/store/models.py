"""The two tables: conversations (sessions) and their messages.

The schema only changes through a migration in ``migrations/``; these
classes must stay in step with the newest one (a test compares them).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

# The newest migration in migrations/versions; a test keeps the two in step.
SCHEMA_REVISION = "0004"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class SessionRow(SQLModel, table=True):
    __tablename__ = "sessions"

    id: str = Field(primary_key=True, max_length=36)
    # sha256 of the bearer token; the token itself is never stored.
    token_hash: str = Field(max_length=64)
    language: str = Field(default="ko", max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    last_active_at: datetime = Field(default_factory=utcnow, index=True)
    message_count: int = 0
    # Passage ids cited so far, so a turn never has to read the whole history.
    covered: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The assistant message being written, if any: one turn at a time per session.
    active_turn: str | None = Field(default=None, max_length=36)
    active_until: datetime | None = None
    # The older turns that no longer fit the window, summarised; it covers messages with seq < summary_seq.
    summary: str = Field(default="", sa_column_kwargs={"server_default": ""})
    summary_seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class MessageRow(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_messages_session_seq"),
        Index("ix_messages_session_seq", "session_id", "seq"),
    )

    id: str = Field(primary_key=True, max_length=36)
    session_id: str = Field(
        sa_column=Column(String(36), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False)
    )
    seq: int
    role: str = Field(max_length=16)
    content: str = ""
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    suggestions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="complete", max_length=16)
    error_code: str | None = Field(default=None, max_length=64)
    input_tokens: int | None = None
    output_tokens: int | None = None
    provider: str | None = Field(default=None, max_length=32)
    model: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
