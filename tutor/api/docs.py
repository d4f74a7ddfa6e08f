"""The API's interactive documentation at `/docs`, complete without internet.

FastAPI's own pages load Swagger UI from a CDN and start it with an inline
script, both refused by the service's Content-Security-Policy. Here Swagger
UI's files come from the `fastapi-offline` package and are served by the
service itself, and a script file of ours starts it, so the page works under
the same CSP as the chat page (`script-src 'self'`, no `unsafe-inline`).
ReDoc is not offered: it needs inline styles.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

SWAGGER_UI_DIR = Path(fastapi_offline.__file__).parent / "static"
OWN_DIR = Path(__file__).parent / "docs_static"
ASSETS = "/docs/assets"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — API</title>
<link rel="icon" href="{assets}/swagger-ui/favicon.png">
<link rel="stylesheet" href="{assets}/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{assets}/tutor/swagger-init.js" data-openapi-url="{openapi_url}"></script>
</body>
</html>
"""


def mount(app: FastAPI) -> None:
    """Add `/docs` and its files to ``app`` (built with ``docs_url=None, redoc_url=None``)."""
    page = PAGE.format(title=escape(app.title), assets=ASSETS, openapi_url=escape(app.openapi_url or ""))

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    app.mount(f"{ASSETS}/swagger-ui", StaticFiles(directory=SWAGGER_UI_DIR), name="docs-swagger-ui")
    app.mount(f"{ASSETS}/tutor", StaticFiles(directory=OWN_DIR), name="docs-own")
