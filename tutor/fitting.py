"""Fitting each turn's request into the window of the model that will read it.

The window comes from the provider (large for hosted models, reported by a
local server where it tells) capped by TUTOR_CONTEXT_TOKENS when set; the
grounding (whole document or passages) follows from it; tokens are counted
by the model's own ``TokenCounter``, checked with the server's tokenizer
where it offers one, and relearned from every answer's reported prompt size.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from tutor.config import Settings
from tutor.knowledge.pack import LessonPack
from tutor.knowledge.turn_plan import TurnPlan
from tutor.prompting import Budget, build_request, choose_grounding, lesson_document, prompt_texts
from tutor.providers.base import ChatMessage, ChatRequest, Passage, Provider, Usage
from tutor.tokens import HOSTED, MESSAGE_OVERHEAD, UNKNOWN, TokenCounter

log = logging.getLogger("tutor.fitting")

# After a model refused a prompt as too long, count this much more generously,
# and send at most this share of what was refused.
OVERFLOW_GROWTH = 1.3
RETRY_SHARE = 0.7
# Rebuilds when the server's tokenizer finds a request larger than counted.
MAX_REFITS = 2


@dataclasses.dataclass
class FittedTurn:
    """One turn's request, and what is needed to rebuild it smaller."""

    fitter: "PromptFitter"
    request: ChatRequest
    plan: TurnPlan
    history: Sequence[ChatMessage]
    question: str
    summary: str
    grounding: str
    # The window this turn may use; lowered when the model refused a prompt as too long.
    window: int = 0

    def shrink(self, _refused: ChatRequest) -> ChatRequest | None:
        """A smaller request after the model found this one too long (None if it cannot shrink)."""
        refused_tokens = self.fitter.count(self.request)
        self.fitter.counter.grow(OVERFLOW_GROWTH)
        self.window = min(self.window, int(refused_tokens * RETRY_SHARE) + self.request.max_output_tokens)
        if self.grounding == "document":
            self.grounding = choose_grounding("auto", self.request.document, self.window, self.fitter.counter)
        smaller = self.fitter.rebuild(self)
        if smaller == self.request:
            return None
        self.request = smaller
        return smaller

    @property
    def dropped(self) -> int:
        """How many earlier messages did not fit (the oldest ones)."""
        return len(self.history) - (len(self.request.messages) - 1)


class PromptFitter:
    def __init__(self, settings: Settings, provider: Provider, pack: LessonPack, system: str, document_guide: str):
        self.settings = settings
        self.provider = provider
        self.pack = pack
        self.system = system
        self.document_system = f"{system}\n\n{document_guide}" if document_guide else system
        self.counter = TokenCounter(UNKNOWN if getattr(provider, "local", False) else HOSTED)
        self._window: int | None = None
        self._documents: dict[str, tuple[Passage, ...]] = {}

    def document(self, language: str) -> tuple[Passage, ...]:
        """The whole lesson in ``language``, built once per language (hashing the pack
        to look it up in a cache cost more than a turn's own prompt building)."""
        document = self._documents.get(language)
        if document is None:
            document = self._documents[language] = lesson_document(self.pack, language)
        return document

    async def window(self) -> int:
        """The primary model's window, found once: the provider's, capped by the configured value."""
        if self._window is None:
            reported = None
            find = getattr(self.provider, "context_window", None)
            if find is not None:
                reported = await find()
            configured = self.settings.context_tokens
            if reported and self.settings.context_tokens_configured:
                window = min(reported, configured)
            else:
                window = reported or configured
            self._window = window
            log.info("%s: a window of %d tokens (%s)", self.provider.name, window,
                     "reported" if reported and window == reported else "configured")
        return self._window

    def count(self, request: ChatRequest) -> int:
        return self.counter.count_messages(prompt_texts(request))

    async def fit(self, plan: TurnPlan, history: Sequence[ChatMessage], question: str, summary: str) -> FittedTurn:
        window = await self.window()
        document = self.document(plan.language)
        grounding = choose_grounding(self.settings.grounding, document, window, self.counter)
        # The offline tutor composes from passages: the whole lesson would be wasted on it.
        if not getattr(self.provider, "judges_scope", False):
            grounding = "passages"
        turn = FittedTurn(self, ChatRequest(system="", messages=()), plan, history, question, summary, grounding,
                          window)
        turn.request = self.rebuild(turn)
        for _ in range(MAX_REFITS):
            real = await self._server_count(turn.request)
            if real is None:
                break
            self.counter.learn(prompt_texts(turn.request), real)
            if real + turn.request.max_output_tokens <= window:
                break
            turn.request = self.rebuild(turn)
        return turn

    def rebuild(self, turn: FittedTurn) -> ChatRequest:
        budget = Budget(turn.window, self.settings.max_answer_tokens, self.settings.passages_per_turn)
        whole = turn.grounding == "document"
        return build_request(
            system=self.document_system if whole else self.system, plan=turn.plan, history=turn.history,
            question=turn.question, budget=budget, counter=self.counter,
            document=self.document(turn.plan.language) if whole else (),
            summary=turn.summary, judges_scope=bool(getattr(self.provider, "judges_scope", False)),
            pack=self.pack,
        )

    async def _server_count(self, request: ChatRequest) -> int | None:
        """The request's size by the server's own tokenizer (plus the chat template's markers).

        Asked only of a provider that may answer: framing the request to count it cost as
        much as building it, on every turn, for providers that never count."""
        count_tokens = getattr(self.provider, "count_tokens", None)
        if count_tokens is None or not getattr(self.provider, "counts_tokens", True):
            return None
        texts = prompt_texts(request)
        counted = await count_tokens("\n".join(texts))
        return None if counted is None else counted + MESSAGE_OVERHEAD * len(texts)

    def observe(self, request: ChatRequest, usage: Usage) -> None:
        """Relearn the counter from the prompt size the model reported for ``request``."""
        if usage.input_tokens > 0:
            self.counter.learn(prompt_texts(request), usage.input_tokens)
