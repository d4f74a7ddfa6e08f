"""`GET /metrics`: the Prometheus text format, for the operator's scraper.

With operator keys configured (``TUTOR_API_KEYS``) it needs one, as
`Authorization: Bearer <key>` (Prometheus's `authorization` setting) or
`X-API-Key`; the counts say how busy the service is and what it spends.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from tutor import metrics

from .deps import ServicesDep, check_operator_key, client_key, rate_limit
from .schemas import error_responses

router = APIRouter(tags=["monitoring"])


@router.get("/metrics", response_class=Response, responses={
    200: {"content": {"text/plain": {}}, "description": "Prometheus text exposition format."},
    **error_responses(401, 429)})
async def scrape(request: Request, services: ServicesDep,
                 authorization: Annotated[str | None, Header()] = None,
                 x_api_key: Annotated[str | None, Header()] = None) -> Response:
    """Answers, time to first token, turn duration, provider errors, fallbacks, tokens, cost, open streams
    and rate-limit refusals, summed over every worker process."""
    if services.settings.api_keys:
        await rate_limit(services.read_limiter, client_key(request), services.settings.rate_limit_enabled)
        scheme, _, bearer = (authorization or "").partition(" ")
        check_operator_key(services, x_api_key or (bearer.strip() if scheme.lower() == "bearer" else None))
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})
