"""How passages and learner text are framed as data for a chat model.

Every vendor sends the same thing: the system field holds only what is
ours - our instructions and, with whole-document grounding, the whole lesson
(``fixed_prefix``); this turn's passages, a summary of older turns and the
learner's current message travel inside the last user message, each in a
clearly marked block. Text inside a block cannot close the block: tag-like
sequences are neutralised first.
"""

from __future__ import annotations

import re

from .base import ChatMessage, ChatRequest, Passage

_TAG = re.compile(
    r"<\s*(/?)\s*(reference_passages|passage|learner_message|lesson_document|conversation_summary)\b",
    re.IGNORECASE,
)


def neutralise(text: str) -> str:
    """Stop data from opening or closing one of our blocks."""
    return _TAG.sub(lambda m: "‹" + m.group(1) + m.group(2), text)


def _attr(value: str) -> str:
    return neutralise(value).replace('"', "'").replace("\n", " ")


def passages_block(passages: tuple[Passage, ...]) -> str:
    if not passages:
        return "<reference_passages>\n(none: the lesson pack has nothing relevant to this message)\n</reference_passages>"
    return _passages_in("reference_passages", passages)


def document_block(passages: tuple[Passage, ...]) -> str:
    """The whole lesson, every passage with its id: the same bytes for every turn of every session."""
    return _passages_in("lesson_document", passages)


def _passages_in(tag: str, passages: tuple[Passage, ...]) -> str:
    parts = [f"<{tag}>"]
    for passage in passages:
        parts.append(f'<passage id="{_attr(passage.id)}" title="{_attr(passage.title)}">')
        parts.append(neutralise(passage.text.strip()))
        parts.append("</passage>")
    parts.append(f"</{tag}>")
    return "\n".join(parts)


def relevant_block(passages: tuple[Passage, ...], scope_hint: str = "") -> str:
    """With the whole lesson in the prefix: which of its passages a search found for this message."""
    if passages:
        ids = ", ".join(_attr(p.id) for p in passages)
        line = f"(the whole lesson is in <lesson_document>; most relevant to this message: {ids})"
    else:
        line = "(the whole lesson is in <lesson_document>; a search found no passage close to this message)"
    hint = f"\n{neutralise(scope_hint)}" if scope_hint else ""
    return f"<reference_passages>\n{line}{hint}\n</reference_passages>"


def summary_block(summary: str) -> str:
    """Earlier turns that no longer fit the window, summarised; data like the rest of the conversation."""
    return f"<conversation_summary>\n{neutralise(summary.strip())}\n</conversation_summary>\n\n" if summary else ""


def frame_user_message(text: str, passages: tuple[Passage, ...]) -> str:
    return (
        f"{passages_block(passages)}\n\n"
        f"<learner_message>\n{neutralise(text)}\n</learner_message>"
    )


def frame_turn(request: ChatRequest, text: str) -> str:
    """The learner's current message as sent: the summary of older turns, then the
    passages (or, with the whole lesson in the prefix, their ids), then the message."""
    if request.document:
        block = relevant_block(request.passages, request.scope_hint)
        framed = f"{block}\n\n<learner_message>\n{neutralise(text)}\n</learner_message>"
    else:
        framed = frame_user_message(text, request.passages)
    return summary_block(request.summary) + framed


def fixed_prefix(request: ChatRequest) -> list[str]:
    """What comes before the conversation, in order: our instructions, then (with
    whole-document grounding) the whole lesson. Both are ours and the same bytes
    on every turn of every session, which is what vendors' prompt caches need."""
    parts = [request.system] if request.system else []
    if request.document:
        parts.append(document_block(request.document))
    return parts


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
    return [*earlier, ChatMessage("user", frame_turn(request, last.content))]
