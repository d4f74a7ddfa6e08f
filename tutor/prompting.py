"""Turning a session's recent history and this turn's plan into a ChatRequest.

The whole request respects one token budget: our instructions, the lesson
(the whole document when it fits, else the passages retrieved for this
turn), a summary of older turns, the recent history and room for the answer.
Tokens are counted by the ``TokenCounter`` of the model that will read the
request (see tokens.py), so the request fits a small local model's window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from tutor.knowledge.pack import LessonPack, LessonPassage
from tutor.knowledge.turn_plan import TurnPlan, plan_hints
from tutor.providers.base import ChatMessage, ChatRequest, Passage
from tutor.providers.framing import document_block, fixed_prefix, frame_user_message, replayed, wire_messages
from tutor.tokens import HOSTED, MESSAGE_OVERHEAD, TokenCounter

Grounding = Literal["document", "passages"]
TRUNCATION_MARK = " …"
# Below this many tokens a shortened message says too little to be worth sending.
MIN_SHORTENED_MESSAGE = 48
# Whole-document grounding ("auto") when the lesson takes at most this share of the window.
DOCUMENT_SHARE = 0.5
# The planner's doubt, told to a model that judges for itself with the whole lesson before it.
SCOPE_HINT = ("(the lesson search matched nothing here: judge from the whole document whether it covers this "
              "message; if it does, answer from it; if not, say so kindly and offer what the lesson teaches)")

_DEFAULT_COUNTER = TokenCounter(HOSTED)


def estimate_tokens(text: str) -> int:
    """A hosted model's count: a token per non-ASCII character, four ASCII characters per token."""
    return _DEFAULT_COUNTER.count(text)


def load_system_prompt(prompts_dir: Path) -> str:
    return (prompts_dir / "system.md").read_text(encoding="utf-8").strip()


def load_document_guide(prompts_dir: Path) -> str:
    """What the instructions add when the whole lesson comes with them ("" when a prompts folder has none)."""
    path = prompts_dir / "document.md"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


@lru_cache(maxsize=8)
def lesson_document(pack: LessonPack, language: str) -> tuple[Passage, ...]:
    """Every passage of the lesson in ``language``, in teaching order, with the
    teaching aids a model can use (analogy, example, a common mix-up)."""
    return tuple(Passage(p.id, p.title.get(language), _teaching_text(p, language)) for p in pack.passages.values())


def _teaching_text(passage: LessonPassage, language: str) -> str:
    labels = {"ko": ("비유", "예시", "헷갈리기 쉬운 점"), "en": ("Analogy", "Example", "Common mix-up")}
    analogy, example, mixup = labels["en" if language == "en" else "ko"]
    parts = [passage.text.get(language).strip()]
    if passage.analogy:
        parts.append(f"{analogy}: {passage.analogy.get(language).strip()}")
    if passage.example:
        parts.append(f"{example}: {passage.example.get(language).strip()}")
    if passage.misconception:
        wrong, right = passage.misconception.wrong.get(language), passage.misconception.right.get(language)
        parts.append(f"{mixup}: '{wrong.strip()}' → {right.strip()}")
    return "\n".join(parts)


