"""Turning a vendor's HTTP failure into one of our ProviderError classes.

Shared by the OpenAI and Anthropic modules so both speak the same error
language. Messages are written by us, short, and never quote the vendor's
text or any header (a vendor error body can echo a key back).
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Mapping

import httpx2

from .base import (
    ProviderAuthError,
    ProviderBadRequest,
    ProviderContextOverflow,
    ProviderError,
    ProviderRateLimited,
    ProviderStreamCut,
    ProviderUnavailable,
)

NO_KEY = "no-key-configured"  # sent when no key is set, e.g. to a local Ollama server

_ERROR_CODE = re.compile(r"^[a-z][a-z_]{0,63}$")  # invalid_api_key, overloaded_error: never key-shaped
_REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
# How vendors and local servers say a prompt did not fit: OpenAI's and vLLM's
# "maximum context length", llama.cpp's "exceeds the available context size",
# Anthropic's "prompt is too long".
_OVERFLOW_CODES = {"context_length_exceeded", "exceed_context_size_error"}
_OVERFLOW_TEXT = re.compile(r"context length|context size|context window|prompt is too long|too many tokens",
                            re.IGNORECASE)


def is_context_overflow(status: int, code: object, message: object) -> bool:
    """Whether a refusal says the prompt was too long for the model's window.

    The vendor's text is only matched here, never quoted onwards.
    """
    if code in _OVERFLOW_CODES:
        return True
    return status in (400, 413, 500) and isinstance(message, str) and bool(_OVERFLOW_TEXT.search(message))


def safe_code(value: object) -> str | None:
    """A vendor error code, kept only if it is a plain lowercase word."""
    return value if isinstance(value, str) and _ERROR_CODE.match(value) else None


def safe_request_id(value: object, secret: str = "") -> str | None:
    """A vendor request id (useful to quote to their support), unless it is
    odd-shaped or overlaps the key (a misbehaving server could echo it)."""
    if not isinstance(value, str) or not _REQUEST_ID.match(value):
        return None
    if secret and (secret in value or value in secret):
        return None
    return value


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the vendor asked us to wait, from `retry-after-ms` or `retry-after`.

    `retry-after` may be a number of seconds or an HTTP date; both SDKs read
    the same two headers when they decide how long to sleep.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(float(raw_ms) / 1000.0, 0.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(when - (time.time() if now is None else now), 0.0)


def _detail(status: int, code: str | None, request_id: str | None) -> str:
    parts = [str(status)]
    if code:
        parts.append(code)
    text = " ".join(parts)
    return f"{text}, request {request_id}" if request_id else text


def status_error(
    label: str,
    provider: str,
    status: int,
    headers: Mapping[str, str],
    *,
    code: object = None,
    request_id: object = None,
    secret: str = "",
    overflow: bool = False,
) -> ProviderError:
    """Map an HTTP status (plus headers) to our error class with a safe message.

    ``secret`` is the API key, so that nothing overlapping it is quoted.
    ``overflow`` says the vendor refused the prompt as too long for the window.
    """
    code = safe_code(code)
    request_id = safe_request_id(request_id, secret)
    detail = _detail(status, code, request_id)
    if overflow:
        return ProviderContextOverflow(f"{label} found the prompt too long for the model ({detail})",
                                       provider=provider, status=status)
    if status in (401, 403):
        return ProviderAuthError(f"{label} rejected the API key ({detail})", provider=provider, status=status)
    if status == 429:
        return ProviderRateLimited(
            f"{label} is rate limiting requests ({detail})",
            provider=provider,
            status=status,
            retry_after=retry_after_seconds(headers),
        )
    if status >= 500:
        return ProviderUnavailable(f"{label} is unavailable ({detail})", provider=provider, status=status)
    return ProviderBadRequest(f"{label} rejected the request ({detail})", provider=provider, status=status)


def unreachable(label: str, provider: str, *, timed_out: bool) -> ProviderUnavailable:
    if timed_out:
        return ProviderUnavailable(f"{label} did not answer in time", provider=provider)
    return ProviderUnavailable(f"Could not reach {label}", provider=provider)


def stream_cut(label: str, provider: str) -> ProviderStreamCut:
    return ProviderStreamCut(f"{label} stream was cut off before the answer finished", provider=provider)


def stream_garbled(label: str, provider: str) -> ProviderUnavailable:
    return ProviderUnavailable(f"{label} sent a malformed stream event", provider=provider)


def transport_error(
    err: BaseException, label: str, provider: str, *, mid_stream: bool,
    timeouts: tuple[type[BaseException], ...], connection_errors: tuple[type[BaseException], ...],
) -> ProviderUnavailable:
    """Our error for a failure below the HTTP status: a timeout, a lost connection,
    a garbled stream, or an error the vendor sent inside the stream.

    ``timeouts`` and ``connection_errors`` are the vendor SDK's own classes;
    ``mid_stream`` says the answer had begun, so a lost connection was a cut.
    """
    if isinstance(err, (*timeouts, httpx2.TimeoutException)):
        return unreachable(label, provider, timed_out=True)
    if isinstance(err, connection_errors):
        return stream_cut(label, provider) if mid_stream else unreachable(label, provider, timed_out=False)
    if isinstance(err, httpx2.TransportError):
        return stream_cut(label, provider)
    if isinstance(err, (json.JSONDecodeError, UnicodeDecodeError)):
        return stream_garbled(label, provider)
    return ProviderUnavailable(f"{label} reported an error during the answer", provider=provider)

