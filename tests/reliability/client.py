"""A streaming client for the reliability suite: reads SSE event by event, can hang up mid-way."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from tests.sse import iter_sse


@dataclass
class Stream:
    events: list[tuple[str, dict, str]] = field(default_factory=list)  # (name, data, id)
    status: int = 0

    @property
    def names(self) -> list[str]:
        return [name for name, _, _ in self.events]

    @property
    def text(self) -> str:
        return "".join(data["text"] for name, data, _ in self.events if name == "delta")

    @property
    def message_id(self) -> str:
        return self.events[0][2].split(":")[0]


def open_session(client: httpx.Client) -> tuple[str, dict[str, str]]:
    body = client.post("/v1/sessions").json()
    return body["id"], {"Authorization": f"Bearer {body['token']}"}


def read_stream(response: httpx.Response, *, stop_after_deltas: int | None = None) -> Stream:
    """Parse events until the end, or hang up after ``stop_after_deltas`` deltas."""
    stream = Stream(status=response.status_code)
    deltas = 0
    for event in iter_sse(response.iter_lines()):
        stream.events.append((event.name, event.data, event.id or ""))
        if event.name == "delta":
            deltas += 1
            if stop_after_deltas is not None and deltas >= stop_after_deltas:
                break
    return stream


def turn(client: httpx.Client, session_id: str, headers: dict[str, str], content: str,
         *, stop_after_deltas: int | None = None) -> Stream:
    with client.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": content},
                       headers=headers) as response:
        return read_stream(response, stop_after_deltas=stop_after_deltas)


def stored(client: httpx.Client, session_id: str, headers: dict[str, str]) -> list[dict]:
    return client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]
