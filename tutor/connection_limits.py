"""Connection-level limits uvicorn's HTTP protocol lacks.

uvicorn bounds idle time between requests (``timeout_keep_alive``) and
concurrent connections (``limit_concurrency``), but with httptools it will
read a request head of any size for as long as a client cares to drip it.
This protocol adds two rules, checked before bytes reach the parser:

- a request head (request line and headers) larger than ``max_header_bytes``
  is answered 431 and the connection closed, without buffering it;
- a request head not complete within ``header_timeout`` seconds (from the
  connection's start, or from the end of the previous answer) closes the
  connection: 408 if part of it had arrived, silently if nothing had.

It also writes through ``tutor.held_writes.HeldWrites``, offered to the app in each
request's scope, so that an answer's head and first event go out in one write.
"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tutor.held_writes import EXTENSION, HeldWrites

HEAD_END = b"\r\n\r\n"


def _raw_response(status: int, reason: str, code: str, message: str) -> bytes:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode()
    return head + body


class GuardedHttpTools(HttpToolsProtocol):
    max_header_bytes = 16_384
    header_timeout = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._writes = HeldWrites(transport)
        super().connection_made(self._writes)  # type: ignore[arg-type]
        self._head_bytes = 0
        self._reading_head = True
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            end = data.find(HEAD_END)
            self._head_bytes += len(data) if end < 0 else end + len(HEAD_END)
            if self._head_bytes > self.max_header_bytes:
                self._refuse(431, "Request Header Fields Too Large", "headers_too_large",
                             f"The request's headers are larger than {self.max_header_bytes} bytes.")
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {EXTENSION: self._writes}

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._disarm_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        # Whatever comes next on this connection is the next request's head.
        self._reading_head = True
        self._head_bytes = 0
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self._reading_head or self.transport.is_closing():
            return
        if self._head_bytes:
            self._refuse(408, "Request Timeout", "request_timeout",
                         f"The request's headers did not arrive within {self.header_timeout:g} seconds.")
        else:
            self.transport.close()

    def _refuse(self, status: int, reason: str, code: str, message: str) -> None:
        self._reading_head = False
        self._disarm_head_timer()
        if not self.transport.is_closing():
            self.transport.write(_raw_response(status, reason, code, message))
            self.transport.close()


def guarded_protocol(*, max_header_bytes: int, header_timeout: float) -> type[GuardedHttpTools]:
    """The protocol class with this deployment's limits (uvicorn takes a class, not an instance)."""
    return type("GuardedHttpTools", (GuardedHttpTools,),
                {"max_header_bytes": max_header_bytes, "header_timeout": header_timeout})
