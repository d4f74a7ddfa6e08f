"""Two replicas of the service on one PostgreSQL database and one Redis, in front of the fake model.

Each test has its own database and Redis key prefix (tests/conftest.py).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.conftest import REDIS_URL, ServerProcess
from tests.reliability.client import open_session, read_stream, stored, turn
from tests.reliability.conftest import ANSWER
from tests.sse import iter_sse

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def replicas(postgres_url: str, redis_prefix: str, upstream_server) -> Callable[..., list[ServerProcess]]:
    def start(count: int = 2, **env: str) -> list[ServerProcess]:
        shared = {"TUTOR_DATABASE_URL": postgres_url, "TUTOR_REDIS_URL": REDIS_URL,
                  "TUTOR_REDIS_PREFIX": redis_prefix, "TUTOR_LOG_LEVEL": "warning", **env}
        return [upstream_server(**shared) for _ in range(count)]

    return start


def test_a_stream_started_on_one_replica_is_resumed_on_the_other_without_loss_or_repeats(replicas, fake) -> None:
    fake.control(chunk_delay=0.05)
    a, b = replicas()
    with httpx.Client(base_url=a.url, timeout=30) as on_a, httpx.Client(base_url=b.url, timeout=30) as on_b:
        session_id, headers = open_session(on_a)
        first = turn(on_a, session_id, headers, "어텐션이 뭐예요?", stop_after_deltas=4)
        url = f"/v1/sessions/{session_id}/messages/{first.message_id}/events"
        with on_b.stream("GET", url, headers={**headers, "Last-Event-ID": first.events[-1][2]}) as response:
            rest = read_stream(response)
        assert rest.status == 200
        ids = [event_id for _, _, event_id in first.events + rest.events]
        assert ids == [f"{first.message_id}:{n}" for n in range(len(ids))]
        assert first.text + rest.text == ANSWER
        assert rest.names[-1] == "done"
        assert stored(on_b, session_id, headers)[1]["content"] == ANSWER


def test_while_one_replica_writes_the_other_refuses_a_second_message_and_its_stop_cancels_upstream(
        replicas, fake) -> None:
    fake.control(chunk_delay=0.25)  # about 5 s of answer
    a, b = replicas()
    with httpx.Client(base_url=a.url, timeout=30) as on_a, httpx.Client(base_url=b.url, timeout=30) as on_b:
        session_id, headers = open_session(on_a)
        with on_a.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": "어텐션이 뭐예요?"},
                         headers=headers) as response:
            events = iter_sse(response.iter_lines())
            seen = [next(events) for _ in range(2)]  # sources, then the first delta
            message_id = seen[0].data["message_id"]
            second = on_b.post(f"/v1/sessions/{session_id}/messages", json={"content": "또 질문"}, headers=headers)
            assert second.status_code == 409
            assert second.json()["error"]["code"] == "turn_in_progress"
            started = time.monotonic()
            stopped = on_b.post(f"/v1/sessions/{session_id}/messages/{message_id}/stop", headers=headers)
            assert stopped.status_code == 200 and stopped.json()["status"] == "interrupted"
            assert time.monotonic() - started < 3, "the stop does not wait for the whole answer"
            rest = list(events)
        assert rest[-1].name == "error" and rest[-1].data["code"] == "stopped"
        [record] = fake.log()
        assert record["cancelled"], "the upstream call on the other replica was cancelled"
        messages = stored(on_b, session_id, headers)
        assert messages[1]["status"] == "interrupted" and messages[1]["content"]


def test_rate_limits_are_shared_between_replicas(replicas) -> None:
    a, b = replicas(TUTOR_RATE_LIMIT_ENABLED="true", TUTOR_SESSIONS_PER_MINUTE="3")
    codes = [httpx.post(f"{server.url}/v1/sessions").status_code for server in (a, b, a, b)]
    assert codes == [201, 201, 201, 429]
    refused = httpx.post(f"{a.url}/v1/sessions")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60


def test_sigkill_of_one_replica_under_load_loses_no_acknowledged_turn(replicas, fake) -> None:
    fake.control(chunk_delay=0.01)
    # A short lease: the killed replica's answers are recovered within the test.
    a, b = replicas(TUTOR_TURN_LEASE="3")
    acknowledged: dict[str, list[tuple[str, str]]] = {}
    sessions: dict[str, tuple[ServerProcess, dict[str, str]]] = {}
    stop = threading.Event()

    def learner(server: ServerProcess) -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            session_id, headers = open_session(client)
            sessions[session_id] = (server, headers)
            acknowledged[session_id] = []
            while not stop.is_set():
                try:
                    result = turn(client, session_id, headers, "트랜스포머가 뭐예요?")
                except httpx.HTTPError:
                    return  # its replica died under it
                if result.names and result.names[-1] == "done":
                    acknowledged[session_id].append((result.events[-1][1]["message_id"], result.text))

    threads = [threading.Thread(target=learner, args=(server,)) for server in (a, b) * 3]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while sum(len(v) for v in acknowledged.values()) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    a.stop(signal.SIGKILL)
    on_b_before = sum(len(v) for s, v in acknowledged.items() if sessions[s][0] is b)
    time.sleep(1.5)
    on_b_after = sum(len(v) for s, v in acknowledged.items() if sessions[s][0] is b)
    stop.set()
    for thread in threads:
        thread.join(15)
    assert sum(len(v) for v in acknowledged.values()) >= 40, "the load did not get going"
    assert on_b_after > on_b_before, "the surviving replica kept serving"

    cut: list[tuple[str, dict[str, str], str]] = []
    with httpx.Client(base_url=b.url, timeout=10) as client:
        for session_id, (_, headers) in sessions.items():
            messages = {m["id"]: m for m in stored(client, session_id, headers)}
            for message_id, text in acknowledged[session_id]:
                assert messages[message_id]["status"] == "complete"
                assert messages[message_id]["content"] == text
            cut += [(session_id, headers, m["id"]) for m in messages.values() if m["status"] == "streaming"]
        assert cut, "the killed replica had answers in flight"
        assert all(sessions[session_id][0] is a for session_id, _, _ in cut)

        # Once their leases have run out, the surviving replica marks the cut answers
        # interrupted, and their learners can ask again.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            statuses = [{m["id"]: m["status"] for m in stored(client, s, h)}[m] for s, h, m in cut]
            if all(status == "interrupted" for status in statuses):
                break
            time.sleep(0.5)
        assert statuses == ["interrupted"] * len(cut)
        session_id, headers, _ = cut[0]
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": "다시 물어볼게요"},
                               headers={**headers, "Accept": "application/json"})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "complete"


def test_a_replica_starting_while_another_writes_leaves_that_answer_alone(replicas, fake) -> None:
    fake.control(chunks=40, chunk_delay=1.5)  # about a minute of answer (under the 2 s chunk timeout)
    [a] = replicas(1)
    with httpx.Client(base_url=a.url, timeout=60) as on_a:
        session_id, headers = open_session(on_a)
        with on_a.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": "어텐션이 뭐예요?"},
                         headers=headers) as response:
            events = iter_sse(response.iter_lines())
            next(events), next(events)  # sources, the first delta
            replicas(1)  # starts up, recovering what dead processes left unfinished
            # The answer must still be under way once the second replica is up, or the test proves nothing.
            assert stored(on_a, session_id, headers)[1]["status"] == "streaming", "the answer ended first"
            rest = list(events)
        assert rest[-1].name == "done", "a live replica's answer is not taken for a dead one's"
        assert stored(on_a, session_id, headers)[1]["status"] == "complete"


@contextmanager
def answer_cut_by_killing_its_replica(replicas, fake, *, lease: str) -> Iterator[tuple]:
    """Two replicas; an answer of about 5 s begun on the first, which is SIGKILLed once its
    learner has read three deltas and they have been shared through Redis. Yields a client of
    the surviving replica, the session, its headers and what the learner read."""
    fake.control(chunk_delay=0.25)
    a, b = replicas(TUTOR_TURN_LEASE=lease)
    with httpx.Client(base_url=a.url, timeout=30) as on_a, httpx.Client(base_url=b.url, timeout=30) as on_b:
        session_id, headers = open_session(on_a)
        first = turn(on_a, session_id, headers, "어텐션이 뭐예요?", stop_after_deltas=3)
        time.sleep(0.5)  # the first deltas have been shared through Redis
        a.stop(signal.SIGKILL)
        yield on_b, session_id, headers, first


def test_an_answer_whose_replica_was_killed_ends_cleanly_on_the_other(replicas, fake) -> None:
    """Stop, resume and a new message, sent to the surviving replica: each answers within seconds
    with something a client can act on, not a wait for the dead replica or a 500."""
    with answer_cut_by_killing_its_replica(replicas, fake, lease="12") as (on_b, session_id, headers, first):
        killed_at = time.monotonic()

        started = time.monotonic()
        stopped = on_b.post(f"/v1/sessions/{session_id}/messages/{first.message_id}/stop", headers=headers)
        stop_took = time.monotonic() - started
        # The writer's key lives 5 s after its last refresh; the check runs once a second.
        assert stopped.status_code == 200, stopped.text
        assert stopped.json() == {"message_id": first.message_id, "status": "interrupted"}
        assert stop_took < 8, f"the stop waited {stop_took:.1f} s for a dead replica"
        # Stored as cut at once, with the words already shared (the learner saw at least these).
        kept = stored(on_b, session_id, headers)[1]
        assert kept["status"] == "interrupted" and kept["content"].startswith(first.text)
        assert ANSWER.startswith(kept["content"])

        started = time.monotonic()
        url = f"/v1/sessions/{session_id}/messages/{first.message_id}/events"
        with on_b.stream("GET", url, headers={**headers, "Last-Event-ID": first.events[-1][2]},
                         timeout=httpx.Timeout(30, read=20)) as response:
            rest = read_stream(response)
        resume_took = time.monotonic() - started
        assert rest.status == 200
        assert resume_took < 6, f"the resume waited {resume_took:.1f} s for a dead replica"
        assert rest.names and rest.names[-1] == "error" and rest.events[-1][1]["code"] == "server_restarted"
        assert ANSWER.startswith(first.text + rest.text)
        assert kept["content"] == first.text + rest.text, "the stored text is what the stream shared"

        again = on_b.post(f"/v1/sessions/{session_id}/messages", json={"content": "다시 물어볼게요"},
                          headers={**headers, "Accept": "application/json"})
        assert again.status_code == 409 and again.json()["error"]["code"] == "turn_in_progress"
        retry_after = int(again.headers["Retry-After"])
        assert 1 <= retry_after <= 12
        time.sleep(retry_after + 1)  # the lease has run out: the next message takes the turn over
        again = on_b.post(f"/v1/sessions/{session_id}/messages", json={"content": "다시 물어볼게요"},
                          headers={**headers, "Accept": "application/json"})
        assert again.status_code == 200, again.text
        assert again.json()["status"] == "complete"
        messages = stored(on_b, session_id, headers)
        assert messages[1]["status"] == "interrupted" and messages[1]["content"] == kept["content"]
        print(f"stop {stop_took:.2f} s, resume {resume_took:.2f} s, asked again {time.monotonic() - killed_at:.1f} s"
              " after the kill")


def test_an_answer_whose_replica_was_killed_keeps_its_shared_words_once_its_lease_runs_out(replicas, fake) -> None:
    """Nobody stops or resumes it: the surviving replica's lease recovery ends it, with the words
    its learner was already sent as its stored text."""
    with answer_cut_by_killing_its_replica(replicas, fake, lease="3") as (on_b, session_id, headers, first):
        deadline = time.monotonic() + 20
        while (kept := stored(on_b, session_id, headers)[1])["status"] == "streaming" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kept["status"] == "interrupted"
        assert first.text and kept["content"].startswith(first.text)
        assert ANSWER.startswith(kept["content"])
