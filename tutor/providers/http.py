"""Which HTTP client a vendor's SDK sends its requests through (TUTOR_UPSTREAM_HTTP).

Both SDKs ship two: httpx2, their default, and aiohttp, their optional one
(``DefaultAioHttpClient``, the ``aiohttp`` extra). The SDK does the same work
above either one (the request, retries, timeouts, status errors); below it,
aiohttp reads a streamed answer with its C parser, which halved the CPU the
service spent reading a 50-chunk answer from the model.
"""

from __future__ import annotations

from types import ModuleType
from typing import Literal

import httpx2

UpstreamHttp = Literal["aiohttp", "httpx"]


def sdk_http_client(sdk: ModuleType, kind: UpstreamHttp) -> httpx2.AsyncClient | None:
    """The client to hand the SDK (``openai`` or ``anthropic``); None keeps its own default."""
    return sdk.DefaultAioHttpClient() if kind == "aiohttp" else None
