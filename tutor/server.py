"""Running the app under uvicorn with a graceful stop that knows about answers in flight.

On SIGTERM/SIGINT uvicorn stops taking connections and waits for open ones.
Our streams are long, so at the same moment we give every answer being
written ``shutdown_grace`` seconds to finish; then it is stopped, stored as
interrupted, and its client gets an `error` event before the connection ends.
"""

from __future__ import annotations

import asyncio
from types import FrameType

import uvicorn
from fastapi import FastAPI

from tutor.config import Settings
from tutor.connection_limits import guarded_protocol


class GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI, grace: float):
        super().__init__(config)
        self.app = app
        self.grace = grace
        self._draining: asyncio.Task[None] | None = None

    async def serve(self, sockets=None) -> None:  # type: ignore[override]
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        loop = getattr(self, "_loop", None)
        if loop is not None and self._draining is None:
            loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        hub = self.app.state.services.tutor.hub
        self._draining = asyncio.ensure_future(hub.shutdown(self.grace))


def run(app: FastAPI, settings: Settings) -> None:
    # Client addresses come from tutor.api.clients (TUTOR_TRUSTED_PROXIES), not uvicorn's proxy_headers.
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level=settings.log_level,
        timeout_graceful_shutdown=int(settings.shutdown_grace) + 5, proxy_headers=False,
        http=guarded_protocol(max_header_bytes=settings.max_header_bytes, header_timeout=settings.header_timeout),
        limit_concurrency=settings.max_connections, timeout_keep_alive=settings.keepalive_timeout,
    )
    GracefulServer(config, app, settings.shutdown_grace).run()
