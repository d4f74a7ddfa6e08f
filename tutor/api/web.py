"""Serving the learner's chat page at `/` and its files under `/static/`.

The page is plain files from ``tutor.web``; the security headers (a CSP with
no inline script) are added to every response by ``security.SecurityHeaders``.
Everything is sent with ``Cache-Control: no-cache`` so that a new release is
picked up at once (the browser still revalidates cheaply with the ETag).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import FileResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from tutor.web import ICON_SVG, INDEX_HTML, STATIC_DIR

NO_CACHE = {"Cache-Control": "no-cache"}


class _RevalidatedStaticFiles(StaticFiles):
    """Static files that the browser must revalidate before reuse."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.setdefault("Cache-Control", "no-cache")
        return response


def mount(app: FastAPI) -> None:
    """Add the page, its static files and a favicon to ``app``."""

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(INDEX_HTML, media_type="text/html; charset=utf-8", headers=NO_CACHE)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(ICON_SVG, media_type="image/svg+xml", headers=NO_CACHE)

    app.mount("/static", _RevalidatedStaticFiles(directory=STATIC_DIR), name="static")
