"""The Anthropic provider, driven through the real `anthropic` SDK.

respx sits at the SDK's HTTP boundary (the `httpx2_mock` fixture of
pytest-httpx2 patches httpcore2, under the SDK's own httpx2 client), so the
SDK's retries, SSE parsing and error classes all run for real. Responses are
replayed from tests/wire/ in the Messages API's wire format, cut into small
byte pieces the way a network delivers them.
"""

from __future__ import annotations

import asyncio
import json

import anthropic
import httpcore2
import httpx
import httpx2
import pydantic
import pytest
import respx
from anthropic.types import RawMessageStreamEvent

from tests.wire_replay import (
    collect,
    collect_until_error,
    events_before,
    lesson_request,
    replay,
    text_of,
    wire,
)
from tutor.providers.anthropic import (
    AnthropicProvider,
    EventReader,
    messages_kwargs,
    provider_error,
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

URL = "https://api.anthropic.com/v1/messages"
KEY = "sk-ant-api03-SECRET-0123456789abcd"
ANSWER = "좋은 질문이에요! 생성형 AI는 배운 것을 바탕으로 새 글을 만들어 내요."


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_sdk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_CUSTOM_HEADERS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
async def make_provider():
    made: list[AnthropicProvider] = []

    def make(**kwargs) -> AnthropicProvider:
        options = {"api_key": KEY, "model": "claude-sonnet-4-6", "max_retries": 0} | kwargs
        provider = AnthropicProvider(**options)
        made.append(provider)
        return provider

    yield make
    for provider in made:
        await provider.aclose()


# --- the mock really sits under the SDK ---------------------------------------------------------


async def test_httpx2_mock_intercepts_the_sdk(httpx2_mock: respx.Router) -> None:
    status, headers, body = wire("anthropic_stream_ok.txt")
    route = httpx2_mock.post(URL).mock(return_value=httpx.Response(status, headers=headers, content=body))
    client = anthropic.AsyncAnthropic(api_key=KEY, max_retries=0)
    async with await client.messages.create(
        model="claude-sonnet-4-6", max_tokens=10, messages=[{"role": "user", "content": "hi"}], stream=True
    ) as stream:
        events = [event async for event in stream]
    await client.close()
    assert route.call_count == 1
    assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"  # how this SDK sends the key
    assert [e.type for e in events][:2] == ["message_start", "content_block_start"]  # the ping is skipped


# --- a normal answer ----------------------------------------------------------------------------


async def test_streams_korean_deltas_in_order_then_usage_then_finish(httpx2_mock, make_provider) -> None:
    response, _ = replay("anthropic_stream_ok.txt", piece=5)  # 5-byte pieces split Hangul syllables
    httpx2_mock.post(URL).mock(return_value=response)

    events = await collect(make_provider())

    assert events == [
        TextDelta("좋은 질문이에요"),
        TextDelta("! 생성형"),
        TextDelta(" AI는 배운"),
        TextDelta(" 것을 바탕으로"),
        TextDelta(" 새 글을 만들"),
        TextDelta("어 내요."),
        Usage(input_tokens=918, output_tokens=31),
        Finish("stop"),
    ]
    assert text_of(events) == ANSWER


async def test_request_carries_system_field_history_in_order_and_framed_passages(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("anthropic_stream_ok.txt")[0])

    await collect(make_provider(read_timeout=42.0), lesson_request(model="claude-haiku-4-5"))

    sent = route.calls.last.request
    body = json.loads(sent.content)
    assert body["model"] == "claude-haiku-4-5"
    assert body["max_tokens"] == 700
    assert body["stream"] is True
    assert body["system"] == [{"type": "text", "text": "You are a patient tutor. Answer in the learner's language.",
                               "cache_control": {"type": "ephemeral"}}]
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    first, reply, last = body["messages"]
    assert first["content"] == "<learner_message>\n생성형 AI가 뭐예요?\n</learner_message>"  # earlier turns framed too
    assert reply["content"] == "새로운 내용을 만들어 내는 AI예요."
    assert last["content"].startswith("<reference_passages>")
    assert "예측형 AI는 주어진 데이터로 결과를 맞히는 AI입니다." in last["content"]
    assert last["content"].endswith("<learner_message>\n그럼 그 전에는 뭘 썼어요?\n</learner_message>")
    assert "예측형" not in json.dumps(body["system"], ensure_ascii=False)
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert "anthropic-version" in sent.headers
    assert sent.headers["x-stainless-read-timeout"] == "42.0"


async def test_constructor_model_is_used_when_the_request_names_none(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("anthropic_stream_ok.txt")[0])
    await collect(make_provider(model="claude-sonnet-4-6"))
    assert json.loads(route.calls.last.request.content)["model"] == "claude-sonnet-4-6"


async def test_max_tokens_stop_finishes_with_length(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("anthropic_stream_max_tokens.txt")[0])
    events = await collect(make_provider())
    assert events == [TextDelta("포지셔널 인코딩은"), Usage(918, 8), Finish("length")]


async def test_base_url_points_at_another_server(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post("http://127.0.0.1:4000/v1/messages").mock(return_value=replay("anthropic_stream_ok.txt")[0])
    events = await collect(make_provider(base_url="http://127.0.0.1:4000"))
    assert text_of(events) == ANSWER
    assert route.call_count == 1


# --- failures ----------------------------------------------------------------------------------


async def test_rejected_key_is_an_auth_error_and_not_retried(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("anthropic_error_401.txt")[0])

    _, error = await collect_until_error(make_provider(max_retries=2))

    assert isinstance(error, ProviderAuthError)
    assert error.status == 401
    assert error.message == "Anthropic rejected the API key (401 authentication_error, request req_011CU7dHq2mVwXy8Zb3NcK5t)"
    assert route.call_count == 1


async def test_a_missing_key_is_an_auth_error_not_a_crash(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("anthropic_error_401.txt")[0])
    _, error = await collect_until_error(make_provider(api_key=""))
    assert isinstance(error, ProviderAuthError)


async def test_rate_limit_is_retried_by_the_sdk_then_succeeds(httpx2_mock, make_provider) -> None:
    limited, _ = replay("anthropic_error_429.txt", headers={"retry-after": "0"})
    route = httpx2_mock.post(URL).mock(side_effect=[limited, replay("anthropic_stream_ok.txt")[0]])

    events = await collect(make_provider(max_retries=1))

    assert text_of(events) == ANSWER
    assert events[-2:] == [Usage(918, 31), Finish("stop")]
    assert route.call_count == 2
    assert route.calls[1].request.headers["x-stainless-retry-count"] == "1"


async def test_rate_limit_without_retries_left_carries_retry_after(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("anthropic_error_429.txt")[0])

    received, error = await collect_until_error(make_provider(max_retries=0))

    assert received == []
    assert isinstance(error, ProviderRateLimited)
    assert error.retry_after == 20.0
    assert route.call_count == 1


async def test_server_error_is_retried_then_unavailable(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(
        side_effect=[replay("anthropic_error_500.txt", headers={"retry-after": "0"})[0] for _ in range(2)]
    )

    _, error = await collect_until_error(make_provider(max_retries=1))

    assert isinstance(error, ProviderUnavailable)
    assert error.status == 500
    assert route.call_count == 2


async def test_overloaded_529_is_unavailable(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("anthropic_error_529.txt")[0])
    _, error = await collect_until_error(make_provider())
    assert isinstance(error, ProviderUnavailable)
    assert error.status == 529


async def test_other_client_errors_are_bad_requests(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("anthropic_error_400.txt")[0])
    _, error = await collect_until_error(make_provider(max_retries=2))
    assert isinstance(error, ProviderBadRequest)
    assert error.message.startswith("Anthropic rejected the request (400 invalid_request_error")
    assert route.call_count == 1


async def test_overloaded_error_event_mid_stream_keeps_deltas_then_unavailable(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("anthropic_stream_overloaded.txt")[0])

    received, error = await collect_until_error(make_provider())

    assert received == [TextDelta("엘리자는 1964년")]
    assert isinstance(error, ProviderUnavailable)
    assert error.status == 529


async def test_malformed_event_after_some_text_is_unavailable(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(return_value=replay("anthropic_stream_malformed.txt")[0])

    received, error = await collect_until_error(make_provider())

    assert received == [TextDelta("엘리자는 1964년")]
    assert isinstance(error, ProviderUnavailable)
    assert "malformed" in error.message


async def test_connection_dropped_mid_stream_keeps_deltas_then_unavailable(httpx2_mock, make_provider) -> None:
    _, _, body = wire("anthropic_stream_ok.txt")
    dropped = httpcore2.RemoteProtocolError("peer closed connection without sending complete message body")
    response, upstream = replay("anthropic_stream_ok.txt", body=events_before(body, 6), then=dropped)
    httpx2_mock.post(URL).mock(return_value=response)

    received, error = await collect_until_error(make_provider(max_retries=2))

    assert received == [TextDelta("좋은 질문이에요"), TextDelta("! 생성형"), TextDelta(" AI는 배운")]
    assert isinstance(error, ProviderUnavailable)
    assert error.message == "Anthropic stream was cut off before the answer finished"
    assert upstream.closed


async def test_stream_that_ends_before_message_stop_is_unavailable(httpx2_mock, make_provider) -> None:
    _, _, body = wire("anthropic_stream_ok.txt")
    httpx2_mock.post(URL).mock(return_value=replay("anthropic_stream_ok.txt", body=events_before(body, 5))[0])

    received, error = await collect_until_error(make_provider())

    assert text_of(received) == "좋은 질문이에요! 생성형"
    assert isinstance(error, ProviderUnavailable)
    assert "cut off" in error.message


async def test_read_timeout_mid_stream_is_unavailable(httpx2_mock, make_provider) -> None:
    _, _, body = wire("anthropic_stream_ok.txt")
    timeout = httpcore2.ReadTimeout("timed out")
    httpx2_mock.post(URL).mock(return_value=replay("anthropic_stream_ok.txt", body=events_before(body, 4), then=timeout)[0])

    received, error = await collect_until_error(make_provider())

    assert received == [TextDelta("좋은 질문이에요")]
    assert isinstance(error, ProviderUnavailable)
    assert error.message == "Anthropic did not answer in time"


async def test_unreachable_server_is_unavailable(httpx2_mock, make_provider) -> None:
    httpx2_mock.post(URL).mock(side_effect=httpcore2.ConnectError("[Errno 111] Connection refused"))
    _, error = await collect_until_error(make_provider())
    assert isinstance(error, ProviderUnavailable)
    assert error.message == "Could not reach Anthropic"


@pytest.mark.parametrize(
    "status, recording",
    [(401, "anthropic_error_401.txt"), (400, "anthropic_error_400.txt"), (429, "anthropic_error_429.txt"), (500, "anthropic_error_500.txt")],
)
async def test_api_key_never_appears_in_an_error(httpx2_mock, make_provider, status, recording) -> None:
    _, headers, _ = wire(recording)
    headers = [(k, KEY if k == "request-id" else v) for k, v in headers]  # even a server echoing the key
    echo = json.dumps({"type": "error", "error": {"type": KEY, "message": f"invalid x-api-key {KEY}"}})
    httpx2_mock.post(URL).mock(return_value=httpx.Response(status, headers=headers, content=echo.encode()))

    _, error = await collect_until_error(make_provider())

    assert error.status == status
    for shown in (str(error), repr(error), error.message):
        assert KEY not in shown
        assert "SECRET" not in shown


# --- cancellation closes the upstream response ---------------------------------------------------


async def test_cancelling_the_consumer_closes_the_upstream_response(httpx2_mock, make_provider) -> None:
    _, _, body = wire("anthropic_stream_ok.txt")
    response, upstream = replay("anthropic_stream_ok.txt", body=events_before(body, 4), hang=True)
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
    response, upstream = replay("anthropic_stream_ok.txt")
    httpx2_mock.post(URL).mock(return_value=response)
    events = make_provider().stream(lesson_request())

    assert await anext(events) == TextDelta("좋은 질문이에요")
    await events.aclose()

    assert upstream.closed


# --- the conversions, with plain data ------------------------------------------------------------

_EVENT = pydantic.TypeAdapter(RawMessageStreamEvent)


def recorded_events(name: str) -> list[dict]:
    """A recording's events as the provider reads them: each event's data as plain JSON.
    Each is checked against the SDK's own event types, so the recordings stay true to the API."""
    _, _, body = wire(name)
    parsed = []
    for block in filter(None, body.decode().split("\n\n")):
        kind, data = (line.partition(": ")[2] for line in block.split("\n")[:2])
        if kind != "ping":
            event = json.loads(data)
            _EVENT.validate_python(event)
            parsed.append(event)
    return parsed


def test_kwargs_leave_out_an_empty_system_prompt() -> None:
    request = ChatRequest(system="", messages=(ChatMessage("user", "안녕"),), max_output_tokens=50)
    kwargs = messages_kwargs(request, "claude-sonnet-4-6")
    assert "system" not in kwargs
    assert kwargs["max_tokens"] == 50
    assert kwargs["model"] == "claude-sonnet-4-6"


def test_event_reader_reports_usage_and_finish_at_the_end() -> None:
    reader = EventReader()
    deltas = [delta for event in recorded_events("anthropic_stream_ok.txt") for delta in reader.feed(event)]
    assert "".join(d.text for d in deltas) == ANSWER
    assert reader.end() == [Usage(918, 31), Finish("stop")]


def test_event_reader_counts_cached_input_tokens() -> None:
    reader = EventReader()
    start = {
        "type": "message_start",
        "message": {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
                    "stop_reason": None, "stop_sequence": None,
                    "usage": {"input_tokens": 12, "cache_creation_input_tokens": 300, "cache_read_input_tokens": 600, "output_tokens": 1}},
    }
    stop = {"type": "message_delta", "delta": {"stop_reason": "refusal", "stop_sequence": None}, "usage": {"output_tokens": 3}}
    for event in (start, stop):
        reader.feed(event)
    assert reader.end() == [Usage(912, 3, cached_input_tokens=600, cache_write_input_tokens=300), Finish("content_filter")]


def test_sdk_errors_map_to_our_errors() -> None:
    request = httpx2.Request("POST", URL)

    def status(code: int, **headers: str) -> httpx2.Response:
        return httpx2.Response(code, headers=headers, request=request)

    assert isinstance(provider_error(anthropic.AuthenticationError("x", response=status(401), body=None)), ProviderAuthError)
    assert isinstance(provider_error(anthropic.PermissionDeniedError("x", response=status(403), body=None)), ProviderAuthError)
    limited = provider_error(anthropic.RateLimitError("x", response=status(429, **{"retry-after": "3"}), body=None))
    assert isinstance(limited, ProviderRateLimited) and limited.retry_after == 3.0
    assert isinstance(provider_error(anthropic.NotFoundError("x", response=status(404), body=None)), ProviderBadRequest)
    in_stream = anthropic.APIStatusError(
        "x", response=status(200), body={"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}}
    )
    assert isinstance(provider_error(in_stream), ProviderRateLimited)
    assert isinstance(provider_error(httpx2.RemoteProtocolError("peer closed")), ProviderUnavailable)
    assert isinstance(provider_error(anthropic.APIConnectionError(request=request)), ProviderUnavailable)


# --- caching and the prompt's size ----------------------------------------------------------------


async def test_the_first_turn_writes_the_cache_and_the_second_reads_it(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL)
    route.side_effect = [replay("anthropic_stream_cache_write.txt")[0], replay("anthropic_stream_cache_read.txt")[0]]
    provider = make_provider()
    first = next(e for e in await collect(provider) if isinstance(e, Usage))
    second = next(e for e in await collect(provider) if isinstance(e, Usage))
    assert first == Usage(318 + 14604, 31, cached_input_tokens=0, cache_write_input_tokens=14604)
    assert second == Usage(402 + 14604, 31, cached_input_tokens=14604, cache_write_input_tokens=0)
    print(f"\nAnthropic second turn: {second.cached_input_tokens}/{second.input_tokens} input tokens read "
          f"from the cache ({second.cached_input_tokens / second.input_tokens:.1%})")


async def test_cache_control_ends_the_fixed_prefix_and_nothing_else(httpx2_mock, make_provider) -> None:
    route = httpx2_mock.post(URL).mock(return_value=replay("anthropic_stream_ok.txt")[0])
    lesson = (Passage("intro.what", "생성형 AI", "새로운 것을 만드는 AI예요."),)
    await collect(make_provider(), lesson_request(document=lesson))
    body = json.loads(route.calls.last.request.content)
    instructions, document = body["system"]
    assert instructions == {"type": "text", "text": "You are a patient tutor. Answer in the learner's language."}
    assert document["cache_control"] == {"type": "ephemeral"}
    assert document["text"].startswith('<lesson_document>\n<passage id="intro.what"')
    assert "cache_control" not in json.dumps(body["messages"])


async def test_prompt_is_too_long_is_an_overflow(httpx2_mock, make_provider) -> None:
    status, headers, body = wire("anthropic_error_prompt_too_long.txt")
    httpx2_mock.post(URL).mock(return_value=httpx.Response(status, headers=headers, content=body))
    _, error = await collect_until_error(make_provider())
    assert isinstance(error, ProviderContextOverflow) and error.status == 400
