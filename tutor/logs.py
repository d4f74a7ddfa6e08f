"""The service's log lines: plain text, or one JSON object per line (``TUTOR_LOG_FORMAT=json``).

Every line carries the request it belongs to (``request_id``) and, once a
session's token was checked, the session (``session_id``). Both live in
context variables: set by ``tutor.api.request_ids`` and the session
dependency, copied into a turn's task when it starts, so a turn's provider
calls log them too, also after the HTTP handler has returned while the answer
streams on. uvicorn's own lines (start-up, access) pass through the same
handler. Known secrets (operator keys, vendor keys) and bearer tokens are
masked in every line, whatever logged them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import datetime, timezone

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
session_id: ContextVar[str | None] = ContextVar("session_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "[redacted]"
# A bearer credential or a vendor-style key, whoever wrote it into a message.
_SECRET_SHAPES = re.compile(r"(?i)(bearer\s+)[^\s\"',]+|\b(sk-[A-Za-z0-9_-]{6,})")


class Context(logging.Filter):
    """Adds the request and session of the running task to every record, and masks secrets."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.session_id = session_id.get()
        message = record.getMessage()
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return _SECRET_SHAPES.sub(lambda m: (m.group(1) or "") + MASK, text)


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, session_id (and the traceback)."""

    def __init__(self, mask=lambda text: text):
        super().__init__()
        self.mask = mask

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "session_id": getattr(record, "session_id", None),
            "pid": record.process,
        }
        if record.exc_info:
            line["exception"] = self.mask(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str, style: str = "text", secrets: Iterable[str] = ()) -> None:
    """One handler on the root logger, for our lines and uvicorn's alike."""
    context = Context(secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(context)
    handler.setFormatter(JsonLines(context.mask) if style == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Neither format names the file, line or function a line was logged from: finding them walks
    # the stack for every line (Python's logging HOWTO, "Optimization"), three lines a turn.
    logging._srcfile = None
    # Alembic's own start-up chatter (plugins, context) says nothing an operator needs; nor does the
    # line the SDKs' HTTP client writes for every call to the model (the turn's own lines say which
    # provider answered and how it ended): it was one of the four lines every turn wrote.
    for name in ("alembic", "httpx", "httpx2"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if style == "json":
        # uvicorn's loggers send their lines to ours instead of printing them their way.
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            logger = logging.getLogger(name)
            logger.handlers.clear()
            logger.propagate = True


def settings_secrets(settings) -> list[str]:
    """The secret values a configuration holds, for masking."""
    keys = [key.get_secret_value() for key in settings.api_keys]
    for key in (settings.openai_api_key, settings.anthropic_api_key):
        if key is not None:
            keys.append(key.get_secret_value())
    return keys
