"""Structured logs and request ids: JSON lines from a real server, ids that follow a turn into its provider calls."""

from __future__ import annotations

import json
import logging
import re

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.fakes import FakeProvider
from tutor.logs import Context, JsonLines

OPERATOR_KEY = "op-logs-key-93b1f0c7"
UPSTREAM_KEY = "sk-upstream-LOGSECRET-77aa"
FIELDS = {"time", "level", "logger", "message", "request_id", "session_id"}


@pytest.fixture
def fake():
    provider = FakeProvider("--chunks", "5", "--first-token-delay", "0", "--chunk-delay", "0.01")
    yield provider
    provider.stop()


@pytest.mark.slow
def test_json_logs_carry_request_and_session_ids_into_provider_lines_and_no_secret(server_factory, fake) -> None:
    server = server_factory(
        TUTOR_LOG_FORMAT="json", TUTOR_LOG_LEVEL="info", TUTOR_API_KEYS=OPERATOR_KEY, TUTOR_PROVIDER="openai",
        OPENAI_API_KEY=UPSTREAM_KEY, OPENAI_BASE_URL=f"{fake.url}/v1", TUTOR_MODEL="fake-model",
        TUTOR_MAX_RETRIES="0", TUTOR_FALLBACK="offline")
    fake.control(mode="status", status=500, times=1)  # the first call fails: the chain logs it and falls back
    with httpx.Client(base_url=server.url, timeout=30) as client:
        created = client.post("/v1/sessions", headers={"X-API-Key": OPERATOR_KEY}).json()
        token = created["token"]
        with client.stream("POST", f"/v1/sessions/{created['id']}/messages", json={"content": "GAN이 뭐예요?"},
                           headers={"Authorization": f"Bearer {token}", "X-Request-ID": "learner-7.turn_1"}) as turn:
            assert turn.headers["x-request-id"] == "learner-7.turn_1"
            body = turn.read().decode()
        assert "event: done" in body
        completion = client.post("/v1/chat/completions", headers={
            "Authorization": f"Bearer {OPERATOR_KEY}", "X-Request-ID": "front-end-42"},
            json={"model": "tutor", "messages": [{"role": "user", "content": "어텐션이 뭐예요?"}]})
        assert completion.status_code == 200 and completion.headers["x-request-id"] == "front-end-42"
        refused = client.get("/v1/models", headers={"Authorization": "Bearer not-the-key",
                                                      "X-Request-ID": "evil\tid"})
        assert refused.status_code == 401
        assert re.fullmatch(r"[0-9a-f]{32}", refused.headers["x-request-id"])  # an invalid id is replaced
    server.stop()

    lines = [line for line in server.output().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all(FIELDS <= set(record) for record in records)
    loggers = {record["logger"] for record in records}
    assert {"uvicorn.error", "uvicorn.access", "tutor"} <= loggers  # the server's own lines too

    turn_lines = [r for r in records if r["request_id"] == "learner-7.turn_1"]
    provider_lines = [r for r in turn_lines if r["logger"] == "tutor.providers"]
    assert any("openai failed before its first word" in r["message"] for r in provider_lines)
    assert any("offline" in r["message"] and "answering" in r["message"] for r in provider_lines)
    assert all(r["session_id"] == created["id"] for r in provider_lines)  # the turn's task kept both ids
    assert any(r["logger"] == "uvicorn.access" for r in turn_lines)
    completion_lines = [r for r in records if r["request_id"] == "front-end-42"]
    assert any(r["logger"] == "tutor.providers" for r in completion_lines)
    assert all(r["session_id"] is None for r in completion_lines)

    text = "\n".join(lines)
    for secret in (OPERATOR_KEY, UPSTREAM_KEY, token, "not-the-key"):
        assert secret not in text


@pytest.mark.slow
def test_the_access_log_can_be_turned_off_and_the_services_own_lines_stay(server_factory) -> None:
    server = server_factory(TUTOR_LOG_FORMAT="json", TUTOR_LOG_LEVEL="info", TUTOR_ACCESS_LOG="false")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        created = client.post("/v1/sessions").json()
        answer = client.post(f"/v1/sessions/{created['id']}/messages", json={"content": "GAN이 뭐예요?"},
                             headers={"Authorization": f"Bearer {created['token']}", "Accept": "application/json"})
        assert answer.status_code == 200 and answer.json()["status"] == "complete"
    server.stop()
    records = [json.loads(line) for line in server.output().splitlines() if line.strip()]
    loggers = {record["logger"] for record in records}
    assert "uvicorn.access" not in loggers
    assert any(r["logger"] == "tutor.turns" and "ended complete" in r["message"] for r in records)


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "a" * 128})
    assert given.headers["x-request-id"] == "a" * 128
    for bad in ("a" * 129, "한글".encode(), "has space", "x/../y", ""):
        response = client.get("/v1/lessons", headers={"X-Request-ID": bad})
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"]), bad
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and re.fullmatch(r"[0-9a-f]{32}", missing.headers["x-request-id"])
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


def test_secrets_are_masked_in_messages_and_tracebacks() -> None:
    context = Context([OPERATOR_KEY])
    record = logging.LogRecord("tutor", logging.ERROR, __file__, 1, "key %s, header Bearer %s, vendor %s",
                               (OPERATOR_KEY, "tok123secret", "sk-proj-abcdef123456"), None)
    try:
        raise RuntimeError(f"failed with {OPERATOR_KEY}")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert context.filter(record)
    line = json.loads(JsonLines(context.mask).format(record))
    assert OPERATOR_KEY not in json.dumps(line) and "tok123secret" not in line["message"]
    assert "sk-proj-abcdef123456" not in line["message"] and line["message"].count("[redacted]") == 3
    assert "RuntimeError" in line["exception"]


def test_the_http_clients_line_for_every_model_call_is_not_logged() -> None:
    import logging

    from tutor.logs import configure_logging

    root = logging.getLogger()
    handlers, level, srcfile = list(root.handlers), root.level, logging._srcfile
    try:
        configure_logging("info")
        assert logging.getLogger("tutor.providers").isEnabledFor(logging.INFO)
        assert not logging.getLogger("httpx2").isEnabledFor(logging.INFO)  # "HTTP Request: POST …" per turn
        assert logging.getLogger("httpx2").isEnabledFor(logging.WARNING)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging._srcfile = srcfile


def test_a_line_does_not_look_up_where_it_was_logged_from() -> None:
    """Neither format shows the caller's file or line, so no line walks the stack to find them."""
    import logging

    from tutor.logs import TEXT_FORMAT, configure_logging

    root = logging.getLogger()
    handlers, level, srcfile = list(root.handlers), root.level, logging._srcfile
    try:
        for style in ("text", "json"):
            configure_logging("info", style)
            assert logging._srcfile is None
            record = logging.getLogger("tutor").makeRecord("tutor", logging.INFO, "(unknown file)", 0, "m", (), None)
            assert json.loads(JsonLines().format(record))["message"] == "m"
        assert not any(field in TEXT_FORMAT for field in ("pathname", "filename", "lineno", "funcName", "module"))
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging._srcfile = srcfile
