"""The live state shared through Redis, so that any replica can resume or stop any answer.

The process writing an answer keeps its event log in memory (its own
followers read it there, at no cost) and mirrors it into a Redis stream in
batches: one entry per batch with the id ``1-<seq of its last event>`` (so
``<message_id>:<seq>`` maps straight onto a stream position: XREAD after
``1-<seq>`` returns the batch holding the next event), and a last entry
``2-0`` when the answer has ended. One task per process mirrors every answer
it is writing, all of them in one pipelined round trip per batch: an entry
(and a reply to parse) per event cost more CPU than the rest of a turn's
sharing. The stream lives as long as the resume window once the answer is
finished. A follower on another replica reads it with ``XREAD BLOCK``.
While a process writes answers it keeps a short-lived key ``alive:<writer>``
fresh (once a second: in a batch's round trip, or alone when its answers are
quiet), and each stream's first entry names its writer: another replica then
knows within seconds that an answer's writer was killed, instead of waiting
for a stream that will never end until it expires.
Stop requests go out on a pub/sub channel that every replica listens to; the
one writing the answer cancels it. One turn at a time per session is the
database's lease (``Store.begin_turn``), shared by every replica already.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
import uuid
from collections.abc import AsyncIterator

from redis.asyncio import Redis
from redis.exceptions import RedisError

from .local import LiveTurn, TurnEvent, TurnHub

log = logging.getLogger("tutor.live")

END_ID = "2-0"
# Events are mirrored in batches at most this often: a follower on another
# replica (a rare resume after a dropped connection) lags by up to this much,
# while the writer pays one round trip per batch for all its answers instead of
# one per chunk (or one per answer and batch: that was a sixth of a worker's CPU
# at 64 learners). The start and the end of an answer are mirrored within
# MIRROR_SOON, so stops from other replicas find it and never wait for a batch.
MIRROR_INTERVAL = 0.25
# An answer's start or end is shared this soon: the starts and ends of other answers that
# come meanwhile go out in the same round trip (a busy worker has one every few milliseconds).
MIRROR_SOON = 0.02
# How long a stop request waits for the answer's outcome to be stored elsewhere.
STOP_WAIT = 15.0
# How long a stop request looks for an answer that has just started on another replica.
STOP_FIND = 1.0
# A writer's key lives this long after its last refresh (every WRITER_REFRESH at
# most): a replica that was killed is taken for gone after at most this much.
WRITER_TTL = 5
WRITER_REFRESH = 1.0
# A follower on another replica checks its writer is alive after this much quiet.
LIVENESS_CHECK = 1.0
# A running answer's stream has its expiry pushed out at most this often, not with every
# batch (a command fewer per batch): it still outlives a quiet spell of the longest allowed
# length after its last push (its TTL leaves 30 s over that spell).
EXPIRY_REFRESH = 10.0


# One encoder for every batch (``json.dumps(..., ensure_ascii=False)`` builds one per call).
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def event_id(seq: int) -> str:
    return f"1-{seq}"


class RemoteTurn:
    """An answer's event log as another replica mirrored it into Redis."""

    def __init__(self, redis: Redis, key: str, message_id: str, prefix: str):
        self.redis, self.key, self.message_id, self.prefix = redis, key, message_id, prefix
        self.followers = 0  # one RemoteTurn per request: the follower cap binds this process's own turns
        self.last_seq = -1  # the last event followed
        self.writer_gone = False  # the stream ended without its end marker: its writer died

    async def writer_alive(self) -> bool:
        """False once the stream is gone, or the process writing it stopped refreshing its key."""
        first = await self.redis.xrange(self.key, count=1)
        if not first:
            return False
        writer = first[0][1].get("w")
        return writer is None or bool(await self.redis.exists(f"{self.prefix}alive:{writer}"))

    async def shared_text(self) -> str:
        """Every delta mirrored so far, joined: the words its learner may already have read."""
        text: list[str] = []
        for _, fields in await self.redis.xrange(self.key):
            if "b" in fields:
                text += [data["text"] for _, name, data in json.loads(fields["b"]) if name == "delta"]
        return "".join(text)

    async def settle(self, seconds: float) -> None:
        """Like ``LiveTurn.settle``, without the early end: another replica's events come in batches anyway."""
        await asyncio.sleep(seconds)

    async def follow(self, after: int = -1, heartbeat: float | None = None) -> AsyncIterator[list[TurnEvent]]:
        """Like ``LiveTurn.follow``: batches of events above ``after``; [] after quiet ``heartbeat`` seconds.

        Ends at the end marker, or when the writer is gone (killed: its key
        expired, or its stream did): ``writer_gone`` is then set.
        """
        self.last_seq = after
        last = event_id(after) if after >= 0 else "0-0"
        block = int(min(heartbeat or LIVENESS_CHECK, LIVENESS_CHECK) * 1000)
        quiet_since = time.monotonic()
        while True:
            reply = await self.redis.xread({self.key: last}, count=1000, block=block)
            if not reply:
                if not await self.writer_alive():
                    self.writer_gone = True
                    return
                if heartbeat and time.monotonic() - quiet_since >= heartbeat:
                    quiet_since = time.monotonic()
                    yield []
                continue
            quiet_since = time.monotonic()
            batch: list[TurnEvent] = []
            for entry_id, fields in reply[0][1]:
                if entry_id == END_ID:
                    if batch:
                        yield batch
                    return
                last = entry_id
                batch.extend(TurnEvent(seq, name, data) for seq, name, data in json.loads(fields["b"]) if seq > after)
            if batch:
                self.last_seq = batch[-1].seq
            yield batch


