"""Errors speak the learner's language: Korean sessions never read English.

Every code in the one table has both languages; the API's error bodies, the
stream's error events and stored answers' errors follow the session's
language, and Accept-Language (Korean by default) before a session exists.
"""

from __future__ import annotations

import ast
import re

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from tests.conftest import ROOT
from tests.sse import parse_sse
from tutor.api.app import create_app
from tutor.error_messages import MESSAGES, error_message, language_from_accept

HANGUL = re.compile(r"[\uac00-\ud7a3]")
OPENAI_URL = "https://api.openai.com/v1/chat/completions"


def korean(text: str) -> bool:
    """A Korean sentence: it has Hangul (identifiers like `X-API-Key` may sit inside it)."""
    return bool(HANGUL.search(text))


def test_every_code_has_a_korean_and_an_english_message() -> None:
    for key, entry in MESSAGES.items():
        assert set(entry) == {"ko", "en"}, key
        assert korean(entry["ko"]), f"{key}: the Korean message has no Korean in it: {entry['ko']!r}"
        assert not korean(entry["en"]) and entry["en"].strip(), key
        # Both name the same parameters, so neither is ever missing a number.
        assert _fields(entry["ko"]) <= _fields(entry["en"]) | {"fields"}, key


def _fields(text: str) -> set[str]:
    return set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", text))


def _codes_in_source() -> set[str]:
    """Every error code the service's code can send: ApiError(..., "code"), error events, provider errors."""
    codes: set[str] = set()
    for path in (ROOT / "tutor").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ApiError":
                if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                    codes.add(node.args[1].value)
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if (isinstance(item, ast.Assign) and [getattr(t, "id", None) for t in item.targets] == ["code"]
                            and isinstance(item.value, ast.Constant)):
                        codes.add(item.value.value)
    return codes


def test_every_code_the_service_sends_is_in_the_table() -> None:
    from tutor.api.errors import _STATUS_CODES

    codes = _codes_in_source() | set(_STATUS_CODES.values())
    codes |= {"stopped", "client_disconnected", "server_shutdown", "session_deleted", "cancelled",
              "turn_timeout", "internal_error", "storage_error", "server_restarted", "invalid_json",
              "budget_exhausted", "provider_empty"}
    assert "message_too_long" in codes and "provider_auth" in codes  # the scan finds codes at all
    missing = sorted(code for code in codes if code not in MESSAGES)
    assert not missing, f"codes without words: {missing}"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_a_korean_reader_never_gets_english(code: str) -> None:
    assert korean(error_message(code, "ko", "English fallback", length=5000, limit=4000, max_bytes=64000))
    assert not korean(error_message(code, "en", length=5000, limit=4000, max_bytes=64000))


def test_an_unknown_code_still_speaks_korean_to_a_korean_reader() -> None:
    assert korean(error_message("some_new_code", "ko", "Something new went wrong.", status=400))
    assert error_message("some_new_code", "en", "Something new went wrong.", status=400) == "Something new went wrong."


@pytest.mark.parametrize(("header", "language"), [
    (None, "ko"), ("", "ko"), ("fr-FR,fr;q=0.9", "ko"), ("en-US,en;q=0.9", "en"), ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
    ("en;q=0.5,ko;q=0.8", "ko"), ("de, en;q=0.7", "en"), ("*", "ko"), ("en;q=abc", "ko"),
])
def test_the_language_before_a_session_exists(header: str | None, language: str) -> None:
    assert language_from_accept(header) == language


# --- through the API ----------------------------------------------------------------------------


def new_session_in(client: TestClient, language: str) -> tuple[str, dict[str, str]]:
    response = client.post("/v1/sessions", json={"language": language})
    body = response.json()
    return body["id"], {"Authorization": f"Bearer {body['token']}"}


