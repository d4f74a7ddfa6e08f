"""Per-client and per-session request limits (fixed one-minute windows).

Two stores behind one method, ``await limiter.hit(key)``: this process's
memory (one process), or Redis when ``TUTOR_REDIS_URL`` is set, so that a
client's limits hold across every worker and replica.
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("tutor.ratelimit")


class Limiter(Protocol):
    async def hit(self, key: str) -> float | None:
        """Count one request for ``key``; None if allowed, else seconds until it would be."""


class RateLimiter:
    """The counters in this process's memory."""

    def __init__(self, per_minute: int, *, window: float = 60.0, max_keys: int = 100_000):
        self.per_minute = per_minute
        self.window = window
        self.max_keys = max_keys
        self._counts: dict[str, tuple[float, int]] = {}

    async def hit(self, key: str, now: float | None = None) -> float | None:
        """Count one request for ``key``; None if allowed, else seconds until it would be."""
        now = time.monotonic() if now is None else now
        start, count = self._counts.get(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        if count >= self.per_minute:
            return max(start + self.window - now, 0.0)
        if len(self._counts) >= self.max_keys and key not in self._counts:
            self._evict(now)
        self._counts[key] = (start, count + 1)
        return None

    def _evict(self, now: float) -> None:
        for key in [k for k, (start, _) in self._counts.items() if now - start >= self.window]:
            del self._counts[key]
        if len(self._counts) >= self.max_keys:
            self._counts.clear()


# One round trip, atomic: count, start the window on the first request, and
# tell how long until the window ends once the limit is passed.
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if count <= tonumber(ARGV[1]) then return -1 end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); left = tonumber(ARGV[2]) end
return left
"""


class RedisRateLimiter:
    """The counters in Redis, shared by every process that uses the same prefix."""

    def __init__(self, redis: "Redis", prefix: str, per_minute: int, *, window: float = 60.0):
        self.prefix = prefix
        self.per_minute = per_minute
        self.window_ms = int(window * 1000)
        self._script = redis.register_script(_HIT_SCRIPT)

    async def hit(self, key: str) -> float | None:
        from redis.exceptions import RedisError

        try:
            left = await self._script(keys=[self.prefix + key], args=[self.per_minute, self.window_ms])
        except RedisError as exc:
            # A limit we cannot count is not a reason to turn learners away.
            log.warning("rate limit not checked: Redis failed: %s", exc)
            return None
        return None if int(left) < 0 else int(left) / 1000


def retry_after_header(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
