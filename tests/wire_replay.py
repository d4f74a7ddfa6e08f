"""Recorded vendor responses replayed at the SDKs' HTTP boundary, for the provider tests.

A file under tests/wire/ is an HTTP response as sent: status line, headers,
blank line, body. Bodies are played back in small byte pieces, the way a
network delivers them (Korean characters split mid-byte included).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tutor.providers.base import (
    ChatMessage,
    ChatRequest,
    Passage,
    Provider,
    ProviderError,
    StreamEvent,
    TextDelta,
)

WIRE = Path(__file__).parent / "wire"


def wire(name: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """A recorded HTTP response: status line, headers, blank line, body bytes as sent."""
    head, _, body = (WIRE / name).read_bytes().partition(b"\n\n")
    status_line, *lines = head.decode().split("\n")
    headers = [(k, v) for k, _, v in (line.partition(": ") for line in lines)]
    return int(status_line.split()[1]), headers, body


class Replay(httpx.AsyncByteStream):
    """Plays a body back in small pieces; then optionally raises (a dropped
    connection) or hangs (a slow model). Records whether it was closed."""

    def __init__(self, body: bytes, *, piece: int = 7, then: Exception | None = None, hang: bool = False):
        self.body, self.piece, self.then, self.hang = body, piece, then, hang
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.body), self.piece):
            yield self.body[start : start + self.piece]
            await asyncio.sleep(0)
        if self.then is not None:
            raise self.then
        if self.hang:
            await asyncio.Event().wait()

    async def aclose(self) -> None:
        self.closed = True


def replay(name: str, *, body: bytes | None = None, headers: dict[str, str] | None = None, **kwargs) -> tuple[httpx.Response, Replay]:
    status, recorded_headers, recorded_body = wire(name)
    merged = dict(recorded_headers) | (headers or {})
    stream = Replay(recorded_body if body is None else body, **kwargs)
    return httpx.Response(status, headers=list(merged.items()), stream=stream), stream


def events_before(body: bytes, count: int) -> bytes:
    """The first `count` SSE events of a body, for a stream cut short."""
    return b"".join(part + b"\n\n" for part in body.split(b"\n\n")[:count])


def lesson_request(**overrides) -> ChatRequest:
    fields = dict(
        system="You are a patient tutor. Answer in the learner's language.",
        messages=(
            ChatMessage("user", "생성형 AI가 뭐예요?"),
            ChatMessage("assistant", "새로운 내용을 만들어 내는 AI예요."),
            ChatMessage("user", "그럼 그 전에는 뭘 썼어요?"),
        ),
        passages=(Passage("01-intro/2", "예측형 AI", "예측형 AI는 주어진 데이터로 결과를 맞히는 AI입니다."),),
        max_output_tokens=700,
    )
    return ChatRequest(**(fields | overrides))


async def collect(provider: Provider, request: ChatRequest | None = None) -> list[StreamEvent]:
    return [event async for event in provider.stream(request or lesson_request())]


async def collect_until_error(provider: Provider) -> tuple[list[StreamEvent], ProviderError]:
    received: list[StreamEvent] = []
    with pytest.raises(ProviderError) as caught:
        async for event in provider.stream(lesson_request()):
            received.append(event)
    return received, caught.value


def text_of(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))
