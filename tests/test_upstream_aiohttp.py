"""Our providers sending through the SDKs' aiohttp client (TUTOR_UPSTREAM_HTTP's default).

respx cannot see below aiohttp, so these run against the fake model server on
a real loopback socket, speaking both vendors' wire formats: the answer, the
SDK's retries, a cut stream, a hang and a learner's stop behave as they do
through the SDKs' default client (tests/test_provider_*.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from tests.fakes import FakeProvider
from tests.wire_replay import collect, collect_until_error, lesson_request, text_of
from tutor.config import Settings
from tutor.providers.anthropic import AnthropicProvider
from tutor.providers.base import Finish, ProviderAuthError, ProviderUnavailable, TextDelta, Usage
from tutor.providers.openai import OpenAIProvider
from tutor.providers import sse
from tutor.providers.registry import ProviderChain, Served

TEXT = "안녕하세요! 생성형 AI는 새로운 것을 만들어 내는 AI예요."
VENDORS = {
    "openai": lambda url, **options: OpenAIProvider(base_url=f"{url}/v1", model="gpt-test", **options),
    "anthropic": lambda url, **options: AnthropicProvider(base_url=url, model="claude-test", **options),
}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProvider]:
    server = FakeProvider("--chunks", "10", "--first-token-delay", "0.001", "--chunk-delay", "0.001",
                          "--text", TEXT)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=sorted(VENDORS))
async def make(request, fake: FakeProvider):
    fake.reset()
    made = []

    def build(**options):
        options = {"api_key": "secret-key", "max_retries": 0, "upstream_http": "aiohttp"} | options
        provider = VENDORS[request.param](fake.url, **options)
        made.append(provider)
        return provider

    yield build
    for provider in made:
        await provider.aclose()


async def assert_upstream_call_cancelled(fake: FakeProvider) -> None:
    """The fake model saw its call cancelled (within 3 s) before it had sent every chunk."""
    for _ in range(100):
        [record] = fake.log()
        if record["cancelled"]:
            break
        await asyncio.sleep(0.03)
    assert record["cancelled"] and record["chunks_sent"] < 200


def test_the_service_sends_through_aiohttp_unless_told_otherwise() -> None:
    assert Settings(_env_file=None).upstream_http == "aiohttp"
    assert Settings(_env_file=None, upstream_http="HTTPX").upstream_http == "httpx"


async def test_streams_the_answer_then_usage_then_finish(make, fake: FakeProvider) -> None:
    provider = make()
    first = await collect(provider)
    second = await collect(provider)  # the same pooled connection again

    for events in (first, second):
        assert text_of(events) == TEXT
        assert isinstance(events[-2], Usage) and events[-2].output_tokens > 0
        assert events[-1] == Finish("stop")
    assert len(fake.log()) == 2


async def test_the_sdk_retries_a_rate_limit_then_answers(make, fake: FakeProvider) -> None:
    fake.control(mode="status", status=429, retry_after=0.05, times=1)

    events = await collect(make(max_retries=1))

    assert text_of(events) == TEXT
    assert [r["status"] for r in fake.log()] == [429, 200]


async def test_a_rejected_key_is_an_auth_error(make, fake: FakeProvider) -> None:
    fake.control(mode="status", status=401)

    _, error = await collect_until_error(make())

    assert isinstance(error, ProviderAuthError)


async def test_a_cut_stream_keeps_the_words_before_it_then_is_unavailable(make, fake: FakeProvider) -> None:
    fake.control(mode="cut", cut_after=3)

    received, error = await collect_until_error(make())

    assert isinstance(error, ProviderUnavailable)
    words = text_of(received)
    assert words and TEXT.startswith(words) and words != TEXT


async def test_a_hang_hits_the_read_timeout(make, fake: FakeProvider) -> None:
    fake.control(mode="hang")
    started = time.monotonic()

    _, error = await collect_until_error(make(read_timeout=0.3))

    assert isinstance(error, ProviderUnavailable)
    assert time.monotonic() - started < 5


async def test_leaving_an_answer_early_closes_the_upstream_connection(make, fake: FakeProvider) -> None:
    fake.control(chunks=200, chunk_delay=0.05)
    stream = make().stream(lesson_request())
    async for event in stream:
        if isinstance(event, TextDelta):
            break
    await stream.aclose()

    await assert_upstream_call_cancelled(fake)


async def test_a_stream_cut_before_its_first_word_is_asked_once_more(make, fake: FakeProvider) -> None:
    """The learner sees nothing of a stream that broke off at once: the chain asks again, once."""
    fake.control(mode="cut", cut_after=0, times=1)
    received: list = []

    await ProviderChain([make()], first_token_timeout=10, chunk_timeout=10).answer(lesson_request(),
                                                                                   received.append)

    assert text_of([e for e in received if not isinstance(e, Served)]) == TEXT
    assert [r["mode"] for r in fake.log()] == ["cut", "ok"]


async def test_a_stream_cut_twice_before_its_first_word_is_unavailable(make, fake: FakeProvider) -> None:
    fake.control(mode="cut", cut_after=0, times=2)

    with pytest.raises(ProviderUnavailable):
        await ProviderChain([make()], first_token_timeout=10, chunk_timeout=10).answer(lesson_request(),
                                                                                       lambda event: None)

    assert len(fake.log()) == 2


async def test_once_text_flows_the_words_sent_meanwhile_are_read_together_and_the_end_is_not_waited_for(
        make, fake: FakeProvider, monkeypatch) -> None:
    """The first words come at once; after them the body is read once per pause (the pieces
    sent meanwhile together, one wake-up), and a body that ends during a pause is read then:
    with a pause far longer than the whole answer, the answer still ends at once, whole."""
    monkeypatch.setattr(sse, "READ_PAUSE", 30.0)
    fake.control(chunks=12, chunk_delay=0.02)
    arrivals: list[tuple[float, object]] = []
    started = time.monotonic()

    async for event in make().stream(lesson_request()):
        arrivals.append((time.monotonic() - started, event))

    assert text_of([event for _, event in arrivals]) == TEXT
    assert arrivals[-1][0] < 10 and arrivals[-1][1] == Finish("stop")  # not 30 s
    texts = [(at, event) for at, event in arrivals if isinstance(event, TextDelta)]
    first = texts[0][0]
    assert texts[0][1].text.strip() and first < 5
    # 11 more pieces, 20 ms apart, all read in one go when the body ended (12 reads without the pause).
    later = {round(at, 2) for at, _ in texts[1:]}
    assert len(later) <= 2 and min(at for at, _ in texts[1:]) >= first + 0.15


async def test_a_stop_during_a_pause_ends_the_answer_and_its_upstream_call_at_once(
        make, fake: FakeProvider, monkeypatch) -> None:
    monkeypatch.setattr(sse, "READ_PAUSE", 30.0)
    fake.control(chunks=200, chunk_delay=0.02)
    got_text = asyncio.Event()

    async def read() -> None:
        async for event in make().stream(lesson_request()):
            if isinstance(event, TextDelta) and event.text.strip():
                got_text.set()

    task = asyncio.create_task(read())
    await asyncio.wait_for(got_text.wait(), 10)
    await asyncio.sleep(0.1)  # in the pause now
    stopped = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - stopped < 2
    await assert_upstream_call_cancelled(fake)
