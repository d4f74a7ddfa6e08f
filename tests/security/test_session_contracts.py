"""The session contracts the page relies on: paged reads, a token lifetime, private mode."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from tests.conftest import new_session
from tutor.api.app import create_app


def _talk(client: TestClient, session_id: str, headers: dict[str, str], turns: int) -> None:
    for n in range(turns):
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": f"질문 {n}: GAN?"},
                               headers={**headers, "Accept": "application/json"})
        assert response.status_code == 200, response.text


def test_a_long_session_is_read_in_pages_newest_first(make_settings) -> None:
    with TestClient(create_app(make_settings())) as client:
        session_id, headers = new_session(client)
        _talk(client, session_id, headers, 30)  # 60 messages
        url = f"/v1/sessions/{session_id}"
        first = client.get(url, headers=headers).json()
        assert len(first["messages"]) == 50
        assert first["messages"][-1]["role"] == "assistant"
        assert first["messages"][0]["content"] == "질문 5: GAN?"  # the newest 50, oldest first
        assert first["older"] is not None
        rest = client.get(url, params={"before": first["older"]}, headers=headers).json()
        assert [m["content"] for m in rest["messages"] if m["role"] == "user"] == [
            f"질문 {n}: GAN?" for n in range(5)]
        assert rest["older"] is None
        small = client.get(url, params={"limit": 4}, headers=headers).json()
        assert [m["content"] for m in small["messages"]][::2] == ["질문 28: GAN?", "질문 29: GAN?"]
        everything = [*rest["messages"], *first["messages"]]
        assert len({m["id"] for m in everything}) == 60


def test_bad_paging_parameters_are_a_clear_4xx(client: TestClient) -> None:
    session_id, headers = new_session(client)
    url = f"/v1/sessions/{session_id}"
    for params in ({"limit": 0}, {"limit": 101}, {"before": "abc"}, {"before": "-1"}):
        response = client.get(url, params=params, headers=headers)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "invalid_input"
    empty = client.get(url, headers=headers).json()
    assert empty["messages"] == [] and empty["older"] is None


def test_a_session_idle_past_its_lifetime_is_gone_like_an_unknown_one(make_settings) -> None:
    with TestClient(create_app(make_settings(session_ttl=1.0))) as client:
        session_id, headers = new_session(client)
        assert client.get(f"/v1/sessions/{session_id}", headers=headers).status_code == 200
        time.sleep(1.3)
        for response in (client.get(f"/v1/sessions/{session_id}", headers=headers),
                         client.post(f"/v1/sessions/{session_id}/messages", json={"content": "GAN?"},
                                     headers=headers)):
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"


def test_a_turn_keeps_a_session_alive(make_settings) -> None:
    with TestClient(create_app(make_settings(session_ttl=2.0))) as client:
        session_id, headers = new_session(client)
        for _ in range(3):
            time.sleep(0.8)
            _talk(client, session_id, headers, 1)
        assert client.get(f"/v1/sessions/{session_id}", headers=headers).status_code == 200


def test_private_mode_answers_api_key_required_until_a_valid_key_is_sent(make_settings) -> None:
    with TestClient(create_app(make_settings(api_keys="key-one,key-two"))) as client:
        for headers in ({}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}):
            response = client.post("/v1/sessions", headers=headers)
            assert response.status_code == 401, headers
            assert response.json()["error"]["code"] == "api_key_required"
        assert client.post("/v1/sessions", headers={"X-API-Key": "key-one"}).status_code == 201
        assert client.post("/v1/sessions", headers={"X-API-Key": "key-two"}).status_code == 201


def test_operator_keys_cannot_be_guessed_faster_than_the_rate_limit(make_settings) -> None:
    settings = make_settings(api_keys="the-real-key", rate_limit_enabled=True, sessions_per_minute=5)
    with TestClient(create_app(settings)) as client:
        statuses = [client.post("/v1/sessions", headers={"X-API-Key": f"guess-{n}"}).status_code
                    for n in range(40)]
        assert statuses[:5] == [401] * 5
        assert set(statuses[5:]) == {429}
        # Once limited, even the right key waits: a guess never learns anything early.
        assert client.post("/v1/sessions", headers={"X-API-Key": "the-real-key"}).status_code == 429


def test_session_data_and_the_token_are_never_cached(client: TestClient) -> None:
    created = client.post("/v1/sessions")
    assert created.headers["cache-control"] == "no-store"
    body = created.json()
    read = client.get(f"/v1/sessions/{body['id']}", headers={"Authorization": f"Bearer {body['token']}"})
    assert read.headers["cache-control"] == "no-store"
