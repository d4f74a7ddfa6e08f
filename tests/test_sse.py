"""Reading server-sent events from a stream's bytes, however the network cuts them."""

from __future__ import annotations

import pytest

from tutor.providers.sse import server_sent_events


async def read(body: bytes, piece: int) -> list[tuple[str, bytes]]:
    async def chunks():
        for start in range(0, len(body), piece):
            yield body[start:start + piece]

    return [event async for event in server_sent_events(chunks())]


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 1000])
@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
async def test_events_come_whole_whatever_the_line_ends_and_pieces(piece: int, end: bytes) -> None:
    body = end.join([
        b": a comment, then an event without data", b"event: ping", b"",
        b'data: {"text": "\xec\x95\x88\xeb\x85\x95"}', b"",
        b"event: message_delta", b"id: 7", b"data:first", b"data: second", b"",
        b"data: [DONE]", b"", b"",
        b"data: unfinished",
    ])

    assert await read(body, piece) == [
        ("", '{"text": "안녕"}'.encode()),
        ("message_delta", b"first\nsecond"),
        ("", b"[DONE]"),
    ]


async def test_only_one_space_after_the_colon_is_dropped() -> None:
    assert await read(b"data:  two spaces\n\n", 4) == [("", b" two spaces")]
