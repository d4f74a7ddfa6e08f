"""Request-scoped dependencies: the shared services and the caller's session."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Header, Request

from tutor.config import Settings
from tutor.knowledge.pack import LessonPack
from tutor.store import SessionRow, Store
from tutor.turns import Tutor

from .errors import ApiError
from .ratelimit import Limiter, retry_after_header

if TYPE_CHECKING:
    from redis.asyncio import Redis


@dataclass
class Services:
    """Built once at start-up by the app factory and kept on ``app.state``."""

    settings: Settings
    store: Store
    pack: LessonPack
    tutor: Tutor
    session_limiter: Limiter
    message_limiter: Limiter
    client_message_limiter: Limiter
    redis: "Redis | None" = None


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise ApiError(401, "unauthorized", "Send the session's token as `Authorization: Bearer <token>`.",
                       {"WWW-Authenticate": "Bearer"})
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "Send the session's token as `Authorization: Bearer <token>`.",
                       {"WWW-Authenticate": "Bearer"})
    return token.strip()


async def current_session(
    session_id: str, services: ServicesDep,
    authorization: Annotated[str | None, Header()] = None,
) -> SessionRow:
    """The session named in the path, if the bearer token is its own.

    An unknown session and a wrong token both answer 404, so nobody can learn
    which sessions exist.
    """
    token = _bearer(authorization)
    session = await services.store.authenticate(session_id, token)
    if session is None:
        raise ApiError(404, "not_found", "No such session.")
    return session


SessionDep = Annotated[SessionRow, Depends(current_session)]


def require_operator_key(
    services: ServicesDep, x_api_key: Annotated[str | None, Header()] = None
) -> None:
    """For a private deployment: creating a session needs one of the operator's API keys."""
    keys = services.settings.api_keys
    if not keys:
        return
    offered = (x_api_key or "").encode()
    if not any(hmac.compare_digest(offered, key.get_secret_value().encode()) for key in keys):
        raise ApiError(401, "unauthorized", "This service is private: send a valid `X-API-Key` header.")


async def rate_limit(limiter: Limiter, key: str, enabled: bool) -> None:
    if not enabled:
        return
    wait = await limiter.hit(key)
    if wait is not None:
        raise ApiError(429, "rate_limited", "Too many requests; please wait a moment and try again.",
                       retry_after_header(wait))
