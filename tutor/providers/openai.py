"""OpenAI Chat Completions (and OpenAI-compatible servers) behind our provider contract.

The official ``openai`` SDK does the HTTP work: retries on 429/5xx honouring
``retry-after``, timeouts, status errors. This module converts: our request
to the SDK's keyword arguments, the stream's chunks (read as plain JSON by
``tutor.providers.sse``) to our events, the SDK's exceptions to our errors.
Each conversion is a plain function or a small class, tested without a network.

A ``base_url`` points the same code at Ollama, vLLM, LM Studio or a
llama.cpp server; those may omit usage or send it on the finishing chunk.
Such a local server is asked, where it tells, for its window (llama.cpp
``/props``, vLLM ``/v1/models``) and for token counts with the model's own
tokenizer (llama.cpp and vLLM ``/tokenize``, llama-cpp-python
``/extras/tokenize/count``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Any

import httpx2
import openai

from .base import (
    ChatRequest,
    Finish,
    FinishReason,
    ProviderEmpty,
    ProviderError,
    StreamEvent,
    TextDelta,
    Usage,
)
from .errors import (
    NO_KEY,
    is_context_overflow,
    status_error,
    stream_cut,
    stream_garbled,
    transport_error,
)
from .framing import fixed_prefix, wire_messages
from .http import UpstreamHttp, sdk_http_client
from .sse import Body, EventSplitter, json_value

log = logging.getLogger("tutor.providers")

OPENAI_HOST = "api.openai.com"
# OpenAI's chat models take 128k tokens or more; a local server's window is asked for or configured.
HOSTED_WINDOW = 128_000

_FINISH: dict[str, FinishReason] = {"stop": "stop", "length": "length", "content_filter": "content_filter"}


def chat_completion_kwargs(
    request: ChatRequest, model: str, *, token_param: str = "max_completion_tokens",
    cache_key: str | None = None,
) -> dict[str, Any]:
    """The keyword arguments for ``chat.completions.create``.

    The system message is our instructions and, with whole-document
    grounding, the whole lesson after them: one prefix, the same bytes on every
    turn, which OpenAI caches by itself (``prompt_cache_key`` keeps requests
    with that prefix on the same cache). Passages and the learner's text travel
    framed in the last user message (see framing.py). OpenAI itself wants
    ``max_completion_tokens`` (newer models reject ``max_tokens``); compatible
    servers all understand ``max_tokens``.
    """
    messages: list[dict[str, str]] = []
    prefix = joined_prefix(*fixed_prefix(request))
    if prefix:
        messages.append({"role": "system", "content": prefix})
    messages.extend({"role": m.role, "content": m.content} for m in wire_messages(request))
    kwargs: dict[str, Any] = {
        "model": request.model or model,
        "messages": messages,
        token_param: request.max_output_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if cache_key:
        kwargs["prompt_cache_key"] = cache_key
    return kwargs


@lru_cache(maxsize=16)
def joined_prefix(*parts: str) -> str:
    """The system message: our instructions and (with whole-document grounding) the lesson, joined.

    Cached: its parts are the same strings on every turn, and the joined text is then the same
    object, whose encoding and cache key are worked out once (``request_body``, ``default_cache_key``)."""
    return "\n\n".join(parts)


def default_cache_key(request: ChatRequest) -> str:
    """One cache key per distinct prefix (instructions + lesson, per language): the deployment's own."""
    return _cache_key(joined_prefix(*fixed_prefix(request)))


@lru_cache(maxsize=16)
def _cache_key(prefix: str) -> str:
    return f"tutor-{hashlib.sha256(prefix.encode('utf-8')).hexdigest()[:16]}"


# The SDK's own JSON for a request body (httpx's: UTF-8, compact, no NaN).
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
# Stands for the system message's text while the rest of a body is encoded: a control character
# no message can hold (a learner's text is cleaned of them, the rest is ours).
_PREFIX_MARK = "\x00tutor-prefix\x00"
_MARK_JSON = _to_json(_PREFIX_MARK)


@lru_cache(maxsize=16)
def _encoded(prefix: str) -> bytes:
    return _to_json(prefix).encode()


def request_body(kwargs: dict[str, Any]) -> bytes:
    """``kwargs`` as the SDK writes a request's JSON body, byte for byte, with the system message
    (the same instructions and lesson on every turn, tens of kilobytes) encoded once per distinct
    text instead of on every turn."""
    messages = kwargs.get("messages") or []
    first = messages[0] if messages else None
    if not first or first.get("role") != "system" or _PREFIX_MARK in str(kwargs.get("model")):
        return _to_json(kwargs).encode()
    text = _to_json({**kwargs, "messages": [{**first, "content": _PREFIX_MARK}, *messages[1:]]})
    head, mark, tail = text.partition(_MARK_JSON)
    if not mark:
        return _to_json(kwargs).encode()
    return b"".join((head.encode(), _encoded(first["content"]), tail.encode()))


