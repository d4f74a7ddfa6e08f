"""Request and response bodies: the HTTP contract as pydantic models."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tutor.providers.framing import strip_invisible


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable: e.g. `not_found`, `turn_in_progress`.")
    message: str = Field(description="What went wrong, in words a person can act on.")


class ErrorBody(BaseModel):
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI entries for the error answers a route can give, all in one shape."""
    return {status: {"model": ErrorBody} for status in statuses}


class CreateSession(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["ko", "en"] = "ko"


class SessionCreated(BaseModel):
    id: str
    token: str = Field(description="A secret shown only once: send it as `Authorization: Bearer <token>`.")
    created_at: datetime


class Source(BaseModel):
    id: str
    title: str
    text: str


Activity = Literal["answer", "decline", "quiz", "quiz_result", "recap", "overview", "progress", "thanks", "greeting"]


# For activity `quiz`: {"question": "..."}; for `quiz_result`: {"correct": true|false}, with
# "partly": true when a part of the answer was right; else null.
# The quiz's answer key stays on the server.
Quiz = dict[str, str | bool]


class Usage(BaseModel):
    """Tokens and cost of an answer, or summed over a session's answers."""

    input_tokens: int = Field(description="All input tokens, the cached and cache-write ones included.")
    output_tokens: int
    cached_input_tokens: int = Field(0, description="Input tokens read from the vendor's prompt cache.")
    cache_write_input_tokens: int = Field(0, description="Input tokens written to the vendor's prompt cache.")
    cost_usd: float | None = Field(None, description="US dollars at list price (exact decimal); null when "
                                                     "a model's price is unknown. The offline tutor costs 0.")


class MessageOut(BaseModel):
    id: str
    role: Literal["user", "assistant"]
    content: str
    sources: list[Source]
    suggestions: list[str]
    status: Literal["complete", "streaming", "interrupted", "failed"]
    error_code: str | None = None
    provider: str | None = None
    model: str | None = None
    usage: Usage | None = Field(None, description="An answer's tokens and cost (null for the learner's messages "
                                                  "and answers that never reached a model).")
    activity: Activity | None = Field(default=None, description="What the answer was: an answer, a quiz, a recap, ...")
    quiz: Quiz | None = None
    created_at: datetime


class SessionOut(BaseModel):
    id: str
    language: str
    created_at: datetime
    covered: list[str]
    messages: list[MessageOut] = Field(description="The newest messages of this page, oldest first.")
    older: str | None = Field(None, description="Send as `before` to read the page before this one; "
                                                "null when there is nothing older.")
    usage: Usage = Field(description="The session's answers summed; `cost_usd` is null when any answer's "
                                     "model has no price.")


def clean_text(value: str) -> str:
    """Normalise to NFC; drop control characters (keeping newlines and tabs) and characters that
    show nothing (zero-width, bidi controls, Unicode tags that can carry hidden text, fillers)."""
    value = strip_invisible(unicodedata.normalize("NFC", value))
    if value.isprintable():  # no control character can be in it: most messages, without a per-character loop
        return value.strip()
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    ).strip()


class PostMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # At least one visible character; the service's own length limit is TUTOR_MAX_MESSAGE_CHARS.
    content: str = Field(description="The learner's message.", min_length=1, max_length=16_000,
                         pattern=r"[^\s\x00-\x1f\x7f-\x9f]")

    @field_validator("content")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = clean_text(value)
        if not value:
            raise ValueError("the message is empty; write a question or a few words")
        return value


class Answer(BaseModel):
    message_id: str
    content: str
    status: Literal["complete", "interrupted", "failed"]
    sources: list[Source]
    suggestions: list[str]
    usage: Usage | None
    provider: str | None
    model: str | None
    activity: Activity | None = None
    quiz: Quiz | None = None
    error: dict[str, str] | None = None


class StopResult(BaseModel):
    message_id: str
    status: str


class LessonPassageRef(BaseModel):
    id: str
    title: dict[str, str]


class LessonOut(BaseModel):
    id: str
    order: int
    title: dict[str, str]
    summary: dict[str, str]
    passages: list[LessonPassageRef]


class LessonsOut(BaseModel):
    lessons: list[LessonOut]


class Health(BaseModel):
    status: Literal["ok"]
    provider: str
    model: str
    fallback: list[str]
