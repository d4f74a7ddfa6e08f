"""``X-Request-ID`` on every response, and the id of the request in every log line it causes.

A client's (or its proxy's) id is kept when it is a plain token (1-128 of
``A-Z a-z 0-9 . _ -``), so logs join up across services; anything else is
replaced by a new id, so a header can never smuggle text into our logs. A
pure ASGI middleware: the id stays set while a streamed answer is sent, and a
turn's task, started inside the request, carries it on (``tutor.logs``).
"""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Receive, Scope, Send

from tutor.logs import request_id

from .security import with_headers

HEADER = b"x-request-id"
VALID = re.compile(rb"[A-Za-z0-9._-]{1,128}")


def chosen_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == HEADER and VALID.fullmatch(value.strip()):
            return value.strip().decode("ascii")
    return uuid.uuid4().hex


class RequestIds:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = chosen_id(scope)
        token = request_id.set(rid)
        try:
            await self.app(scope, receive, with_headers(send, [(HEADER, rid.encode("ascii"))]))
        finally:
            request_id.reset(token)
