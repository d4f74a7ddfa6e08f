"""Upstream faults, injected for real: 429, 5xx, a cut stream, a hang, garbage."""

from __future__ import annotations

import time

import httpx

from tests.reliability.client import open_session, stored, turn
from tests.reliability.conftest import ANSWER


def test_a_429_with_retry_after_is_retried_by_the_sdk_and_answered(upstream_server, fake) -> None:
    server = upstream_server()
    fake.control(mode="status", status=429, retry_after=0, times=1)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        result = turn(client, session_id, headers, "어텐션이 뭐예요?")
    assert result.names[-1] == "done" and result.text == ANSWER
    assert [r["status"] for r in fake.log()] == [429, 200]


def test_a_500_is_retried_then_the_fallback_answers(upstream_server, fake) -> None:
    server = upstream_server(TUTOR_FALLBACK="offline", TUTOR_MAX_RETRIES="1")
    fake.control(mode="status", status=500, times=10)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        result = turn(client, session_id, headers, "어텐션이 뭐예요?")
    assert result.names[-1] == "done"
    assert result.events[-1][1]["provider"] == "offline"
    assert len(fake.log()) == 2  # the first try and the SDK's one retry


def test_a_stream_cut_mid_way_ends_with_an_error_and_keeps_the_partial_answer(upstream_server, fake) -> None:
    server = upstream_server()
    fake.control(mode="cut", cut_after=5, times=1)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        result = turn(client, session_id, headers, "어텐션이 뭐예요?")
        assert result.names[0] == "sources" and "delta" in result.names
        assert result.names[-1] == "error"
        assert result.events[-1][1]["code"] == "provider_unavailable"
        messages = stored(client, session_id, headers)
        assert messages[1]["status"] == "interrupted" and messages[1]["content"] == result.text
        # The session is still usable for the next turn.
        again = turn(client, session_id, headers, "다시 설명해 주세요")
        assert again.names[-1] == "done" and again.text == ANSWER


def test_a_hanging_provider_never_holds_the_client_beyond_the_limit(upstream_server, fake) -> None:
    server = upstream_server(TUTOR_FIRST_TOKEN_TIMEOUT="1", TUTOR_MAX_RETRIES="0")
    fake.control(mode="hang", times=1)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        started = time.monotonic()
        result = turn(client, session_id, headers, "어텐션이 뭐예요?")
        waited = time.monotonic() - started
        assert result.names == ["sources", "error"]
        assert result.events[-1][1]["code"] == "provider_unavailable"
        assert waited < 5
        assert stored(client, session_id, headers)[1]["status"] == "failed"
    time.sleep(0.3)
    assert fake.log()[0]["cancelled"] is True  # the upstream request was abandoned, not left open


def test_a_garbled_stream_is_a_clean_error_not_a_crash(upstream_server, fake) -> None:
    server = upstream_server(TUTOR_MAX_RETRIES="0")
    fake.control(mode="malformed", cut_after=3, times=1)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        result = turn(client, session_id, headers, "어텐션이 뭐예요?")
        assert result.names[-1] == "error"
        assert stored(client, session_id, headers)[1]["status"] in ("interrupted", "failed")
        assert client.get("/healthz").status_code == 200


def test_keys_and_tokens_never_reach_the_logs_or_error_bodies(upstream_server, fake) -> None:
    server = upstream_server(TUTOR_MAX_RETRIES="0", TUTOR_LOG_LEVEL="debug")
    fake.control(mode="status", status=401, times=5)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        result = turn(client, session_id, headers, "어텐션이 뭐예요?")
        assert result.events[-1][1]["code"] == "provider_auth"
        body = client.get(f"/v1/sessions/{session_id}", headers=headers).text
    token = headers["Authorization"].split()[1]
    server.stop()
    logs = server.output()
    assert "provider=openai" in logs
    for secret in ("sk-live-secret-4242", token):
        assert secret not in logs and secret not in body and secret not in str(result.events)
