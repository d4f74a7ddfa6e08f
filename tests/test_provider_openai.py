"""The OpenAI provider, driven through the real `openai` SDK.

respx sits at the SDK's HTTP boundary (the `httpx2_mock` fixture of
pytest-httpx2 patches httpcore2, under the SDK's own httpx2 client), so the
SDK's retries, SSE parsing and error classes all run for real. Responses are
replayed from tests/wire/ in the vendor's wire format, cut into small byte
pieces the way a network delivers them.
"""

from __future__ import annotations

import asyncio
import json

import httpcore2
import httpx
import httpx2
import openai
import pytest
import respx

from tests.wire_replay import (
    collect,
    collect_until_error,
    events_before,
    lesson_request,
    replay,
    text_of,
    wire,
)
from tutor.providers.base import (
    ChatMessage,
    ChatRequest,
    Finish,
    Passage,
    ProviderAuthError,
    ProviderContextOverflow,
    ProviderBadRequest,
    ProviderRateLimited,
    ProviderUnavailable,
    TextDelta,
    Usage,
)
from tutor.providers.errors import retry_after_seconds
from tutor.providers.openai import (
    ChunkReader,
    OpenAIProvider,
    chat_completion_kwargs,
    provider_error,
)

URL = "https://api.openai.com/v1/chat/completions"
KEY = "sk-test-SECRET-0123456789abcd"
ANSWER = "안녕하세요! 생성형 AI는 새로운 글이나 그림을 만들어 내는 AI예요."


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_sdk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
async def make_provider():
    made: list[OpenAIProvider] = []

    def make(**kwargs) -> OpenAIProvider:
        options = {"api_key": KEY, "model": "gpt-4o-mini", "max_retries": 0} | kwargs
        provider = OpenAIProvider(**options)
        made.append(provider)
        return provider

    yield make
    for provider in made:
        await provider.aclose()


# --- the mock really sits under the SDK ---------------------------------------------------------


async def test_httpx2_mock_intercepts_the_sdk(httpx2_mock: respx.Router) -> None:
    status, headers, body = wire("openai_stream_ok.txt")
    route = httpx2_mock.post(URL).mock(return_value=httpx.Response(status, headers=headers, content=body))
    client = openai.AsyncOpenAI(api_key=KEY, max_retries=0)
    async with await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    ) as stream:
        chunks = [chunk async for chunk in stream]
    await client.close()
    assert route.call_count == 1
    assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"
    assert chunks[1].choices[0].delta.content == "안녕하세요"


# --- a normal answer ----------------------------------------------------------------------------


async def test_streams_korean_deltas_in_order_then_usage_then_finish(httpx2_mock, make_provider) -> None:
    response, _ = replay("openai_stream_ok.txt", piece=5)  # 5-byte pieces split Hangul syllables
    httpx2_mock.post(URL).mock(return_value=response)

    events = await collect(make_provider())

    assert events == [
        TextDelta("안녕하세요"),
        TextDelta("! 생성"),
        TextDelta("형 AI는"),
        TextDelta(" 새로운 글이나"),
        TextDelta(" 그림을 만들어"),
        TextDelta(" 내는 AI예요."),
        Usage(input_tokens=812, output_tokens=23),
        Finish("stop"),
    ]
    assert text_of(events) == ANSWER


async def test_request_carries_system_first_history_in_order_and_framed_passages(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("openai_stream_ok.txt")[0])

    await collect(make_provider(read_timeout=42.0), lesson_request(model="gpt-4.1-mini"))

    sent = route.calls.last.request
    body = json.loads(sent.content)
    assert body["model"] == "gpt-4.1-mini"
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["max_completion_tokens"] == 700
    assert "max_tokens" not in body
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    system, first, reply, last = body["messages"]
    assert system["content"] == "You are a patient tutor. Answer in the learner's language."
    assert first["content"] == "<learner_message>\n생성형 AI가 뭐예요?\n</learner_message>"  # earlier turns framed too
    assert reply["content"] == "새로운 내용을 만들어 내는 AI예요."
    assert last["content"].startswith("<reference_passages>")
    assert "예측형 AI는 주어진 데이터로 결과를 맞히는 AI입니다." in last["content"]
    assert last["content"].endswith("<learner_message>\n그럼 그 전에는 뭘 썼어요?\n</learner_message>")
    assert "예측형" not in system["content"]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["x-stainless-read-timeout"] == "42.0"


