"""How passages and learner text are framed as data for a chat model.

Every vendor sends the same thing: the system field holds only our
instructions; the lesson passages and the learner's current message travel
inside the last user message, each in a clearly marked block. Text inside a
block cannot close the block: tag-like sequences are neutralised first.
"""

from __future__ import annotations

import re

from .base import ChatMessage, ChatRequest, Passage

_TAG = re.compile(r"<\s*(/?)\s*(reference_passages|passage|learner_message|tutor_note)\b", re.IGNORECASE)


def neutralise(text: str) -> str:
    """Stop data from opening or closing one of our blocks."""
    return _TAG.sub(lambda m: "‹" + m.group(1) + m.group(2), text)


def _attr(value: str) -> str:
    return neutralise(value).replace('"', "'").replace("\n", " ")


def passages_block(passages: tuple[Passage, ...]) -> str:
    if not passages:
        return "<reference_passages>\n(none: the lesson pack has nothing relevant to this message)\n</reference_passages>"
    parts = ["<reference_passages>"]
    for passage in passages:
        parts.append(f'<passage id="{_attr(passage.id)}" title="{_attr(passage.title)}">')
        parts.append(neutralise(passage.text.strip()))
        parts.append("</passage>")
    parts.append("</reference_passages>")
    return "\n".join(parts)


def frame_user_message(text: str, passages: tuple[Passage, ...], note: str = "") -> str:
    # The turn's activity (a quiz, a recap, ...), from the planner, not the learner.
    noted = f"<tutor_note>\n{neutralise(note)}\n</tutor_note>\n\n" if note else ""
    return (
        f"{passages_block(passages)}\n\n{noted}"
        f"<learner_message>\n{neutralise(text)}\n</learner_message>"
    )


def wire_messages(request: ChatRequest) -> list[ChatMessage]:
    """The conversation as a vendor should send it: earlier turns as they
    were said (learner text neutralised), the last user message framed with
    the passages."""
    messages = list(request.messages)
    if not messages or messages[-1].role != "user":
        raise ValueError("a ChatRequest must end with the learner's message")
    earlier = [
        ChatMessage(m.role, neutralise(m.content) if m.role == "user" else m.content)
        for m in messages[:-1]
    ]
    last = messages[-1]
    note = request.hints.get("activity_note", "")
    return [*earlier, ChatMessage("user", frame_user_message(last.content, request.passages, note))]
