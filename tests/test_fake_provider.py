"""The fake provider speaks both vendors' wire formats well enough for the real SDKs.

It is started as a subprocess, as the bench and the service tests use it, and
driven with the official ``openai`` and ``anthropic`` SDKs: if they parse its
streams, errors and faults, the service's providers will meet the same thing.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import httpx2
import openai
import pytest

FAKE = Path(__file__).resolve().parents[1] / "bench" / "fake_provider.py"
TEXT = "안녕하세요! 생성형 AI는 새로운 것을 만들어 내는 AI예요."


@pytest.fixture(scope="module")
def fake_port() -> Iterator[int]:
    process = subprocess.Popen(
        [sys.executable, str(FAKE), "--host", "127.0.0.1", "--port", "0", "--chunks", "10",
         "--first-token-delay", "0.001", "--chunk-delay", "0.001", "--text", TEXT],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("READY "), process.stderr.read() if process.stderr else line
        yield int(line.split()[1])
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture()
def control(fake_port: int) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"http://127.0.0.1:{fake_port}", timeout=5) as client:
        client.post("/_control/reset").raise_for_status()
        yield client


def requests_log(control: httpx.Client) -> list[dict]:
    return control.get("/_control/log").json()["requests"]


def wait_for(predicate, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def openai_client(port: int, **options) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="secret-key", **options)


def anthropic_client(port: int, **options) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=f"http://127.0.0.1:{port}", api_key="secret-key", **options)


MESSAGES = [{"role": "user", "content": "생성형 AI가 뭐예요?"}]


async def test_openai_sdk_reads_the_stream_text_and_usage(fake_port: int, control: httpx.Client) -> None:
    async with openai_client(fake_port) as client:
        stream = await client.chat.completions.create(
            model="gpt-test", messages=MESSAGES, stream=True, stream_options={"include_usage": True})
        text, usage, finish = [], None, None
        async for chunk in stream:
            if chunk.choices:
                text.append(chunk.choices[0].delta.content or "")
                finish = chunk.choices[0].finish_reason or finish
            if chunk.usage:
                usage = chunk.usage
    assert "".join(text) == TEXT
    assert finish == "stop"
    assert usage is not None and usage.completion_tokens == 10 and usage.prompt_tokens > 0
    [record] = requests_log(control)
    assert record["path"] == "/v1/chat/completions"
    assert record["body"]["model"] == "gpt-test" and record["body"]["stream"] is True
    assert record["headers"]["authorization"] == "present"  # the key never reaches the log
    assert record["chunks_sent"] == 10 and record["cancelled"] is False
    assert record["started"] <= record["first_byte"] <= record["ended"]


async def test_openai_sdk_reads_a_whole_answer(fake_port: int, control: httpx.Client) -> None:
    async with openai_client(fake_port) as client:
        answer = await client.chat.completions.create(model="gpt-test", messages=MESSAGES)
    assert answer.choices[0].message.content == TEXT
    assert answer.usage is not None and answer.usage.completion_tokens == 10


async def test_anthropic_sdk_reads_the_stream_text_and_usage(fake_port: int, control: httpx.Client) -> None:
    async with anthropic_client(fake_port) as client:
        async with client.messages.stream(model="claude-test", max_tokens=100, messages=MESSAGES) as stream:
            text = "".join([piece async for piece in stream.text_stream])
            final = await stream.get_final_message()
    assert text == TEXT
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == 10 and final.usage.input_tokens > 0
    [record] = requests_log(control)
    assert record["path"] == "/v1/messages"
    assert "present" in (record["headers"].get("x-api-key"), record["headers"].get("authorization"))
    assert "secret-key" not in control.get("/_control/log").text


async def test_anthropic_sdk_reads_raw_events_in_order(fake_port: int, control: httpx.Client) -> None:
    async with anthropic_client(fake_port) as client:
        stream = await client.messages.create(model="claude-test", max_tokens=100, messages=MESSAGES, stream=True)
        kinds = [event.type async for event in stream]
    assert kinds[:2] == ["message_start", "content_block_start"]
    assert kinds[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert kinds.count("content_block_delta") == 10


async def test_anthropic_sdk_reads_a_whole_answer(fake_port: int, control: httpx.Client) -> None:
    async with anthropic_client(fake_port) as client:
        message = await client.messages.create(model="claude-test", max_tokens=100, messages=MESSAGES)
    assert message.content[0].text == TEXT
    assert message.usage.output_tokens == 10


async def test_rate_limit_carries_retry_after_and_clears_after_times(fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"mode": "status", "status": 429, "retry_after": 7, "times": 1}).raise_for_status()
    async with openai_client(fake_port, max_retries=0) as client:
        with pytest.raises(openai.RateLimitError) as caught:
            await client.chat.completions.create(model="gpt-test", messages=MESSAGES, stream=True)
        assert caught.value.response.headers["retry-after"] == "7"
        # "times": 1 → the next request is served normally again.
        answer = await client.chat.completions.create(model="gpt-test", messages=MESSAGES)
    assert answer.choices[0].message.content == TEXT
    assert [r["status"] for r in requests_log(control)] == [429, 200]


async def test_sdk_retries_honour_a_short_retry_after(fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"mode": "status", "status": 429, "retry_after": 0.05, "times": 1})
    async with anthropic_client(fake_port, max_retries=1) as client:
        message = await client.messages.create(model="claude-test", max_tokens=100, messages=MESSAGES)
    assert message.content[0].text == TEXT
    assert [r["status"] for r in requests_log(control)] == [429, 200]


async def test_server_error_and_auth_error_reach_the_sdk_as_status_errors(
        fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"mode": "status", "status": 401})
    async with anthropic_client(fake_port, max_retries=0) as client:
        with pytest.raises(anthropic.AuthenticationError):
            await client.messages.create(model="claude-test", max_tokens=100, messages=MESSAGES)
    control.post("/_control", json={"mode": "status", "status": 500})
    async with openai_client(fake_port, max_retries=0) as client:
        with pytest.raises(openai.InternalServerError):
            await client.chat.completions.create(model="gpt-test", messages=MESSAGES)


async def test_a_cut_stream_fails_after_the_first_chunks(fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"mode": "cut", "cut_after": 3})
    received = []
    async with openai_client(fake_port, max_retries=0) as client:
        stream = await client.chat.completions.create(model="gpt-test", messages=MESSAGES, stream=True)
        with pytest.raises(openai.APIConnectionError):
            async for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    received.append(chunk.choices[0].delta.content)
    assert len(received) == 3
    assert "".join(received) and TEXT.startswith("".join(received))


async def test_a_cut_anthropic_stream_raises(fake_port: int, control: httpx.Client) -> None:
    """Note: anthropic 2.x lets the transport's own error through (not APIConnectionError)."""
    control.post("/_control", json={"mode": "cut", "cut_after": 2})
    async with anthropic_client(fake_port, max_retries=0) as client:
        with pytest.raises((anthropic.APIConnectionError, httpx2.TransportError)):
            async with client.messages.stream(model="claude-test", max_tokens=100, messages=MESSAGES) as stream:
                async for _ in stream.text_stream:
                    pass


