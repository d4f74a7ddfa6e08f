"""Liveness: answers as soon as the service can take a turn."""

from __future__ import annotations

from fastapi import APIRouter

from .deps import ServicesDep
from .schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz(services: ServicesDep) -> Health:
    primary = services.tutor.chain.primary
    return Health(status="ok", provider=primary.name, model=primary.model,
                  fallback=[p.name for p in services.tutor.chain.providers[1:]])
