"""Per-client and per-session request limits (in memory).

Each key is a token bucket kept as one number (GCRA): ``per_minute``
requests a minute, at most ``burst`` of them back to back, so a client
cannot spend a whole minute's allowance in one second.

The counters are bounded: at most ``max_keys`` keys are remembered. When a
new key needs room, keys whose bucket is full again go first, then the one
least recently seen among those still allowed; a key that is being refused
is forgotten only when nothing else is left. So a flood of new addresses
costs no memory beyond the bound, never resets everyone's counters at once,
and cannot free a client that is being held back.

Enough for one process; a deployment with several replicas would move the
counters to a shared store behind the same ``hit(key)``.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict


class RateLimiter:
    def __init__(self, per_minute: int, *, burst: int | None = None, max_keys: int = 50_000):
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

    def hit(self, key: str, now: float | None = None) -> float | None:
        """Count one request for ``key``; None if allowed, else seconds until it would be."""
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


def retry_after_header(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
