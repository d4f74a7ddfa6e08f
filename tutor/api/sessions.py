"""Creating, reading and deleting conversations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response

from tutor.store import MessageRow

from .deps import ServicesDep, SessionDep, client_key, rate_limit, require_operator_key
from .schemas import error_responses, CreateSession, MessageOut, SessionCreated, SessionOut

router = APIRouter(prefix="/v1/sessions", tags=["sessions"],
                   responses=error_responses(400, 401, 404, 413, 415, 422, 429))


def message_out(row: MessageRow) -> MessageOut:
    return MessageOut(
        id=row.id, role=row.role, content=row.content, sources=row.sources,  # type: ignore[arg-type]
        suggestions=row.suggestions, status=row.status, error_code=row.error_code,  # type: ignore[arg-type]
        provider=row.provider, model=row.model, created_at=row.created_at,
    )


@router.post("", status_code=201, response_model=SessionCreated,
             dependencies=[Depends(require_operator_key)])
async def create_session(
    request: Request, services: ServicesDep, body: Annotated[CreateSession | None, Body()] = None
) -> SessionCreated:
    """Open a conversation. The token in the answer is shown once: keep it."""
    await rate_limit(services.session_limiter, client_key(request), services.settings.rate_limit_enabled)
    row, token = await services.store.create_session((body or CreateSession()).language)
    return SessionCreated(id=row.id, token=token, created_at=row.created_at)


@router.get("/{session_id}", response_model=SessionOut)
async def read_session(session: SessionDep, services: ServicesDep) -> SessionOut:
    """The conversation with all its messages, oldest first."""
    rows = await services.store.messages(session.id)
    return SessionOut(id=session.id, language=session.language, created_at=session.created_at,
                      covered=list(session.covered), messages=[message_out(r) for r in rows])


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
