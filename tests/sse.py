"""Reading a text/event-stream the way a browser's EventSource does (for tests)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass
class Event:
    name: str
    data: Any
    id: str | None


def iter_sse(lines: Iterable[str]) -> Iterator[Event]:
    """Events as their lines arrive, so a reader can stop (hang up) part-way."""
    name, data, event_id = "message", [], None
    for line in lines:
        if line == "":
            if data:
                yield Event(name, json.loads("\n".join(data)), event_id)
            name, data, event_id = "message", [], None
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
            elif field == "id":
                event_id = value


def parse_sse(text: str) -> list[Event]:
    return list(iter_sse(text.replace("\r\n", "\n").split("\n")))


def answer_text(events: list[Event]) -> str:
    return "".join(e.data["text"] for e in events if e.name == "delta")
