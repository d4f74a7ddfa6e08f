"""Reading a text/event-stream the way a browser's EventSource does (for tests)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Event:
    name: str
    data: Any
    id: str | None


def parse_sse(text: str) -> list[Event]:
    events: list[Event] = []
    name, data, event_id = "message", [], None
    for line in text.replace("\r\n", "\n").split("\n"):
        if line == "":
            if data:
                events.append(Event(name, json.loads("\n".join(data)), event_id))
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
    return events


def answer_text(events: list[Event]) -> str:
    return "".join(e.data["text"] for e in events if e.name == "delta")
