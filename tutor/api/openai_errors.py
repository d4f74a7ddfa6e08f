"""Errors of the OpenAI-compatible routes, in OpenAI's own shape.

OpenAI clients (the `openai` SDK, Open WebUI) read ``{"error": {"message",
"type", "param", "code"}}`` and decide by the HTTP status. The routes of
``tutor.api.completions`` use ``OpenAIRoute``, which turns our own errors
(``ApiError`` from the shared dependencies, invalid bodies) into that shape,
so a client never meets the session API's error format there, nor a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from tutor.error_messages import error_message, language_from_accept

from .errors import ApiError

log = logging.getLogger("tutor.api")

# OpenAI's error type for each status it uses.
_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 403: "invalid_request_error",
          404: "invalid_request_error", 409: "invalid_request_error", 413: "invalid_request_error",
          422: "invalid_request_error", 429: "requests"}
# Our turn error codes (tutor/error_messages.py) as HTTP statuses, when they end a turn before it streamed.
_TURN_STATUS = {"provider_rate_limited": 429, "budget_exhausted": 429, "provider_unavailable": 503,
                "provider_empty": 503, "turn_timeout": 504, "server_shutdown": 503}
# Codes OpenAI clients know, for ours that mean the same.
_OPENAI_CODES = {"api_key_required": "invalid_api_key", "unauthorized": "invalid_api_key",
                 "rate_limited": "rate_limit_exceeded", "invalid_input": "invalid_value",
                 "invalid_json": "invalid_json"}


class OpenAIError(Exception):
    def __init__(self, status: int, message: str, *, code: str | None = None, param: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.param = status, message, code, param
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        body = {"error": {"message": self.message, "type": _TYPES.get(self.status, "server_error"),
                          "param": self.param, "code": self.code}}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def turn_error(code: str, message: str) -> OpenAIError:
    """A turn that ended in an error before its first word (the provider chain gave up, a timeout...)."""
    return OpenAIError(_TURN_STATUS.get(code, 502), message, code=code)


def bad_request(message: str, param: str | None = None, code: str = "invalid_value") -> OpenAIError:
    return OpenAIError(400, message, code=code, param=param)


def _from_api_error(exc: ApiError, language: str) -> OpenAIError:
    message = error_message(exc.key, language, exc.message, status=exc.status, **exc.params)
    code = _OPENAI_CODES.get(exc.code, exc.code)
    status = 400 if exc.status == 422 else exc.status
    headers = dict(exc.headers)
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return OpenAIError(status, message, code=code, headers=headers)


def _from_validation(exc: RequestValidationError) -> OpenAIError:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return bad_request("The request body is not valid JSON.", code="invalid_json")
    first = errors[0] if errors else {}
    where = [str(part) for part in first.get("loc", ()) if part != "body"]
    param = ".".join(where) or None
    return bad_request(f"{param or 'body'}: {first.get('msg', 'invalid value')}", param=param)


class OpenAIRoute(APIRoute):
    """A route whose every error leaves in OpenAI's error shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except OpenAIError as exc:
                return exc.response()
            except ApiError as exc:
                return _from_api_error(exc, language_from_accept(request.headers.get("accept-language"))).response()
            except RequestValidationError as exc:
                return _from_validation(exc).response()
            except StarletteHTTPException as exc:  # a body the framework could not read
                detail = exc.detail if isinstance(exc.detail, str) else "The request is not valid."
                return OpenAIError(exc.status_code, detail, code="invalid_body" if exc.status_code == 400 else None,
                                   headers=dict(exc.headers or {})).response()
            except Exception:
                log.exception("unexpected error in %s", request.url.path)
                return OpenAIError(500, "The server had an error while processing your request.").response()

        return handle
