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

import json
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
