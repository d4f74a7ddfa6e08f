"""Server-sent events read straight from a streamed response's bytes.

The vendors' SDKs still make the request (retries, timeouts, status errors);
only the reading of the stream is ours. The SDK's decoder walks every line in
Python and wraps every event in an object, which cost more CPU per answer than
the rest of the provider's work; here each network read is split at blank
lines with bytes methods, and only what an event carries is handed on.

It follows the event-stream rules (WHATWG HTML, "Interpreting an event
stream"): lines end in CRLF, LF or CR; a line starting with ``:`` is a comment;
one space after a field's colon is dropped; several ``data`` lines are joined
with LF; an event ends at a blank line, and one with no data is not an event;
an unfinished event at the end of the stream is dropped.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import httpx2

CR, LF = b"\r", b"\n"
END = b"\n\n"


class EventSplitter:
    """The events in a stream's bytes, fed as they come off the network.

    A plain function per network read, called inside the provider's own loop: an
    asynchronous generator between the network and the provider cost a resumption
    per piece of every answer."""

    __slots__ = ("_pending",)

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes) -> list[tuple[str, bytes]]:
        """``(event name, data)`` of every event this piece completes ("" when it names none)."""
        pending = self._pending + chunk
        if CR in pending:
            # A CR at the very end may be the first half of a CRLF split across two reads.
            held = CR if pending.endswith(CR) else b""
            body = pending[:-1] if held else pending
            pending = body.replace(b"\r\n", LF).replace(CR, LF) + held
        if END not in pending:
            self._pending = pending
            return []
        *blocks, self._pending = pending.split(END)
        return [event for event in map(_event, blocks) if event is not None]


async def server_sent_events(chunks: AsyncIterator[bytes]) -> AsyncIterator[tuple[str, bytes]]:
    """``(event name, data)`` for every event in the stream ("" when it names none)."""
    splitter = EventSplitter()
    async for chunk in chunks:
        for event in splitter.feed(chunk):
            yield event


def body_chunks(response: httpx2.Response) -> AsyncIterator[bytes]:
    """A streamed response's body as it comes: its raw bytes when the server sent them unencoded
    (as a stream of events is), without httpx's decoding layer, else decoded (gzip and the like)."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    return response.aiter_raw() if encoding in ("", "identity") else response.aiter_bytes()


# Once an answer's text flows, its body is left unread this long after each read (less when
# the body ends meanwhile): the pieces the model sends in between are then read at once, in
# one wake-up of the answer's task instead of one each. The relay writes to the learner no
# more often than this anyway (tutor.api.chat.FLUSH_INTERVAL), so the learner sees the text
# as soon as before; a stop still cancels the read at once.
READ_PAUSE = 0.05
# How much one read takes at most (as the SDKs' aiohttp transport reads).
READ_SIZE = 16 * 1024


class Body:
    """A streamed response's body, read piece by piece: ``await body.read()`` (b"" at its end).

    Under the SDKs' aiohttp transport (``TUTOR_UPSTREAM_HTTP=aiohttp``) the bytes are read
    straight from aiohttp's stream: httpx2 and the transport put three asynchronous generators
    on top of it, each resumed and suspended again for every network read of every answer. Its
    errors are the transport's own (httpx2's, with the request), as through those layers.
    Otherwise (httpx2's own transport, a body gzip-encoded or anything unforeseen) it is read
    through httpx2, as ``body_chunks`` reads it, and ``pause`` never waits.
    """

    __slots__ = ("_response", "_content", "_map_errors", "_pieces", "_waiter", "_behind")

    def __init__(self, response: httpx2.Response):
        self._response = response
        self._content: Any = None
        self._map_errors: Any = None
        self._pieces: AsyncIterator[bytes] | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._behind = False
        encoding = response.headers.get("content-encoding", "").strip().lower()
        inner = getattr(response.stream, "_stream", None)  # httpx2's BoundAsyncStream holds the transport's
        content = getattr(getattr(inner, "_aiohttp_response", None), "content", None)
        map_errors = getattr(sys.modules.get(type(inner).__module__), "map_aiohttp_exceptions", None)
        if encoding in ("", "identity") and map_errors is not None and hasattr(content, "read") \
                and hasattr(content, "on_eof"):
            self._content, self._map_errors = content, map_errors
            content.on_eof(self._ended)
        else:
            self._pieces = body_chunks(response)

    async def read(self) -> bytes:
        """The bytes that came since the last read (waiting for some); b"" once the body has ended."""
        if self._content is None:
            assert self._pieces is not None
            return await anext(self._pieces, b"")
        try:
            piece = await self._content.read(READ_SIZE)
        except Exception as exc:
            raise self._mapped(exc)
        self._behind = len(piece) >= READ_SIZE
        return piece

    def _mapped(self, exc: Exception) -> BaseException:
        """``exc`` as the transport's stream raises it (httpx2's error for aiohttp's), with its request."""
        try:
            with self._map_errors():
                raise exc
        except httpx2.RequestError as mapped:
            mapped.request = self._response.request
            return mapped
        except Exception as other:
            return other
        return exc  # not reached: the block always raises

    async def pause(self) -> None:
        """Wait READ_PAUSE before the next read, or until the body has ended if sooner; not at
        all when the last read left more waiting (it took as much as one read takes)."""
        content = self._content
        if content is None or self._behind or content.is_eof():
            return
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(READ_PAUSE, _wake, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None

    def _ended(self) -> None:
        if self._waiter is not None:
            _wake(self._waiter)

    async def aclose(self) -> None:
        if self._pieces is not None:
            await self._pieces.aclose()  # type: ignore[attr-defined]


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


_decode = json.JSONDecoder().decode


def json_value(data: bytes) -> Any:
    """``json.loads(data)``, the same value or error, faster for an event's UTF-8 data: the bytes
    are decoded as UTF-8 straight, without working out their encoding first."""
    try:
        return _decode(data.decode("utf-8"))
    except ValueError:
        return json.loads(data)  # a BOM, UTF-16 or -32, or not JSON at all: as json.loads does


def _event(block: bytes) -> tuple[str, bytes] | None:
    """One event's lines (no line ends left but the LFs between them)."""
    if block.startswith(b"data: ") and LF not in block:  # almost every event: one data line
        return "", block[6:]
    name = ""
    data: list[bytes] = []
    for line in block.split(LF):
        if not line or line.startswith(b":"):
            continue
        field, _, value = line.partition(b":")
        if value.startswith(b" "):
            value = value[1:]
        if field == b"data":
            data.append(value)
        elif field == b"event":
            name = value.decode("utf-8", "replace")
    return (name, LF.join(data)) if data else None
