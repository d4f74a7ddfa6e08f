"""The in-memory event log of an answer: followed in batches, kept for resuming, then let go."""

from __future__ import annotations

import asyncio

from tutor.turns import LiveTurn, TurnHub


async def test_a_follower_gets_every_event_once_in_batches_and_heartbeats_when_quiet() -> None:
    turn = LiveTurn(session_id="s", message_id="m")
    turn.emit("sources", {"sources": []})
    turn.emit("delta", {"text": "가"})
    seen: list[list[str]] = []

    async def follow() -> None:
        async for batch in turn.follow(after=-1, heartbeat=0.05):
            seen.append([event.name for event in batch])

    follower = asyncio.create_task(follow())
    await asyncio.sleep(0.12)  # quiet: heartbeats
    turn.emit("delta", {"text": "나"})
    turn.emit("done", {})
    turn.close()
    await asyncio.wait_for(follower, 1)
    assert seen[0] == ["sources", "delta"]
    assert [] in seen  # at least one heartbeat while nothing happened
    assert [name for batch in seen for name in batch] == ["sources", "delta", "delta", "done"]


async def test_a_resumed_follower_starts_after_the_last_event_it_had() -> None:
    turn = LiveTurn(session_id="s", message_id="m")
    for text in "가나다":
        turn.emit("delta", {"text": text})
    turn.close()
    texts = [e.data["text"] async for batch in turn.follow(after=0) for e in batch]
    assert texts == ["나", "다"]


def test_finished_turns_are_let_go_once_the_resume_window_has_passed() -> None:
    hub = TurnHub(resume_window=0)
    old = LiveTurn(session_id="s", message_id="old")
    hub.add(old)
    old.close()
    hub.finished(old)
    running = LiveTurn(session_id="s", message_id="running")
    hub.add(running)
    assert hub.get("old") is None
    assert hub.get("running") is running and hub.running() == [running]


async def test_a_relayed_answer_ends_its_body_with_its_last_event_in_one_write() -> None:
    from tutor.api.chat import AnswerStream, relay

    turn = LiveTurn(session_id="s", message_id="m")
    turn.emit("sources", {"sources": []})
    turn.emit("delta", {"text": "가"})
    turn.emit("done", {"message_id": "m"})
    turn.close()
    turn.followers += 1
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    await AnswerStream(relay(turn, -1)).stream_response(send)
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert b"event: done" in bodies[-1]["body"] and bodies[-1]["more_body"] is False
    assert all(m["body"] and m["more_body"] for m in bodies[:-1])  # no empty piece to close it
    assert turn.followers == 0


async def test_the_end_of_an_answer_is_not_held_back_with_its_last_pieces(monkeypatch) -> None:
    """Pieces of text are held back to go out together; the `done` that ends the answer goes out
    as soon as it is written, with the pieces still held, and the bytes are the same events."""
    from tutor.api import chat

    monkeypatch.setattr(chat, "FLUSH_INTERVAL", 30.0)
    turn = LiveTurn(session_id="s", message_id="m")
    turn.emit("sources", {"sources": []})
    turn.emit("delta", {"text": "가"})
    turn.followers += 1
    bodies: list[bytes] = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.body":
            bodies.append(message["body"])

    relaying = asyncio.create_task(chat.AnswerStream(chat.relay(turn, -1)).stream_response(send))
    for _ in range(100):
        if bodies:
            break
        await asyncio.sleep(0.01)
    turn.emit("delta", {"text": "나"})
    await asyncio.sleep(0.05)
    assert len(bodies) == 1  # the second piece waits for the next write
    turn.emit("done", {"message_id": "m"})
    turn.close()
    await asyncio.wait_for(relaying, 1)  # not after the 30 s hold
    assert len(bodies) == 2 and b"event: done" in bodies[1] and "나".encode() in bodies[1]
    assert b"".join(bodies) == b"".join(chat.sse_event(turn, e.seq, e.name, e.data) for e in turn.events)


async def test_a_hold_that_is_cancelled_leaves_nothing_behind() -> None:
    turn = LiveTurn(session_id="s", message_id="m")
    holding = asyncio.create_task(turn.settle(30))
    await asyncio.sleep(0.01)
    holding.cancel()
    await asyncio.gather(holding, return_exceptions=True)
    assert turn._settling == []
    turn.close()
    await asyncio.wait_for(turn.settle(30), 1)  # an ended turn is not waited for


def test_the_planning_tables_are_ready_before_the_first_learner_asks(make_settings, monkeypatch) -> None:
    from tutor.api.app import build_services
    from tutor.knowledge import comparing

    services = build_services(make_settings())
    indexed: list[str] = []
    monkeypatch.setattr(comparing, "index_terms", lambda text: indexed.append(text) or [])
    pack = services.tutor.retriever.pack
    assert comparing._statements(pack, "ko") and comparing._statements(pack, "en")
    assert indexed == []  # built at start-up, not in a learner's first comparison


