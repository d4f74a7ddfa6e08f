"""Per-client and per-session request limits (fixed one-minute windows, in memory).

The counters are bounded: at most ``max_keys`` keys are remembered. When a
new key needs room, windows that have ended go first, then the oldest
window of a key that is still under its limit; a key that is being refused
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
    def __init__(self, per_minute: int, *, window: float = 60.0, max_keys: int = 50_000):
        self.per_minute = per_minute
        self.window = window
        self.max_keys = max_keys
        # key -> (window start, count); each in the order its window began (or it was refused).
        self._open: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._refused: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._open) + len(self._refused)

    def hit(self, key: str, now: float | None = None) -> float | None:
        """Count one request for ``key``; None if allowed, else seconds until it would be."""
        now = time.monotonic() if now is None else now
        start, count = self._open.get(key) or self._refused.get(key) or (now, 0)
        if now - start >= self.window:
            self._open.pop(key, None)
            self._refused.pop(key, None)
            start, count = now, 0
        if count >= self.per_minute:
            return start + self.window - now
        if count == 0:
            self._make_room(now)
        count += 1
        if count >= self.per_minute:
            self._open.pop(key, None)
            self._refused[key] = (start, count)
        else:
            self._open[key] = (start, count)  # an existing key keeps its place
        return None

    def _make_room(self, now: float) -> None:
        for windows in (self._open, self._refused):
            while windows and now - next(iter(windows.values()))[0] >= self.window:
                windows.popitem(last=False)
        while len(self) >= self.max_keys:
            (self._open or self._refused).popitem(last=False)


def retry_after_header(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
