"""Turning a session's recent history and this turn's plan into a ChatRequest.

The whole request respects one token budget: our instructions, the passages,
the history and room for the answer. Without a tokenizer for every model we
count conservatively (each non-ASCII character as a token, four ASCII
characters as one), so the request still fits a small local model's window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.knowledge.pack import LessonPack
from tutor.knowledge.planner import TurnPlan, plan_hints
from tutor.providers.base import ChatMessage, ChatRequest, Passage
from tutor.providers.framing import frame_user_message, wire_messages

# What framing adds around each message and passage, counted generously.
MESSAGE_OVERHEAD = 8
TRUNCATION_MARK = " …"
# Below this many tokens a shortened message says too little to be worth sending.
MIN_SHORTENED_MESSAGE = 48


def estimate_tokens(text: str) -> int:
    ascii_chars = sum(1 for ch in text if ch < "\x80")
    return (len(text) - ascii_chars) + (ascii_chars + 3) // 4


def load_system_prompt(prompts_dir: Path) -> str:
    return (prompts_dir / "system.md").read_text(encoding="utf-8").strip()


@dataclass(frozen=True, slots=True)
class Budget:
    context_tokens: int
    max_answer_tokens: int
    passages_per_turn: int = 3

    @property
    def answer_tokens(self) -> int:
        """Room kept for the answer: at most a quarter of the window."""
        return min(self.max_answer_tokens, self.context_tokens // 4)


class PromptTooLarge(ValueError):
    """Our own instructions do not fit the configured window."""


def check_budget(system: str, budget: Budget) -> None:
    """Fail at start-up, not in a learner's turn, when the window is too small."""
    needed = estimate_tokens(system) + budget.answer_tokens + 256
    if needed > budget.context_tokens:
        raise PromptTooLarge(
            f"TUTOR_CONTEXT_TOKENS={budget.context_tokens} is too small: the system prompt and "
            f"the answer alone need about {needed} tokens"
        )


def build_request(
    *,
    system: str,
    plan: TurnPlan,
    history: Sequence[ChatMessage],
    question: str,
    budget: Budget,
    pack: LessonPack | None = None,
) -> ChatRequest:
    """The request for this turn, trimmed to the budget.

    An over-long question keeps its first half of the room; the passages go
    in by rank, leaving room for the exchange just before (a follow-up needs
    it most); older history fills what is left, newest first. What does not
    fit is dropped oldest first, and the latest exchange is shortened rather
    than dropped.
    """
    available = budget.context_tokens - budget.answer_tokens - estimate_tokens(system) - MESSAGE_OVERHEAD

    question_cost = estimate_tokens(frame_user_message(question, ()))
    question_room = max(available // 2, 64)
    if question_cost > question_room:
        question = _truncate(question, question_room - (question_cost - estimate_tokens(question)))
        question_cost = estimate_tokens(frame_user_message(question, ()))
    available -= question_cost

    # The exchange just before matters most for a follow-up: keep room for it.
    recent = sum(estimate_tokens(m.content) + MESSAGE_OVERHEAD for m in history[-2:])
    passage_room = available - min(recent, available // 3)

    passages: list[Passage] = []
    for hit in plan.hits[: budget.passages_per_turn]:
        passage = Passage(
            id=hit.passage.id,
            title=hit.passage.title.get(plan.language),
            text=hit.passage.text.get(plan.language).strip(),
        )
        cost = estimate_tokens(passage.title) + estimate_tokens(passage.text) + MESSAGE_OVERHEAD * 2
        if cost > passage_room:
            break
        passages.append(passage)
        passage_room -= cost
        available -= cost

    kept: list[ChatMessage] = []
    for message in reversed(history):
        cost = estimate_tokens(message.content) + MESSAGE_OVERHEAD
        if cost > available:
            if len(kept) < 2 and available >= MIN_SHORTENED_MESSAGE + MESSAGE_OVERHEAD:
                shortened = _truncate(message.content, available - MESSAGE_OVERHEAD)
                kept.append(ChatMessage(message.role, shortened))
                available -= estimate_tokens(shortened) + MESSAGE_OVERHEAD
                continue
            break
        kept.append(message)
        available -= cost
    kept.reverse()
    # A conversation the model sees should start with the learner.
    while kept and kept[0].role != "user":
        kept.pop(0)

    return ChatRequest(
        system=system,
        messages=(*kept, ChatMessage("user", question)),
        passages=tuple(passages),
        language=plan.language,
        max_output_tokens=budget.answer_tokens,
        hints=plan_hints(plan, pack) if pack is not None else {"intent": plan.intent, "activity": plan.activity,
                                                                 "suggestions": "\n".join(plan.suggestions)},
    )


def _truncate(text: str, tokens: int) -> str:
    tokens = max(tokens, 16)
    out: list[str] = []
    used = 0
    for ch in text:
        used_next = used + (1 if ch >= "\x80" else 0.25)
        if used_next > tokens - 2:
            break
        out.append(ch)
        used = used_next
    return "".join(out) + TRUNCATION_MARK


def request_tokens(request: ChatRequest) -> int:
    """The estimated size of a request as a vendor would receive it, answer room included."""
    total = estimate_tokens(request.system) + request.max_output_tokens
    for message in wire_messages(request):
        total += estimate_tokens(message.content) + MESSAGE_OVERHEAD
    return total
