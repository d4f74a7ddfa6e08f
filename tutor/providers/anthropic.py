"""Anthropic's Messages API behind our provider contract.

The official ``anthropic`` SDK does the HTTP work (retries honouring
``retry-after``, timeouts, status errors); this module converts our request to
its keyword arguments, the stream's events (read as plain JSON, see
``AnthropicProvider.stream``) to our events, and its exceptions to our errors,
each in a plain function or a small class.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anthropic
import httpx2

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
    is_context_overflow,
    status_error,
    stream_cut,
    stream_garbled,
    transport_error,
)
from .framing import fixed_prefix, wire_messages
from .http import UpstreamHttp, sdk_http_client
from .sse import Body, EventSplitter, json_value

ANTHROPIC_HOST = "api.anthropic.com"
# Claude models take 200k tokens.
HOSTED_WINDOW = 200_000

_FINISH: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "refusal": "content_filter",
}

# The HTTP status each error type stands for, for errors sent inside a 200 stream.
_ERROR_TYPE_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}


def messages_kwargs(request: ChatRequest, model: str) -> dict[str, Any]:
    """The keyword arguments for ``messages.create``.

    ``system`` holds the fixed prefix as text blocks: our instructions and,
    with whole-document grounding, the whole lesson. The block that ends the
    prefix carries ``cache_control`` (ephemeral), so Anthropic caches
    everything up to it and later turns and sessions read it back. Passages
    and the learner's text travel framed in the last user message (see
    framing.py).
    """
    kwargs: dict[str, Any] = {
        "model": request.model or model,
        "max_tokens": request.max_output_tokens,
        "messages": [{"role": m.role, "content": m.content} for m in wire_messages(request)],
        "stream": True,
    }
    blocks: list[dict[str, Any]] = [{"type": "text", "text": part} for part in fixed_prefix(request)]
    if blocks:
        blocks[-1]["cache_control"] = {"type": "ephemeral"}
        kwargs["system"] = blocks
    return kwargs


def finish_reason(value: str | None) -> FinishReason:
    return _FINISH.get(value or "", "other")


class EventReader:
    """Turns the raw events of one streamed message into our events.

    Input tokens arrive in ``message_start``: ``input_tokens`` counts only
    what came after the last cache breakpoint, ``cache_read_input_tokens`` and
    ``cache_creation_input_tokens`` the prefix read from or written to the
    cache; our ``input_tokens`` is their sum. Output tokens come in
    ``message_delta``, whose usage is cumulative and may repeat the input
    counts. Everything is reported once, at the end.
    """

    def __init__(self, label: str = "Anthropic", provider: str = "anthropic") -> None:
        self._label = label
        self._provider = provider
        self._input_tokens: int | None = None
        self._cache_read = 0
        self._cache_write = 0
        self._output_tokens: int | None = None
        self._reason: str | None = None
        self._stopped = False

    def feed(self, event: dict[str, Any]) -> list[TextDelta]:
        try:
            return self._read(event)
        except (AttributeError, KeyError, TypeError, ValueError):
            raise stream_garbled(self._label, self._provider) from None

    def _read(self, event: dict[str, Any]) -> list[TextDelta]:
        kind = event["type"]
        if kind == "content_block_delta":
            delta = event["delta"]
            if delta.get("type") == "text_delta" and delta.get("text"):
                return [TextDelta(str(delta["text"]))]
        elif kind == "message_start":
            self._read_input(event["message"]["usage"])
        elif kind == "message_delta":
            if event["delta"].get("stop_reason"):
                self._reason = str(event["delta"]["stop_reason"])
            usage = event.get("usage")
            if usage is not None:
                if usage.get("input_tokens") is not None:
                    self._read_input(usage)
                if usage.get("output_tokens") is not None:
                    self._output_tokens = int(usage["output_tokens"])
        elif kind == "message_stop":
            self._stopped = True
        return []

    def _read_input(self, usage: dict[str, Any]) -> None:
        self._cache_write = int(usage.get("cache_creation_input_tokens") or 0)
        self._cache_read = int(usage.get("cache_read_input_tokens") or 0)
        self._input_tokens = int(usage.get("input_tokens") or 0) + self._cache_write + self._cache_read

    def end(self) -> list[Usage | Finish]:
        """The closing events; a stream that never said it stopped was cut off."""
        if self._reason is None and not self._stopped:
            raise stream_cut(self._label, self._provider)
        closing: list[Usage | Finish] = []
        if self._input_tokens is not None or self._output_tokens is not None:
            closing.append(Usage(self._input_tokens or 0, self._output_tokens or 0,
                                 cached_input_tokens=self._cache_read, cache_write_input_tokens=self._cache_write))
        closing.append(Finish(finish_reason(self._reason)))
        return closing


def stream_error_event(data: bytes, response: httpx2.Response) -> anthropic.APIStatusError:
    """The SDK's own error for an ``event: error`` inside a 200 stream (as its stream reader raises it)."""
    try:
        body: Any = json.loads(data)
        message = f"{body}"
    except ValueError:
        body = data.decode("utf-8", "replace")
        message = body or f"Error code: {response.status_code}"
    return anthropic.APIStatusError(message, response=response, body=body)


