"""Reading server-sent events from a stream's bytes, however the network cuts them."""

from __future__ import annotations

import gzip
import json

import httpx2
import pytest

from tutor.providers.sse import EventSplitter, body_chunks, json_value, server_sent_events


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


@pytest.mark.parametrize("piece", [1, 2, 5, 64])
def test_the_splitter_gives_the_events_the_stream_reader_does(piece: int) -> None:
    # The providers feed each network read to an EventSplitter in their own loop.
    body = b'data: {"a": 1}\r\n\r\n: note\n\nevent: e\ndata: x\rdata: y\r\rdata: [DONE]\n\ndata: cut'
    splitter = EventSplitter()
    events = [event for start in range(0, len(body), piece) for event in splitter.feed(body[start:start + piece])]
    assert events == [("", b'{"a": 1}'), ("e", b"x\ny"), ("", b"[DONE]")]


@pytest.mark.parametrize("data", [
    b'{"text": "\xec\x95\x88\xeb\x85\x95"}', b' {"a": [1, 2.5, null]} ', b'"\\ud83d\\ude00"', b"\xef\xbb\xbf{}",
    '{"a": 1}'.encode("utf-16"), b"{", b'{"a": 1} x', b"\xff", b"\xed\xa0\x80", b"",
])
def test_json_value_is_json_loads(data: bytes) -> None:
    def outcome(decode):
        try:
            return "value", decode(data)
        except ValueError as exc:
            return "error", type(exc)
    assert outcome(json_value) == outcome(json.loads)


@pytest.mark.parametrize("encoding", [None, "identity", "gzip"])
async def test_a_body_reads_the_same_encoded_or_not(encoding: str | None) -> None:
    body = b'data: {"a": 1}\n\n' * 3
    class Pieces(httpx2.AsyncByteStream):
        async def __aiter__(self):
            sent = gzip.compress(body) if encoding == "gzip" else body
            for start in range(0, len(sent), 7):
                yield sent[start:start + 7]
    headers = {"content-encoding": encoding} if encoding else {}
    response = httpx2.Response(200, headers=headers, stream=Pieces())
    assert b"".join([piece async for piece in body_chunks(response)]) == body
