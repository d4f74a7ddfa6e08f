"""Token counts that match the model, so a small local window keeps working every turn.

A llama.cpp-like server is played at the SDK's HTTP boundary: its tokenizer
spends 2.1 tokens on a Hangul syllable (as SmolLM2's does) and, like
llama.cpp, it answers a prompt larger than its window with an empty stream.
"""

from __future__ import annotations

import json
import math

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from tests.conftest import new_session
from tests.sse import parse_sse
from tutor.api.app import create_app
from tutor.tokens import HOSTED, MARGIN, UNKNOWN, TokenCounter

# The server's endpoints are all offered; each test's server uses the ones it has.
pytestmark = pytest.mark.httpx2(assert_all_called=False)

ROOT = "http://127.0.0.1:8080"
WINDOW = 2048
TEMPLATE = 6  # what the chat template adds per message
QUESTIONS = [
    "생성형 AI가 뭐예요?", "그럼 LLM은 뭐예요?", "트랜스포머는 왜 중요해요?", "어텐션이 뭔지 쉽게 알려 줘요",
    "GPT는 무슨 뜻이에요?", "ChatGPT는 뭐가 달라졌어요?", "학습 비용은 얼마나 들어요?", "멀티모달이 뭐예요?",
    "AGI는 언제 와요?", "지금까지 배운 걸 정리해 줘요",
]
ANSWER = "좋은 질문이에요. 생성형 AI는 배운 것을 바탕으로 새로운 글이나 그림을 만들어 내는 AI예요. " * 3


def model_tokens(text: str) -> int:
    hangul = sum(1 for ch in text if ch >= "\x80")
    return math.ceil(hangul * 2.1 + (len(text) - hangul) * 0.3)


def sse(chunks: list[dict]) -> bytes:
    return b"".join(b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n" for c in chunks) + b"data: [DONE]\n\n"


class SmallServer:
    """What the model saw, and whether it fit."""

    def __init__(self, *, props: bool, tokenizer: bool):
        self.prompts: list[int] = []
        self.overflows = 0
        self.props = props
        self.tokenizer = tokenizer

    def mount(self, router: respx.Router) -> None:
        router.get(f"{ROOT}/props").mock(side_effect=self._props)
        router.get(f"{ROOT}/v1/models").mock(return_value=httpx.Response(200, json={"object": "list", "data": [
            {"id": "smollm2", "object": "model", "owned_by": "llamacpp"}]}))
        router.post(f"{ROOT}/tokenize").mock(side_effect=self._tokenize)
        router.post(f"{ROOT}/extras/tokenize/count").mock(return_value=httpx.Response(404))
        router.post(f"{ROOT}/v1/chat/completions").mock(side_effect=self._chat)

    def _props(self, request: httpx.Request) -> httpx.Response:
        if not self.props:
            return httpx.Response(404)
        return httpx.Response(200, json={"default_generation_settings": {"n_ctx": WINDOW}, "total_slots": 1})

    def _tokenize(self, request: httpx.Request) -> httpx.Response:
        if not self.tokenizer:
            return httpx.Response(404)
        content = json.loads(request.content)["content"]
        return httpx.Response(200, json={"tokens": list(range(model_tokens(content)))})

    def _chat(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        prompt = sum(model_tokens(m["content"]) + TEMPLATE for m in body["messages"])
        self.prompts.append(prompt)
        finish = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        if prompt + body["max_tokens"] > WINDOW:
            self.overflows += 1
            chunks = [finish | {"usage": {"prompt_tokens": prompt, "completion_tokens": 0,
                                          "total_tokens": prompt}}]
        else:
            chunks = [{"choices": [{"index": 0, "delta": {"content": ANSWER}, "finish_reason": None}]},
                      finish | {"usage": {"prompt_tokens": prompt, "completion_tokens": 90,
                                          "total_tokens": prompt + 90}}]
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=sse(chunks))


def ten_turns(make_settings, **settings) -> tuple[list[list], list[dict]]:
    values = dict(provider="openai", openai_api_key="local", openai_base_url=f"{ROOT}/v1", max_retries=0)
    with TestClient(create_app(make_settings(**(values | settings)))) as client:
        session_id, headers = new_session(client)
        turns = []
        for question in QUESTIONS:
            response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": question},
                                   headers=headers)
            turns.append(parse_sse(response.text))
        messages = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]
    return turns, messages


@pytest.mark.parametrize("props, tokenizer, configured", [
    (True, True, {}),                        # llama.cpp: window and tokenizer from the server
    (False, False, {"context_tokens": WINDOW}),  # neither: configured window, learned ratio
])
def test_ten_korean_turns_in_a_2048_token_window_all_complete(httpx2_mock: respx.Router, make_settings,
                                                              props, tokenizer, configured) -> None:
    server = SmallServer(props=props, tokenizer=tokenizer)
    server.mount(httpx2_mock)

    turns, messages = ten_turns(make_settings, **configured)

    assert [events[-1].name for events in turns] == ["done"] * 10
    answers = [m for m in messages if m["role"] == "assistant"]
    assert [m["status"] for m in answers] == ["complete"] * 10 and all(m["content"] for m in answers)
    # What the learner never sees: at most one overflow, on the very first turn before any real count.
    assert server.overflows <= (0 if tokenizer else 1)
    assert max(server.prompts[-9:]) + 512 <= WINDOW


def test_the_counter_learns_the_models_ratio_from_a_reported_prompt_size() -> None:
    counter = TokenCounter(UNKNOWN)
    texts = ["당신은 친절한 튜터예요. " * 20, "트랜스포머가 뭐예요?"]
    real = sum(model_tokens(t) + 8 for t in texts)
    counter.learn(texts, real)
    assert counter.learned
    assert real <= counter.count_messages(texts) <= real * MARGIN + 1


def test_hosted_models_count_a_hangul_syllable_as_about_one_token() -> None:
    assert TokenCounter(HOSTED).count("생성형 AI") == 3 + 1