def choose_grounding(mode: str, document: tuple[Passage, ...], window: int, counter: TokenCounter) -> Grounding:
    """``document`` or ``passages`` for TUTOR_GROUNDING=auto|document|passages.

    auto takes the whole document when it needs at most half the window.
    """
    if mode in ("document", "passages"):
        return mode  # type: ignore[return-value]
    needed = counter.count(document_block(document)) + MESSAGE_OVERHEAD
    return "document" if needed <= window * DOCUMENT_SHARE else "passages"


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
    counter: TokenCounter | None = None,
    document: tuple[Passage, ...] = (),
    summary: str = "",
    judges_scope: bool = False,
    pack: LessonPack | None = None,
) -> ChatRequest:
    """The request for this turn, trimmed to the budget.

    With ``document`` (whole-document grounding) the lesson travels whole
    after the instructions and this turn's passages are only named; for a
    model that ``judges_scope`` the planner's "out of scope" becomes a hint.
    Without it, the retrieved passages travel in the last message.

    An over-long question keeps its first half of the room; the passages go
    in by rank, leaving room for the exchange just before (a follow-up needs
    it most); the summary of older turns and older history fill what is
    left, newest first. What does not fit is dropped oldest first, and the
    latest exchange is shortened rather than dropped.
    """
    count = (counter or _DEFAULT_COUNTER).count
    available = budget.context_tokens - budget.answer_tokens - count(system) - MESSAGE_OVERHEAD
    if document:
        available -= count(document_block(document)) + MESSAGE_OVERHEAD

    # The planner's note (a recap's list, a quiz's question) travels beside the question: count it too.
    hints = plan_hints(plan, pack) if pack is not None else {"intent": plan.intent, "activity": plan.activity,
                                                             "suggestions": "\n".join(plan.suggestions)}
    note = hints.get("activity_note", "")
    question_cost = count(frame_user_message(question, (), note))
    question_room = max(available // 2, 64)
    if question_cost > question_room:
        question = _truncate(question, question_room - (question_cost - count(question)), count)
        question_cost = count(frame_user_message(question, (), note))
    available -= question_cost

    # The exchange just before matters most for a follow-up: keep room for it.
    recent = sum(count(replayed(m).content) + MESSAGE_OVERHEAD for m in history[-2:])
    passage_room = available - min(recent, available // 3)

    passages: list[Passage] = []
    for hit in plan.hits[: budget.passages_per_turn]:
        passage = Passage(
            id=hit.passage.id,
            title=hit.passage.title.get(plan.language),
            text=hit.passage.text.get(plan.language).strip(),
        )
        # With the whole lesson in the prefix a passage costs only its id.
        cost = count(passage.id) + 2 if document else (
            count(passage.title) + count(passage.text) + MESSAGE_OVERHEAD * 2)
        if cost > passage_room:
            break
        passages.append(passage)
        passage_room -= cost
        available -= cost

    scope_hint = SCOPE_HINT if document and judges_scope and plan.intent == "out_of_scope" else ""
    available -= count(scope_hint)

    kept = _fit_history(history, available - (count(summary) + MESSAGE_OVERHEAD if summary else 0), count)
    # The history starts after what the summary covers, so the two never overlap.
    if summary:
        used = sum(count(replayed(m).content) + MESSAGE_OVERHEAD for m in kept)
        room = available - used - MESSAGE_OVERHEAD
        summary = summary if count(summary) <= room else (
            _truncate(summary, room, count) if room >= MIN_SHORTENED_MESSAGE else "")

    return ChatRequest(
        system=system,
        messages=(*kept, ChatMessage("user", question)),
        passages=tuple(passages),
        language=plan.language,
        max_output_tokens=budget.answer_tokens,
        # The planner's activity (quiz, recap, ...) and direct answer; with the
        # pack, also a note telling a model which activity this turn is.
        hints=hints,
        document=document,
        summary=summary,
        scope_hint=scope_hint,
    )


def _fit_history(history: Sequence[ChatMessage], available: int, count) -> list[ChatMessage]:
    """The newest messages that fit ``available`` tokens, starting with the learner."""
    kept: list[ChatMessage] = []
    for message in reversed(history):
        # An earlier turn costs what it is sent as: learner turns carry their framing.
        cost = count(replayed(message).content) + MESSAGE_OVERHEAD
        if cost > available:
            frame = cost - count(message.content)
            if len(kept) < 2 and available >= MIN_SHORTENED_MESSAGE + frame:
                shortened = ChatMessage(message.role, _truncate(message.content, available - frame, count))
                kept.append(shortened)
                available -= count(replayed(shortened).content) + MESSAGE_OVERHEAD
                continue
            break
        kept.append(message)
        available -= cost
    kept.reverse()
    # A conversation the model sees should start with the learner.
    while kept and kept[0].role != "user":
        kept.pop(0)
    return kept


def _truncate(text: str, tokens: int, count=estimate_tokens) -> str:
    """The longest start of ``text`` that counts at most ``tokens`` with its mark (binary search)."""
    tokens = max(tokens, 16)
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count(text[:middle]) <= tokens - 2:
            low = middle
        else:
            high = middle - 1
    return text[:low] + TRUNCATION_MARK


def prompt_texts(request: ChatRequest) -> list[str]:
    """The request as the texts a vendor receives, one per message (the fixed prefix first)."""
    return ["\n\n".join(fixed_prefix(request)), *(m.content for m in wire_messages(request))]


def request_tokens(request: ChatRequest, counter: TokenCounter | None = None) -> int:
    """The counted size of a request as a vendor would receive it, answer room included."""
    return (counter or _DEFAULT_COUNTER).count_messages(prompt_texts(request)) + request.max_output_tokens
