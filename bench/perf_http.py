"""A small HTTP/1.1 client on asyncio, for the performance bench: one keep-alive connection per learner.

It watches a streamed body for the first token, a few flags and the answer's
id without parsing it whole, so that the client costs about 1 ms of CPU per
50-chunk turn (httpx: 17-31 ms on a 2-core machine; see bench/README.md).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

MESSAGE_ID = re.compile(rb'"message_id": ?"([0-9a-f-]{36})"')


# ---------------------------------------------------------------- a small HTTP/1.1 client


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: float
    first: float | None  # when the marker (first token) was first seen
    end: float
    flags: set[bytes] = field(default_factory=set)
    message_id: str | None = None

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class Conn:
    """One keep-alive connection, as one learner's browser would hold it."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 22)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.transport.abort()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes | None = None,
                      headers: dict[str, str] | None = None, *, marker: re.Pattern[bytes] | None = None,
                      flags: Sequence[bytes] = (), keep_body: bool = True, want_id: bool = False,
                      first_seen: asyncio.Event | None = None,
                      on_id: Callable[[str], None] | None = None) -> Reply:
        await self.open()
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body is not None:
            lines.append(f"content-length: {len(body)}")
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")
        sent = time.perf_counter()
        try:
            self.writer.write(payload)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            status = int(status_line.split(" ", 2)[1])
            response_headers: dict[str, str] = {}
            for line in header_lines:
                if line:
                    name, _, value = line.partition(":")
                    response_headers[name.strip().lower()] = value.strip()
            state = _Scan(marker, flags, want_id or on_id is not None, keep_body, first_seen, on_id)
            if response_headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    data = await self.reader.readexactly(size + 2)
                    if size == 0:
                        break
                    state.feed(data[:-2])
            else:
                length = int(response_headers.get("content-length", "0"))
                state.feed(await self.reader.readexactly(length) if length else b"")
        except BaseException:
            self.close()
            raise
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return Reply(status, response_headers, b"".join(state.parts), sent, state.first,
                     time.perf_counter(), state.seen, state.message_id)


class _Scan:
    """Watches a response body for the first token, a few flags and the answer's id."""

    def __init__(self, marker: re.Pattern[bytes] | None, flags: Sequence[bytes], want_id: bool,
                 keep_body: bool, first_seen: asyncio.Event | None, on_id: Callable[[str], None] | None):
        self.marker, self.flags, self.want_id, self.keep = marker, flags, want_id, keep_body
        self.first_seen, self.on_id = first_seen, on_id
        self.first: float | None = None
        self.seen: set[bytes] = set()
        self.message_id: str | None = None
        self.parts: list[bytes] = []
        self.carry = b""

    def feed(self, data: bytes) -> None:
        window = self.carry + data
        if self.marker is not None and self.first is None and self.marker.search(window):
            self.first = time.perf_counter()
            if self.first_seen is not None:
                self.first_seen.set()
        for flag in self.flags:
            if flag not in self.seen and flag in window:
                self.seen.add(flag)
        if self.want_id and self.message_id is None and (found := MESSAGE_ID.search(window)):
            self.message_id = found.group(1).decode()
            if self.on_id is not None:
                self.on_id(self.message_id)
        if self.keep:
            self.parts.append(data)
        self.carry = data[-64:]


async def call_json(conn: Conn, method: str, path: str, payload: Any = None,
                    headers: dict[str, str] | None = None) -> Reply:
    body = None if payload is None else json.dumps(payload).encode()
    all_headers = {"content-type": "application/json", "accept": "application/json", **(headers or {})}
    return await conn.request(method, path, body, all_headers)
