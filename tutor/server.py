"""Running the app under uvicorn, in one process or several, with a graceful stop that knows about answers.

On SIGTERM/SIGINT uvicorn stops taking connections and waits for open ones.
Our streams are long, so at the same moment we give every answer being
written ``shutdown_grace`` seconds to finish; then it is stopped, stored as
interrupted, and its client gets an `error` event before the connection ends.

With ``workers`` > 1, uvicorn's supervisor runs that many worker processes
on one listening socket (each builds its own app from the environment,
``worker_app``) and restarts any that dies; SIGTERM to the supervisor reaches
every worker, and each drains as above. Their live state is shared through
Redis (``tutor.live``), so any worker can resume or stop any answer.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import shutil
import signal
import tempfile
import threading
from types import FrameType

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from tutor import metrics
from tutor.config import Settings
from tutor.connection_limits import guarded_protocol
from tutor.live import TurnHub

log = logging.getLogger("tutor")


def drain_on_stop(hub: TurnHub, grace: float) -> None:
    """When uvicorn is told to stop this process, start draining the answers in flight at once.

    Called from the app's start-up. It wraps the handlers uvicorn installed
    for SIGTERM and SIGINT; elsewhere (tests, another server) it does nothing
    and the drain happens at the end of the app's lifespan instead.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()
    started: list[asyncio.Future[None]] = []

    def begin() -> None:
        if not started:
            started.append(asyncio.ensure_future(hub.shutdown(grace)))

    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)
        if not isinstance(getattr(previous, "__self__", None), uvicorn.Server):
            continue

        def handler(signum: int, frame: FrameType | None, previous=previous) -> None:
            previous(signum, frame)
            loop.call_soon_threadsafe(begin)

        signal.signal(sig, handler)


def _config(app: FastAPI | str, settings: Settings, *, http: object, **options: object) -> uvicorn.Config:
    # Client addresses come from tutor.api.clients (TUTOR_TRUSTED_PROXIES), not uvicorn's proxy_headers.
    return uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level=settings.log_level,
        timeout_graceful_shutdown=int(settings.shutdown_grace) + 5, proxy_headers=False,
        http=http, limit_concurrency=settings.max_connections, timeout_keep_alive=settings.keepalive_timeout,
        access_log=settings.access_log,
        # JSON lines: uvicorn's loggers go through ours (tutor.logs) instead of its own formatters.
        log_config=None if settings.log_format == "json" else uvicorn.config.LOGGING_CONFIG,
        **options,
    )


def _http(settings: Settings) -> type:
    return guarded_protocol(max_header_bytes=settings.max_header_bytes, header_timeout=settings.header_timeout)


def __getattr__(name: str) -> object:
    # The workers' protocol class, built from the environment in each worker: uvicorn
    # imports it by name there (a class made at run time cannot be sent to a worker).
    if name == "worker_http":
        from tutor.cli import load_settings

        return _http(load_settings())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def settle_heap() -> None:
    """Leave what start-up built (the lesson pack, its index, the app) out of the garbage
    collector's passes: it lives as long as the process. A full pass over it walked more
    than a hundred thousand objects, tens of milliseconds during which no answer was
    relayed; what later turns allocate is collected as before (``gc.freeze``)."""
    gc.freeze()


def run(app: FastAPI, settings: Settings) -> None:
    """One process serving ``app``."""
    settle_heap()
    uvicorn.Server(_config(app, settings, http=_http(settings))).run()


class MeasuredWorkers(Multiprocess):
    """uvicorn's supervisor, telling the metrics when a worker is gone (its live gauges stop counting)."""

    def keep_subprocess_alive(self) -> None:
        before = {process.pid for process in self.processes}
        super().keep_subprocess_alive()
        for pid in before - {process.pid for process in self.processes}:
            if pid is not None:
                metrics.process_exited(pid)


def run_workers(settings: Settings) -> None:
    """``settings.workers`` processes on one socket; the caller has migrated the database once.

    Their metrics meet in a fresh directory (prometheus-client's multiprocess mode), made
    before the first worker starts and removed when the last has stopped.
    """
    # The workers read their settings from the environment, as this process did.
    os.environ["TUTOR_WORKERS"] = str(settings.workers)
    samples = tempfile.mkdtemp(prefix="tutor-metrics-")
    os.environ[metrics.MULTIPROC_DIR] = samples
    config = _config("tutor.server:worker_app", settings, http="tutor.server:worker_http", factory=True,
                     workers=settings.workers)
    try:
        MeasuredWorkers(config, sockets=[config.bind_socket()]).run()
    finally:
        shutil.rmtree(samples, ignore_errors=True)


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn calls this in each)."""
    from tutor.api.app import create_app
    from tutor.cli import configure_logging, load_settings

    settings = load_settings()
    configure_logging(settings)
    app = create_app(settings)
    settle_heap()
    return app