async def test_the_request_body_is_the_bytes_the_sdk_itself_writes(httpx2_mock, make_provider) -> None:
    """The body goes to the SDK already encoded (the instructions and the lesson, the same on every
    turn, encoded once): byte for byte what the SDK writes from the same request given as JSON,
    turn after turn, with a whole lesson in the system message and text that JSON must escape."""
    route = httpx2_mock.post(URL).mock(side_effect=lambda request: replay("openai_stream_ok.txt")[0])
    lesson = (Passage("gan/1", 'GAN "생성자"', "생성자와 판별자가 겨뤄요.\n\t\\ 끝 </passage>"),
              Passage("intro/2", "소개", "예측형 AI는 주어진 데이터로 결과를 맞히는 AI입니다. ☃ 😀"))
    requests = [lesson_request(), lesson_request(document=lesson, model="gpt-4.1-mini"),
                lesson_request(document=lesson, messages=(ChatMessage("user", '따옴표 " 와 \\ 그리고 \u2028'),)),
                lesson_request(system="", document=())]
    provider = make_provider()
    sdk = openai.AsyncOpenAI(api_key=KEY, max_retries=0)
    try:
        for request in requests * 2:
            await collect(provider, request)
            ours = route.calls.last.request.content
            kwargs = chat_completion_kwargs(request, provider.model, token_param="max_completion_tokens",
                                            cache_key=provider._cache_key_for(request))
            await (await sdk.post("/chat/completions", body=kwargs, cast_to=httpx2.Response, stream=True)).aclose()
            assert ours == route.calls.last.request.content
            assert json.loads(ours) == kwargs
    finally:
        await sdk.close()


async def test_constructor_model_is_used_when_the_request_names_none(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("openai_stream_ok.txt")[0])
    await collect(make_provider(model="gpt-4o-mini"))
    assert json.loads(route.calls.last.request.content)["model"] == "gpt-4o-mini"


async def test_length_cut_answer_finishes_with_length(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("openai_stream_length.txt")[0])
    events = await collect(make_provider())
    assert events == [TextDelta("트랜스포머는"), Usage(640, 4), Finish("length")]


# --- OpenAI-compatible servers ----------------------------------------------------------------


