"""A learner's message, handed to its route's own functions without FastAPI's per-request work.

Why: every turn's CPU before its request to the model is what a class waits for when its
learners ask at once, and FastAPI's work for one message (routing through every route, solving
the dependencies, validating each parameter, parsing the content type, its exception and exit
stack middleware) cost about as much as storing the message.

Only an ordinary message is served here: ``POST /v1/sessions/{id}/messages`` with a JSON body
that ``PostMessage`` accepts and the session's own bearer token. It runs the route's own
functions (``current_session``, then ``post_message``), so the checks and the answer are the
route's; a refusal ``post_message`` raises is answered by the app's own handler. Anything else
(no or a wrong token, a body or media type the route refuses, any other path) goes on to
FastAPI untouched, with the body as it arrived, so every other answer is exactly FastAPI's.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .chat import post_message
from .deps import current_session, services_of
from .errors import ApiError
from .schemas import PostMessage

PATH = re.compile(r"/v1/sessions/([^/]+)/messages")


class TurnRequests:
    """Pure ASGI middleware, the innermost of the service's own (inside its limits and headers)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = PATH.fullmatch(scope.get("path", "")) if scope["type"] == "http" and scope["method"] == "POST" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        messages: list[Message] = []
        body = await _read_body(receive, messages)
        request = Request(scope, receive)
        handled = False
        if body is not None and _is_json(headers.get("content-type")):
            handled = await self._serve(request, match.group(1), body, headers, send)
        if not handled:
            await self.app(scope, _replay(messages, receive), send)

    async def _serve(self, request: Request, session_id: str, body: bytes, headers: dict[str, str],
                     send: Send) -> bool:
        """Serve the message; False (nothing sent, nothing stored) when FastAPI is to answer instead."""
        try:
            message = PostMessage.model_validate(json.loads(body))
        except (ValueError, ValidationError):
            return False
        services = services_of(request)
        try:
            session = await current_session(session_id, services, request, headers.get("authorization"))
        except ApiError:
            return False
        try:
            response = await post_message(session, message, request, services, headers.get("accept"))
        except ApiError as exc:
            response = await request.app.exception_handlers[ApiError](request, exc)
        await response(request.scope, request.receive, send)
        return True


def _headers(scope: Scope) -> dict[str, str]:
    """The few headers read here, by their lower-case names (the first of a repeated one, as Starlette)."""
    found: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        if name in _WANTED:
            found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


_WANTED = frozenset((b"content-type", b"authorization", b"accept"))


def _is_json(content_type: str | None) -> bool:
    return content_type is not None and content_type.partition(";")[0].strip().lower() == "application/json"


async def _read_body(receive: Receive, messages: list[Message]) -> bytes | None:
    """The whole body, keeping every message received for FastAPI; None if the client left first."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return None
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """``receive``, first giving back what was already read."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
