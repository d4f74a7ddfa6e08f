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

from collections.abc import AsyncIterator

CR, LF = b"\r", b"\n"
END = b"\n\n"


async def server_sent_events(chunks: AsyncIterator[bytes]) -> AsyncIterator[tuple[str, bytes]]:
    """``(event name, data)`` for every event in the stream ("" when it names none)."""
    pending = b""
    async for chunk in chunks:
        pending += chunk
        if CR in pending:
            # A CR at the very end may be the first half of a CRLF split across two reads.
            held = CR if pending.endswith(CR) else b""
            body = pending[:-1] if held else pending
            pending = body.replace(b"\r\n", LF).replace(CR, LF) + held
        if END not in pending:
            continue
        *blocks, pending = pending.split(END)
        for block in blocks:
            event = _event(block)
            if event is not None:
                yield event


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
