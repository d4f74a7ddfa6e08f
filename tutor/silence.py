"""Deadlines on silence, with one timer per stream instead of one per event.

A streamed answer has two kinds of patience: the model must say something
within so many seconds, and a reader must get a keep-alive after so many
quiet seconds. Wrapping every read in ``asyncio.timeout`` makes and cancels a
timer for each of an answer's chunks, which cost more CPU than reading them.
Here an event only notes the time; the one timer, when it fires, sees that
something was heard meanwhile and sets itself again for the new due time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType

# A timer may fire this early (the event loop's clock resolution); closer than this is due.
SLACK = 0.001


class QuietAlarm:
    """Calls ``ring`` each time ``seconds`` have passed without ``heard()``, until cancelled."""

    def __init__(self, seconds: float, ring: Callable[[], None]):
        self._loop = asyncio.get_running_loop()
        self._seconds = seconds
        self._ring = ring
        self.last = self._loop.time()
        self._handle = self._loop.call_at(self.last + seconds, self._check)

    def heard(self) -> None:
        self.last = self._loop.time()

    def change(self, seconds: float) -> None:
        """Another limit, counted from the last time something was heard."""
        self._seconds = seconds
        self._handle.cancel()
        self._handle = self._loop.call_at(self.last + seconds, self._check)

    def cancel(self) -> None:
        self._handle.cancel()

    def _check(self) -> None:
        now = self._loop.time()
        due = self.last + self._seconds
        if due > now + SLACK:  # heard since the timer was set: look again then
            self._handle = self._loop.call_at(due, self._check)
            return
        self.last = now
        self._handle = self._loop.call_at(now + self._seconds, self._check)
        self._ring()


class Silence:
    """``async with Silence(limit) as silence:`` raises TimeoutError once nothing was
    ``heard()`` for ``limit`` seconds (``expect`` changes the limit on the way).

    Like ``asyncio.timeout``, it cancels the task and turns that cancellation into
    TimeoutError, leaving any other cancellation (a stop, the turn's own deadline)
    as it is. It must not span a ``yield``: the body should only await the source
    it watches and handle each event without awaiting anything else.
    """

    def __init__(self, limit: float):
        self.limit = limit
        self._scope = asyncio.timeout(None)
        self._alarm: QuietAlarm | None = None

    async def __aenter__(self) -> "Silence":
        await self._scope.__aenter__()
        self._alarm = QuietAlarm(self.limit, self._expire)
        self.heard = self._alarm.heard  # called once per event: no extra call layer
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> bool | None:
        assert self._alarm is not None
        self._alarm.cancel()
        return await self._scope.__aexit__(exc_type, exc, tb)

    def heard(self) -> None:  # replaced by the alarm's own on entry
        raise RuntimeError("Silence has not been entered")

    def expect(self, limit: float) -> None:
        if limit != self.limit and self._alarm is not None:
            self.limit = limit
            self._alarm.change(limit)

    def expired(self) -> bool:
        return self._scope.expired()

    def _expire(self) -> None:
        assert self._alarm is not None
        self._alarm.cancel()
        self._scope.reschedule(asyncio.get_running_loop().time())
