"""Access: operator keys, rate limits with Retry-After, CORS closed unless configured."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import new_session
from tutor.api.app import create_app


def test_operator_keys_guard_session_creation_when_configured(make_settings) -> None:
    with TestClient(create_app(make_settings(api_keys="key-one,key-two"))) as client:
        assert client.post("/v1/sessions").status_code == 401
        assert client.post("/v1/sessions", headers={"X-API-Key": "wrong"}).status_code == 401
        assert client.post("/v1/sessions", headers={"X-API-Key": "key-two"}).status_code == 201


def test_sessions_per_client_are_rate_limited_with_retry_after(make_settings) -> None:
    with TestClient(create_app(make_settings(rate_limit_enabled=True, sessions_per_minute=3))) as client:
        statuses = [client.post("/v1/sessions").status_code for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        limited = client.post("/v1/sessions")
        assert limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60


def test_messages_per_session_are_rate_limited(make_settings) -> None:
    with TestClient(create_app(make_settings(rate_limit_enabled=True, messages_per_minute=2))) as client:
        session_id, headers = new_session(client)
        url = f"/v1/sessions/{session_id}/messages"
        codes = [client.post(url, json={"content": "GAN?"}, headers=headers).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        messages = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]
        assert len(messages) == 4  # the refused message was not stored


def test_cors_is_closed_by_default_and_open_only_to_configured_origins(make_settings) -> None:
    preflight = {"Origin": "https://learn.example", "Access-Control-Request-Method": "POST"}
    with TestClient(create_app(make_settings())) as client:
        response = client.options("/v1/sessions", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    with TestClient(create_app(make_settings(cors_origins="https://learn.example"))) as client:
        response = client.options("/v1/sessions", headers=preflight)
        assert response.headers["access-control-allow-origin"] == "https://learn.example"
        other = client.options("/v1/sessions", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_a_session_with_too_many_messages_is_told_to_start_anew(make_settings) -> None:
    with TestClient(create_app(make_settings(max_messages_per_session=4))) as client:
        session_id, headers = new_session(client)
        url = f"/v1/sessions/{session_id}/messages"
        assert client.post(url, json={"content": "GAN?"}, headers=headers).status_code == 200
        assert client.post(url, json={"content": "VAE?"}, headers=headers).status_code == 200
        full = client.post(url, json={"content": "LLM?"}, headers=headers)
        assert full.status_code == 409 and full.json()["error"]["code"] == "session_full"


def test_an_oversized_body_is_413_and_wrong_content_types_are_4xx(client: TestClient) -> None:
    session_id, headers = new_session(client)
    url = f"/v1/sessions/{session_id}/messages"
    huge = client.post(url, content=b'{"content": "' + b"a" * 200_000 + b'"}',
                       headers={**headers, "Content-Type": "application/json"})
    assert huge.status_code == 413
    form = client.post(url, data={"content": "GAN?"}, headers=headers)
    assert 400 <= form.status_code < 500
    assert client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"] == []
