"""A learner's message in, the tutor's answer out: as SSE or as one JSON object.

Everything that can be refused (bad input, a turn already running, a full
session, a rate limit) is refused with a 4xx before the stream starts. Once
accepted, the answer is written by a background turn (``tutor.turns``) and
this module only relays its event log.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from json.encoder import encode_basestring
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from fastapi.sse import KEEPALIVE_COMMENT, EventSourceResponse
from starlette.types import Receive, Scope, Send

from tutor import metrics
from tutor.budgets import BudgetExhausted
from tutor.error_messages import error_message
from tutor.held_writes import EXTENSION as HELD_WRITES, HeldWrites
from tutor.live import Feed, LiveTurn
from tutor.prices import usage_report
from tutor.store import SessionFull, Store, TurnInProgress
from tutor.store import utcnow
from tutor.store.repository import as_utc
from tutor.turns import public_quiz

from .deps import ServicesDep, SessionDep, client_key, rate_limit
from .errors import ApiError
from .ratelimit import retry_after_header
from .schemas import error_responses, Answer, PostMessage, StopResult

router = APIRouter(prefix="/v1/sessions", tags=["chat"],
                   responses=error_responses(400, 401, 404, 409, 410, 413, 415, 422, 429))

HEARTBEAT_SECONDS = 15.0
# After a write that carried part of the answer, the relay waits this long before the next,
# so that the pieces the model sends meanwhile go out in one write. Each write is a system
# call and a wake-up of the client; one per piece was a fifth of the service's CPU under load.
# The first piece of an answer is never held back (time to first token), the rest at
# most 50 ms: the text still flows smoothly to a reader (20 updates a second), with a
# third fewer writes than at 30 ms. The answer's end is not held back: once it is stored, its
# `done` goes out at once with the pieces still waiting (it came up to 50 ms late, and a
# learner's next question with it). The model's stream is read at the same pace once its text
# flows (``tutor.providers.sse.READ_PAUSE``): reading it more often bought no earlier write.
FLUSH_INTERVAL = 0.05
SSE_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


# One event of the stream, as FastAPI documents SSE (OpenAPI 3.2 `itemSchema`).
SSE_EVENT_SCHEMA = {
    "type": "object",
    "required": ["event", "data", "id"],
    "properties": {
        "event": {"type": "string", "enum": ["sources", "delta", "done", "error"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
        "id": {"type": "string", "description": "`<message_id>:<seq>`, for `Last-Event-ID`."},
    },
}

STREAM_DOC = {
    200: {
        "description": "`text/event-stream`: `sources`, `delta`..., then `done` or `error`; every event "
                       "carries an id `<message_id>:<seq>` for `Last-Event-ID`. With `Accept: "
                       "application/json`, the whole answer as one object.",
        "content": {"text/event-stream": {"itemSchema": SSE_EVENT_SCHEMA},
                    "application/json": {"schema": Answer.model_json_schema()}},
    },
}


def turn_in_progress(active_until=None) -> ApiError:
    """409; with ``Retry-After`` until the turn's lease runs out, when its process dies the latest moment
    the learner can ask again."""
    headers = retry_after_header((as_utc(active_until) - utcnow()).total_seconds()) if active_until else None
    return ApiError(409, "turn_in_progress", "The previous answer is still being written; wait for it or stop it first.",
                    headers)


def session_full() -> ApiError:
    return ApiError(409, "session_full", "This conversation has reached its length limit; please start a new one.")


def _wants_json(accept: str | None) -> bool:
    accept = (accept or "").lower()
    return "application/json" in accept and "text/event-stream" not in accept


# ``json.dumps(data, ensure_ascii=False)`` built a new encoder for every event; this one is built once.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def event_json(data: dict) -> str:
    """``json.dumps(data, ensure_ascii=False)``, with a delta's ``{"text": ...}`` written straight."""
    if len(data) == 1 and type(data.get("text")) is str:
        return '{"text": ' + encode_basestring(data["text"]) + "}"
    return _to_json(data)


def sse_event(turn: Feed, seq: int, name: str, data: dict) -> bytes:
    """One event in the SSE wire format (as ``format_sse_event`` writes it). JSON never holds a
    raw line break, so the data is always one line: the framing is written straight, once per
    piece of every answer, without splitting the data into lines first."""
    return f"event: {name}\ndata: {event_json(data)}\nid: {turn.message_id}:{seq}\n\n".encode()


class LastPiece(bytes):
    """The piece of a stream that ends it (its `done` or `error` event)."""


