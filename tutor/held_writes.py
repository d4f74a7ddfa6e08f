"""Writes of one response that go out to the client in one system call.

uvicorn writes a response's head (status line and headers) as soon as the app starts the
response, and each piece of its body in a write of its own. An answer's stream starts with
its head and, right after it, its first event (the sources, ready before the model is
called): two system calls, each waking the client, for bytes that are ready together. On
a loaded machine a write to a local client cost about a quarter of a millisecond of CPU.

``HeldWrites`` stands between uvicorn and the connection's transport: between ``hold()`` and
``release()`` its writes are kept and then written as one. Nothing is held otherwise, and the
bytes and their order are the same. The app reaches it through the request's ASGI scope
(``extensions[EXTENSION]``), which only our HTTP protocol (tutor.connection_limits) sets:
under another server or a test client there is none and every piece is written as it comes.
"""

from __future__ import annotations

import asyncio
from typing import Any

EXTENSION = "tutor.held_writes"


class HeldWrites:
    """A transport whose writes can be held for a moment and written together."""

    __slots__ = ("_transport", "_held")

    def __init__(self, transport: asyncio.Transport):
        self._transport = transport
        self._held: list[bytes] | None = None

    def hold(self) -> None:
        """Keep the writes from now on until ``release``."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Write what was kept, as one write."""
        held, self._held = self._held, None
        if held:
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def write(self, data: bytes) -> None:
        if self._held is not None:
            self._held.append(data)
        else:
            self._transport.write(data)

    def close(self) -> None:
        self.release()  # what was written before the close goes first, as it would have
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def __getattr__(self, name: str) -> Any:  # everything else a transport has, as it is
        return getattr(self._transport, name)
