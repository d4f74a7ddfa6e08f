"""The provider contract: what every model backend takes and what it streams back.

Routes, the store and the lesson pack never see a vendor type: they see a
``ChatRequest`` going in and a stream of ``TextDelta`` / ``Usage`` / ``Finish``
events coming out, or one of the ``ProviderError`` subclasses below.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

Role = Literal["user", "assistant"]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One earlier (or the current) turn of the conversation."""

    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class Passage:
    """A lesson passage handed to the model as quoted reference material."""

    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """Everything a provider needs for one answer.

    ``system`` holds only our own instructions; ``passages`` and ``messages``
    are data and each provider must keep them out of the instructions.
    ``messages`` ends with the learner's current message.
    ``language`` is the learner's language ("ko" or "en"), detected upstream.
    ``max_output_tokens`` is the room the token budget left for the answer.
    ``document`` is the whole lesson when it fits the window (whole-document
    grounding): vendors send ``system`` and then it as one fixed prefix, the
    same bytes on every turn, so that their prompt caches apply; ``passages``
    are then named as the most relevant rather than repeated.
    ``summary`` sums up older turns that no longer fit; ``scope_hint`` tells a
    model that judges for itself what the planner thought of the message.
    """

    system: str
    messages: tuple[ChatMessage, ...]
    passages: tuple[Passage, ...] = ()
    language: str = "ko"
    max_output_tokens: int = 1024
    model: str | None = None
    document: tuple[Passage, ...] = ()
    summary: str = ""
    scope_hint: str = ""
    # Opaque hints for the offline tutor (e.g. the detected intent); vendors ignore them.
    hints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens of one answer as the vendor reported them.

    ``input_tokens`` is the whole prompt, cached parts included;
    ``cached_input_tokens`` is the part read from the vendor's prompt cache and
    ``cache_write_input_tokens`` the part written to it (Anthropic's
    cache_creation_input_tokens), both already counted in ``input_tokens``.
    """

    input_tokens: int
    output_tokens: int
    cached_input_tokens: int = 0
    cache_write_input_tokens: int = 0


FinishReason = Literal["stop", "length", "content_filter", "other"]


@dataclass(frozen=True, slots=True)
class Finish:
    reason: FinishReason = "stop"


StreamEvent = TextDelta | Usage | Finish


class ProviderError(Exception):
    """A provider failed. ``code`` is stable and safe to show a client.

    Messages must never contain keys or other secrets: they reach error
    events and logs.
    """

    code = "provider_error"
    retryable = True  # whether the next provider in the chain should be tried

    def __init__(self, message: str, *, provider: str = "", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status = status


class ProviderAuthError(ProviderError):
    code = "provider_auth"


class ProviderRateLimited(ProviderError):
    code = "provider_rate_limited"

    def __init__(self, message: str, *, provider: str = "", status: int | None = 429,
                 retry_after: float | None = None):
        super().__init__(message, provider=provider, status=status)
        self.retry_after = retry_after


class ProviderUnavailable(ProviderError):
    """Network failure, timeout, 5xx, or a stream cut or garbled mid-way."""

    code = "provider_unavailable"


class ProviderStreamCut(ProviderUnavailable):
    """The answer's stream broke off: the request itself was accepted, so asking again usually works."""


class ProviderBadRequest(ProviderError):
    code = "provider_bad_request"


class ProviderContextOverflow(ProviderBadRequest):
    """The prompt did not fit the model's window; a smaller prompt may."""

    code = "provider_context_overflow"


class ProviderEmpty(ProviderError):
    """The stream ended without a word of answer (a local server that overflowed, a gateway's empty stream)."""

    code = "provider_empty"


@runtime_checkable
class Provider(Protocol):
    """A model backend. ``name`` is the configured provider name ("openai", ...)."""

    name: str
    model: str

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Yield TextDelta events, then at most one Usage, then exactly one Finish.

        Raises a ProviderError subclass on failure (before or after the first
        delta). Cancelling the iteration must cancel the upstream request.
        """
        ...

    async def aclose(self) -> None:
        """Release network clients."""
        ...
