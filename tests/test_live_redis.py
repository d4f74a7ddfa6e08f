"""The live state shared through the real Redis server: two hubs stand for two replicas."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from tests.conftest import REDIS_URL
from tutor.api.ratelimit import RedisRateLimiter
from tutor.live import LiveTurn
from tutor.live.redis_hub import RedisTurnHub

pytestmark = pytest.mark.redis


@pytest.fixture
async def redis(redis_prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    yield client
    await client.aclose()


def replica(redis: Redis, prefix: str, resume_window: float = 60) -> RedisTurnHub:
    return RedisTurnHub(redis, prefix=prefix, resume_window=resume_window, quiet_limit=5)


async def test_an_answer_written_on_one_replica_is_followed_on_another_from_any_event(
        redis: Redis, redis_prefix: str) -> None:
    writer, reader = replica(redis, redis_prefix), replica(redis, redis_prefix)
    await writer.start()
    await reader.start()
    try:
        turn = LiveTurn(session_id="s1", message_id="m1")
        writer.add(turn)
        turn.emit("sources", {"sources": []})
        for text in "가나다":
            turn.emit("delta", {"text": text})
        feed = None
        for _ in range(50):  # mirrored in batches
            feed = await reader.feed("s1", "m1")
            if feed is not None:
                break
            await asyncio.sleep(0.02)
        assert feed is not None and feed is not turn

        async def rest() -> list[tuple[int, str]]:
            return [(e.seq, e.data.get("text", e.name)) async for batch in feed.follow(after=1, heartbeat=0.05)
                    for e in batch]

        following = asyncio.create_task(rest())
        await asyncio.sleep(0.2)
        turn.emit("delta", {"text": "라"})
        turn.emit("done", {"message_id": "m1"})
        turn.close()
        writer.finished(turn)
        assert await asyncio.wait_for(following, 5) == [(2, "나"), (3, "다"), (4, "라"), (5, "done")]
        # Another session's token cannot reach this answer.
        assert await reader.feed("s2", "m1") is None
        ttl = await redis.ttl(writer.key("s1", "m1"))
        assert 0 < ttl <= 60, "a finished answer is kept for the resume window"
    finally:
        await writer.aclose()
        await reader.aclose()


async def test_a_stop_sent_to_another_replica_cancels_the_answer_and_waits_for_its_outcome(
        redis: Redis, redis_prefix: str) -> None:
    writer, other = replica(redis, redis_prefix), replica(redis, redis_prefix)
    await writer.start()
    await other.start()
    cancelled = asyncio.Event()
    try:
        turn = LiveTurn(session_id="s1", message_id="m1")

        async def write() -> None:
            turn.emit("sources", {"sources": []})
            try:
                await asyncio.sleep(30)  # the model, taking its time
            except asyncio.CancelledError:
                cancelled.set()
                await asyncio.sleep(0.05)  # storing the outcome
                turn.emit("error", {"code": turn.stop_reason})
                turn.close()
                raise

        turn.task = asyncio.create_task(write())
        writer.add(turn)
        await asyncio.sleep(0.2)
        await asyncio.wait_for(other.stop("s1", "m1", "stopped"), 5)
        assert cancelled.is_set() and turn.done, "the stop returns once the outcome is in"
        assert turn.stop_reason == "stopped"
        # A stop for a session that does not own the answer does nothing.
        await other.stop("s2", "m1", "stopped")
    finally:
        await writer.aclose()
        await other.aclose()


async def test_many_answers_written_at_once_on_one_replica_reach_another_whole_and_in_order(
        redis: Redis, redis_prefix: str) -> None:
    writer, reader = replica(redis, redis_prefix), replica(redis, redis_prefix)
    turns = [LiveTurn(session_id=f"s{n}", message_id=f"m{n}") for n in range(8)]
    try:
        async def write(turn: LiveTurn, pause: float) -> None:
            turn.emit("sources", {"sources": []})
            for text in "가나다라마바사":
                turn.emit("delta", {"text": text})
                await asyncio.sleep(pause)
            turn.emit("done", {"message_id": turn.message_id})
            turn.close()
            writer.finished(turn)

        for n, turn in enumerate(turns):
            writer.add(turn)
            turn.task = asyncio.create_task(write(turn, 0.02 + 0.01 * n))

        async def read(turn: LiveTurn) -> list[int]:
            for _ in range(100):
                feed = await reader.feed(turn.session_id, turn.message_id)
                if feed is not None:
                    return [e.seq async for batch in feed.follow(heartbeat=0.05) for e in batch]
                await asyncio.sleep(0.02)
            return []

        seen = await asyncio.wait_for(asyncio.gather(*(read(turn) for turn in turns)), 10)
        assert seen == [list(range(9))] * len(turns)
    finally:
        await writer.aclose()
        await reader.aclose()


async def test_rate_limits_are_counted_once_for_every_replica(redis: Redis, redis_prefix: str) -> None:
    first = RedisRateLimiter(redis, f"{redis_prefix}limit:", 3)
    second = RedisRateLimiter(redis, f"{redis_prefix}limit:", 3)
    assert [await first.hit("10.0.0.1"), await second.hit("10.0.0.1"), await first.hit("10.0.0.1")] == [None] * 3
    wait = await second.hit("10.0.0.1")
    assert wait is not None and 0 < wait <= 60
    assert await second.hit("10.0.0.2") is None, "each client has its own count"


async def test_starts_and_ends_are_shared_soon_in_one_round_trip_without_other_answers_words(
        redis: Redis, redis_prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tutor.live import redis_hub

    monkeypatch.setattr(redis_hub, "MIRROR_INTERVAL", 30.0)  # no batch of everything during the test
    writer = replica(redis, redis_prefix)
    round_trips = 0
    pipeline = redis.pipeline

    def counted(*args, **kwargs):
        nonlocal round_trips
        round_trips += 1
        return pipeline(*args, **kwargs)

    monkeypatch.setattr(redis, "pipeline", counted)
    try:
        first = LiveTurn(session_id="s1", message_id="first")
        writer.add(first)
        first.emit("sources", {"sources": []})
        await asyncio.sleep(0.2)  # its start is shared, and the first batch of everything goes with it
        first.emit("delta", {"text": "가"})
        round_trips = 0
        others = [LiveTurn(session_id=f"s{n}", message_id=f"m{n}") for n in range(2, 7)]
        for turn in others:
            writer.add(turn)
            turn.emit("sources", {"sources": []})
        await asyncio.sleep(0.2)
        assert round_trips == 1, "answers starting together share one round trip"
        for turn in others:
            assert await redis.xlen(writer.key(turn.session_id, turn.message_id)) == 1
        assert await redis.xlen(writer.key("s1", "first")) == 1, "another answer's words wait for their batch"
        first.emit("done", {"message_id": "first"})
        first.close()
        writer.finished(first)
        await asyncio.sleep(0.2)
        entries = await redis.xrange(writer.key("s1", "first"))
        assert [entry_id for entry_id, _ in entries] == ["1-0", "1-2", "2-0"]  # its words, then its end
    finally:
        await writer.aclose()