def provider_error(
    err: BaseException, *, label: str = "Anthropic", provider: str = "anthropic", secret: str = "",
    mid_stream: bool = False,
) -> ProviderError:
    """Our error for whatever the SDK (or the stream under it) raised.

    ``secret`` is the API key: nothing overlapping it is quoted in a message.
    ``mid_stream`` says the answer had begun, so a lost connection was a cut.
    """
    if isinstance(err, anthropic.APIStatusError):
        error_type = err.type if isinstance(err.type, str) else None
        status = err.status_code
        if status < 400:  # an `event: error` inside a stream that began with 200
            status = _ERROR_TYPE_STATUS.get(error_type or "", 500)
        return status_error(
            label, provider, status, err.response.headers, code=error_type, request_id=err.request_id, secret=secret,
            overflow=is_context_overflow(status, error_type, err.message),
        )
    return transport_error(err, label, provider, mid_stream=mid_stream, timeouts=(anthropic.APITimeoutError,),
                           connection_errors=(anthropic.APIConnectionError,))


class AnthropicProvider:
    """Streams answers from Anthropic's Messages API."""

    name = "anthropic"
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
        name: str = "anthropic",
    ) -> None:
        self.name = name
        self.model = model
        self._label = "Anthropic" if name == "anthropic" else name
        self._secret = api_key
        self._client = anthropic.AsyncAnthropic(
            # Local servers need no key; with none, the SDK must not go looking
            # for one itself, and the vendor's 401 becomes ProviderAuthError.
            api_key=api_key or NO_KEY,
            base_url=base_url,
            max_retries=max_retries,
            timeout=httpx2.Timeout(read_timeout, connect=connect_timeout),
            http_client=sdk_http_client(anthropic, upstream_http),
        )
        # A gateway of our own in front of some other model: its window is the configured one.
        self.local = self._client.base_url.host != ANTHROPIC_HOST

    async def context_window(self) -> int | None:
        return None if self.local else HOSTED_WINDOW

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        kwargs = messages_kwargs(request, self.model)
        reader = EventReader(self._label, self.name)
        opened = False
        try:
            # The SDK's generic `post` does the request, its retries and status errors
            # as `messages.create` does, but hands the response over unread
            # (`cast_to=httpx2.Response`): a typed object per event cost more CPU per
            # answer than all our own work, so the events are read as plain JSON
            # (tutor.providers.sse), skipping `ping`s as the SDK does.
            response = await self._client.post("/v1/messages", body=kwargs, cast_to=httpx2.Response, stream=True)
            try:
                opened = True
                # The events of each network read are taken in this loop (see ``EventSplitter``);
                # once the answer's text flows, each read is followed by a pause (``Body.pause``).
                splitter = EventSplitter()
                body = Body(response)
                flowing = False
                try:
                    while piece := await body.read():
                        for name, data in splitter.feed(piece):
                            if name == "error":
                                raise stream_error_event(data, response)
                            if not name or name == "ping" or not data:
                                continue
                            for delta in reader.feed(json_value(data)):
                                flowing = flowing or bool(delta.text.strip())
                                yield delta
                        if flowing:
                            await body.pause()
                finally:
                    await body.aclose()
            finally:
                await response.aclose()  # also on cancel or early exit
        except (anthropic.AnthropicError, httpx2.HTTPError, ValueError) as err:
            raise provider_error(
                err, label=self._label, provider=self.name, secret=self._secret, mid_stream=opened
            ) from err
        for closing in reader.end():
            yield closing

    async def aclose(self) -> None:
        await self._client.close()
