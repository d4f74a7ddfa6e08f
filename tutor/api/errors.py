"""Every error leaves the service as ``{"error": {"code", "message"}}``.

A client never sees a stack trace, a secret or a bare 500 page: validation
problems become a 4xx with a message a person can act on, in the session's
language (``tutor/error_messages.py`` has the words and the rule).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from tutor.error_messages import describe_fields, error_message, language_from_accept

log = logging.getLogger("tutor.api")


class ApiError(Exception):
    """An error answer. Its message comes from the table by ``key`` (the code unless a variant is named),
    in the caller's language; ``message`` is only the English fallback for a code the table lacks."""

    def __init__(self, status: int, code: str, message: str | None = None, headers: dict[str, str] | None = None,
                 *, key: str | None = None, params: dict[str, object] | None = None):
        super().__init__(message or code)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.key = key or code
        self.params = params or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


_SESSION_PATH = re.compile(r"^/v1/sessions/([^/]+)")


async def caller_language(app: Any, path: str, authorization: str | None, accept_language: str | None) -> str:
    """The language of the session this request names, if its token is right; else Accept-Language (Korean by default).

    Only error answers ask, so the extra look-up costs nothing on the happy path.
    """
    match = _SESSION_PATH.match(path)
    scheme, _, token = (authorization or "").partition(" ")
    if match and scheme.lower() == "bearer" and token.strip():
        try:
            session = await app.state.services.store.authenticate(match.group(1), token.strip())
        except Exception:  # the error being answered may be the database's own
            session = None
        if session is not None:
            return session.language
    return language_from_accept(accept_language)


async def request_language(request: Request) -> str:
    known = getattr(request.state, "language", None)  # set once the session was authenticated
    if known:
        return known
    return await caller_language(request.app, request.url.path, request.headers.get("authorization"),
                                 request.headers.get("accept-language"))


_STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_input", 429: "rate_limited",
}


def _describe(errors: list[dict]) -> str:
    parts = []
    for error in errors[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "The request is not valid."


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route fully serves at this path, asked of the router itself
    (included routers nest their routes, so a route list cannot be read directly)."""
    routes = request.app.router.routes
    return [method for method in HTTP_METHODS
            if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        language = await request_language(request)
        message = error_message(exc.key, language, exc.message, status=exc.status, **exc.params)
        return error_response(exc.status, exc.code, message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        language = await request_language(request)
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "invalid_json", error_message("invalid_json", language))
        fields, details = describe_fields(list(errors))
        return error_response(422, "invalid_input", error_message("invalid_input", language, fields=fields,
                                                                  details=details))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        key = "not_found.path" if exc.status_code == 404 else code
        fallback = exc.detail if isinstance(exc.detail, str) else None
        message = error_message(key, await request_language(request), fallback, status=exc.status_code)
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(exc.status_code, code, message, headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        language = await request_language(request)
        return error_response(500, "internal_error", error_message("internal_error", language))