def finish_reason(value: str | None) -> FinishReason:
    return _FINISH.get(value or "", "other")


def read_usage(usage: dict[str, Any]) -> Usage:
    """Our Usage from the wire's: ``prompt_tokens`` includes the cached ones,
    which ``prompt_tokens_details.cached_tokens`` reports (absent on most local servers)."""
    details = usage.get("prompt_tokens_details") or {}
    return Usage(
        int(usage["prompt_tokens"]), int(usage["completion_tokens"]),
        cached_input_tokens=int(details.get("cached_tokens") or 0),
        cache_write_input_tokens=int(details.get("cache_write_tokens") or 0),
    )


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
        self._chunks = 0

    def feed(self, chunk: dict[str, Any]) -> list[TextDelta]:
        try:
            return self._read(chunk)
        except (AttributeError, KeyError, TypeError, ValueError):
            raise stream_garbled(self._label, self._provider) from None

    def _read(self, chunk: dict[str, Any]) -> list[TextDelta]:
        self._chunks += 1
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
            self._usage = read_usage(usage)
        return deltas

    def end(self) -> list[Usage | Finish]:
        """The closing events; a stream that never said why it stopped was cut off.

        A 200 stream that closed without a single chunk is empty, not cut:
        llama-cpp-python's server answers an overflowing prompt that way.
        """
        if self._chunks == 0:
            raise ProviderEmpty(f"{self._label} sent an empty stream", provider=self._provider)
        if self._reason is None:
            raise stream_cut(self._label, self._provider)
        closing: list[Usage | Finish] = [self._usage] if self._usage is not None else []
        closing.append(Finish(finish_reason(self._reason)))
        return closing


def stream_error_event(error: Any, request: httpx2.Request) -> openai.APIError:
    """The SDK's own error for an error object sent inside the stream (as its stream reader raises it)."""
    message = error.get("message") if isinstance(error, dict) else None
    return openai.APIError(message if isinstance(message, str) and message else "An error occurred during streaming",
                           request=request, body=error)


def provider_error(
    err: BaseException, *, label: str = "OpenAI", provider: str = "openai", secret: str = "",
    mid_stream: bool = False,
) -> ProviderError:
    """Our error for whatever the SDK (or the stream under it) raised.

    ``secret`` is the API key: nothing overlapping it is quoted in a message.
    ``mid_stream`` says the answer had begun, so a lost connection was a cut.
    """
    if isinstance(err, openai.APIStatusError):
        code = err.code if isinstance(err.code, str) else err.type
        return status_error(
            label,
            provider,
            err.status_code,
            err.response.headers,
            code=code,
            request_id=err.request_id,
            secret=secret,
            overflow=is_context_overflow(err.status_code, code, err.message),
        )
    return transport_error(err, label, provider, mid_stream=mid_stream, timeouts=(openai.APITimeoutError,),
                           connection_errors=(openai.APIConnectionError,))


