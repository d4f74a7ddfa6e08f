"""Stops, dropped connections and resumed streams, against an upstream that records cancellation."""

from __future__ import annotations

import time

import httpx

from tests.reliability.client import open_session, read_stream, stored, turn
from tests.reliability.conftest import ANSWER


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def test_a_dropped_connection_still_gets_the_answer_written_and_stored(upstream_server, fake) -> None:
    server = upstream_server()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        partial = turn(client, session_id, headers, "어텐션이 뭐예요?", stop_after_deltas=3)
        assert len(partial.text) > 0
        messages = wait_for(lambda: (m := stored(client, session_id, headers))[1]["status"] == "complete" and m)
    assert messages[1]["content"] == ANSWER
    assert fake.log()[0]["cancelled"] is False


def test_a_resumed_stream_delivers_every_remaining_event_exactly_once(upstream_server, fake) -> None:
    server = upstream_server()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        first = turn(client, session_id, headers, "어텐션이 뭐예요?", stop_after_deltas=4)
        last_id = first.events[-1][2]
        url = f"/v1/sessions/{session_id}/messages/{first.message_id}/events"
        with client.stream("GET", url, headers={**headers, "Last-Event-ID": last_id}) as response:
            rest = read_stream(response)
    seqs = [int(event_id.split(":")[1]) for _, _, event_id in first.events + rest.events]
    assert seqs == list(range(len(seqs)))  # nothing lost, nothing repeated
    assert first.text + rest.text == ANSWER
    assert rest.names[-1] == "done"
    print(f"\nresumed stream: {len(first.events)} events before the break, {len(rest.events)} after, "
          f"none lost or repeated")


def test_cancel_on_disconnect_stops_the_upstream_at_once(upstream_server, fake) -> None:
    fake.control(chunks=200, chunk_delay=0.02)
    server = upstream_server(TUTOR_ON_DISCONNECT="cancel")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        turn(client, session_id, headers, "어텐션이 뭐예요?", stop_after_deltas=3)
        hung_up = time.time()
        record = wait_for(lambda: (r := fake.log()[0])["cancelled"] and r)
        messages = wait_for(lambda: (m := stored(client, session_id, headers))[1]["status"] != "streaming" and m)
    assert record["chunks_sent"] < 100
    assert record["cancelled_at"] - hung_up < 1.0
    print(f"\nhang-up -> upstream cancelled in {(record['cancelled_at'] - hung_up) * 1000:.0f} ms")
    assert messages[1]["status"] == "interrupted"


def test_stop_cancels_upstream_at_once_and_keeps_the_partial_answer(upstream_server, fake) -> None:
    fake.control(chunks=200, chunk_delay=0.02)
    server = upstream_server()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        with client.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": "어텐션?"},
                           headers=headers) as response:
            lines = response.iter_lines()
            message_id = next(line for line in lines if line.startswith("id: "))[4:].split(":")[0]
            next(line for line in lines if line.startswith("event: delta"))  # the model is talking
            stopped_at = time.time()
            result = client.post(f"/v1/sessions/{session_id}/messages/{message_id}/stop", headers=headers)
            tail = list(lines)
        assert result.json()["status"] == "interrupted"
        assert "event: error" in tail
        record = wait_for(lambda: (r := fake.log()[0])["cancelled"] and r)
        assert record["cancelled_at"] - stopped_at < 0.5
        print(f"\nstop -> upstream cancelled in {(record['cancelled_at'] - stopped_at) * 1000:.0f} ms")
        messages = stored(client, session_id, headers)
        assert messages[1]["status"] == "interrupted" and messages[1]["error_code"] == "stopped"
        # The session takes the next question straight away.
        fake.control(chunks=5, chunk_delay=0)
        assert turn(client, session_id, headers, "다시요").names[-1] == "done"