def test_an_events_json_is_what_json_dumps_writes() -> None:
    """The relay writes a delta's JSON straight and reuses one encoder: the bytes do not change."""
    import json

    from tutor.api.chat import event_json

    texts = ["", "안녕하세요", 'quote " back \\ slash', "line\nbreak\ttab\r\x00\x1f\x7f", "\u2028\u2029 🙂 <b>&",
             "\ud800 lone surrogate"]
    for text in texts:
        for data in ({"text": text}, {"text": text, "more": [1, None, True]}, {"message_id": "m", "sources": [
                {"id": text, "title": text, "text": text}]}, {"text": 3}):
            assert event_json(data) == json.dumps(data, ensure_ascii=False)


async def test_turns_starting_at_once_pass_the_start_gate_one_after_another() -> None:
    from tutor.turns import StartGate

    gate = StartGate()
    order: list[str] = []
    first = await gate.enter()

    async def second() -> None:
        entry = await gate.enter()
        order.append("second")
        entry.leave()

    waiting = asyncio.create_task(second())
    await asyncio.sleep(0.01)
    assert order == []  # the first turn has not sent its request yet
    order.append("first")
    first.leave()
    first.leave()  # leaving twice (its task ending too) frees nobody else's place
    await asyncio.wait_for(waiting, 1)
    assert order == ["first", "second"]
    assert not gate._lock.locked()


async def test_a_turn_task_cancelled_before_it_ran_leaves_the_start_gate() -> None:
    from tutor.turns import StartGate

    gate = StartGate()
    entry = await gate.enter()
    ran: list[bool] = []

    async def turn() -> None:
        ran.append(True)

    task = entry.task(turn(), name="turn")
    task.cancel()
    await asyncio.wait([task])
    assert ran == [] and task.cancelled()
    await asyncio.wait_for(gate.enter(), 1)


async def test_a_turn_held_up_on_its_way_to_the_model_does_not_hold_up_the_next_for_long(monkeypatch) -> None:
    import tutor.turns as turns

    monkeypatch.setattr(turns, "START_WAIT", 0.05)
    gate = turns.StartGate()
    held = await gate.enter()
    passed = await asyncio.wait_for(gate.enter(), 1)  # after START_WAIT, without the place
    passed.leave()
    assert gate._lock.locked()  # still the first turn's
    held.leave()
    assert not gate._lock.locked()


async def test_a_turn_does_not_queue_behind_more_than_a_few_at_the_start_gate(monkeypatch) -> None:
    import tutor.turns as turns

    monkeypatch.setattr(turns, "START_QUEUE", 2)
    # A wait far longer than the test: the two in the queue stay there however slowly this
    # machine runs, and a third that queued instead of going on would miss its deadline below.
    monkeypatch.setattr(turns, "START_WAIT", 30)
    gate = turns.StartGate()
    held = await gate.enter()
    waiting = [asyncio.create_task(gate.enter()) for _ in range(2)]
    await asyncio.sleep(0.01)
    assert not any(task.done() for task in waiting)
    passed = await asyncio.wait_for(gate.enter(), 5)  # a third goes on at once, without the place
    passed.leave()
    held.leave()
    for task in waiting:
        (await asyncio.wait_for(task, 1)).leave()
    assert not gate._lock.locked()


async def test_a_turn_arriving_as_the_gate_is_handed_on_queues_within_the_same_limits(monkeypatch) -> None:
    import tutor.turns as turns

    monkeypatch.setattr(turns, "START_WAIT", 0.05)
    gate = turns.StartGate()
    held = await gate.enter()
    woken = asyncio.create_task(gate.enter())
    await asyncio.sleep(0.01)
    held.leave()  # the waiter is woken, but has not run yet
    late = await asyncio.wait_for(gate.enter(), 1)  # waits at most START_WAIT behind it
    (await woken).leave()
    late.leave()
    assert not gate._lock.locked()


async def test_a_busy_process_starts_its_turns_side_by_side(monkeypatch) -> None:
    import tutor.turns as turns

    monkeypatch.setattr(turns, "START_BUSY", 1)
    gate = turns.StartGate()
    held = await gate.enter()
    release = asyncio.Event()
    task = held.task(release.wait(), name="turn")
    assert gate.running == 1
    passed = await asyncio.wait_for(gate.enter(), 0.01)  # at once, without waiting for the first
    passed.leave()
    release.set()
    await task
    assert gate.running == 0 and not gate._lock.locked()