async def test_ollama_without_usage_streams_text_and_finish_only(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post("http://localhost:11434/v1/chat/completions").mock(
        return_value=replay("openai_compat_ollama_no_usage.txt")[0]
    )
    provider = make_provider(api_key="ollama", model="qwen2.5:7b", base_url="http://localhost:11434/v1", name="ollama")

    events = await collect(provider)

    assert events == [
        TextDelta("GPT는"),
        TextDelta(" 트랜스포머로"),
        TextDelta(" 만든 언어 모델이에요."),
        Finish("stop"),
    ]
    body = json.loads(route.calls.last.request.content)
    assert body["max_tokens"] == 700  # what every compatible server understands
    assert "max_completion_tokens" not in body


async def test_a_local_server_needs_no_key(httpx2_mock, make_provider) -> None:
    httpx2_mock.post("http://localhost:11434/v1/chat/completions").mock(
        return_value=replay("openai_compat_ollama_no_usage.txt")[0]
    )
    events = await collect(make_provider(api_key="", base_url="http://localhost:11434/v1"))
    assert text_of(events) == "GPT는 트랜스포머로 만든 언어 모델이에요."


async def test_a_missing_key_for_openai_is_an_auth_error_not_a_crash(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("openai_error_401.txt")[0])
    _, error = await collect_until_error(make_provider(api_key=""))
    assert isinstance(error, ProviderAuthError)


async def test_llamacpp_usage_on_the_finish_chunk_is_reported(httpx2_mock, make_provider) -> None:
    httpx2_mock.post("http://127.0.0.1:8080/v1/chat/completions").mock(
        return_value=replay("openai_compat_llamacpp_usage_on_finish.txt")[0]
    )
    events = await collect(make_provider(base_url="http://127.0.0.1:8080/v1"))
    assert text_of(events) == "마르코프 연쇄는 1906년에 나왔어요."
    assert events[-2:] == [Usage(655, 17), Finish("stop")]


# --- failures ----------------------------------------------------------------------------------


async def test_rejected_key_is_an_auth_error_and_not_retried(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("openai_error_401.txt")[0])

    _, error = await collect_until_error(make_provider(max_retries=2))

    assert isinstance(error, ProviderAuthError)
    assert error.status == 401
    assert error.message.startswith("OpenAI rejected the API key (401 invalid_api_key")
    assert "req_0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a" in error.message
    assert route.call_count == 1


async def test_rate_limit_is_retried_by_the_sdk_then_succeeds(httpx2_mock, make_provider) -> None:
    limited, _ = replay("openai_error_429.txt", headers={"retry-after": "0"})
    route = httpx2_mock.post(URL).mock(side_effect=[limited, replay("openai_stream_ok.txt")[0]])

    events = await collect(make_provider(max_retries=1))

    assert text_of(events) == ANSWER
    assert events[-1] == Finish("stop")
    assert route.call_count == 2
    assert route.calls[1].request.headers["x-stainless-retry-count"] == "1"


async def test_rate_limit_without_retries_left_carries_retry_after(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("openai_error_429.txt")[0])

    received, error = await collect_until_error(make_provider(max_retries=0))

    assert received == []
    assert isinstance(error, ProviderRateLimited)
    assert error.retry_after == 20.0
    assert error.status == 429
    assert route.call_count == 1


async def test_server_error_is_retried_then_unavailable(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(
        side_effect=[replay("openai_error_500.txt", headers={"retry-after": "0"})[0] for _ in range(2)]
    )

    _, error = await collect_until_error(make_provider(max_retries=1))

    assert isinstance(error, ProviderUnavailable)
    assert error.status == 500
    assert route.call_count == 2


async def test_other_client_errors_are_bad_requests(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("openai_error_400.txt")[0])
    _, error = await collect_until_error(make_provider(max_retries=2))
    assert isinstance(error, ProviderBadRequest)
    assert error.message.startswith("OpenAI rejected the request (400 invalid_value")
    assert route.call_count == 1


async def test_malformed_chunk_after_some_text_is_unavailable(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("openai_stream_malformed.txt")[0])

    received, error = await collect_until_error(make_provider())

    assert received == [TextDelta("어텐션은")]
    assert isinstance(error, ProviderUnavailable)
    assert "malformed" in error.message


async def test_connection_dropped_mid_stream_keeps_deltas_then_unavailable(httpx2_mock, make_provider) -> None:
    _, _, body = wire("openai_stream_ok.txt")
    dropped = httpcore2.RemoteProtocolError("peer closed connection without sending complete message body")
    response, upstream = replay("openai_stream_ok.txt", body=events_before(body, 4), then=dropped)
    httpx2_mock.post(URL).mock(return_value=response)

    received, error = await collect_until_error(make_provider(max_retries=2))

    assert received == [TextDelta("안녕하세요"), TextDelta("! 생성"), TextDelta("형 AI는")]
    assert isinstance(error, ProviderUnavailable)
    assert error.message == "OpenAI stream was cut off before the answer finished"
    assert upstream.closed


async def test_stream_that_ends_without_a_finish_reason_is_unavailable(httpx2_mock, make_provider) -> None:
    _, _, body = wire("openai_stream_ok.txt")
    httpx2_mock.post(URL).mock(return_value=replay("openai_stream_ok.txt", body=events_before(body, 3))[0])

    received, error = await collect_until_error(make_provider())

    assert text_of(received) == "안녕하세요! 생성"
    assert isinstance(error, ProviderUnavailable)
    assert "cut off" in error.message


async def test_read_timeout_mid_stream_is_unavailable(httpx2_mock, make_provider) -> None:
    _, _, body = wire("openai_stream_ok.txt")
    timeout = httpcore2.ReadTimeout("timed out")
    httpx2_mock.post(URL).mock(return_value=replay("openai_stream_ok.txt", body=events_before(body, 2), then=timeout)[0])

    received, error = await collect_until_error(make_provider())

    assert received == [TextDelta("안녕하세요")]
    assert isinstance(error, ProviderUnavailable)
    assert error.message == "OpenAI did not answer in time"


async def test_unreachable_server_is_unavailable(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(side_effect=httpcore2.ConnectError("[Errno 111] Connection refused"))
    _, error = await collect_until_error(make_provider())
    assert isinstance(error, ProviderUnavailable)
    assert error.message == "Could not reach OpenAI"


async def test_error_object_inside_the_stream_is_unavailable(httpx2_mock, make_provider) -> None:
    _, _, body = wire("openai_stream_ok.txt")
    failure = b'data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}\n\n'
    httpx2_mock.post(URL).mock(return_value=replay("openai_stream_ok.txt", body=events_before(body, 2) + failure)[0])

    received, error = await collect_until_error(make_provider())

    assert received == [TextDelta("안녕하세요")]
    assert isinstance(error, ProviderUnavailable)


@pytest.mark.parametrize(
    "status, recording", [(401, "openai_error_401.txt"), (400, "openai_error_400.txt"), (429, "openai_error_429.txt"), (500, "openai_error_500.txt")]
)
async def test_api_key_never_appears_in_an_error(httpx2_mock, make_provider, status, recording) -> None:
    _, headers, _ = wire(recording)
    echo = json.dumps({"error": {"message": f"Bad key {KEY} (Bearer {KEY})", "type": "x", "param": None, "code": KEY}})
    httpx2_mock.post(URL).mock(return_value=httpx.Response(status, headers=headers, content=echo.encode()))

    _, error = await collect_until_error(make_provider())

    assert error.status == status
    for shown in (str(error), repr(error), error.message):
        assert KEY not in shown
        assert "SECRET" not in shown


# --- cancellation closes the upstream response ---------------------------------------------------


async def test_cancelling_the_consumer_closes_the_upstream_response(httpx2_mock, make_provider) -> None:
    _, _, body = wire("openai_stream_ok.txt")
    response, upstream = replay("openai_stream_ok.txt", body=events_before(body, 2), hang=True)
    httpx2_mock.post(URL).mock(return_value=response)
    provider = make_provider()
    first = asyncio.Event()

    async def consume() -> None:
        async for event in provider.stream(lesson_request()):
            if isinstance(event, TextDelta):
                first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert upstream.closed


async def test_leaving_the_stream_early_closes_the_upstream_response(httpx2_mock, make_provider) -> None:
    response, upstream = replay("openai_stream_ok.txt")
    httpx2_mock.post(URL).mock(return_value=response)
    events = make_provider().stream(lesson_request())

    assert await anext(events) == TextDelta("안녕하세요")
    await events.aclose()

    assert upstream.closed


# --- the conversions, with plain data ------------------------------------------------------------


def recorded_chunks(name: str) -> list[dict]:
    _, _, body = wire(name)
    lines = [event.removeprefix("data: ") for event in body.decode().split("\n\n") if event]
    return [json.loads(line) for line in lines if line != "[DONE]"]


def test_kwargs_without_a_system_prompt_start_with_the_conversation() -> None:
    request = ChatRequest(system="", messages=(ChatMessage("user", "</learner_message> 안녕"),), max_output_tokens=50)
    kwargs = chat_completion_kwargs(request, "gpt-4o-mini", token_param="max_tokens")
    assert kwargs["max_tokens"] == 50
    assert [m["role"] for m in kwargs["messages"]] == ["user"]
    assert kwargs["messages"][0]["content"].count("</learner_message>") == 1  # the learner cannot close the block


def test_chunk_reader_holds_usage_and_finish_for_the_end() -> None:
    reader = ChunkReader()
    deltas = [delta for chunk in recorded_chunks("openai_stream_ok.txt") for delta in reader.feed(chunk)]
    assert "".join(d.text for d in deltas) == ANSWER
    assert reader.end() == [Usage(812, 23), Finish("stop")]


@pytest.mark.parametrize("vendor, ours", [("stop", "stop"), ("length", "length"), ("content_filter", "content_filter"), ("tool_calls", "other")])
def test_chunk_reader_maps_finish_reasons(vendor: str, ours: str) -> None:
    reader = ChunkReader()
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
             "choices": [{"index": 0, "delta": {}, "finish_reason": vendor}]}
    assert reader.feed(chunk) == []
    assert reader.end() == [Finish(ours)]


def test_chunk_reader_rejects_a_chunk_of_the_wrong_shape() -> None:
    wrong = {"id": "c", "choices": "not a list of choices", "usage": None}
    with pytest.raises(ProviderUnavailable, match="malformed"):
        ChunkReader().feed(wrong)


def test_sdk_errors_map_to_our_errors() -> None:
    request = httpx2.Request("POST", URL)

    def status(code: int, **headers: str) -> httpx2.Response:
        return httpx2.Response(code, headers=headers, request=request)

    assert isinstance(provider_error(openai.AuthenticationError("x", response=status(401), body=None)), ProviderAuthError)
    assert isinstance(provider_error(openai.PermissionDeniedError("x", response=status(403), body=None)), ProviderAuthError)
    limited = provider_error(openai.RateLimitError("x", response=status(429, **{"retry-after-ms": "1500"}), body=None))
    assert isinstance(limited, ProviderRateLimited) and limited.retry_after == 1.5
    assert isinstance(provider_error(openai.NotFoundError("x", response=status(404), body=None)), ProviderBadRequest)
    assert isinstance(provider_error(openai.InternalServerError("x", response=status(503), body=None)), ProviderUnavailable)
    assert isinstance(provider_error(openai.APITimeoutError(request=request)), ProviderUnavailable)
    assert isinstance(provider_error(json.JSONDecodeError("x", "{", 0)), ProviderUnavailable)


def test_retry_after_reads_seconds_milliseconds_and_dates() -> None:
    assert retry_after_seconds({"retry-after": "7"}) == 7.0
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "7"}) == 0.25
    assert retry_after_seconds({"retry-after": "Tue, 14 Oct 2025 06:13:01 GMT"}, now=1760422351.0) == 30.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


