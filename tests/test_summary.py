"""A rolling summary keeps what no longer fits the window, instead of only dropping it.

The service runs in-process with a small window; OpenAI answers through the
real SDK with respx at its HTTP boundary, so the tests read what later
requests carry.
"""

from __future__ import annotations

import json
import time

import httpx
import respx
from fastapi.testclient import TestClient

from tests.conftest import new_session
from tests.sse import parse_sse
from tests.wire_replay import replay
from tutor.api.app import create_app
from tutor.providers.base import ChatMessage
from tutor.summary import SUMMARY_CHARS, extractive_summary

URL = "https://api.openai.com/v1/chat/completions"
SUMMARY = "학습자는 생성형 AI와 LLM의 차이를 물었고, 튜터는 LLM이 생성형 AI의 한 종류라고 설명했어요."
LONG_QUESTION = "생성형 AI랑 LLM이 어떻게 다른지 처음부터 자세히 알려 주세요. " * 6
QUESTIONS = [LONG_QUESTION, "트랜스포머는요?", "어텐션은 뭐예요?", "GPT는 무슨 뜻이에요?", "ChatGPT는 뭐가 달라요?",
             "학습 비용은요?"]


def summary_stream() -> bytes:
    chunks = [{"choices": [{"index": 0, "delta": {"content": SUMMARY}, "finish_reason": None}]},
              {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]
    return b"".join(b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n" for c in chunks)


def is_summary_request(body: dict) -> bool:
    return "대화 기록" in body["messages"][0]["content"]


def converse(client: TestClient) -> tuple[str, dict[str, str]]:
    session_id, headers = new_session(client)
    for question in QUESTIONS:
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": question}, headers=headers)
        assert parse_sse(response.text)[-1].name == "done"
        tutor = client.app.state.services.tutor
        deadline = time.monotonic() + 10
        while tutor.summaries and time.monotonic() < deadline:
            time.sleep(0.05)
    return session_id, headers


def small_window(make_settings):
    return make_settings(provider="openai", openai_api_key="sk-test-key", max_retries=0, context_tokens=1200,
                         max_answer_tokens=128)


def test_the_model_writes_the_summary_and_later_turns_carry_it(httpx2_mock: respx.Router, make_settings) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        if is_summary_request(json.loads(request.content)):
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=summary_stream())
        return replay("openai_stream_ok.txt")[0]

    route = httpx2_mock.post(URL).mock(side_effect=respond)
    with TestClient(create_app(small_window(make_settings))) as client:
        converse(client)

    bodies = [json.loads(call.request.content) for call in route.calls]
    summaries = [b for b in bodies if is_summary_request(b)]
    turns = [b for b in bodies if not is_summary_request(b)]
    assert summaries, "the conversation outgrew the window, so a summary was written"
    # The model was asked to summarise the turns that no longer fit, starting with the first question.
    assert LONG_QUESTION.strip()[:20] in summaries[0]["messages"][-1]["content"]
    last = turns[-1]["messages"][-1]["content"]
    assert f"<conversation_summary>\n{SUMMARY}\n</conversation_summary>" in last
    # The first question itself is no longer sent: the summary stands for it.
    assert all(LONG_QUESTION.strip()[:20] not in m["content"] for m in turns[-1]["messages"][:-1])


def test_when_the_model_cannot_summarise_the_summary_is_extracted(httpx2_mock: respx.Router, make_settings) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        if is_summary_request(json.loads(request.content)):
            return httpx.Response(500, json={"error": {"message": "boom", "type": "server_error"}})
        return replay("openai_stream_ok.txt")[0]

    route = httpx2_mock.post(URL).mock(side_effect=respond)
    with TestClient(create_app(small_window(make_settings))) as client:
        converse(client)

    turns = [json.loads(c.request.content) for c in route.calls if not is_summary_request(json.loads(c.request.content))]
    last = turns[-1]["messages"][-1]["content"]
    assert "<conversation_summary>" in last
    assert "- 학습자: 생성형 AI랑 LLM이 어떻게 다른지" in last


def test_the_offline_tutor_summarises_extractively(make_settings) -> None:
    settings = make_settings(context_tokens=1200, max_answer_tokens=128)
    with TestClient(create_app(settings)) as client:
        session_id, headers = converse(client)
        store = client.app.state.services.store
        row = client.portal.call(store.authenticate, session_id, headers["Authorization"].removeprefix("Bearer "))
    assert row.summary.startswith("- 학습자: 생성형 AI랑 LLM이 어떻게 다른지")
    assert 0 < row.summary_seq < 2 * len(QUESTIONS)


def test_an_extractive_summary_keeps_each_question_and_the_gist_of_its_answer() -> None:
    messages = [ChatMessage("user", "GAN이 뭐예요?"),
                ChatMessage("assistant", "GAN은 두 모델이 경쟁하며 배우는 방식이에요. 하나는 만들고, 하나는 가려내요."),
                ChatMessage("user", "VAE는요?"), ChatMessage("assistant", "VAE는 데이터를 압축했다가 다시 그려 내요.\n예를 들면…")]
    summary = extractive_summary("", messages, "ko")
    assert summary.splitlines() == ["- 학습자: GAN이 뭐예요?", "  튜터: GAN은 두 모델이 경쟁하며 배우는 방식이에요.",
                                    "- 학습자: VAE는요?", "  튜터: VAE는 데이터를 압축했다가 다시 그려 내요."]
    many = extractive_summary(summary, messages * 20, "ko")
    assert len(many) <= SUMMARY_CHARS and many.splitlines()[-1].startswith("  튜터: VAE")
