"""The provider chain: a provider that fails before its first token hands over to the next.

The OpenAI provider runs through the real SDK; respx answers at its HTTP
boundary with OpenAI's own error bodies.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import respx
from fastapi.testclient import TestClient

from tests.conftest import new_session
from tests.sse import answer_text, parse_sse
from tutor.api.app import create_app

URL = "https://api.openai.com/v1/chat/completions"
SERVER_ERROR = {"error": {"message": "The server had an error while processing your request.",
                          "type": "server_error", "param": None, "code": None}}


class Silent(httpx.AsyncByteStream):
    """Accepts the request and never sends a byte, like a stalled upstream."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        await asyncio.Event().wait()
        yield b""


class Paced(httpx.AsyncByteStream):
    """Sends its pieces ``gap`` seconds apart, then (with ``stall``) goes silent for good."""

    def __init__(self, pieces: list[bytes], gap: float, stall: bool = False):
        self.pieces, self.gap, self.stall = pieces, gap, stall

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            yield piece
            await asyncio.sleep(self.gap)
        if self.stall:
            await asyncio.Event().wait()


def openai_chain(make_settings, **overrides):
    values = dict(provider="openai", openai_api_key="sk-test-key", fallback=["offline"], max_retries=0)
    values.update(overrides)
    return create_app(make_settings(**values))


def test_an_upstream_500_before_any_token_falls_back_to_the_offline_tutor(httpx2_mock: respx.Router,
                                                                          make_settings) -> None:
    route = httpx2_mock.post(URL).mock(return_value=httpx.Response(
        500, json=SERVER_ERROR, headers={"x-request-id": "req_1"}))
    with TestClient(openai_chain(make_settings)) as client:
        session_id, headers = new_session(client)
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": "GAN이 뭐예요?"},
                               headers=headers)
        events = parse_sse(response.text)
        assert route.call_count == 1
        assert events[-1].name == "done" and events[-1].data["provider"] == "offline"
        assert "GAN" in answer_text(events)
        stored = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"][1]
        assert stored["provider"] == "offline" and stored["status"] == "complete"


def test_a_silent_upstream_is_abandoned_after_the_first_token_deadline(httpx2_mock: respx.Router,
                                                                       make_settings) -> None:
    httpx2_mock.post(URL).mock(return_value=httpx.Response(
        200, headers={"content-type": "text/event-stream"}, stream=Silent()))
    with TestClient(openai_chain(make_settings, first_token_timeout=0.5)) as client:
        session_id, headers = new_session(client)
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": "LLM이 뭐예요?"},
                               headers=headers)
        events = parse_sse(response.text)
        assert events[-1].data["provider"] == "offline"


def test_when_every_provider_fails_the_learner_gets_a_clean_error_and_the_turn_is_kept(
        httpx2_mock: respx.Router, make_settings) -> None:
    httpx2_mock.post(URL).mock(return_value=httpx.Response(
        429, json={"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}},
        headers={"retry-after": "20"}))
    with TestClient(openai_chain(make_settings, fallback=[])) as client:
        session_id, headers = new_session(client)
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": "LLM이 뭐예요?"},
                               headers=headers)
        events = parse_sse(response.text)
        assert [e.name for e in events] == ["sources", "error"]
        assert events[-1].data["code"] == "provider_rate_limited"
        assert "sk-test-key" not in response.text
        messages = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]
        assert messages[0]["content"] == "LLM이 뭐예요?"
        assert messages[1]["status"] == "failed"
        # The session stays usable once the upstream recovers.
        httpx2_mock.routes.clear()
        httpx2_mock.post(URL).mock(return_value=httpx.Response(200, headers={"content-type": "text/event-stream"},
                                                               content=_openai_stream("다시 됐어요.")))
        again = parse_sse(client.post(f"/v1/sessions/{session_id}/messages", json={"content": "다시요"},
                                      headers=headers).text)
        assert again[-1].name == "done" and answer_text(again) == "다시 됐어요."


def _openai_stream(text: str) -> bytes:
    def chunk(delta: dict, finish: str | None = None, usage: dict | None = None, choices: bool = True) -> bytes:
        body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1760422351,
                "model": "gpt-4o-mini-2024-07-18", "system_fingerprint": "fp_1",
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}] if choices else [],
                "usage": usage}
        return b"data: " + json.dumps(body, ensure_ascii=False).encode() + b"\n\n"

    return (chunk({"role": "assistant", "content": ""}) + chunk({"content": text}) + chunk({}, "stop")
            + chunk({}, usage={"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14}, choices=False)
            + b"data: [DONE]\n\n")


def _chunk(text: str) -> bytes:
    body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1760422351, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": {"content": text}, "logprobs": None, "finish_reason": None}]}
    return b"data: " + json.dumps(body, ensure_ascii=False).encode() + b"\n\n"


def test_an_upstream_that_goes_silent_mid_answer_ends_it_at_the_chunk_deadline(httpx2_mock: respx.Router,
                                                                              make_settings) -> None:
    httpx2_mock.post(URL).mock(return_value=httpx.Response(
        200, headers={"content-type": "text/event-stream"},
        stream=Paced([_chunk("생성형 "), _chunk("AI는 ")], gap=0.05, stall=True)))
    with TestClient(openai_chain(make_settings, chunk_timeout=0.5, turn_timeout=30)) as client:
        session_id, headers = new_session(client)
        started = time.monotonic()
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": "LLM이 뭐예요?"},
                               headers=headers)
        took = time.monotonic() - started
        events = parse_sse(response.text)
        assert answer_text(events) == "생성형 AI는 "
        assert events[-1].name == "error" and events[-1].data["code"] == "provider_unavailable"
        assert took < 5, took  # the chunk deadline, not the turn's 30 s
        stored = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"][1]
        assert stored["status"] == "interrupted" and stored["content"] == "생성형 AI는 "


def test_a_slow_but_steady_upstream_is_not_cut_by_the_chunk_deadline(httpx2_mock: respx.Router,
                                                                     make_settings) -> None:
    words = ["생성형 ", "AI는 ", "새 ", "글을 ", "만들어요."]
    pieces = [_chunk(word) for word in words] + [_openai_stream("")]
    httpx2_mock.post(URL).mock(return_value=httpx.Response(
        200, headers={"content-type": "text/event-stream"}, stream=Paced(pieces, gap=0.2)))
    # Each gap is well inside the deadline; the whole answer (over a second) is not.
    with TestClient(openai_chain(make_settings, chunk_timeout=0.5, first_token_timeout=0.5)) as client:
        session_id, headers = new_session(client)
        events = parse_sse(client.post(f"/v1/sessions/{session_id}/messages", json={"content": "LLM이 뭐예요?"},
                                       headers=headers).text)
        assert events[-1].name == "done" and events[-1].data["provider"] == "openai"
        assert answer_text(events) == "".join(words)
