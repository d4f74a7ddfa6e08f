"""Request limits that answer in the service's own error shape (a pure ASGI middleware).

- more than ``max_headers`` headers: 431;
- a body larger than ``max_body_bytes``: 413, whether it announces its
  ``Content-Length`` or arrives chunked (counted as it arrives, never read whole);
- a body that stalls for ``body_timeout`` seconds between two pieces: 408.

When a body is refused part-way, the answer is sent from here and the
application is told the client has gone, so whatever it does next is dropped.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DISCONNECT: Message = {"type": "http.disconnect"}


async def send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_headers: int = 64, body_timeout: float = 10.0):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_headers = max_headers
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", [])
        if len(headers) > self.max_headers:
            await send_error(send, 431, "headers_too_large",
                             f"The request has more than {self.max_headers} headers.")
            return
        length = dict(headers).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            await self._too_large(send)
            return
        await self._guarded(scope, receive, send)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen = 0
        body_done = False
        started = False
        refused = False

        async def guarded_receive() -> Message:
            nonlocal seen, body_done, refused
            if refused:
                return DISCONNECT
            if body_done:  # only waiting for a disconnect now: no deadline
                return await receive()
            try:
                async with asyncio.timeout(self.body_timeout):
                    message = await receive()
            except TimeoutError:
                refused = True
                if not started:
                    await send_error(send, 408, "request_timeout",
                                     f"The request body stalled for {self.body_timeout:g} seconds.")
                return DISCONNECT
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                if seen > self.max_body_bytes:
                    refused = True
                    if not started:
                        await self._too_large(send)
                    return DISCONNECT
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except Exception:
            if not refused:
                raise

    async def _too_large(self, send: Send) -> None:
        await send_error(send, 413, "too_large", f"The request body is larger than {self.max_body_bytes} "
                                                 "bytes; please send a shorter message.")
