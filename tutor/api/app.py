"""The application factory: builds every service once, wires the routers.

Anything misconfigured (an unknown provider, a missing key, a broken lesson
pack, a window too small for our own instructions) fails here, at start-up,
with a message that says what to fix.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from datetime import timedelta

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.engine import make_url

from tutor import metrics
from tutor.config import Settings
from tutor.knowledge.pack import load_pack
from tutor.knowledge.planner import prepare as prepare_planning
from tutor.knowledge.retrieval import Retriever
from tutor.live import connect_redis, make_hub
from tutor.prompting import Budget, check_budget, load_document_guide, load_system_prompt
from tutor.providers.registry import build_chain
from tutor.server import drain_on_stop
from tutor.store import Store, make_engine, migrate
from tutor.store.leases import keep_leases, recover_at_start
from tutor.turns import Tutor

from . import chat, completions, docs, health, lessons, monitoring, sessions, web
from .clients import ClientAddresses
from .deps import Services
from .errors import install_error_handlers
from .limits import RequestLimits
from .ratelimit import Limiter, RateLimiter, RedisRateLimiter
from .request_ids import RequestIds
from .security import SecurityHeaders
from .turn_requests import TurnRequests

log = logging.getLogger("tutor")

RETENTION_SWEEP_SECONDS = 3600.0
# Session reads are the heaviest answers: a client may send this many back to back, then the rate.
READ_BURST = 5


def build_services(settings: Settings) -> Services:
    pack = load_pack(settings.lessons_dir)
    system_prompt = load_system_prompt(settings.prompts_dir)
    check_budget(system_prompt, Budget(settings.context_tokens, settings.max_answer_tokens))
    engine = make_engine(settings.database_url)
    store = Store(engine)

    chain = build_chain(settings, pack)
    redis = connect_redis(settings)
    retriever = Retriever(pack)
    prepare_planning(retriever)
    tutor = Tutor(settings=settings, store=store, retriever=retriever, chain=chain,
                  system_prompt=system_prompt, document_guide=load_document_guide(settings.prompts_dir),
                  hub=make_hub(settings, redis))

    def limiter(name: str, per_minute: int, burst: int | None = None) -> Limiter:
        if redis is None:
            return RateLimiter(per_minute, burst=burst, max_keys=settings.rate_limit_max_clients, name=name)
        # Shared by every worker and replica: a fixed one-minute window per key (no burst shaping).
        return RedisRateLimiter(redis, f"{settings.redis_prefix}limit:{name}:", per_minute, name=name)

    return Services(
        settings=settings, store=store, pack=pack, tutor=tutor, redis=redis,
        session_limiter=limiter("sessions", settings.sessions_per_minute),
        message_limiter=limiter("messages", settings.messages_per_minute),
        client_message_limiter=limiter("client-messages", settings.messages_per_minute * 3),
        read_limiter=limiter("reads", settings.reads_per_minute, burst=READ_BURST),
        clients=ClientAddresses(settings.trusted_proxies),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    services = build_services(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(migrate, services.store.engine)
        try:
            await anyio.to_thread.run_sync(services.store.prepare)
        except Exception as exc:  # only the first turn is slower: no reason not to serve
            log.warning("the database statements could not be prepared at start-up: %s", exc)
        await recover_at_start(services.store, services.tutor.hub.shared_text)
        hub = services.tutor.hub
        await hub.start()
        drain_on_stop(hub, settings.shutdown_grace)
        leases = asyncio.create_task(keep_leases(
            services.store, lambda: [t.message_id for t in hub.running()], timedelta(seconds=settings.turn_lease),
            hub.shared_text))
        primary = services.tutor.chain.primary
        log.info("serving with provider=%s model=%s fallback=%s database=%s live state=%s", primary.name,
                 primary.model, ",".join(p.name for p in services.tutor.chain.providers[1:]) or "none",
                 make_url(settings.database_url).render_as_string(hide_password=True),
                 make_url(settings.redis_url).render_as_string(hide_password=True) if settings.redis_url
                 else "in-process")
        sweeper = asyncio.create_task(_retention_sweeper(services)) if settings.retention_days else None
        try:
            yield
        finally:
            if sweeper:
                sweeper.cancel()
            await services.tutor.hub.shutdown(settings.shutdown_grace)
            await services.tutor.stop_summaries()
            leases.cancel()
            await services.tutor.hub.aclose()
            if services.redis is not None:
                await services.redis.aclose()
            await services.tutor.chain.aclose()
            services.store.dispose()
            metrics.process_exited(os.getpid())

    app = FastAPI(
        title="Tutor", version="1.0.0", lifespan=lifespan, docs_url=None, redoc_url=None,
        description="A patient tutor for one explainer on generative AI and large language models.",
    )
    app.state.services = services
    install_error_handlers(app)
    for router in (health.router, lessons.router, sessions.router, chat.router, completions.router,
                   monitoring.router):
        app.include_router(router)
    web.mount(app)
    docs.mount(app)
    app.add_middleware(TurnRequests)  # innermost of ours: a learner's message, past FastAPI's per-request work
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "Last-Event-ID", "X-API-Key"])
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes, max_headers=settings.max_headers,
                       body_timeout=settings.body_timeout)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestIds)  # outermost: every answer, refusals included, carries its id
    return app


async def _retention_sweeper(services: Services) -> None:
    idle = timedelta(days=services.settings.retention_days)
    while True:
        try:
            purged = await services.store.purge_idle(idle)
            if purged:
                log.info("retention: deleted %d idle session(s)", purged)
        except Exception:
            log.exception("retention sweep failed")
        await asyncio.sleep(RETENTION_SWEEP_SECONDS)