# --- caching and the prompt's size ----------------------------------------------------------------


async def test_cached_prompt_tokens_are_reported(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("openai_stream_cached.txt")[0])
    events = await collect(make_provider())
    usage = next(e for e in events if isinstance(e, Usage))
    assert usage == Usage(14236, 23, cached_input_tokens=13952, cache_write_input_tokens=0)
    print(f"\nOpenAI second turn: {usage.cached_input_tokens}/{usage.input_tokens} prompt tokens cached "
          f"({usage.cached_input_tokens / usage.input_tokens:.1%})")


async def test_a_context_length_error_is_an_overflow(httpx2_mock, make_provider) -> None:
    status, headers, body = wire("openai_error_context_length.txt")
    httpx2_mock.post(URL).mock(return_value=httpx.Response(status, headers=headers, content=body))
    _, error = await collect_until_error(make_provider())
    assert isinstance(error, ProviderContextOverflow) and error.code == "provider_context_overflow"
    assert "131042" not in error.message  # the vendor's text is matched, never quoted


async def test_the_whole_lesson_goes_in_the_system_message_with_a_cache_key(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("openai_stream_ok.txt")[0])
    lesson = (Passage("intro.what", "생성형 AI", "새로운 것을 만드는 AI예요."),)
    await collect(make_provider(), lesson_request(document=lesson))
    body = json.loads(route.calls.last.request.content)
    system = body["messages"][0]["content"]
    assert system.startswith("You are a patient tutor.")
    assert system.endswith('<lesson_document>\n<passage id="intro.what" title="생성형 AI">\n'
                           '새로운 것을 만드는 AI예요.\n</passage>\n</lesson_document>')
    assert body["prompt_cache_key"].startswith("tutor-")
    assert "most relevant to this message: 01-intro/2" in body["messages"][-1]["content"]


async def test_a_local_server_gets_no_cache_key_unless_configured(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post("http://127.0.0.1:8080/v1/chat/completions").mock(
        return_value=replay("openai_compat_llamacpp_usage_on_finish.txt")[0])
    await collect(make_provider(base_url="http://127.0.0.1:8080/v1"))
    assert "prompt_cache_key" not in json.loads(route.calls.last.request.content)


async def test_crlf_line_ends_comments_and_one_byte_pieces_read_the_same(httpx2_mock, make_provider) -> None:
    # Servers may end lines in CRLF (split between two reads here) and send keep-alive comments.
    _, _, body = wire("openai_stream_ok.txt")
    body = b": keep-alive\n\n" + body.replace(b"\n", b"\r\n")
    response, _ = replay("openai_stream_ok.txt", body=body, piece=1)
    httpx2_mock.post(URL).mock(return_value=response)

    events = await collect(make_provider())

    assert text_of(events) == ANSWER
    assert events[-2:] == [Usage(input_tokens=812, output_tokens=23), Finish("stop")]