def test_a_korean_sessions_error_bodies_are_korean(make_settings) -> None:
    with TestClient(create_app(make_settings(max_message_chars=10, session_token_budget=1))) as client:
        session_id, headers = new_session_in(client, "ko")
        url = f"/v1/sessions/{session_id}/messages"
        # English asked for by the browser: the session's language still wins.
        headers = headers | {"Accept-Language": "en-US,en;q=0.9"}
        too_long = client.post(url, json={"content": "가" * 11}, headers=headers).json()["error"]
        assert too_long["code"] == "message_too_long" and korean(too_long["message"])
        assert "11" in too_long["message"] and "10" in too_long["message"]
        invalid = client.post(url, json={"content": ""}, headers=headers).json()["error"]
        assert invalid["code"] == "invalid_input" and korean(invalid["message"])
        broken = client.post(url, content=b"{", headers=headers | {"Content-Type": "application/json"}).json()
        assert broken["error"]["code"] == "invalid_json" and korean(broken["error"]["message"])
        missing = client.get(f"/v1/sessions/{session_id}/messages/nope/events", headers=headers).json()["error"]
        assert missing["code"] == "not_found" and korean(missing["message"])
        assert client.post(url, json={"content": "GAN?"}, headers=headers).status_code == 200
        refused = client.post(url, json={"content": "VAE?"}, headers=headers).json()["error"]
        assert refused["code"] == "budget_exhausted" and korean(refused["message"])
        too_big = client.post(url, content=b'{"content": "' + b"a" * 70_000 + b'"}',
                              headers=headers | {"Content-Type": "application/json"})
        assert too_big.status_code == 413 and korean(too_big.json()["error"]["message"])


def test_an_english_session_reads_english(make_settings) -> None:
    with TestClient(create_app(make_settings(max_message_chars=10))) as client:
        session_id, headers = new_session_in(client, "en")
        error = client.post(f"/v1/sessions/{session_id}/messages", json={"content": "x" * 11},
                            headers=headers).json()["error"]
        assert error["message"] == ("The message is 11 characters long; the limit is 10. "
                                    "Please shorten it or split it in two.")


def test_before_a_session_exists_accept_language_decides_korean_by_default(client: TestClient) -> None:
    unknown = "/v1/sessions/00000000-0000-0000-0000-000000000000"
    plain = client.get(unknown, headers={"Authorization": "Bearer nope"}).json()["error"]
    assert plain["code"] == "not_found" and korean(plain["message"])
    english = client.get(unknown, headers={"Authorization": "Bearer nope", "Accept-Language": "en-GB,en;q=0.8"})
    assert english.json()["error"]["message"] == "No such session; it may have been deleted."
    no_token = client.get(unknown).json()["error"]
    assert no_token["code"] == "unauthorized" and korean(no_token["message"])
    nowhere = client.get("/v1/nothing-here").json()["error"]
    assert nowhere["code"] == "not_found" and korean(nowhere["message"])
    too_big = client.post("/v1/sessions", content=b"x" * 70_000, headers={"Content-Type": "application/json"})
    assert too_big.status_code == 413 and korean(too_big.json()["error"]["message"])


def test_a_provider_failure_reaches_a_korean_session_in_korean(httpx2_mock: respx.Router, make_settings) -> None:
    httpx2_mock.post(OPENAI_URL).mock(return_value=httpx.Response(500, json={"error": {
        "message": "The server had an error while processing your request.", "type": "server_error",
        "param": None, "code": None}}))
    settings = make_settings(provider="openai", openai_api_key="sk-test-key", max_retries=0)
    with TestClient(create_app(settings)) as client:
        for language in ("ko", "en"):
            session_id, headers = new_session_in(client, language)
            url = f"/v1/sessions/{session_id}/messages"
            error = parse_sse(client.post(url, json={"content": "GAN이 뭐예요?"}, headers=headers).text)[-1]
            assert error.name == "error" and error.data["code"] == "provider_unavailable"
            assert korean(error.data["message"]) == (language == "ko")
            # The stored answer replays its error in the same language.
            message_id = error.data["message_id"]
            replay = parse_sse(client.get(f"{url}/{message_id}/events", headers=headers).text)[-1]
            assert replay.data["code"] == "provider_unavailable"
            assert korean(replay.data["message"]) == (language == "ko")
            answer = client.post(url, json={"content": "GAN?"}, headers=headers | {"Accept": "application/json"})
            assert korean(answer.json()["error"]["message"]) == (language == "ko")
