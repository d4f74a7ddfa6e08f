"""A fake model provider on loopback, speaking OpenAI's and Anthropic's exact streaming wire formats.

Why: tests and the performance bench need a model server that answers at a
known pace (first-token delay, chunk count, inter-chunk delay), can be told to
fail in the ways real providers fail (status with Retry-After, a cut stream,
a hang, a garbled stream), and records what it was asked and when the client
went away. It runs on plain asyncio (uvloop when importable) with a small
HTTP/1.1 keep-alive parser, so that it is never the bottleneck.

    python bench/fake_provider.py --host 127.0.0.1 --port 0 --chunks 50 \
        --first-token-delay 0.01 --chunk-delay 0.01 [--text "..."]

prints ``READY <port>`` on stdout once it listens.

Endpoints:
  POST /v1/chat/completions   OpenAI Chat Completions (stream or not)
  POST /v1/messages           Anthropic Messages (stream or not)
  GET  /v1/models, /healthz   small answers for clients that probe
  POST /_control              {"mode": "ok"|"status"|"cut"|"hang"|"malformed"|"stream_error",
                               "status", "retry_after", "times", "cut_after",
                               "text", "chunks", "chunk_delay", "first_token_delay"}
  GET  /_control/log          {"requests": [...]} (authorization values redacted)
  POST /_control/reset        back to the command-line settings, log cleared
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TEXT = (
    "생성형 AI는 새로운 글이나 그림을 만들어 내는 AI를 모두 가리키는 넓은 말이에요. "
    "LLM은 그 안에 들어 있는 한 종류로, 아주 많은 글을 읽고 배운 언어 모델이랍니다. "
    "궁금한 점이 있으면 편하게 더 물어보세요!"
)
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024 * 1024
FAULT_MODES = {"ok", "status", "cut", "hang", "malformed", "stream_error"}
REDACTED_HEADERS = {"authorization", "x-api-key", "api-key", "proxy-authorization"}
REASONS = {
    200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    408: "Request Timeout", 413: "Payload Too Large", 422: "Unprocessable Entity",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout", 529: "Overloaded",
}


class BadRequest(Exception):
    """The client sent something that is not HTTP/1.1 we understand."""


@dataclass(slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


@dataclass(slots=True)
class Settings:
    """The pace and the fault the next requests get."""

    text: str = DEFAULT_TEXT
    chunks: int = 50
    first_token_delay: float = 0.01
    chunk_delay: float = 0.01
    mode: str = "ok"
    status: int = 500
    retry_after: float | None = None
    times: int | None = None  # None: the fault stays until changed
    cut_after: int = 5

    def copy(self) -> "Settings":
        return Settings(**{name: getattr(self, name) for name in self.__slots__})  # type: ignore[attr-defined]


@dataclass(slots=True)
class Record:
    """What one model request looked like, for GET /_control/log."""

    n: int
    path: str
    body: Any
    headers: dict[str, str]
    mode: str
    started: float
    first_byte: float | None = None
    ended: float | None = None
    chunks_sent: int = 0
    status: int | None = None
    cancelled: bool = False
    cancelled_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n, "path": self.path, "body": self.body, "headers": self.headers,
            "mode": self.mode, "status": self.status, "started": self.started,
            "first_byte": self.first_byte, "ended": self.ended, "chunks_sent": self.chunks_sent,
            "cancelled": self.cancelled, "cancelled_at": self.cancelled_at,
        }


def split_text(text: str, chunks: int) -> list[str]:
    """Exactly ``chunks`` non-empty pieces; the text is repeated when it is shorter."""
    chunks = max(1, chunks)
    if not text:
        text = "."
    while len(text) < chunks:
        text = text + " " + text
    size = len(text)
    return [text[i * size // chunks:(i + 1) * size // chunks] for i in range(chunks)]


def estimate_tokens(body: Any) -> int:
    """A rough, stable input token count (4 characters a token) for usage fields."""
    try:
        return max(1, len(json.dumps(body, ensure_ascii=False)) // 4)
    except (TypeError, ValueError):
        return 1


# ---------------------------------------------------------------- wire formats


class OpenAIWire:
    """Chat Completions: SSE ``data: {chat.completion.chunk}`` lines, then ``data: [DONE]``."""

    def __init__(self, body: dict[str, Any], pieces: list[str]):
        self.id = "chatcmpl-" + uuid.uuid4().hex[:24]
        self.created = int(time.time())
        self.model = str(body.get("model") or "gpt-fake")
        options = body.get("stream_options") or {}
        self.include_usage = bool(options.get("include_usage")) if isinstance(options, dict) else False
        self.pieces = pieces
        self.input_tokens = estimate_tokens(body.get("messages"))
        self._head = (
            '{"id":"%s","object":"chat.completion.chunk","created":%d,"model":%s,'
            '"system_fingerprint":"fp_fake","choices":'
            % (self.id, self.created, json.dumps(self.model))
        )
        self._tail = ',"usage":null}' if self.include_usage else "}"

    def usage(self) -> dict[str, Any]:
        out = len(self.pieces)
        return {
            "prompt_tokens": self.input_tokens, "completion_tokens": out,
            "total_tokens": self.input_tokens + out,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0,
                                          "rejected_prediction_tokens": 0},
        }

    def _chunk(self, delta: str, finish: str | None) -> bytes:
        finish_json = "null" if finish is None else json.dumps(finish)
        return (
            "data: " + self._head
            + '[{"index":0,"delta":' + delta + ',"logprobs":null,"finish_reason":' + finish_json + "}]"
            + self._tail + "\n\n"
        ).encode()

    def first(self, piece: str) -> bytes:
        role = self._chunk('{"role":"assistant","content":"","refusal":null}', None)
        return role + self.delta(piece)

    def delta(self, piece: str) -> bytes:
        return self._chunk('{"content":' + json.dumps(piece, ensure_ascii=False) + "}", None)

    def end(self) -> bytes:
        out = self._chunk("{}", "stop")
        if self.include_usage:
            usage = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                     "model": self.model, "system_fingerprint": "fp_fake", "choices": [],
                     "usage": self.usage()}
            out += b"data: " + json.dumps(usage, separators=(",", ":")).encode() + b"\n\n"
        return out + b"data: [DONE]\n\n"

    def malformed(self) -> bytes:
        return b'data: {"id": "broken", "choices": [{"delta\n\n'

    def stream_error(self) -> bytes:
        error = {"error": {"message": "The server had an error while processing your request.",
                           "type": "server_error", "param": None, "code": None}}
        return b"data: " + json.dumps(error).encode() + b"\n\n"

    def whole(self) -> dict[str, Any]:
        return {
            "id": self.id, "object": "chat.completion", "created": self.created, "model": self.model,
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(self.pieces),
                                                 "refusal": None, "annotations": []},
                         "logprobs": None, "finish_reason": "stop"}],
            "usage": self.usage(), "service_tier": "default",
        }

    @staticmethod
    def error(status: int) -> dict[str, Any]:
        kinds = {401: ("invalid_api_key", "Incorrect API key provided."),
                 429: ("rate_limit_exceeded", "Rate limit reached. Please try again later."),
                 400: ("invalid_request_error", "Invalid request.")}
        code, message = kinds.get(status, ("server_error", "The server had an error."))
        kind = "invalid_request_error" if status < 500 and status != 429 else (
            "requests" if status == 429 else "server_error")
        return {"error": {"message": message, "type": kind, "param": None, "code": code}}


class AnthropicWire:
    """Messages streaming: message_start, content_block_start, ping, deltas, stops, message_delta."""

    def __init__(self, body: dict[str, Any], pieces: list[str]):
        self.id = "msg_" + uuid.uuid4().hex[:24]
        self.model = str(body.get("model") or "claude-fake")
        self.pieces = pieces
        self.input_tokens = estimate_tokens([body.get("system"), body.get("messages")])

    @staticmethod
    def _event(name: str, data: str) -> bytes:
        return ("event: " + name + "\ndata: " + data + "\n\n").encode()

    def first(self, piece: str) -> bytes:
        message = {"id": self.id, "type": "message", "role": "assistant", "model": self.model,
                   "content": [], "stop_reason": None, "stop_sequence": None,
                   "usage": {"input_tokens": self.input_tokens, "cache_creation_input_tokens": 0,
                             "cache_read_input_tokens": 0, "output_tokens": 1}}
        return (
            self._event("message_start", json.dumps({"type": "message_start", "message": message},
                                                     separators=(",", ":")))
            + self._event("content_block_start",
                          '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}')
            + self._event("ping", '{"type": "ping"}')
            + self.delta(piece)
        )

    def delta(self, piece: str) -> bytes:
        return self._event(
            "content_block_delta",
            '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":'
            + json.dumps(piece, ensure_ascii=False) + "}}",
        )

    def end(self) -> bytes:
        return (
            self._event("content_block_stop", '{"type":"content_block_stop","index":0}')
            + self._event("message_delta",
                          '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},'
                          '"usage":{"output_tokens":%d}}' % len(self.pieces))
            + self._event("message_stop", '{"type":"message_stop"}')
        )

    def malformed(self) -> bytes:
        return b'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta\n\n'

    def stream_error(self) -> bytes:
        return self._event("error", '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')

    def whole(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": "message", "role": "assistant", "model": self.model,
            "content": [{"type": "text", "text": "".join(self.pieces)}],
            "stop_reason": "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": self.input_tokens, "cache_creation_input_tokens": 0,
                      "cache_read_input_tokens": 0, "output_tokens": len(self.pieces)},
        }

    @staticmethod
    def error(status: int) -> dict[str, Any]:
        kinds = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                 404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
                 529: "overloaded_error"}
        kind = kinds.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": f"fake provider: {kind}"}}


# ---------------------------------------------------------------- the server


class FakeProvider:
    """One fake provider: its settings, its request log and its connections."""

    def __init__(self, defaults: Settings, log_limit: int = 20000):
        self.defaults = defaults
        self.settings = defaults.copy()
        self.log: collections.deque[Record] = collections.deque(maxlen=log_limit)
        self.counter = 0

    # -- connection handling: one reader loop per connection; EOF cancels the responder

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue[Request | None] = asyncio.Queue()
        responder = asyncio.create_task(self._respond_loop(queue, writer))
        try:
            while not responder.done():
                request = await read_request(reader)
                if request is None:
                    break
                queue.put_nowait(request)
        except (BadRequest, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            # The client is gone (or spoke garbage): whatever is being written is abandoned now.
            if not responder.done():
                responder.cancel()
            try:
                await responder
            except (asyncio.CancelledError, Exception):
                pass
            writer.transport.abort()

    async def _respond_loop(self, queue: asyncio.Queue[Request | None], writer: asyncio.StreamWriter) -> None:
        while True:
            request = await queue.get()
            if request is None:
                return
            keep = await self.respond(request, writer)
            if not keep or not request.keep_alive:
                writer.transport.close()
                return

    async def respond(self, request: Request, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False when the connection must close afterwards."""
        path = request.path.split("?", 1)[0]
        if path.startswith("/_control"):
            return await self._control(request, path, writer)
        if request.method == "GET" and path in ("/", "/healthz", "/health"):
            return await send_json(writer, 200, {"status": "ok"})
        if request.method == "GET" and path == "/v1/models":
            return await send_json(writer, 200, {"object": "list", "data": [
                {"id": "gpt-fake", "object": "model", "created": 0, "owned_by": "fake"}]})
        if request.method == "POST" and path in ("/v1/chat/completions", "/chat/completions"):
            return await self._model(request, path, writer, OpenAIWire)
        if request.method == "POST" and path in ("/v1/messages", "/messages"):
            return await self._model(request, path, writer, AnthropicWire)
        return await send_json(writer, 404, {"error": {"message": f"no route {request.method} {path}",
                                                       "type": "not_found"}})

    def _take_fault(self) -> Settings:
        """The settings this request runs with; counts down a fault with ``times``."""
        current = self.settings.copy()
        if self.settings.mode != "ok" and self.settings.times is not None:
            self.settings.times -= 1
            if self.settings.times <= 0:
                self.settings.mode = "ok"
                self.settings.times = None
        return current

    async def _model(self, request: Request, path: str, writer: asyncio.StreamWriter, wire_cls: type) -> bool:
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return await send_json(writer, 400, wire_cls.error(400))
        if not isinstance(body, dict):
            return await send_json(writer, 400, wire_cls.error(400))
        run = self._take_fault()
        self.counter += 1
        record = Record(n=self.counter, path=path, body=body, headers=redact(request.headers),
                        mode=run.mode, started=time.time())
        self.log.append(record)
        try:
            return await self._model_answer(body, run, record, writer, wire_cls)
        except (asyncio.CancelledError, ConnectionError):
            if record.ended is None:
                record.cancelled = True
                record.cancelled_at = record.ended = time.time()
            raise
        finally:
            if record.ended is None and not record.cancelled:
                record.ended = time.time()

    async def _model_answer(self, body: dict[str, Any], run: Settings, record: Record,
                            writer: asyncio.StreamWriter, wire_cls: type) -> bool:
        if run.mode == "hang":
            await asyncio.Future()  # until the client goes (the connection reader cancels us)
        if run.mode == "status":
            record.status = run.status
            headers = {}
            if run.retry_after is not None:
                headers["retry-after"] = format_seconds(run.retry_after)
                headers["retry-after-ms"] = str(int(run.retry_after * 1000))
            if run.first_token_delay > 0:
                await asyncio.sleep(run.first_token_delay)
            record.first_byte = time.time()
            await send_json(writer, run.status, wire_cls.error(run.status), headers)
            record.ended = time.time()
            return True

        wire = wire_cls(body, split_text(run.text, run.chunks))
        record.status = 200
        if not body.get("stream"):
            await asyncio.sleep(max(0.0, run.first_token_delay + run.chunk_delay * (run.chunks - 1)))
            record.first_byte = time.time()
            if run.mode == "malformed":
                await send_raw(writer, 200, b'{"id": "broken", "choices": [', "application/json")
            else:
                await send_json(writer, 200, wire.whole())
            record.chunks_sent = len(wire.pieces)
            record.ended = time.time()
            return True

        if run.first_token_delay > 0:
            await asyncio.sleep(run.first_token_delay)
        writer.write(STREAM_HEADERS)
        record.first_byte = time.time()
        for index, piece in enumerate(wire.pieces):
            if index:
                await asyncio.sleep(run.chunk_delay)
            if run.mode == "cut" and index >= run.cut_after:
                await writer.drain()
                record.ended = time.time()
                record.extra["cut"] = True
                writer.transport.abort()  # no terminating chunk: the body is incomplete
                return False
            if run.mode == "stream_error" and index >= run.cut_after:
                write_chunk(writer, wire.stream_error())
                write_chunk(writer, b"")
                await writer.drain()
                record.ended = time.time()
                return True
            if run.mode == "malformed" and index >= run.cut_after:
                write_chunk(writer, wire.malformed())
                write_chunk(writer, b"")
                await writer.drain()
                record.ended = time.time()
                return True
            write_chunk(writer, wire.first(piece) if index == 0 else wire.delta(piece))
            await writer.drain()
            record.chunks_sent += 1
        write_chunk(writer, wire.end())
        write_chunk(writer, b"")
        await writer.drain()
        record.ended = time.time()
        return True

    async def _control(self, request: Request, path: str, writer: asyncio.StreamWriter) -> bool:
        if request.method == "GET" and path == "/_control/log":
            return await send_json(writer, 200, {"requests": [r.as_json() for r in self.log]})
        if request.method == "GET" and path == "/_control":
            return await send_json(writer, 200, settings_json(self.settings))
        if request.method == "POST" and path == "/_control/reset":
            self.settings = self.defaults.copy()
            self.log.clear()
            self.counter = 0
            return await send_json(writer, 200, settings_json(self.settings))
        if request.method == "POST" and path == "/_control":
            try:
                changes = json.loads(request.body or b"{}")
                self.settings = apply_changes(self.settings, changes)
            except (ValueError, TypeError) as error:
                return await send_json(writer, 400, {"error": {"message": str(error)}})
            return await send_json(writer, 200, settings_json(self.settings))
        return await send_json(writer, 404, {"error": {"message": "unknown control call"}})


