"""The OpenAI-compatible endpoint: `POST /v1/chat/completions` and `GET /v1/models`.

Chat front-ends built on the `openai` SDK (Open WebUI, LibreChat, ...) talk to
the tutor as to the model `tutor`. The client keeps the conversation: the last
user message is the question, the earlier ones are the history, and what a
stored session would remember of them is rebuilt by replaying the planner
(``tutor.knowledge.recall``). The answer is then written by the very pipeline
of a session turn (``Tutor.start_detached_turn``), and nothing of it is stored
but the day's usage totals (for the budgets), unless the operator keeps
conversations (``TUTOR_CHAT_COMPLETIONS_STORE``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tutor import metrics
from tutor.budgets import BudgetExhausted
from tutor.error_messages import error_message
from tutor.knowledge.recall import recall
from tutor.live import LiveTurn, TurnEvent
from tutor.providers.base import ChatMessage
from tutor.turns import HISTORY_LIMIT, Conversation

from .chat import HEARTBEAT_SECONDS, SSE_HEADERS, answer_from
from .completion_wire import (
    MODEL_ID,
    ChatCompletionRequest,
    ChunkWriter,
    completion,
    model_object,
    text_of,
    tutor_extra,
)
from .deps import Services, ServicesDep, check_operator_key, client_key, rate_limit
from .errors import ApiError
from .openai_errors import OpenAIError, OpenAIRoute, bad_request, turn_error
from .schemas import clean_text

router = APIRouter(prefix="/v1", tags=["openai-compatible"], route_class=OpenAIRoute)

# How many earlier messages are replayed to rebuild what the conversation covered (planning
# 24 turns again takes about 0.1 s of CPU, off the event loop).
RECALL_LIMIT = 48
ERROR_DOC = {status: {"description": "`{\"error\": {\"message\", \"type\", \"param\", \"code\"}}`"}
             for status in (400, 401, 404, 413, 429, 502, 503)}


async def _operator(request: Request, services: Services, authorization: str | None, limiter) -> None:
    """Rate limit first (keys cannot be guessed at full speed), then the operator key, if keys are set."""
    await rate_limit(limiter, client_key(request), services.settings.rate_limit_enabled)
    scheme, _, key = (authorization or "").partition(" ")
    try:
        check_operator_key(services, key.strip() if scheme.lower() == "bearer" else None)
    except ApiError:
        raise OpenAIError(401, "A valid operator key is required: send it as `Authorization: Bearer <key>`.",
                          code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"}) from None


@router.get("/models", responses=ERROR_DOC)
async def list_models(request: Request, services: ServicesDep,
                      authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """The models this service answers as: one, `tutor`."""
    await _operator(request, services, authorization, services.read_limiter)
    return {"object": "list", "data": [model_object()]}


@router.get("/models/{model_id}", responses=ERROR_DOC)
async def get_model(model_id: str, request: Request, services: ServicesDep,
                    authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    await _operator(request, services, authorization, services.read_limiter)
    if model_id != MODEL_ID:
        raise _unknown_model(model_id)
    return model_object()


def _unknown_model(model: str) -> OpenAIError:
    return OpenAIError(404, f"The model `{model}` does not exist; this service answers as `{MODEL_ID}`.",
                       code="model_not_found", param="model")


async def conversation_from(body: ChatCompletionRequest, services: Services) -> Conversation:
    """The question, the history a turn may send, and what the conversation covered (replayed)."""
    history: list[ChatMessage] = []
    for index, message in enumerate(body.messages):
        text = text_of(message)
        if text is None:
            raise bad_request("Only text content is supported.", param=f"messages.{index}.content")
        text = clean_text(text)
        if message.role in ("user", "assistant") and text:
            history.append(ChatMessage(message.role, text))  # type: ignore[arg-type]
    if body.messages[-1].role != "user" or not history or history[-1].role != "user":
        raise bad_request("The last message must be the learner's question: role `user`, with some text.",
                          param="messages")
    question = history.pop().content
    limit = services.settings.max_message_chars
    if len(question) > limit:
        raise bad_request(f"The question is {len(question)} characters long; at most {limit} are allowed.",
                          param="messages")
    recalled = await anyio.to_thread.run_sync(recall, services.tutor.retriever, history[-RECALL_LIMIT:],
                                              services.settings.passages_per_turn)
    past = history[-HISTORY_LIMIT:]
    while past and past[0].role != "user":
        past.pop(0)
    return Conversation(question=question, past=past, covered=recalled.covered, earlier=recalled.earlier,
                        history=history)


@router.post("/chat/completions", response_model=None, responses={
    **ERROR_DOC,
    200: {"description": "A `chat.completion` object; with `stream: true`, `chat.completion.chunk` objects as "
                         "Server-Sent Events ending with `data: [DONE]`. Both carry an extra `tutor` field "
                         "(sources, suggestions, activity) that OpenAI clients ignore.",
          "content": {"text/event-stream": {}}}})
async def chat_completions(body: ChatCompletionRequest, request: Request, services: ServicesDep,
                           authorization: Annotated[str | None, Header()] = None
                           ) -> JSONResponse | StreamingResponse:
    """Ask the tutor as an OpenAI chat model: model `tutor`, streamed or not."""
    await _operator(request, services, authorization, services.client_message_limiter)
    if body.model != MODEL_ID:
        raise _unknown_model(body.model)
    conversation = await conversation_from(body, services)
    try:
        turn = await services.tutor.start_detached_turn(conversation)
    except BudgetExhausted as exc:
        raise OpenAIError(429, error_message(exc.key, conversation.language), code="budget_exhausted",
                          headers={"Retry-After": str(exc.retry_after or 60)}) from None
    if not body.stream:
        return await _whole(turn)
    return await _stream(turn, body.include_usage)


async def _whole(turn: LiveTurn) -> JSONResponse:
    await turn.wait()
    answer = answer_from(turn).model_dump(mode="json")
    error = answer["error"]
    if error and error["code"] != "answer_too_long":
        raise turn_error(error["code"], error["message"])
    done = next((event.data for event in turn.events if event.name == "done"), None)
    body = completion(turn.message_id, answer["content"], "length" if error else "stop", answer["usage"],
                      tutor_extra(answer["sources"], done))
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def _stream(turn: LiveTurn, include_usage: bool) -> JSONResponse | StreamingResponse:
    """Wait for the first word: an answer that fails before it (every provider of the chain
    failed) is an HTTP error a client can retry; after it, errors arrive in the stream."""
    events = turn.follow(heartbeat=HEARTBEAT_SECONDS)
    head: list[TurnEvent] = []
    async for batch in events:
        head += batch
        if any(event.name != "sources" for event in batch):
            break
    first = next((event for event in head if event.name != "sources"), None)
    if first is not None and first.name == "error" and first.data["code"] != "answer_too_long":
        await events.aclose()
        raise turn_error(first.data["code"], first.data["message"])
    writer = ChunkWriter(turn.message_id, include_usage)
    return StreamingResponse(_chunks(writer, turn, head, events), media_type="text/event-stream",
                             headers=SSE_HEADERS)


async def _chunks(writer: ChunkWriter, turn: LiveTurn, head: list[TurnEvent],
                  events: AsyncIterator[list[TurnEvent]]) -> AsyncIterator[bytes]:
    """The turn's events as chunks; a client that goes away stops the answer (nothing waits for it)."""
    sources: list[dict[str, Any]] = []
    finished = False
    try:
        with metrics.open_stream():
            yield writer.role()
            pending = [head]
            async for batch in _batches(pending, events):
                if not batch:
                    yield b": keep-alive\n\n"
                    continue
                for event in batch:
                    if event.name == "sources":
                        sources = event.data["sources"]
                    elif event.name == "delta":
                        yield writer.text(event.data["text"])
                    elif event.name == "done":
                        yield writer.finish("stop", tutor_extra(sources, event.data))
                        if writer.include_usage:
                            yield writer.usage(event.data["usage"])
                        yield writer.DONE
                    elif event.data["code"] == "answer_too_long":
                        yield writer.finish("length", tutor_extra(sources, None))
                        yield writer.DONE
                    else:
                        yield writer.error({"message": event.data["message"], "type": "server_error",
                                            "param": None, "code": event.data["code"]})
                        yield writer.DONE
        finished = True
    finally:
        if not finished:
            turn.stop("client_disconnected")


async def _batches(pending: list[list[TurnEvent]], events: AsyncIterator[list[TurnEvent]]
                   ) -> AsyncIterator[list[TurnEvent]]:
    for batch in pending:
        yield batch
    async for batch in events:
        yield batch
