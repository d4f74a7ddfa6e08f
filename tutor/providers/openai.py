"""OpenAI Chat Completions (and OpenAI-compatible servers) behind our provider contract.

The official ``openai`` SDK does the HTTP work: retries on 429/5xx honouring
``retry-after``, timeouts, SSE parsing. This module only converts: our
request to the SDK's keyword arguments, the SDK's chunks to our events, the
SDK's exceptions to our errors. Each conversion is a plain function or a
small class, tested without a network.

A ``base_url`` points the same code at Ollama, vLLM, LM Studio or a
llama.cpp server; those may omit usage or send it on the finishing chunk.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx2
import openai

from .base import (
    ChatRequest,
    Finish,
    FinishReason,
    ProviderError,
    StreamEvent,
    TextDelta,
    Usage,
)
from .errors import (
    NO_KEY,
    status_error,
    stream_cut,
    stream_garbled,
    transport_error,
)
from .framing import wire_messages

OPENAI_HOST = "api.openai.com"

_FINISH: dict[str, FinishReason] = {"stop": "stop", "length": "length", "content_filter": "content_filter"}


def chat_completion_kwargs(
    request: ChatRequest, model: str, *, token_param: str = "max_completion_tokens"
) -> dict[str, Any]:
    """The keyword arguments for ``chat.completions.create``.

    The system prompt is the first message; passages and the learner's text
    travel framed in the last user message (see framing.py). OpenAI itself
    wants ``max_completion_tokens`` (newer models reject ``max_tokens``);
    compatible servers all understand ``max_tokens``.
    """
    messages: list[dict[str, str]] = []
    if request.system:
        messages.append({"role": "system", "content": request.system})
    messages.extend({"role": m.role, "content": m.content} for m in wire_messages(request))
    return {
        "model": request.model or model,
        "messages": messages,
        token_param: request.max_output_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def finish_reason(value: str | None) -> FinishReason:
    return _FINISH.get(value or "", "other")


class ChunkReader:
    """Turns the chunks of one streamed completion into our events.

    Chunks arrive as the plain JSON objects of the wire format (see
    ``OpenAIProvider.stream``). Text is passed on at once. The finish reason
    and the usage are held until the stream ends, because OpenAI sends the
    usage in its own chunk after the finishing one, and the contract wants
    Usage before Finish.
    """

    def __init__(self, label: str = "OpenAI", provider: str = "openai") -> None:
        self._label = label
        self._provider = provider
        self._reason: str | None = None
        self._usage: Usage | None = None

    def feed(self, chunk: dict[str, Any]) -> list[TextDelta]:
        try:
            return self._read(chunk)
        except (AttributeError, KeyError, TypeError, ValueError):
            raise stream_garbled(self._label, self._provider) from None

    def _read(self, chunk: dict[str, Any]) -> list[TextDelta]:
        deltas: list[TextDelta] = []
        choices = chunk.get("choices") or []
        if not isinstance(choices, list):
            raise TypeError("choices is not a list")
        for choice in choices:
            if choice.get("index", 0) != 0:
                continue
            text = (choice.get("delta") or {}).get("content")
            if text:
                deltas.append(TextDelta(str(text)))
            if choice.get("finish_reason"):
                self._reason = str(choice["finish_reason"])
        usage = chunk.get("usage")
        if usage is not None:
            self._usage = Usage(int(usage["prompt_tokens"]), int(usage["completion_tokens"]))
        return deltas

    def end(self) -> list[Usage | Finish]:
        """The closing events; a stream that never said why it stopped was cut off."""
        if self._reason is None:
            raise stream_cut(self._label, self._provider)
        closing: list[Usage | Finish] = [self._usage] if self._usage is not None else []
        closing.append(Finish(finish_reason(self._reason)))
        return closing


def provider_error(
    err: BaseException, *, label: str = "OpenAI", provider: str = "openai", secret: str = "",
    mid_stream: bool = False,
) -> ProviderError:
    """Our error for whatever the SDK (or the stream under it) raised.

    ``secret`` is the API key: nothing overlapping it is quoted in a message.
    ``mid_stream`` says the answer had begun, so a lost connection was a cut.
    """
    if isinstance(err, openai.APIStatusError):
        return status_error(
            label,
            provider,
            err.status_code,
            err.response.headers,
            code=err.code if isinstance(err.code, str) else err.type,
            request_id=err.request_id,
            secret=secret,
        )
    return transport_error(err, label, provider, mid_stream=mid_stream, timeouts=(openai.APITimeoutError,),
                           connection_errors=(openai.APIConnectionError,))


class OpenAIProvider:
    """Streams answers from OpenAI's Chat Completions API (or a compatible server)."""

    name = "openai"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        max_retries: int = 2,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        name: str = "openai",
    ) -> None:
        self.name = name
        self.model = model
        self._label = "OpenAI" if name == "openai" else name
        self._secret = api_key
        self._client = openai.AsyncOpenAI(
            # Local servers need no key; with none, the SDK must not go looking
            # for one itself, and the vendor's 401 becomes ProviderAuthError.
            api_key=api_key or NO_KEY,
            base_url=base_url,
            max_retries=max_retries,
            timeout=httpx2.Timeout(read_timeout, connect=connect_timeout),
        )
        on_openai = self._client.base_url.host == OPENAI_HOST
        self._token_param = "max_completion_tokens" if on_openai else "max_tokens"

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        kwargs = chat_completion_kwargs(request, self.model, token_param=self._token_param)
        reader = ChunkReader(self._label, self.name)
        opened = False
        try:
            # The SDK's generic `post` does the request, retries, SSE parsing and
            # in-stream error events exactly as `chat.completions.create` does, but
            # hands each chunk over as plain JSON: building a typed model per chunk
            # cost more CPU (about 4 ms per 50-chunk answer) than all our own work.
            # `async with` closes the upstream response on cancel or early exit.
            stream = await self._client.post(
                "/chat/completions", body=kwargs, cast_to=object, stream=True,
                stream_cls=openai.AsyncStream[dict[str, Any]],
            )
            async with stream as chunks:
                opened = True
                async for chunk in chunks:
                    for delta in reader.feed(chunk):
                        yield delta
        except (openai.OpenAIError, httpx2.HTTPError, ValueError) as err:
            raise provider_error(
                err, label=self._label, provider=self.name, secret=self._secret, mid_stream=opened
            ) from err
        for event in reader.end():
            yield event

    async def aclose(self) -> None:
        await self._client.close()
