"""The review's smaller findings: answer length, followers, resume memory, Allow, refused
requests, the database file's permissions."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import ServerProcess, new_session
from tests.fakes import FakeProvider
from tests.sse import iter_sse, parse_sse
from tutor.api.app import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
def chatty_model() -> Iterator[FakeProvider]:
    """A model that will not stop talking: 5,000 characters in 50 pieces."""
    fake = FakeProvider("--chunks", "50", "--first-token-delay", "0", "--chunk-delay", "0.002",
                        "--text", "생성형 AI는 새로운 내용을 만들어요. " * 250)
    yield fake
    fake.stop()


def _open(server: ServerProcess) -> tuple[str, dict[str, str]]:
    created = httpx.post(f"{server.url}/v1/sessions").json()
    return created["id"], {"Authorization": f"Bearer {created['token']}"}


def test_an_over_long_answer_is_cut_and_stored_as_interrupted(server_factory, chatty_model) -> None:
    server = server_factory(TUTOR_PROVIDER="openai", OPENAI_API_KEY="local", TUTOR_MODEL="m",
                            OPENAI_BASE_URL=f"{chatty_model.url}/v1", TUTOR_MAX_ANSWER_CHARS="300")
    session_id, headers = _open(server)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": "GAN?"}, headers=headers)
    events = parse_sse(response.text)
    text = "".join(e.data["text"] for e in events if e.name == "delta")
    assert len(text) == 300
    assert events[-1].name == "error" and events[-1].data["code"] == "answer_too_long"
    answer = server.get_session(session_id, headers["Authorization"][7:]).json()["messages"][1]
    assert answer["status"] == "interrupted" and answer["error_code"] == "answer_too_long"
    assert len(answer["content"]) == 300


def test_followers_of_one_answer_are_capped(server_factory) -> None:
    server = server_factory(TUTOR_OFFLINE_DELAY="0.2", TUTOR_MAX_FOLLOWERS="3")
    session_id, headers = _open(server)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        with client.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": "GAN이 뭐예요?"},
                           headers=headers) as asking:
            asker = iter_sse(asking.iter_lines())  # kept: dropping it would hang up
            first = next(asker)
            message_id = first.data["message_id"]
            url = f"/v1/sessions/{session_id}/messages/{message_id}/events"
            resume = {**headers, "Last-Event-ID": f"{message_id}:0"}
            followers = [client.send(client.build_request("GET", url, headers=resume), stream=True)
                         for _ in range(2)]  # with the asker's own stream: 3
            extra = [client.get(url, headers=resume) for _ in range(10)]  # the review held 300
            assert [f.status_code for f in followers] == [200, 200]
            assert {e.status_code for e in extra} == {429}
            assert extra[0].json()["error"]["code"] == "too_many_followers"
            for follower in followers:
                follower.close()
            time.sleep(0.3)
            assert client.get(url, headers=resume, timeout=30).status_code == 200  # room again


def test_a_finished_answer_leaves_memory_when_its_resume_window_ends(server_factory) -> None:
    server = server_factory(TUTOR_RESUME_WINDOW="1")
    session_id, headers = _open(server)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        events = parse_sse(client.post(f"/v1/sessions/{session_id}/messages", json={"content": "GAN?"},
                                       headers=headers).text)
        message_id = events[0].data["message_id"]
        url = f"/v1/sessions/{session_id}/messages/{message_id}/events"
        resume = {**headers, "Last-Event-ID": f"{message_id}:0"}
        assert client.get(url, headers=resume).status_code == 200
        time.sleep(1.5)  # and no other turn starts
        gone = client.get(url, headers=resume)
        assert gone.status_code == 410 and gone.json()["error"]["code"] == "resume_expired"


def test_405_names_the_methods_the_path_allows(client: TestClient) -> None:
    session_id, headers = new_session(client)
    cases = {("PUT", "/v1/sessions"): "POST", ("PATCH", f"/v1/sessions/{session_id}"): "GET, DELETE",
             ("GET", f"/v1/sessions/{session_id}/messages"): "POST", ("POST", "/healthz"): "GET"}
    for (method, path), allowed in cases.items():
        response = client.request(method, path, headers=headers)
        assert response.status_code == 405, (method, path)
        assert response.headers["allow"] == allowed, (method, path)


def test_refused_messages_do_not_count_against_the_session(make_settings) -> None:
    settings = make_settings(rate_limit_enabled=True, messages_per_minute=2, max_messages_per_session=4)
    with TestClient(create_app(settings)) as client:
        session_id, headers = new_session(client)
        url = f"/v1/sessions/{session_id}/messages"
        invalid = [client.post(url, json={"content": ""}, headers=headers).status_code for _ in range(3)]
        assert invalid == [422, 422, 422]
        accepted = [client.post(url, json={"content": q}, headers=headers).status_code for q in ("GAN?", "VAE?")]
        assert accepted == [200, 200]
        full = client.post(url, json={"content": "LLM?"}, headers=headers)
        assert full.status_code == 409 and full.json()["error"]["code"] == "session_full"


def test_a_refused_turn_in_progress_does_not_count_against_the_session(server_factory) -> None:
    server = server_factory(TUTOR_OFFLINE_DELAY="0.05", TUTOR_RATE_LIMIT_ENABLED="true",
                            TUTOR_MESSAGES_PER_MINUTE="2")
    session_id, headers = _open(server)
    url = f"/v1/sessions/{session_id}/messages"
    with httpx.Client(base_url=server.url, timeout=30) as client:
        with client.stream("POST", url, json={"content": "GAN이 뭐예요?"}, headers=headers) as first:
            asker = iter_sse(first.iter_lines())
            next(asker)
            busy = [client.post(url, json={"content": "VAE?"}, headers=headers).status_code for _ in range(5)]
            assert [event.name for event in asker][-1] == "done"
        assert busy == [409] * 5
        second = client.post(url, json={"content": "VAE?"}, headers={**headers, "Accept": "application/json"})
        assert second.status_code == 200  # the 409s were not counted


def test_the_database_file_is_private(server_factory, tmp_path: Path) -> None:
    server = server_factory(TUTOR_DATABASE_URL=f"sqlite:///{tmp_path / 'private' / 'tutor.db'}")
    session_id, headers = _open(server)
    httpx.post(f"{server.url}/v1/sessions/{session_id}/messages", json={"content": "GAN?"},
               headers={**headers, "Accept": "application/json"}, timeout=30)
    files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "private").iterdir()}
    assert {"tutor.db", "tutor.db-wal", "tutor.db-shm"} <= set(files)
    assert all(mode == 0o600 for mode in files.values()), {k: oct(v) for k, v in files.items()}
    assert os.stat(tmp_path / "private" / "tutor.db").st_uid == os.getuid()
