"""Creating, reading and deleting conversations."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread

from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response

from tutor.prices import usage_report
from tutor.store import MessageRow
from tutor.turns import public_quiz

from .deps import ServicesDep, SessionDep, check_operator_key, client_key, rate_limit
from .schemas import error_responses, CreateSession, MessageOut, SessionCreated, SessionOut

router = APIRouter(prefix="/v1/sessions", tags=["sessions"],
                   responses=error_responses(400, 401, 404, 413, 415, 422, 429))

# Session data and tokens must not be kept by browsers or shared caches.
NO_STORE = "no-store"
DEFAULT_PAGE = 50
MAX_PAGE = 100


def message_out(row: MessageRow) -> MessageOut:
    return MessageOut(
        id=row.id, role=row.role, content=row.content, sources=row.sources,  # type: ignore[arg-type]
        suggestions=row.suggestions, status=row.status, error_code=row.error_code,  # type: ignore[arg-type]
        provider=row.provider, model=row.model, activity=row.activity,
        quiz=public_quiz(row.activity, row.quiz), created_at=row.created_at,
        usage=stored_usage(row),
    )


def stored_usage(row: MessageRow) -> dict | None:
    """A stored answer's usage, or None when it never reached a model."""
    if row.input_tokens is None:
        return None
    return usage_report(row.input_tokens, row.output_tokens, row.cached_input_tokens,
                        row.cache_write_input_tokens, row.cost_pico_usd)


@router.post("", status_code=201, response_model=SessionCreated)
async def create_session(
    request: Request, response: Response, services: ServicesDep,
    body: Annotated[CreateSession | None, Body()] = None,
    x_api_key: Annotated[str | None, Header(description="An operator key, when the service is private.")] = None,
) -> SessionCreated:
    """Open a conversation. The token in the answer is shown once: keep it.

    A private service (operator keys configured) answers 401 `api_key_required`
    without a valid `X-API-Key`; the rate limit is checked first.
    """
    await rate_limit(services.session_limiter, client_key(request), services.settings.rate_limit_enabled)
    check_operator_key(services, x_api_key)
    row, token = await services.store.create_session((body or CreateSession()).language)
    response.headers["Cache-Control"] = NO_STORE
    return SessionCreated(id=row.id, token=token, created_at=row.created_at)


async def limit_reads(request: Request, services: ServicesDep) -> None:
    """Reads count per client before the token is checked: guessing costs the same as reading."""
    await rate_limit(services.read_limiter, client_key(request), services.settings.rate_limit_enabled)


@router.get("/{session_id}", response_model=SessionOut, dependencies=[Depends(limit_reads)])
async def read_session(
    session: SessionDep, services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="How many messages, newest first.")] = DEFAULT_PAGE,
    before: Annotated[str | None, Query(pattern=r"^[0-9]{1,9}$",
                                        description="The `older` cursor of a previous page.")] = None,
) -> Response:
    """The conversation and its newest `limit` messages (oldest first); `older` pages back."""
    totals = await services.store.session_usage(session.id)
    page = await services.store.message_page(session.id, limit=limit,
                                             before=int(before) if before is not None else None)

    def render() -> bytes:
        return SessionOut(id=session.id, language=session.language, created_at=session.created_at,
                          covered=list(session.covered), messages=[message_out(r) for r in page.messages],
                          older=str(page.older) if page.older is not None else None,
                          usage=usage_report(totals.input_tokens, totals.output_tokens, totals.cached_input_tokens,
                                             totals.cache_write_input_tokens, totals.cost)).model_dump_json().encode()

    # A page can hold a megabyte of answers: it is encoded off the event loop that streams answers.
    body = await anyio.to_thread.run_sync(render)
    return Response(body, media_type="application/json", headers={"Cache-Control": NO_STORE})


@router.delete("/{session_id}", status_code=204)
async def delete_session(session: SessionDep, services: ServicesDep) -> Response:
    """Delete the conversation and every message in it, for good."""
    for turn in services.tutor.hub.running():
        if turn.session_id == session.id:
            turn.stop("session_deleted")
            await turn.wait()
    if session.active_turn:  # being written by another process
        await services.tutor.hub.stop(session.id, session.active_turn, "session_deleted")
    await services.store.delete_session(session.id)
    return Response(status_code=204)