def apply_changes(current: Settings, changes: Any) -> Settings:
    """Validate a POST /_control body onto a copy of the settings."""
    if not isinstance(changes, dict):
        raise ValueError("control body must be a JSON object")
    new = current.copy()
    if "mode" in changes:
        if changes["mode"] not in FAULT_MODES:
            raise ValueError(f"mode must be one of {sorted(FAULT_MODES)}")
        new.mode = changes["mode"]
        new.times = None
    if "status" in changes:
        new.status = int(changes["status"])
    if "retry_after" in changes:
        new.retry_after = None if changes["retry_after"] is None else float(changes["retry_after"])
    if "times" in changes:
        new.times = None if changes["times"] is None else max(1, int(changes["times"]))
    if "cut_after" in changes:
        new.cut_after = max(0, int(changes["cut_after"]))
    if "text" in changes:
        new.text = str(changes["text"])
    if "chunks" in changes:
        new.chunks = max(1, int(changes["chunks"]))
    if "chunk_delay" in changes:
        new.chunk_delay = max(0.0, float(changes["chunk_delay"]))
    if "first_token_delay" in changes:
        new.first_token_delay = max(0.0, float(changes["first_token_delay"]))
    unknown = set(changes) - {"mode", "status", "retry_after", "times", "cut_after", "text", "chunks",
                              "chunk_delay", "first_token_delay"}
    if unknown:
        raise ValueError(f"unknown control fields: {sorted(unknown)}")
    return new


