"""The live state of answers being written, in this process's memory.

Each answer has an event log (``LiveTurn``) that followers read in batches
and can come back to with ``Last-Event-ID``; the hub keeps the logs of this
process's turns, lets finished ones go once the resume window has passed, and
stops turns. With one process this is all the live state there is; with
several, ``tutor.live.redis_hub`` shares it through Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tutor.silence import QuietAlarm


@dataclass(frozen=True, slots=True)
class TurnEvent:
    seq: int
    name: str  # sources | delta | done | error
    data: dict[str, Any]


class Feed(Protocol):
    """Something a relay can follow: a turn's events after a sequence number, as they come."""

    message_id: str
    followers: int  # streams relaying it in this process right now (capped by TUTOR_MAX_FOLLOWERS)

    def follow(self, after: int = -1, heartbeat: float | None = None) -> AsyncIterator[list[TurnEvent]]: ...

    async def settle(self, seconds: float) -> None:
        """Wait ``seconds`` before reading on, less if the answer ends meanwhile."""


@dataclass
class LiveTurn:
    """The event log of one answer being written (or recently written) by this process."""

    session_id: str
    message_id: str
    language: str = "ko"  # the session's: error events speak it
    events: list[TurnEvent] = field(default_factory=list)
    done: bool = False
    finished_at: float | None = None
    task: asyncio.Task[None] | None = None
    stop_reason: str | None = None
    followers: int = 0  # streams relaying this turn right now (capped by TUTOR_MAX_FOLLOWERS)
    # Told when the first event is written (the Redis hub shares an answer's start at once).
    on_start: Callable[[], None] | None = None
    # Followers waiting for the next event: woken all at once.
    _waiters: list[asyncio.Future[None]] = field(default_factory=list)
    # Followers holding their next read back (``settle``): woken when the turn ends.
    _settling: list[asyncio.Future[None]] = field(default_factory=list)

    def emit(self, name: str, data: dict[str, Any]) -> None:
        self.events.append(TurnEvent(len(self.events), name, data))
        self._wake()  # this process's own followers first: they relay to the learner
        if self.on_start is not None and len(self.events) == 1:
            self.on_start()

    def close(self) -> None:
        self.done = True
        self.finished_at = time.monotonic()
        self._wake()
        settling, self._settling = self._settling, []
        for waiter in settling:
            if not waiter.done():
                waiter.set_result(None)

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def follow(self, after: int = -1, heartbeat: float | None = None) -> AsyncIterator[list[TurnEvent]]:
        """The events with a sequence number above ``after``, as they come, until the end.

        Each step yields every event waiting at that moment (a busy server sends
        them in one write), or an empty list after ``heartbeat`` quiet seconds so
        that a relay can keep its connection alive (one timer per follower, not one
        per wait: see ``tutor.silence``).
        """
        loop = asyncio.get_running_loop()
        position = after + 1
        beats: list[None] = []  # heartbeats due, rung by the alarm
        waiter: asyncio.Future[None] | None = None

        def beat() -> None:
            beats.append(None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

        alarm = QuietAlarm(heartbeat, beat) if heartbeat is not None else None
        try:
            while True:
                if position < len(self.events):
                    batch = self.events[position:]
                    position += len(batch)
                    if alarm is not None:
                        alarm.heard()
                        beats.clear()
                    yield batch
                    continue
                if self.done:
                    return
                if beats:
                    beats.clear()
                    yield []
                    continue
                waiter = loop.create_future()
                self._waiters.append(waiter)
                await waiter
                if beats and waiter in self._waiters:  # woken by the alarm, not by an event
                    self._waiters.remove(waiter)
                waiter = None
        finally:
            if alarm is not None:
                alarm.cancel()

    async def settle(self, seconds: float) -> None:
        """Wait ``seconds``, or until the turn ends if that comes first.

        A relay holds its next write back for a moment so that the pieces the model sends
        meanwhile go out together; the end of the answer (its `done`, stored first) is not
        held back with them: it goes out as soon as it is written, not up to a hold later."""
        if self.done:
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._settling.append(waiter)
        timer = loop.call_later(seconds, _resolve, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            if waiter in self._settling:
                self._settling.remove(waiter)

    def stop(self, reason: str) -> None:
        if not self.done and self.task is not None and self.stop_reason is None:
            self.stop_reason = reason
            self.task.cancel()

    async def wait(self) -> None:
        """Until the turn has ended and stored its outcome, however it ended."""
        if self.task is not None:
            await asyncio.wait([self.task])


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class TurnHub:
    """The live (and recently finished) turns of this process: the in-process live state."""

    def __init__(self, resume_window: float):
        self.resume_window = resume_window
        self._turns: dict[str, LiveTurn] = {}
        self._finished: deque[LiveTurn] = deque()  # in the order they finished

    async def start(self) -> None:
        """Nothing to connect to in-process."""

    async def aclose(self) -> None:
        """Nothing to release in-process."""

    def add(self, turn: LiveTurn) -> None:
        self._prune()
        self._turns[turn.message_id] = turn

    def get(self, message_id: str) -> LiveTurn | None:
        return self._turns.get(message_id)

    def running(self) -> list[LiveTurn]:
        return [t for t in self._turns.values() if not t.done]

    def finished(self, turn: LiveTurn) -> None:
        """Keep a finished turn for resuming until the window has passed, and not longer:
        it leaves memory then even if no other turn ever starts."""
        self._finished.append(turn)
        with contextlib.suppress(RuntimeError):  # no event loop: pruned when the next turn starts
            asyncio.get_running_loop().call_later(self.resume_window + 0.05, self._prune)

    async def feed(self, session_id: str, message_id: str) -> Feed | None:
        """The answer's live event log, if it is still held (None once the window has passed)."""
        turn = self._turns.get(message_id)
        return turn if turn is not None and turn.session_id == session_id else None

    async def stop(self, session_id: str, message_id: str, reason: str) -> bool:
        """Stop the answer if it is being written, and wait until its outcome is stored.

        True when the process writing it has died instead (another replica's answer):
        its outcome will only be stored when its lease runs out."""
        turn = self._turns.get(message_id)
        if turn is not None and turn.session_id == session_id:
            turn.stop(reason)
            await turn.wait()
        return False

    async def shared_text(self, session_id: str, message_id: str) -> str | None:
        """The text another process shared of an answer it was writing; None in-process,
        where the process writing an answer stores its text itself (or dies with it)."""
        return None

    def _prune(self) -> None:
        cutoff = time.monotonic() - self.resume_window
        while self._finished and (self._finished[0].finished_at or 0) <= cutoff:
            self._turns.pop(self._finished.popleft().message_id, None)

    async def shutdown(self, grace: float) -> None:
        """Let answers in flight finish within ``grace`` seconds, then stop them (stored as interrupted)."""
        running = [t.task for t in self.running() if t.task is not None]
        if running:
            _, pending = await asyncio.wait(running, timeout=grace)
            for turn in self.running():
                turn.stop("server_shutdown")
            if pending:
                await asyncio.wait(pending, timeout=5)
