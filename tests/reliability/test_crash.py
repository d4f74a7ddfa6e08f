"""kill -9 under load loses no acknowledged turn; SIGTERM lets answers in flight end cleanly."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time

import httpx

from tests.reliability.client import open_session, stored, turn

LEARNERS = 8


def test_sigkill_under_load_loses_no_acknowledged_turn(server_factory) -> None:
    server = server_factory(TUTOR_OFFLINE_DELAY="0.002", TUTOR_TURN_LEASE="2")
    database = server.env["TUTOR_DATABASE_URL"].removeprefix("sqlite:///")
    acknowledged: dict[str, list[tuple[str, str]]] = {}  # session id -> [(message id, text)]
    sessions: dict[str, dict[str, str]] = {}
    stop = threading.Event()

    def learner() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            session_id, headers = open_session(client)
            sessions[session_id] = headers
            acknowledged[session_id] = []
            questions = ["트랜스포머가 뭐예요?", "GAN이 뭐예요?", "LLM은요?", "더 쉽게 설명해 줘"]
            n = 0
            while not stop.is_set():
                try:
                    result = turn(client, session_id, headers, questions[n % len(questions)])
                except httpx.HTTPError:
                    return  # the server died under us
                if result.names and result.names[-1] == "done":
                    acknowledged[session_id].append((result.events[-1][1]["message_id"], result.text))
                n += 1

    threads = [threading.Thread(target=learner) for _ in range(LEARNERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while sum(len(v) for v in acknowledged.values()) < 100 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.stop(signal.SIGKILL)
    stop.set()
    for thread in threads:
        thread.join(15)
    total = sum(len(v) for v in acknowledged.values())
    assert total >= 100, "the load did not get going"

    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # The answers cut by the crash hold their sessions' leases until those run out (nobody renews
    # them any more); from then on any process, here the restarted one, marks them interrupted.
    time.sleep(2.5)
    restarted = server_factory(TUTOR_DATABASE_URL=server.env["TUTOR_DATABASE_URL"])
    found = 0
    with httpx.Client(base_url=restarted.url, timeout=10) as client:
        for session_id, headers in sessions.items():
            messages = {m["id"]: m for m in stored(client, session_id, headers)}
            for message_id, text in acknowledged[session_id]:
                assert messages[message_id]["status"] == "complete"
                assert messages[message_id]["content"] == text
                found += 1
            # Whatever was mid-answer at the crash is honestly marked, never left "streaming".
            assert all(m["status"] != "streaming" for m in messages.values())
            roles = [m["role"] for m in stored(client, session_id, headers)]
            assert roles == ["user", "assistant"] * (len(roles) // 2)
            # And the session takes new questions.
            assert turn(client, session_id, headers, "안녕하세요").names[-1] == "done"
    assert found == total
    print(f"\nkill -9 under load: {total} turns acknowledged, {found} found after restart")


def sigterm_mid_answer(server) -> tuple[float, list[str]]:
    """Start an answer, send SIGTERM once it is being written; the rest of the stream as lines."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        with client.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": "어텐션?"},
                           headers=headers) as response:
            lines = response.iter_lines()
            next(line for line in lines if line.startswith("event: delta"))
            started = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            return started, list(lines)


def test_sigterm_lets_answers_in_flight_finish(upstream_server, fake) -> None:
    fake.control(chunks=40, chunk_delay=0.02)  # about 0.8 s of answer
    server = upstream_server(TUTOR_SHUTDOWN_GRACE="5")
    started, tail = sigterm_mid_answer(server)
    assert "event: done" in tail
    server.process.wait(timeout=15)
    assert time.monotonic() - started < 10


def test_sigterm_stops_answers_that_outlast_the_grace_with_an_error_event(upstream_server, fake) -> None:
    fake.control(chunks=400, chunk_delay=0.05)  # 20 s: longer than the grace
    server = upstream_server(TUTOR_SHUTDOWN_GRACE="1")
    started, tail = sigterm_mid_answer(server)
    assert "event: error" in tail and any("server_shutdown" in line for line in tail)
    server.process.wait(timeout=15)
    assert time.monotonic() - started < 8
    database = server.env["TUTOR_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        status, content = connection.execute(
            "SELECT status, content FROM messages WHERE role = 'assistant'").fetchone()
    assert status == "interrupted" and content
