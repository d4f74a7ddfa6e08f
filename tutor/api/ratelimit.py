"""Per-client and per-session request limits (fixed one-minute windows, in memory).

Enough for one process; a deployment with several replicas would move the
counters to a shared store.
"""

from __future__ import annotations

import math
import time


class RateLimiter:
    def __init__(self, per_minute: int, *, window: float = 60.0, max_keys: int = 100_000):
        self.per_minute = per_minute
        self.window = window
        self.max_keys = max_keys
        self._counts: dict[str, tuple[float, int]] = {}

    def hit(self, key: str, now: float | None = None) -> float | None:
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


def retry_after_header(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
