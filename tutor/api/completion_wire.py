"""The OpenAI Chat Completions wire format: requests in, completion and chunk objects out.

Only the shape lives here (pydantic models of what clients send, and the
dicts they expect back, as OpenAI documents and sends them); what the tutor
says comes from the turn's event log (``tutor.live``).
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MODEL_ID = "tutor"
# When the model "tutor" came to be (2026-11-30, the first release of this endpoint), as /v1/models reports it.
MODEL_CREATED = 1795996800


class TextPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[TextPart] | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """What OpenAI clients send. Sampling settings (temperature, max_tokens, ...) are accepted and
    ignored: the tutor's own settings decide; system messages are ignored too (the tutor's
    instructions apply)."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description="`tutor` (see `GET /v1/models`).")
    messages: list[ChatMessageIn] = Field(min_length=1, description="The conversation, oldest first; the last "
                                          "message is the learner's question.")
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=1)

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)


def text_of(message: ChatMessageIn) -> str | None:
    """The message's text; None when it holds something other than text (an image, audio)."""
    if message.content is None:
        return ""
    if isinstance(message.content, str):
        return message.content
    parts = []
    for part in message.content:
        if part.type != "text" or part.text is None:
            return None
        parts.append(part.text)
    return "".join(parts)


def _json(value: Any) -> bytes:
    """Compact, as OpenAI sends it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def completion_id(message_id: str) -> str:
    return "chatcmpl-" + message_id.replace("-", "")


def usage_object(usage: dict[str, Any] | None) -> dict[str, Any] | None:
    """Our usage report (tutor.prices.usage_report) as OpenAI counts it."""
    if not usage:
        return None
    prompt, completion = usage["input_tokens"], usage["output_tokens"]
    return {
        "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": usage.get("cached_input_tokens", 0), "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0,
                                      "rejected_prediction_tokens": 0},
    }


def tutor_extra(sources: list[dict[str, Any]], done: dict[str, Any] | None) -> dict[str, Any]:
    """What OpenAI clients ignore and ours may show: sources, suggestions, the activity, who answered."""
    done = done or {}
    return {
        "sources": sources, "suggestions": done.get("suggestions", []), "activity": done.get("activity"),
        "quiz": done.get("quiz"), "provider": done.get("provider"), "provider_model": done.get("model"),
        "cost_usd": (done.get("usage") or {}).get("cost_usd"),
        # Only when the operator keeps conversations (TUTOR_CHAT_COMPLETIONS_STORE): where it was kept.
        **({"session": done["session"]} if done.get("session") else {}),
    }


class ChunkWriter:
    """The ``chat.completion.chunk`` objects of one streamed answer, as SSE ``data:`` lines."""

    def __init__(self, message_id: str, include_usage: bool):
        self.id = completion_id(message_id)
        self.created = int(time.time())
        self.include_usage = include_usage

    def _line(self, choices: list[dict[str, Any]], **extra: Any) -> bytes:
        chunk = {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": MODEL_ID,
                 "service_tier": "default", "system_fingerprint": None, "choices": choices}
        if self.include_usage:
            chunk["usage"] = None
        chunk.update(extra)
        return b"data: " + _json(chunk) + b"\n\n"

    @staticmethod
    def _choice(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}

    def role(self) -> bytes:
        return self._line([self._choice({"role": "assistant", "content": "", "refusal": None})])

    def text(self, text: str) -> bytes:
        return self._line([self._choice({"content": text})])

    def finish(self, reason: str, extra: dict[str, Any]) -> bytes:
        return self._line([self._choice({}, reason)], tutor=extra)

    def usage(self, usage: dict[str, Any] | None) -> bytes:
        return self._line([], usage=usage_object(usage))

    @staticmethod
    def error(error: dict[str, Any]) -> bytes:
        """An error after the stream began: the SDK raises it as an APIError."""
        return b"data: " + _json({"error": error}) + b"\n\n"

    DONE = b"data: [DONE]\n\n"


def completion(message_id: str, content: str, finish_reason: str, usage: dict[str, Any] | None,
               extra: dict[str, Any]) -> dict[str, Any]:
    """One ``chat.completion`` object: the whole answer."""
    return {
        "id": completion_id(message_id), "object": "chat.completion", "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None,
                                             "annotations": []},
                     "logprobs": None, "finish_reason": finish_reason}],
        "usage": usage_object(usage), "service_tier": "default", "system_fingerprint": None, "tutor": extra,
    }


def model_object() -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "tutor"}
