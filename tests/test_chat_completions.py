"""The OpenAI-compatible endpoint, driven by the official `openai` SDK.

The SDK talks to the real app through httpx2's ASGI transport (its own HTTP
client type), with the app's lifespan running, so its request building, SSE
parsing and error classes all run for real. The provider-backed tests run the
service against bench/fake_provider.py, a real OpenAI-wire server process.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx2
import openai
import pytest

from tests.fakes import FakeProvider
from tests.wire_replay import wire
from tutor.api.app import create_app
from tutor.config import Settings

QUESTION = "트랜스포머가 뭐예요?"
FOLLOW_UP = "그럼 그 전에는 뭘 썼어요?"
OPERATOR_KEY = "op-key-7f3a9c2e5b1d"


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[openai.AsyncOpenAI, httpx2.AsyncClient]]:
    """The app with its lifespan, an `openai` client and a plain HTTP client pointed at it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://tutor",
                                      timeout=30) as http:
            client = openai.AsyncOpenAI(api_key=OPERATOR_KEY, base_url="http://tutor/v1", http_client=http,
                                        max_retries=0)
            yield client, http


@pytest.fixture
def tutor_app(make_settings: Callable[..., Settings]):
    return lambda **overrides: running(make_settings(**overrides))


async def session_answers(http: httpx2.AsyncClient, *questions: str) -> list[str]:
    """The same questions asked through the session API, as its JSON answers."""
    created = (await http.post("/v1/sessions")).json()
    headers = {"Authorization": f"Bearer {created['token']}", "Accept": "application/json"}
    answers = []
    for question in questions:
        response = await http.post(f"/v1/sessions/{created['id']}/messages", json={"content": question},
                                   headers=headers)
        assert response.status_code == 200, response.text
        answers.append(response.json()["content"])
    return answers


async def test_a_completion_is_the_answer_a_session_turn_gives(tutor_app) -> None:
    async with tutor_app() as (client, http):
        result = await client.chat.completions.create(model="tutor",
                                                      messages=[{"role": "user", "content": QUESTION}])
        [expected] = await session_answers(http, QUESTION)
    assert result.object == "chat.completion" and result.model == "tutor"
    [choice] = result.choices
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert choice.message.content == expected and "트랜스포머" in expected
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens
    extra = result.model_extra["tutor"]
    assert extra["sources"][0]["id"] == "transformer.paper"
    assert extra["suggestions"] and extra["activity"] == "answer" and extra["provider"] == "offline"


async def test_a_follow_up_is_resolved_from_the_history_as_in_a_session(tutor_app) -> None:
    async with tutor_app() as (client, http):
        first, expected = await session_answers(http, QUESTION, FOLLOW_UP)
        result = await client.chat.completions.create(model="tutor", messages=[
            {"role": "system", "content": "You are a helpful assistant."},  # a front-end's own; ignored
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": first},
            {"role": "user", "content": FOLLOW_UP},
        ])
        alone = await client.chat.completions.create(model="tutor",
                                                     messages=[{"role": "user", "content": FOLLOW_UP}])
    answer = result.choices[0].message.content
    assert answer == expected
    assert "RNN" in answer  # before the Transformer: recurrent networks
    assert alone.choices[0].message.content != answer  # without the history it is another question


async def test_the_stream_is_role_first_then_text_then_finish_then_usage_then_done(tutor_app) -> None:
    async with tutor_app() as (client, http):
        stream = await client.chat.completions.create(model="tutor", stream=True,
                                                      stream_options={"include_usage": True},
                                                      messages=[{"role": "user", "content": QUESTION}])
        chunks = [chunk async for chunk in stream]
        [expected] = await session_answers(http, QUESTION)
        async with http.stream("POST", "/v1/chat/completions", json={
                "model": "tutor", "stream": True, "stream_options": {"include_usage": True},
                "messages": [{"role": "user", "content": QUESTION}]}) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = [line async for line in response.aiter_lines() if line.startswith("data: ")]
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[0].choices[0].delta.content == ""
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == expected
    assert len([c for c in chunks if c.choices and c.choices[0].delta.content]) > 3  # really streamed
    finish = [c for c in chunks if c.choices and c.choices[0].finish_reason]
    assert [c.choices[0].finish_reason for c in finish] == ["stop"]
    assert finish[0].model_extra["tutor"]["sources"][0]["id"] == "transformer.paper"
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0
    assert all(c.usage is None for c in chunks[:-1])
    assert {c.id for c in chunks} == {chunks[0].id} and chunks[0].id.startswith("chatcmpl-")
    assert lines[-1] == "data: [DONE]"