class OpenAIProvider:
    """Streams answers from OpenAI's Chat Completions API (or a compatible server)."""

    name = "openai"
    # A chat model can tell for itself whether the lesson covers a question.
    judges_scope = True

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        max_retries: int = 2,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        upstream_http: UpstreamHttp = "httpx",
        name: str = "openai",
        cache_key: str | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self._label = "OpenAI" if name == "openai" else name
        self._secret = api_key
        self._cache_key = cache_key
        self._client = openai.AsyncOpenAI(
            # Local servers need no key; with none, the SDK must not go looking
            # for one itself, and the vendor's 401 becomes ProviderAuthError.
            api_key=api_key or NO_KEY,
            base_url=base_url,
            max_retries=max_retries,
            timeout=httpx2.Timeout(read_timeout, connect=connect_timeout),
            http_client=sdk_http_client(openai, upstream_http),
        )
        on_openai = self._client.base_url.host == OPENAI_HOST
        self._token_param = "max_completion_tokens" if on_openai else "max_tokens"
        # A server of our own (llama.cpp, vLLM, Ollama): small windows, its own tokenizer.
        self.local = not on_openai
        self._root = str(self._client.base_url).rstrip("/").removesuffix("/v1")
        self._tokenizer: str | None = "unknown"

    def _cache_key_for(self, request: ChatRequest) -> str | None:
        if self._cache_key:
            return self._cache_key
        return None if self.local else default_cache_key(request)

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        kwargs = chat_completion_kwargs(request, self.model, token_param=self._token_param,
                                        cache_key=self._cache_key_for(request))
        reader = ChunkReader(self._label, self.name)
        opened = False
        try:
            # The SDK's generic `post` does the request, its retries and status errors
            # exactly as `chat.completions.create` does (with the body's bytes as it would
            # write them, see ``request_body``), but hands the response over
            # unread (`cast_to=httpx2.Response`): its typed chunks, and even its own SSE
            # decoder, cost more CPU per answer than all our own work (tutor.providers.sse).
            response = await self._client.post("/chat/completions", content=request_body(kwargs),
                                               cast_to=httpx2.Response, stream=True)
            try:
                opened = True
                # The events of each network read are taken in this loop (see ``EventSplitter``);
                # once the answer's text flows, each read is followed by a pause (``Body.pause``).
                splitter = EventSplitter()
                body = Body(response)
                flowing = False
                try:
                    while piece := await body.read():
                        for _, data in splitter.feed(piece):
                            if data.startswith(b"[DONE]"):
                                continue  # read on to the end of the body: the connection is reused
                            chunk = json_value(data)
                            if isinstance(chunk, dict) and chunk.get("error"):
                                raise stream_error_event(chunk["error"], response.request)
                            for delta in reader.feed(chunk):
                                flowing = flowing or bool(delta.text.strip())
                                yield delta
                        if flowing:
                            await body.pause()
                finally:
                    await body.aclose()
            finally:
                await response.aclose()  # also on cancel or early exit
        except (openai.OpenAIError, httpx2.HTTPError, ValueError) as err:
            raise provider_error(
                err, label=self._label, provider=self.name, secret=self._secret, mid_stream=opened
            ) from err
        for event in reader.end():
            yield event

    async def context_window(self) -> int | None:
        """The model's window: OpenAI's are large; a local server tells where it can."""
        if not self.local:
            return HOSTED_WINDOW
        props = await self._get_json(f"{self._root}/props")  # llama.cpp's own server
        n_ctx = _dig(props, "default_generation_settings", "n_ctx") or _dig(props, "n_ctx")
        if isinstance(n_ctx, int) and n_ctx > 0:
            return n_ctx
        models = await self._get_json(f"{self._root}/v1/models")  # vLLM: max_model_len
        for entry in (models or {}).get("data") or [] if isinstance(models, dict) else []:
            length = entry.get("max_model_len") if isinstance(entry, dict) else None
            if isinstance(length, int) and length > 0:
                return length
        return None

    @property
    def counts_tokens(self) -> bool:
        """Whether ``count_tokens`` may answer: a server of our own not yet found without a tokenizer."""
        return self.local and self._tokenizer is not None

    async def count_tokens(self, text: str) -> int | None:
        """``text`` counted by the server's own tokenizer, or None when it offers none.

        The first call finds which of the known endpoints the server has and
        remembers it (or that there is none).
        """
        if not self.local or self._tokenizer is None:
            return None
        candidates = ["llama.cpp", "llama-cpp-python", "vllm"] if self._tokenizer == "unknown" else [self._tokenizer]
        for kind in candidates:
            count = await self._count_with(kind, text)
            if count is not None:
                self._tokenizer = kind
                return count
        if self._tokenizer == "unknown":
            log.info("%s offers no tokenizer endpoint; counting by estimate", self._label)
            self._tokenizer = None
        return None

    async def _count_with(self, kind: str, text: str) -> int | None:
        if kind == "llama.cpp":
            body = await self._post_json(f"{self._root}/tokenize", {"content": text, "add_special": False})
            tokens = _dig(body, "tokens")
            return len(tokens) if isinstance(tokens, list) and _dig(body, "count") is None else None
        if kind == "llama-cpp-python":
            body = await self._post_json(f"{self._root}/extras/tokenize/count", {"input": text, "model": self.model})
        else:
            body = await self._post_json(f"{self._root}/tokenize", {"model": self.model, "prompt": text,
                                                                      "add_special_tokens": False})
        count = _dig(body, "count")
        return count if isinstance(count, int) else None

    async def _get_json(self, url: str) -> Any:
        return await self._side_call("get", url, None)

    async def _post_json(self, url: str, body: dict[str, Any]) -> Any:
        return await self._side_call("post", url, body)

    async def _side_call(self, method: str, url: str, body: dict[str, Any] | None) -> Any:
        """A small request beside the chat API; any failure just means "not offered"."""
        options: dict[str, Any] = {"max_retries": 0}
        try:
            if method == "get":
                return await self._client.get(url, cast_to=object, options=options)
            return await self._client.post(url, body=body, cast_to=object, options=options)
        except (openai.OpenAIError, httpx2.HTTPError, ValueError):
            return None

    async def aclose(self) -> None:
        await self._client.close()


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
