"""Per-client and per-session request limits.

Two stores behind one method, ``await limiter.hit(key)``: this process's
memory (one process), or Redis when ``TUTOR_REDIS_URL`` is set, so that a
client's limits hold across every worker and replica.

In memory, each key is a token bucket kept as one number (GCRA): ``per_minute``
requests a minute, at most ``burst`` of them back to back, so a client
cannot spend a whole minute's allowance in one second.

The in-memory counters are bounded: at most ``max_keys`` keys are remembered.
When a new key needs room, keys whose bucket is full again go first, then the
one least recently seen among those still allowed; a key that is being refused
is forgotten only when nothing else is left. So a flood of new addresses
costs no memory beyond the bound, never resets everyone's counters at once,
and cannot free a client that is being held back.

In Redis, each key counts requests in a fixed one-minute window.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("tutor.ratelimit")


class Limiter(Protocol):
    name: str  # which limit it is, for the refusals metric

    async def hit(self, key: str) -> float | None:
        """Count one request for ``key``; None if allowed, else seconds until it would be."""


class RateLimiter:
    """The counters in this process's memory."""

    def __init__(self, per_minute: int, *, burst: int | None = None, max_keys: int = 50_000, name: str = ""):
        self.name = name
        self.per_minute = per_minute
        self.interval = 60.0 / per_minute
        self.burst = min(burst or per_minute, per_minute)
        self.tolerance = self.interval * (self.burst - 1)
        self.max_keys = max_keys
        # key -> the time its bucket is full again; least recently seen first.
        self._allowed: OrderedDict[str, float] = OrderedDict()
        self._refused: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._allowed) + len(self._refused)

    async def hit(self, key: str, now: float | None = None) -> float | None:
        """Count one request for ``key``; None if allowed, else seconds until it would be."""
        return self.take(key, now)

    def take(self, key: str, now: float | None = None) -> float | None:
        """``hit`` without the await: the same count, for callers outside an event loop."""
        now = time.monotonic() if now is None else now
        known = key in self._allowed or key in self._refused
        full_at = max(self._allowed.pop(key, None) or self._refused.pop(key, None) or now, now)
        if full_at - now > self.tolerance:
            self._refused[key] = full_at
            return full_at - self.tolerance - now
        if not known:
            self._make_room(now)
        full_at += self.interval
        (self._refused if full_at - now > self.tolerance else self._allowed)[key] = full_at
        return None

    def _make_room(self, now: float) -> None:
        for buckets in (self._allowed, self._refused):
            while buckets and next(iter(buckets.values())) <= now:
                buckets.popitem(last=False)
        while len(self) >= self.max_keys:
            (self._allowed or self._refused).popitem(last=False)


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

    def __init__(self, redis: "Redis", prefix: str, per_minute: int, *, window: float = 60.0, name: str = ""):
        self.name = name
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