async def test_without_include_usage_no_usage_chunk_is_sent(tutor_app) -> None:
    async with tutor_app() as (client, _):
        stream = await client.chat.completions.create(model="tutor", stream=True,
                                                      messages=[{"role": "user", "content": QUESTION}])
        chunks = [chunk async for chunk in stream]
    assert all(c.choices for c in chunks)
    assert all("usage" not in c.model_fields_set for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


async def test_models_lists_the_tutor(tutor_app) -> None:
    async with tutor_app() as (client, _):
        models = await client.models.list()
        one = await client.models.retrieve("tutor")
        with pytest.raises(openai.NotFoundError) as missing:
            await client.models.retrieve("gpt-4o")
    assert [m.id for m in models.data] == ["tutor"] and one.id == "tutor" and one.object == "model"
    assert missing.value.body["code"] == "model_not_found"


async def test_with_operator_keys_a_bearer_key_is_required(tutor_app) -> None:
    async with tutor_app(api_keys=OPERATOR_KEY) as (client, http):
        answered = await client.chat.completions.create(model="tutor",
                                                        messages=[{"role": "user", "content": QUESTION}])
        assert answered.choices[0].message.content
        assert (await client.models.list()).data[0].id == "tutor"
        for key in ("wrong-key", ""):
            stranger = client.with_options(api_key=key or "x")
            with pytest.raises(openai.AuthenticationError) as refused:
                await stranger.chat.completions.create(model="tutor",
                                                       messages=[{"role": "user", "content": QUESTION}])
            assert refused.value.status_code == 401
            assert refused.value.body == {"message": refused.value.body["message"], "type": "invalid_request_error",
                                          "param": None, "code": "invalid_api_key"}
            assert OPERATOR_KEY not in json.dumps(refused.value.body)
        no_header = await http.get("/v1/models")
        assert no_header.status_code == 401 and no_header.json()["error"]["code"] == "invalid_api_key"


@pytest.mark.parametrize("body, param", [
    (b'{"model": "tutor", "messages": [', None),
    (b'{"model": "tutor", "messages": [{"role": "user", "content": "\xab\xff"}]}', None),
    (b'[]', None),
    (b'{"model": "tutor"}', "messages"),
    (b'{"model": "tutor", "messages": []}', "messages"),
    (b'{"model": "tutor", "messages": "hi"}', "messages"),
    (b'{"model": "tutor", "messages": [{"role": "wizard", "content": "hi"}]}', "messages.0.role"),
    (b'{"model": "tutor", "messages": [{"role": "user", "content": 42}]}', "messages.0.content"),
    (b'{"model": "tutor", "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}',
     "messages"),
    (b'{"model": "tutor", "messages": [{"role": "user", "content": "   \\u200b "}]}', "messages"),
    (b'{"model": "tutor", "messages": [{"role": "user", "content": [{"type": "image_url", '
     b'"image_url": {"url": "data:image/png;base64,AAAA"}}]}]}', "messages.0.content"),
    (b'{"model": "tutor", "n": 2, "messages": [{"role": "user", "content": "hi"}]}', "n"),
    (b'{"model": "tutor", "stream": "sometimes", "messages": [{"role": "user", "content": "hi"}]}', "stream"),
])
async def test_a_bad_body_is_a_400_in_openai_shape(tutor_app, body: bytes, param: str | None) -> None:
    async with tutor_app() as (_, http):
        response = await http.post("/v1/chat/completions", content=body,
                                   headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error" and error["message"]
    if param is not None:
        assert error["param"] is not None and error["param"].startswith(param.split(".")[0])


async def test_a_too_long_question_is_a_400_and_the_sdk_raises_bad_request(tutor_app) -> None:
    async with tutor_app(max_message_chars=50) as (client, _):
        with pytest.raises(openai.BadRequestError) as refused:
            await client.chat.completions.create(model="tutor", messages=[{"role": "user", "content": "가" * 51}])
    assert refused.value.body["param"] == "messages"


async def test_text_parts_are_read_as_the_question(tutor_app) -> None:
    async with tutor_app() as (client, _):
        result = await client.chat.completions.create(model="tutor", messages=[
            {"role": "user", "content": [{"type": "text", "text": QUESTION}]}])
    assert result.model_extra["tutor"]["sources"][0]["id"] == "transformer.paper"


async def test_the_rate_limit_per_client_answers_429_in_openai_shape(tutor_app) -> None:
    async with tutor_app(rate_limit_enabled=True, messages_per_minute=1) as (client, _):
        for _ in range(3):  # the per-client allowance is three times the per-session one
            await client.chat.completions.create(model="tutor", messages=[{"role": "user", "content": QUESTION}])
        with pytest.raises(openai.RateLimitError) as refused:
            await client.chat.completions.create(model="tutor", messages=[{"role": "user", "content": QUESTION}])
    assert refused.value.body["code"] == "rate_limit_exceeded"
    assert int(refused.value.response.headers["retry-after"]) >= 1


async def test_nothing_of_the_conversation_is_stored(tutor_app, make_settings) -> None:
    async with tutor_app() as (client, _):
        await client.chat.completions.create(model="tutor", messages=[{"role": "user", "content": QUESTION}])
    from tutor.store import Store, make_engine

    store = Store(make_engine(make_settings().database_url))
    try:
        counts = await store.count()
        today = await store.daily_usage(datetime.now(timezone.utc).date())
    finally:
        store.engine.dispose()
    assert counts["sessions"] == 0 and counts["messages"] == 0
    assert today.turns == 1 and today.tokens > 0  # only the day's totals, which the daily budgets read


# --- against a real model server speaking OpenAI's wire format ---------------------------------


@pytest.fixture
def fake() -> FakeProvider:
    provider = FakeProvider("--chunks", "6", "--first-token-delay", "0", "--chunk-delay", "0")
    yield provider
    provider.stop()


def upstream(make_settings, fake: FakeProvider, **overrides) -> Settings:
    return make_settings(provider="openai", openai_api_key="sk-upstream-SECRET-1234", max_retries=0,
                         openai_base_url=f"{fake.url}/v1", model="fake-model", **overrides)


@pytest.mark.parametrize("grounding", ["document", "passages"])
async def test_a_provider_backed_completion_sends_the_tutors_grounding_upstream(make_settings, fake,
                                                                                 grounding: str) -> None:
    window = {"document": 64_000, "passages": 8192}[grounding]
    async with running(upstream(make_settings, fake, grounding=grounding, context_tokens=window)) as (client, _):
        result = await client.chat.completions.create(model="tutor", messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": "트랜스포머는 2017년에 나온 AI 구조예요."},
            {"role": "user", "content": FOLLOW_UP},
        ], temperature=1.7, max_tokens=5)  # the client's sampling settings do not reach the model
    [request] = [r for r in fake.log() if r["path"] == "/v1/chat/completions"]
    sent = request["body"]
    assert sent["model"] == "fake-model" and sent.get("temperature") != 1.7
    texts = {role: [m["content"] if isinstance(m["content"], str) else json.dumps(m["content"], ensure_ascii=False)
                    for m in sent["messages"] if m["role"] == role] for role in ("system", "user", "assistant")}
    system, last = "\n".join(texts["system"]), texts["user"][-1]
    assert "You are a warm, patient tutor" in system  # the tutor's instructions...
    assert "You are a helpful assistant" not in json.dumps(sent, ensure_ascii=False)  # ...not the front-end's
    # The lesson passage that answers the follow-up (recurrent networks, before the Transformer:
    # (transformer.vs-rnn) travels with it: the whole lesson after the instructions, and the passage named
    # beside the question; or the retrieved passage itself beside the question.
    if grounding == "document":
        assert "<lesson_document>" in system and '<passage id="transformer.vs-rnn"' in system
        assert "transformer.vs-rnn" in last and "RNN" not in last
    else:
        assert "<lesson_document>" not in system and "RNN" not in system
        assert '<passage id="transformer.vs-rnn"' in last and "RNN(순환 신경망)" in last
    assert "그 전에는" in last
    assert any("트랜스포머가 뭐예요" in turn for turn in texts["user"][:-1])  # the history went along
    assert texts["assistant"] == ["트랜스포머는 2017년에 나온 AI 구조예요."]
    assert result.choices[0].message.content.startswith("생성형 AI는")  # the fake model's own words
    assert result.model_extra["tutor"]["provider"] == "openai"
    assert result.model_extra["tutor"]["provider_model"] == "fake-model"


async def test_a_failing_provider_falls_back_like_a_session_turn(make_settings, fake) -> None:
    fake.control(mode="status", status=500)
    async with running(upstream(make_settings, fake, fallback=["offline"])) as (client, _):
        result = await client.chat.completions.create(model="tutor",
                                                      messages=[{"role": "user", "content": QUESTION}])
    assert result.model_extra["tutor"]["provider"] == "offline"
    assert "트랜스포머" in result.choices[0].message.content


async def test_a_provider_failing_before_its_first_word_is_an_http_error_in_openai_shape(make_settings, fake) -> None:
    fake.control(mode="status", status=500)
    async with running(upstream(make_settings, fake)) as (client, _):
        for stream in (False, True):
            with pytest.raises(openai.APIStatusError) as failed:
                response = await client.chat.completions.create(
                    model="tutor", stream=stream, messages=[{"role": "user", "content": QUESTION}])
                if stream:
                    [_ async for _ in response]
            assert failed.value.status_code == 503
            assert failed.value.body["code"] == "provider_unavailable"
            assert "SECRET" not in json.dumps(failed.value.body)


async def test_a_stream_cut_after_its_first_words_ends_with_an_error_the_sdk_raises(make_settings, fake) -> None:
    fake.control(mode="cut", cut_after=2)
    async with running(upstream(make_settings, fake)) as (client, _):
        stream = await client.chat.completions.create(model="tutor", stream=True,
                                                      messages=[{"role": "user", "content": QUESTION}])
        received = []
        with pytest.raises(openai.APIError) as failed:
            async for chunk in stream:
                received.append(chunk)
    assert any(c.choices and c.choices[0].delta.content for c in received)
    assert failed.value.body["code"] == "provider_unavailable" and failed.value.body["type"] == "server_error"


# --- the shape, against recorded OpenAI responses ------------------------------------------------


def _shape(value: object) -> object:
    """Keys and JSON types, recursively (lists by their first item)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def assert_same_shape(ours: object, recorded: object, where: str = "") -> None:
    """Every field OpenAI sends, we send, with the same JSON type (null where OpenAI may send null)."""
    if isinstance(recorded, dict):
        assert isinstance(ours, dict), where
        for key, value in recorded.items():
            if key == "obfuscation":  # OpenAI's padding against side channels; clients ignore it
                continue
            assert key in ours, f"{where}.{key} is missing"
            if key == "system_fingerprint" and ours[key] is None:
                continue  # documented as nullable
            assert_same_shape(ours[key], value, f"{where}.{key}")
    elif isinstance(recorded, list):
        assert isinstance(ours, list), where
        if recorded and ours:
            assert_same_shape(ours[0], recorded[0], f"{where}[0]")
    elif recorded is None:
        pass
    else:
        assert type(ours) is type(recorded), f"{where}: {type(ours).__name__} != {type(recorded).__name__}"


async def test_the_completion_has_the_shape_of_a_recorded_openai_completion(tutor_app) -> None:
    _, _, recorded = wire("openai_completion_ok.txt")
    async with tutor_app() as (_, http):
        response = await http.post("/v1/chat/completions",
                                   json={"model": "tutor", "messages": [{"role": "user", "content": QUESTION}]})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert_same_shape(response.json(), json.loads(recorded))


async def test_the_stream_has_the_shape_of_a_recorded_openai_stream(tutor_app) -> None:
    _, headers, recorded = wire("openai_stream_ok.txt")
    theirs = [line.removeprefix("data: ") for line in recorded.decode().splitlines() if line.startswith("data: ")]
    async with tutor_app() as (_, http):
        async with http.stream("POST", "/v1/chat/completions", json={
                "model": "tutor", "stream": True, "stream_options": {"include_usage": True},
                "messages": [{"role": "user", "content": QUESTION}]}) as response:
            ours = [line.removeprefix("data: ") async for line in response.aiter_lines() if line.startswith("data: ")]
    assert ours[-1] == theirs[-1] == "[DONE]"
    ours_json, theirs_json = [json.loads(x) for x in ours[:-1]], [json.loads(x) for x in theirs[:-1]]
    # The role chunk, a text chunk, the finish chunk and the usage chunk, in that order.
    for index in (0, 1, -2, -1):
        assert_same_shape(ours_json[index], theirs_json[index], f"chunk[{index}]")
    assert [bool(c["choices"]) for c in ours_json][-2:] == [True, False]
    assert ours_json[-2]["choices"][0]["finish_reason"] == theirs_json[-2]["choices"][0]["finish_reason"] == "stop"


async def test_models_have_the_shape_of_a_recorded_openai_list(tutor_app) -> None:
    _, _, recorded = wire("openai_models.txt")
    async with tutor_app() as (_, http):
        response = await http.get("/v1/models")
    assert_same_shape(response.json(), json.loads(recorded))


async def test_a_quiz_asked_in_one_request_is_judged_in_the_next(tutor_app) -> None:
    async with tutor_app() as (client, _):
        asked = await client.chat.completions.create(model="tutor", messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": "트랜스포머는 2017년 논문으로 나온 구조예요."},
            {"role": "user", "content": "문제 하나 내 주세요"}])
        quiz = asked.model_extra["tutor"]
        assert quiz["activity"] == "quiz" and quiz["quiz"]["question"]
        judged = await client.chat.completions.create(model="tutor", messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": "트랜스포머는 2017년 논문으로 나온 구조예요."},
            {"role": "user", "content": "문제 하나 내 주세요"},
            {"role": "assistant", "content": asked.choices[0].message.content},
            {"role": "user", "content": "모르겠어요"}])
    result = judged.model_extra["tutor"]
    assert result["activity"] == "quiz_result" and result["quiz"] == {"correct": False}
    assert "answer" not in json.dumps(quiz["quiz"])  # the key never leaves the server


async def test_an_operator_can_keep_conversations_as_sessions(tutor_app) -> None:
    async with tutor_app(chat_completions_store=True) as (client, http):
        first = await client.chat.completions.create(model="tutor",
                                                     messages=[{"role": "user", "content": QUESTION}])
        answer = first.choices[0].message.content
        stream = await client.chat.completions.create(model="tutor", stream=True, messages=[
            {"role": "user", "content": QUESTION}, {"role": "assistant", "content": answer},
            {"role": "user", "content": FOLLOW_UP}])
        chunks = [chunk async for chunk in stream]
        kept = [first.model_extra["tutor"]["session"],
                next(c.model_extra["tutor"]["session"] for c in chunks if c.choices and c.choices[0].finish_reason)]
        stored = [(await http.get(f"/v1/sessions/{s['id']}", headers={"Authorization": f"Bearer {s['token']}"})).json()
                  for s in kept]
    assert [(m["role"], m["status"]) for m in stored[0]["messages"]] == [("user", "complete"), ("assistant", "complete")]
    assert stored[0]["messages"][1]["content"] == answer
    assert [m["content"] for m in stored[1]["messages"]][:3] == [QUESTION, answer.strip(), FOLLOW_UP]
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert stored[1]["messages"][3]["content"] == streamed and "RNN" in streamed
    assert "transformer.vs-rnn" in stored[1]["covered"] and "transformer.paper" in stored[1]["covered"]
