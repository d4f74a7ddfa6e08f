"""The CPU of reading one streamed answer, in memory: the provider's stream, the chain and the turn's
event log, per answer, without a network, a server or a model.

What it measures is the part of every piece of every answer that is the service's own Python
(the SDK's response object, the event splitting, the JSON, the chain, the event log), which the
benches over the network bury in the noise of a shared machine. It feeds OpenAI's wire format,
50 pieces of Korean text then the finish, usage and ``[DONE]`` events, through
``OpenAIProvider.stream`` (its SDK's ``post`` replaced by one that hands over the body) and
``ProviderChain.answer`` into an ``AnswerWriter``; the median of several rounds.
Another build: ``PYTHONPATH=/tmp/main .venv/bin/python bench/perf_stream.py``.

    .venv/bin/python bench/perf_stream.py --answers 300
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import httpx2

from tutor.live import LiveTurn
from tutor.providers.base import ChatMessage, ChatRequest
from tutor.providers.openai import OpenAIProvider
from tutor.providers.registry import ProviderChain
from tutor.turns import AnswerWriter, Draft

TEXT = "생성형 AI는 새로운 글이나 그림을 만들어 내는 AI를 모두 가리키는 넓은 말이에요. LLM은 그 안의 한 종류랍니다. " * 2


def wire(pieces: int) -> list[bytes]:
    """The events of one answer as OpenAI streams them, one network read each."""
    size = max(1, len(TEXT) // pieces)
    events = [{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-fake",
               "choices": [{"index": 0, "delta": {"content": TEXT[i * size:(i + 1) * size]}, "finish_reason": None}]}
              for i in range(pieces)]
    events.append({"id": "chatcmpl-1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    events.append({"id": "chatcmpl-1", "choices": [], "usage": {"prompt_tokens": 900, "completion_tokens": pieces}})
    return [b"data: " + json.dumps(e, ensure_ascii=False).encode() + b"\n\n" for e in events] + [b"data: [DONE]\n\n"]


class Body(httpx2.AsyncByteStream):
    def __init__(self, reads: list[bytes]):
        self.reads = reads

    async def __aiter__(self):
        for read in self.reads:
            yield read

    async def aclose(self) -> None:
        pass


async def measure(answers: int, rounds: int, pieces: int) -> None:
    reads = wire(pieces)
    provider = OpenAIProvider(api_key="k", model="gpt-fake", base_url="http://127.0.0.1:9/v1", upstream_http="aiohttp")
    sent = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")

    async def post(*args, **kwargs) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=Body(reads), request=sent)

    provider._client.post = post  # type: ignore[method-assign]
    chain = ProviderChain([provider], first_token_timeout=30, chunk_timeout=30)
    request = ChatRequest(system="You are a tutor.", messages=(ChatMessage("user", "생성형 AI가 뭐예요?"),))
    figures = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(answers):
            turn = LiveTurn("session", "message")
            await chain.answer(request, AnswerWriter(turn, Draft(), request, 100_000))
        figures.append((time.process_time() - started) / answers * 1000)
    text = "".join(e.data["text"] for e in turn.events if e.name == "delta")
    assert text == TEXT[:len(text)] and len(turn.events) == pieces, "the answer did not come through whole"
    print(f"{pieces} pieces an answer: CPU per answer {statistics.median(figures):.3f} ms "
          f"(rounds: {', '.join(f'{f:.3f}' for f in figures)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=300, help="answers per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pieces", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(measure(args.answers, args.rounds, args.pieces))


if __name__ == "__main__":
    main()
