"""Live state: the event logs of answers being written, stop requests, and where they are kept.

In-process by default (one process needs nothing else); shared through Redis
when ``TUTOR_REDIS_URL`` is set, so that several worker processes or replicas
can resume, stop and refuse each other's turns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.config import Settings

from .local import Feed, LiveTurn, TurnEvent, TurnHub

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["Feed", "LiveTurn", "TurnEvent", "TurnHub", "connect_redis", "make_hub"]


def connect_redis(settings: Settings) -> "Redis | None":
    """A client for ``TUTOR_REDIS_URL`` (it connects on first use), or None when unset."""
    if not settings.redis_url:
        return None
    from redis.asyncio import Redis

    return Redis.from_url(settings.redis_url, decode_responses=True, health_check_interval=30,
                          socket_connect_timeout=settings.connect_timeout)


def make_hub(settings: Settings, redis: "Redis | None") -> TurnHub:
    if redis is None:
        return TurnHub(settings.resume_window)
    from .redis_hub import RedisTurnHub

    return RedisTurnHub(redis, prefix=settings.redis_prefix, resume_window=settings.resume_window,
                        quiet_limit=max(settings.first_token_timeout, settings.chunk_timeout))