class AnswerStream(EventSourceResponse):
    """An answer's event stream whose last piece goes out together with the end of the
    body, in one write: the empty piece that otherwise closes a stream cost a system call
    and a wake-up of the client per answer.

    Likewise its head and its first piece, when that piece is ready as the response starts
    (``ready``: the turn's sources are written before the model is called) and the server
    can write the two together (``tutor.held_writes``); a head whose first piece is still to
    come goes out at once, as before."""

    def __init__(self, content: AsyncIterator[bytes], *, ready: Callable[[], bool] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(content, headers=headers)
        self._ready = ready
        self._writes: HeldWrites | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._writes = scope.get("extensions", {}).get(HELD_WRITES) if self._ready is not None else None
        await super().__call__(scope, receive, send)

    async def stream_response(self, send: Send) -> None:
        start = {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        pieces = aiter(self.body_iterator)
        writes = self._writes
        first = None
        if writes is not None and self._ready is not None and self._ready():
            first = await anext(pieces, None)
        if first is None:
            await send(start)
        else:
            writes.hold()  # type: ignore[union-attr]
            try:
                await send(start)
                await send({"type": "http.response.body", "body": first,
                            "more_body": not isinstance(first, LastPiece)})
            finally:
                writes.release()  # type: ignore[union-attr]
        ended = isinstance(first, LastPiece)
        async for chunk in pieces:  # read to its end, so that the relay's own ending runs
            if ended:
                raise RuntimeError("an answer stream went on after its last piece")
            ended = isinstance(chunk, LastPiece)
            await send({"type": "http.response.body", "body": chunk, "more_body": not ended})
        if not ended:
            await send({"type": "http.response.body", "body": b"", "more_body": False})


def follow(turn: Feed, max_followers: int) -> None:
    """Count one more stream reading this turn, or refuse it (each holds a connection and memory)."""
    if turn.followers >= max_followers:
        raise ApiError(429, "too_many_followers", "This answer is already being read by too many "
                                                  "connections; close one and try again.", retry_after_header(5))
    turn.followers += 1


async def relay(turn: Feed, after: int, cancel_on_disconnect: bool = False) -> AsyncIterator[bytes]:
    """The turn's events as SSE bytes, with keep-alive comments while the model is quiet.

    ``turn`` is this process's own turn, or one another replica is writing (through Redis).
    The caller has counted this stream with ``follow``; it is uncounted when it ends.
    """
    finished = False
    try:
        with metrics.open_stream():
            async for batch in turn.follow(after, heartbeat=HEARTBEAT_SECONDS):
                if not batch:
                    yield KEEPALIVE_COMMENT
                    continue
                piece = b"".join(sse_event(turn, event.seq, event.name, event.data) for event in batch)
                yield LastPiece(piece) if batch[-1].name in ("done", "error") else piece
                if batch[-1].name == "delta":
                    await turn.settle(FLUSH_INTERVAL)  # cut short by the answer's end
        finished = True
    finally:
        turn.followers -= 1
        if not finished and cancel_on_disconnect and isinstance(turn, LiveTurn):
            turn.stop("client_disconnected")


def answer_from(turn: LiveTurn) -> Answer:
    sources: list[dict] = []
    text: list[str] = []
    done: dict | None = None
    error: dict | None = None
    for event in turn.events:
        if event.name == "sources":
            sources = event.data["sources"]
        elif event.name == "delta":
            text.append(event.data["text"])
        elif event.name == "done":
            done = event.data
        elif event.name == "error":
            error = event.data
    content = "".join(text)
    status = "complete" if done else ("interrupted" if content else "failed")
    return Answer(
        message_id=turn.message_id, content=content, status=status, sources=sources,
        suggestions=done["suggestions"] if done else [], usage=done["usage"] if done else None,
        provider=done["provider"] if done else None, model=done["model"] if done else None,
        activity=done.get("activity") if done else None, quiz=done.get("quiz") if done else None,
        error={"code": error["code"], "message": error["message"]} if error else None,
    )


@router.post("/{session_id}/messages", responses=STREAM_DOC, response_model=None)
async def post_message(
    session: SessionDep, body: PostMessage, request: Request, services: ServicesDep,
    accept: Annotated[str | None, Header()] = None,
) -> EventSourceResponse | JSONResponse:
    """Ask the tutor. The message is stored before the model is called."""
    settings = services.settings
    if len(body.content) > settings.max_message_chars:
        raise ApiError(422, "message_too_long", params={"length": len(body.content),
                                                        "limit": settings.max_message_chars})
    # What will be refused anyway is refused before it is counted against the session.
    if session.message_count + 2 > settings.max_messages_per_session:
        raise session_full()
    if session.active_turn and (session.active_until is None or as_utc(session.active_until) > utcnow()):
        raise turn_in_progress(session.active_until)
    await rate_limit(services.client_message_limiter, client_key(request), settings.rate_limit_enabled)
    await rate_limit(services.message_limiter, session.id, settings.rate_limit_enabled)
    try:
        turn = await services.tutor.start_turn(session, body.content)
    except TurnInProgress:
        raise turn_in_progress() from None
    except SessionFull:
        raise session_full() from None
    except BudgetExhausted as exc:
        raise budget_error(exc) from None
    except LookupError:  # deleted between the token check and now
        raise ApiError(404, "not_found") from None
    if _wants_json(accept):
        await turn.wait()
        return JSONResponse(answer_from(turn).model_dump(mode="json"), headers={"Cache-Control": "no-store"})
    turn.followers += 1  # the asker's own stream, always allowed
    return AnswerStream(relay(turn, -1, settings.on_disconnect == "cancel"), ready=lambda: bool(turn.events),
                        headers=SSE_HEADERS)


@router.post("/{session_id}/messages/{message_id}/stop", response_model=StopResult)
async def stop_message(session: SessionDep, message_id: str, services: ServicesDep) -> StopResult:
    """Stop the answer being written; what was written so far is kept as `interrupted`."""
    writer_gone = await services.tutor.hub.stop(session.id, message_id, "stopped")
    row = await services.store.message(session.id, message_id)
    if row is None or row.role != "assistant":
        raise ApiError(404, "not_found", key="not_found.answer")
    if writer_gone and row.status == "streaming":
        # The process writing it was killed: the answer ends here. Its session's lease
        # still runs out on its own (a new message gets 409 with Retry-After until then).
        # The words its learner was already sent are kept as its text.
        shared = await services.tutor.hub.shared_text(session.id, row.id)
        await services.store.mark_interrupted([row.id], {row.id: shared} if shared else None)
        row = await services.store.message(session.id, message_id)
    return StopResult(message_id=row.id, status=row.status)


@router.get("/{session_id}/messages/{message_id}/events", response_model=None,
            responses={200: {"content": {"text/event-stream": {"itemSchema": SSE_EVENT_SCHEMA}}}})
async def resume_events(
    session: SessionDep, message_id: str, services: ServicesDep,
    last_event_id: Annotated[str, Header(pattern=r"^[0-9a-f-]{1,36}:[0-9]{1,9}$",
                                         description="The id of the last event received.")] = "",
) -> EventSourceResponse:
    """Resume an answer's stream after a dropped connection: the events after `Last-Event-ID`."""
    feed = await services.tutor.hub.feed(session.id, message_id)
    if feed is not None:
        after = _parse_last_event_id(last_event_id, message_id)
        follow(feed, services.settings.max_followers)
        return AnswerStream(_relay_to_the_end(feed, after, session.language, services.store),
                            headers=SSE_HEADERS)
    row = await services.store.message(session.id, message_id)
    if row is None or row.role != "assistant":
        raise ApiError(404, "not_found", key="not_found.answer")
    after = _parse_last_event_id(last_event_id, message_id)
    if after >= 0:
        raise ApiError(410, "resume_expired")
    return EventSourceResponse(_replay_stored(row, session.language), headers=SSE_HEADERS)


async def _relay_to_the_end(feed: Feed, after: int, language: str, store: Store) -> AsyncIterator[bytes]:
    """``relay``, closed with an `error` event when the process writing the answer was killed
    (another replica's answer): the learner is told it was cut, not left waiting, and the
    answer is stored as cut, with the words shared so far."""
    async for chunk in relay(feed, after):
        yield bytes(chunk)  # never the last piece: an `error` may follow
    if getattr(feed, "writer_gone", False):  # a RemoteTurn (Redis), whose writer was killed
        shared = await feed.shared_text()
        await store.mark_interrupted([feed.message_id], {feed.message_id: shared} if shared else None)
        code = "server_restarted"
        yield sse_event(feed, feed.last_seq + 1, "error",
                        {"code": code, "message": error_message(code, language), "message_id": feed.message_id})


async def _replay_stored(row, language: str) -> AsyncIterator[bytes]:
    """A stored answer as the stream it was, in three events."""
    turn = LiveTurn(session_id=row.session_id, message_id=row.id)
    yield sse_event(turn, 0, "sources", {"message_id": row.id, "sources": row.sources})
    yield sse_event(turn, 1, "delta", {"text": row.content})
    if row.status == "complete":
        yield sse_event(turn, 2, "done", {
            "message_id": row.id, "suggestions": row.suggestions,
            "usage": usage_report(row.input_tokens, row.output_tokens, row.cached_input_tokens,
                                  row.cache_write_input_tokens, row.cost_pico_usd),
            "provider": row.provider, "model": row.model,
            "activity": row.activity, "quiz": public_quiz(row.activity, row.quiz)})
    else:
        code = row.error_code or row.status
        yield sse_event(turn, 2, "error", {"code": code, "message": error_message(code, language),
                                           "message_id": row.id})


def budget_error(exc: BudgetExhausted) -> ApiError:
    """The daily budget: 429 until midnight UTC; a session's: 409, like a full session."""
    if exc.scope == "daily":
        return ApiError(429, "budget_exhausted", headers={"Retry-After": str(exc.retry_after)}, key=exc.key)
    return ApiError(409, "budget_exhausted", key=exc.key)


def _parse_last_event_id(value: str | None, message_id: str) -> int:
    if not value:
        return -1
    owner, _, seq = value.strip().rpartition(":")
    if owner != message_id or not seq.isdigit():
        raise ApiError(400, "bad_last_event_id")
    return int(seq)