async def test_a_hang_hits_the_client_timeout_and_is_recorded_as_cancelled(
        fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"mode": "hang"})
    async with openai_client(fake_port, max_retries=0, timeout=0.3) as client:
        with pytest.raises(openai.APITimeoutError):
            await client.chat.completions.create(model="gpt-test", messages=MESSAGES, stream=True)
    assert wait_for(lambda: requests_log(control)[0]["cancelled"])
    [record] = requests_log(control)
    assert record["first_byte"] is None and record["chunks_sent"] == 0
    assert record["cancelled_at"] >= record["started"]


async def test_closing_a_stream_midway_is_recorded_promptly(fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"chunks": 200, "chunk_delay": 0.05})
    async with openai_client(fake_port, max_retries=0) as client:
        stream = await client.chat.completions.create(model="gpt-test", messages=MESSAGES, stream=True)
        seen = 0
        async for _ in stream:
            seen += 1
            if seen == 3:
                break
        await stream.close()
    assert wait_for(lambda: requests_log(control)[0]["cancelled"])
    [record] = requests_log(control)
    assert record["chunks_sent"] < 200
    # Noticed when the client left, long before the answer would have ended (200 chunks x 50 ms).
    assert record["cancelled_at"] < record["started"] + 5


async def test_malformed_stream_is_an_error_for_both_sdks(fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"mode": "malformed", "cut_after": 2})
    async with openai_client(fake_port, max_retries=0) as client:
        stream = await client.chat.completions.create(model="gpt-test", messages=MESSAGES, stream=True)
        with pytest.raises(ValueError):  # the SDK lets json's decode error through
            async for _ in stream:
                pass
    async with anthropic_client(fake_port, max_retries=0) as client:
        with pytest.raises(ValueError):
            async with client.messages.stream(model="claude-test", max_tokens=100, messages=MESSAGES) as stream:
                async for _ in stream.text_stream:
                    pass


async def test_anthropic_error_event_mid_stream(fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"mode": "stream_error", "cut_after": 2})
    async with anthropic_client(fake_port, max_retries=0) as client:
        with pytest.raises(anthropic.APIStatusError):
            async with client.messages.stream(model="claude-test", max_tokens=100, messages=MESSAGES) as stream:
                async for _ in stream.text_stream:
                    pass


async def test_pace_and_text_can_be_changed_per_run(fake_port: int, control: httpx.Client) -> None:
    control.post("/_control", json={"text": "abcdef", "chunks": 3})
    async with openai_client(fake_port) as client:
        stream = await client.chat.completions.create(model="gpt-test", messages=MESSAGES, stream=True)
        pieces = [c.choices[0].delta.content async for c in stream if c.choices and c.choices[0].delta.content]
    assert pieces == ["ab", "cd", "ef"]
    assert control.post("/_control", json={"mode": "nonsense"}).status_code == 400


async def test_many_concurrent_streams_all_complete(fake_port: int, control: httpx.Client) -> None:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{fake_port}", limits=limits, timeout=30) as client:
        async def one() -> int:
            body = {"model": "m", "stream": True, "messages": MESSAGES}
            async with client.stream("POST", "/v1/chat/completions", json=body) as response:
                return len([line async for line in response.aiter_lines() if line.startswith("data: ")])

        counts = await asyncio.gather(*(one() for _ in range(100)))
    assert counts == [13] * 100  # role chunk, 10 text chunks, finish chunk, [DONE]
    assert len(requests_log(control)) == 100
