"""Per-client and per-session request limits (fixed one-minute windows, in memory).

The counters are bounded: at most ``max_keys`` clients are remembered. The
keys are kept in the order their windows began, so windows that have ended
are dropped from the front, and when every remembered window is still
running the one that began first (the nearest to its reset) is forgotten.
A flood of new addresses therefore costs no memory beyond the bound and
never resets everyone's counters at once.

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
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()  # key -> (start, count)

    def __len__(self) -> int:
        return len(self._windows)

    def hit(self, key: str, now: float | None = None) -> float | None:
        """Count one request for ``key``; None if allowed, else seconds until it would be."""
        now = time.monotonic() if now is None else now
        self._drop_ended(now)
        start, count = self._windows.get(key, (now, 0))
        if count >= self.per_minute:
            return max(start + self.window - now, 0.0)
        if count == 0:
            self._windows.pop(key, None)
            while len(self._windows) >= self.max_keys:
                self._windows.popitem(last=False)
        self._windows[key] = (start, count + 1)  # an existing key keeps its place
        return None

    def _drop_ended(self, now: float) -> None:
        while self._windows:
            start, _ = next(iter(self._windows.values()))
            if now - start < self.window:
                return
            self._windows.popitem(last=False)


def retry_after_header(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
