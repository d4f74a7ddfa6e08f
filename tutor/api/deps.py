"""Request-scoped dependencies: the shared services and the caller's session."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Header, Request

from tutor import logs, metrics
from tutor.config import Settings
from tutor.knowledge.pack import LessonPack
from tutor.store import SessionRow, Store
from tutor.turns import Tutor

from .clients import ClientAddresses
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
    read_limiter: Limiter
    clients: ClientAddresses = field(default_factory=ClientAddresses)
    redis: "Redis | None" = None


def services_of(request: Request) -> Services:
    return request.app.state.services


async def get_services(request: Request) -> Services:
    """The services, as a dependency. A coroutine: FastAPI runs a plain function dependency
    in a worker thread, a thread hop per request for reading one attribute."""
    return services_of(request)


ServicesDep = Annotated[Services, Depends(get_services)]


def client_key(request: Request) -> str:
    """The rate-limit bucket of the caller (see ``tutor.api.clients``)."""
    return services_of(request).clients.key(request.scope)


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise ApiError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


async def current_session(
    session_id: str, services: ServicesDep, request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> SessionRow:
    """The session named in the path, if the bearer token is its own.

    An unknown session and a wrong token both answer 404, so nobody can learn
    which sessions exist. From here on, errors speak the session's language.
    """
    token = _bearer(authorization)
    ttl = services.settings.session_ttl
    session = await services.store.authenticate(session_id, token, ttl=timedelta(seconds=ttl) if ttl else None)
    if session is None:
        raise ApiError(404, "not_found")
    request.state.language = session.language
    logs.session_id.set(session.id)  # this request's log lines, and its turn's, name the session
    return session


SessionDep = Annotated[SessionRow, Depends(current_session)]


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8")).digest()


def check_operator_key(services: Services, offered: str | None) -> None:
    """For a private deployment: creating a session needs one of the operator's API keys.

    Called after the rate limit, so keys cannot be guessed at full speed; every
    key is compared, in constant time, whichever matches.
    """
    keys = services.settings.api_keys
    if not keys:
        return
    offered_digest = _digest(offered or "")
    matches = [hmac.compare_digest(offered_digest, _digest(key.get_secret_value())) for key in keys]
    if not offered or not any(matches):
        raise ApiError(401, "api_key_required",
                       "This service is private: send a valid access key as the `X-API-Key` header.")


async def rate_limit(limiter: Limiter, key: str, enabled: bool) -> None:
    if not enabled:
        return
    wait = await limiter.hit(key)
    if wait is not None:
        metrics.rate_limited(getattr(limiter, "name", ""))
        raise ApiError(429, "rate_limited", headers=retry_after_header(wait))