def settings_json(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in settings.__slots__}  # type: ignore[attr-defined]


def redact(headers: dict[str, str]) -> dict[str, str]:
    return {k: ("present" if k in REDACTED_HEADERS else v) for k, v in headers.items()}


def format_seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# ---------------------------------------------------------------- HTTP/1.1, just enough


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """One request from a keep-alive connection; None when the client closed it cleanly."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if not error.partial.strip():
            return None
        raise BadRequest("incomplete request head") from error
    if len(head) > MAX_HEADER_BYTES:
        raise BadRequest("request head too large")
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ", 2)
    except ValueError as error:
        raise BadRequest("bad request line") from error
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers expected
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(parts)
    elif "content-length" in headers:
        length = int(headers["content-length"])
        if length > MAX_BODY_BYTES:
            raise BadRequest("body too large")
        body = await reader.readexactly(length) if length else b""
    connection = headers.get("connection", "").lower()
    keep_alive = ("close" not in connection) if version.strip() == "HTTP/1.1" else ("keep-alive" in connection)
    return Request(method=method.upper(), path=target, headers=headers, body=body, keep_alive=keep_alive)


STREAM_HEADERS = (
    b"HTTP/1.1 200 OK\r\n"
    b"content-type: text/event-stream; charset=utf-8\r\n"
    b"cache-control: no-cache\r\n"
    b"transfer-encoding: chunked\r\n"
    b"connection: keep-alive\r\n"
    b"x-request-id: req_fake\r\n"
    b"\r\n"
)


def write_chunk(writer: asyncio.StreamWriter, data: bytes) -> None:
    """One HTTP chunk; empty data writes the terminating chunk."""
    writer.write(b"%x\r\n%s\r\n" % (len(data), data))


async def send_raw(writer: asyncio.StreamWriter, status: int, payload: bytes, content_type: str,
                   headers: dict[str, str] | None = None) -> bool:
    head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}",
            f"content-type: {content_type}", f"content-length: {len(payload)}",
            "connection: keep-alive", "x-request-id: req_fake", "request-id: req_fake"]
    for name, value in (headers or {}).items():
        head.append(f"{name}: {value}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)
    await writer.drain()
    return True


async def send_json(writer: asyncio.StreamWriter, status: int, payload: Any,
                    headers: dict[str, str] | None = None) -> bool:
    return await send_raw(writer, status, json.dumps(payload, ensure_ascii=False).encode(),
                          "application/json", headers)


# ---------------------------------------------------------------- command line


async def serve(args: argparse.Namespace) -> None:
    defaults = Settings(text=args.text, chunks=args.chunks, first_token_delay=args.first_token_delay,
                        chunk_delay=args.chunk_delay)
    provider = FakeProvider(defaults, log_limit=args.log_limit)
    server = await asyncio.start_server(provider.connection, args.host, args.port,
                                        limit=MAX_HEADER_BYTES, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"READY {port}\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Fake OpenAI/Anthropic streaming server for tests and the bench.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed as READY <port>)")
    parser.add_argument("--chunks", type=int, default=50)
    parser.add_argument("--first-token-delay", type=float, default=0.01)
    parser.add_argument("--chunk-delay", type=float, default=0.01)
    parser.add_argument("--text", default=DEFAULT_TEXT)
    parser.add_argument("--log-limit", type=int, default=20000, help="how many requests the log keeps")
    parser.add_argument("--no-uvloop", action="store_true", help="use the default asyncio loop")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if not args.no_uvloop:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            uvloop.run(serve(args))
            return
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