class RedisTurnHub(TurnHub):
    """This process's turns, mirrored into Redis; stops and resumes reach across replicas."""

    def __init__(self, redis: Redis, *, prefix: str, resume_window: float, quiet_limit: float):
        super().__init__(resume_window)
        self.redis = redis
        self.prefix = prefix
        self.channel = f"{prefix}stop"
        # A running answer's stream outlives the longest quiet spell it may have,
        # so that it only expires early when its writer has died.
        self.running_ttl = math.ceil(quiet_limit) + 30
        self.finished_ttl = max(1, math.ceil(resume_window))
        self.writer = uuid.uuid4().hex[:12]  # this process, as its streams name it
        self.alive_key = f"{prefix}alive:{self.writer}"
        self._refreshed = 0.0  # when this process's key was last made fresh
        # This process's answers being mirrored: how many of their events are already in Redis,
        # and when their stream's expiry was last pushed out.
        self._mirrored: dict[str, tuple[LiveTurn, int, float]] = {}
        self._due = asyncio.Event()  # an answer's first event, or its end: mirror now
        self._urgent: set[str] = set()  # the answers that have just started or ended
        self._mirroring = asyncio.Lock()  # one batch at a time, so every stream gets its entries in order
        self._mirror_task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None

    def key(self, session_id: str, message_id: str) -> str:
        return f"{self.prefix}turn:{session_id}:{message_id}"

    async def start(self) -> None:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self.channel)
        self._listener = asyncio.create_task(self._listen(pubsub), name="tutor-stop-listener")

    async def aclose(self) -> None:
        tasks = [task for task in (self._listener, self._mirror_task) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _listen(self, pubsub) -> None:
        """Stop requests from any replica: the one writing the answer cancels it."""
        try:
            while True:
                try:
                    message = await pubsub.get_message(timeout=5.0)
                except RedisError as exc:
                    log.warning("stop requests: lost the connection to Redis (%s); retrying", exc)
                    await asyncio.sleep(1.0)
                    continue
                if message is None:
                    continue
                session_id, message_id, reason = str(message["data"]).split(" ", 2)
                turn = self.get(message_id)
                if turn is not None and turn.session_id == session_id:
                    turn.stop(reason)
        finally:
            await pubsub.aclose()

    def add(self, turn: LiveTurn) -> None:
        super().add(turn)
        self._mirrored[turn.message_id] = (turn, 0, -math.inf)
        # Its first event goes out soon: other replicas can stop it from then on.
        turn.on_start = lambda: self._soon(turn.message_id)
        if self._mirror_task is None or self._mirror_task.done():
            self._mirror_task = asyncio.create_task(self._mirror_loop(), name="tutor-event-mirror")

    def finished(self, turn: LiveTurn) -> None:
        super().finished(turn)
        self._soon(turn.message_id)

    def _soon(self, message_id: str) -> None:
        """Mirror this answer soon (its start or its end), without waiting for the next batch."""
        self._urgent.add(message_id)
        self._due.set()

    async def _mirror_loop(self) -> None:
        """Mirror every answer's new events every MIRROR_INTERVAL; an answer's start and its end
        within MIRROR_SOON, with no other answer's events: with many answers, starts and ends
        come every few milliseconds, and each of them carrying every other answer's latest
        words made five times the commands; each in a round trip of its own, three times the round trips.
        Asleep while this process writes no answer."""
        loop = asyncio.get_running_loop()
        next_batch = loop.time()
        while True:
            wait = next_batch - loop.time()
            if not self._mirrored:
                await self._due.wait()
            elif wait > 0:
                try:
                    async with asyncio.timeout(wait):
                        await self._due.wait()
                except TimeoutError:
                    pass
            if self._due.is_set():
                await asyncio.sleep(MIRROR_SOON)  # the starts and ends meanwhile share the round trip
            self._due.clear()
            every = loop.time() >= next_batch
            if every:
                next_batch = loop.time() + MIRROR_INTERVAL
            try:
                await self.mirror(every)
            except Exception:
                log.exception("sharing answers through Redis failed")

    async def mirror(self, every: bool = True) -> None:
        """One pipelined round trip: the events since the last batch, and the end marker of the
        answers that have ended; of every answer, or (``every`` false) only of those that have
        just started or ended."""
        async with self._mirroring:
            pipe = self.redis.pipeline(transaction=False)
            now = time.monotonic()
            # First: a stream never names a writer whose key is not there yet.
            fresh_writer = now - self._refreshed < WRITER_REFRESH
            if not fresh_writer:
                pipe.set(self.alive_key, "1", ex=WRITER_TTL)
            names = list(self._mirrored) if every else [m for m in self._urgent if m in self._mirrored]
            self._urgent.clear()
            batch: list[str] = []
            for message_id in names:
                turn, position, extended = self._mirrored[message_id]
                key = self.key(turn.session_id, message_id)
                events = turn.events
                if position < len(events):
                    fresh = [(event.seq, event.name, event.data) for event in events[position:]]
                    fields = {"b": _to_json(fresh)}
                    if position == 0:
                        fields["w"] = self.writer
                    pipe.xadd(key, fields, id=event_id(fresh[-1][0]))
                if turn.done:
                    pipe.xadd(key, {"e": "end"}, id=END_ID)
                    pipe.expire(key, self.finished_ttl)
                    del self._mirrored[message_id]
                elif position < len(events):
                    if now - extended >= EXPIRY_REFRESH:
                        pipe.expire(key, self.running_ttl)
                        extended = now
                    self._mirrored[message_id] = (turn, len(events), extended)
                else:
                    continue
                batch.append(message_id)
            if not batch and (fresh_writer or not self._mirrored):
                return
            try:
                await pipe.execute()
                if not fresh_writer:
                    self._refreshed = now
            except RedisError as exc:
                # The learners on this replica still get their whole answers; only resuming
                # these on another replica is lost (their streams stop and expire, never skip).
                for message_id in batch:
                    self._mirrored.pop(message_id, None)
                log.warning("%d answer(s) could not be shared through Redis: %s", len(batch), exc)

    async def feed(self, session_id: str, message_id: str) -> LiveTurn | RemoteTurn | None:
        local = await super().feed(session_id, message_id)
        if local is not None:
            return local
        key = self.key(session_id, message_id)
        return RemoteTurn(self.redis, key, message_id, self.prefix) if await self.redis.exists(key) else None

    async def stop(self, session_id: str, message_id: str, reason: str) -> bool:
        if self.get(message_id) is not None:
            return await super().stop(session_id, message_id, reason)
        key = self.key(session_id, message_id)
        # Published before looking for the answer's stream: an answer that has just started
        # is in Redis only MIRROR_SOON later, and a stop sent within that moment (a learner
        # quick on the button, another replica's client) must still reach its writer.
        await self.redis.publish(self.channel, f"{session_id} {message_id} {reason}")
        if not await self._appears(key):
            return False
        # Wait for the writer to store the outcome: its stream then ends (or its writer is found dead).
        remote = RemoteTurn(self.redis, key, message_id, self.prefix)
        try:
            async with asyncio.timeout(STOP_WAIT):
                async for _ in remote.follow():
                    pass
        except TimeoutError:
            log.warning("stop of %s: no outcome from the replica writing it within %.0f s", message_id, STOP_WAIT)
        return remote.writer_gone

    async def _appears(self, key: str) -> bool:
        """Whether an answer's stream is in Redis, or comes within STOP_FIND (its start is
        mirrored MIRROR_SOON after it, later on a busy writer). No stream by then: no
        replica is writing that answer."""
        deadline = time.monotonic() + STOP_FIND
        while not await self.redis.exists(key):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(MIRROR_SOON)
        return True

    async def shared_text(self, session_id: str, message_id: str) -> str | None:
        if self.get(message_id) is not None:
            return None  # this process's own answer: it stores its text itself
        return await RemoteTurn(self.redis, self.key(session_id, message_id), message_id, self.prefix).shared_text()

    async def shutdown(self, grace: float) -> None:
        await super().shutdown(grace)
        # The ends of the last answers go out before the process stops.
        try:
            async with asyncio.timeout(5):
                while self._mirrored:
                    await self.mirror()
                    if self._mirrored:
                        await asyncio.sleep(0.05)
        except TimeoutError:
            log.warning("%d answer(s) could not be marked ended in Redis at shutdown", len(self._mirrored))
