"""One turn of the conversation, run apart from the connection that asked for it.

A turn is a task: it plans the answer, streams it from the provider chain
into an in-memory event log, and stores the outcome with an honest status.
Clients follow the log (and can come back to it with ``Last-Event-ID``), so a
dropped connection does not cost the learner the answer, and a stop request
cancels the upstream call at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tutor.config import Settings
from tutor.knowledge.planner import Earlier, plan_turn
from tutor.knowledge.retrieval import Retriever
from tutor.prompting import Budget, build_request, estimate_tokens, request_tokens
from tutor.providers.base import ChatMessage, ChatRequest, ProviderError, TextDelta, Usage
from tutor.providers.registry import ProviderChain, Served
from tutor.store import PastMessage, SessionRow, Store, TurnOutcome

log = logging.getLogger("tutor.turns")

# How many earlier messages a turn reads; the token budget trims further.
HISTORY_LIMIT = 24


@dataclass(frozen=True, slots=True)
class TurnEvent:
    seq: int
    name: str  # sources | delta | done | error
    data: dict[str, Any]


@dataclass
class LiveTurn:
    """The event log of one answer being written (or recently written)."""

    session_id: str
    message_id: str
    events: list[TurnEvent] = field(default_factory=list)
    done: bool = False
    finished_at: float | None = None
    task: asyncio.Task[None] | None = None
    stop_reason: str | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def emit(self, name: str, data: dict[str, Any]) -> None:
        self.events.append(TurnEvent(len(self.events), name, data))
        self._wake()

    def close(self) -> None:
        self.done = True
        self.finished_at = time.monotonic()
        self._wake()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def follow(self, after: int = -1, heartbeat: float | None = None) -> AsyncIterator[list[TurnEvent]]:
        """The events with a sequence number above ``after``, as they come, until the end.

        Each step yields every event waiting at that moment (a busy server sends
        them in one write), or an empty list after ``heartbeat`` quiet seconds so
        that a relay can keep its connection alive.
        """
        position = after + 1
        while True:
            if position < len(self.events):
                batch = self.events[position:]
                position += len(batch)
                yield batch
                continue
            if self.done:
                return
            try:
                async with asyncio.timeout(heartbeat):
                    await self._changed.wait()
            except TimeoutError:
                yield []

    def stop(self, reason: str) -> None:
        if not self.done and self.task is not None and self.stop_reason is None:
            self.stop_reason = reason
            self.task.cancel()

    async def wait(self) -> None:
        """Until the turn has ended and stored its outcome, however it ended."""
        if self.task is not None:
            await asyncio.wait([self.task])


class TurnHub:
    """The live (and recently finished) turns of this process."""

    def __init__(self, resume_window: float):
        self.resume_window = resume_window
        self._turns: dict[str, LiveTurn] = {}
        self._finished: deque[LiveTurn] = deque()  # in the order they finished

    def add(self, turn: LiveTurn) -> None:
        self._prune()
        self._turns[turn.message_id] = turn

    def get(self, message_id: str) -> LiveTurn | None:
        return self._turns.get(message_id)

    def running(self) -> list[LiveTurn]:
        return [t for t in self._turns.values() if not t.done]

    def finished(self, turn: LiveTurn) -> None:
        """Keep a finished turn for resuming until the window has passed."""
        self._finished.append(turn)

    def _prune(self) -> None:
        cutoff = time.monotonic() - self.resume_window
        while self._finished and (self._finished[0].finished_at or 0) < cutoff:
            self._turns.pop(self._finished.popleft().message_id, None)

    async def shutdown(self, grace: float) -> None:
        """Let answers in flight finish within ``grace`` seconds, then stop them (stored as interrupted)."""
        running = [t.task for t in self.running() if t.task is not None]
        if running:
            _, pending = await asyncio.wait(running, timeout=grace)
            for turn in self.running():
                turn.stop("server_shutdown")
            if pending:
                await asyncio.wait(pending, timeout=5)


class Tutor:
    """The turn service: everything between an accepted message and a stored answer."""

    def __init__(self, *, settings: Settings, store: Store, retriever: Retriever, chain: ProviderChain,
                 system_prompt: str):
        self.settings = settings
        self.store = store
        self.retriever = retriever
        self.chain = chain
        self.system_prompt = system_prompt
        self.hub = TurnHub(settings.resume_window)
        self.budget = Budget(settings.context_tokens, settings.max_answer_tokens, settings.passages_per_turn)

    async def start_turn(self, session: SessionRow, content: str) -> LiveTurn:
        """Store the learner's message, then start writing the answer in the background.

        Raises TurnInProgress or SessionFull before anything is stored.
        """
        lease = timedelta(seconds=self.settings.turn_lease)
        start = await self.store.begin_turn(
            session.id, content, lease=lease, history_limit=HISTORY_LIMIT,
            max_messages=self.settings.max_messages_per_session,
        )
        turn = LiveTurn(session_id=session.id, message_id=start.assistant_id)
        self.hub.add(turn)
        turn.task = asyncio.create_task(
            self._run(turn, content, start.history, start.covered), name=f"turn-{turn.message_id}"
        )
        return turn

    async def _run(self, turn: LiveTurn, content: str, history: list[PastMessage], covered: list[str]) -> None:
        draft = Draft()
        try:
            async with asyncio.timeout(self.settings.turn_timeout):
                past = [ChatMessage(m.role, m.content) for m in history  # type: ignore[arg-type]
                        if m.content and m.status in ("complete", "interrupted")]
                plan = plan_turn(self.retriever, content, past, covered, earlier_activities(history))
                draft.request = build_request(system=self.system_prompt, plan=plan, history=past,
                                              question=content, budget=self.budget, pack=self.retriever.pack)
                draft.activity, draft.quiz = plan.activity, plan.quiz
                draft.sources = [{"id": p.id, "title": p.title, "text": p.text} for p in draft.request.passages]
                draft.suggestions = list(plan.suggestions)
                turn.emit("sources", {"message_id": turn.message_id, "sources": draft.sources})
                async for event in self.chain.stream(draft.request):
                    if isinstance(event, TextDelta) and event.text:
                        draft.text.append(event.text)
                        turn.emit("delta", {"text": event.text})
                    elif isinstance(event, Usage):
                        draft.usage = event
                    elif isinstance(event, Served):
                        draft.served = event
        except asyncio.CancelledError:
            reason = turn.stop_reason or "cancelled"
            await self._end(turn, draft, "interrupted", (reason, _STOP_MESSAGES.get(reason, "The answer was stopped.")))
            raise
        except ProviderError as exc:
            log.warning("turn %s: provider %s failed: %s", turn.message_id, exc.provider or "?", exc.code)
            await self._end(turn, draft, draft.broken_status, (exc.code, _provider_message(exc)))
        except TimeoutError:
            await self._end(turn, draft, draft.broken_status,
                            ("turn_timeout", "The answer took too long and was stopped."))
        except Exception:
            log.exception("turn %s failed unexpectedly", turn.message_id)
            await self._end(turn, draft, draft.broken_status, ("internal_error", "Something went wrong on our side."))
        else:
            await self._end(turn, draft, "complete")

    async def _end(self, turn: LiveTurn, draft: "Draft", status: str, error: tuple[str, str] | None = None) -> None:
        """Store the outcome first, then tell the client: a `done` always means stored."""
        outcome = draft.outcome(status, error)
        try:
            # Shielded: a stop or shutdown must not cancel the write that records it.
            await asyncio.shield(self.store.finish_turn(turn.session_id, turn.message_id, outcome))
        except Exception:
            log.exception("turn %s: could not store the answer", turn.message_id)
            turn.emit("error", {"code": "storage_error", "message": "The answer could not be saved."})
            turn.close()
            self.hub.finished(turn)
            return
        if error is None:
            turn.emit("done", {
                "message_id": turn.message_id, "suggestions": outcome.suggestions,
                "usage": {"input_tokens": outcome.input_tokens or 0, "output_tokens": outcome.output_tokens or 0},
                "provider": outcome.provider, "model": outcome.model,
                "activity": outcome.activity, "quiz": public_quiz(outcome.activity, outcome.quiz),
            })
        else:
            turn.emit("error", {"code": error[0], "message": error[1], "message_id": turn.message_id})
        turn.close()
        self.hub.finished(turn)


@dataclass
class Draft:
    """What a turn has gathered so far, whatever way it ends."""

    text: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    served: Served | None = None
    usage: Usage | None = None
    request: ChatRequest | None = None
    activity: str | None = None
    quiz: dict[str, Any] | None = None

    @property
    def broken_status(self) -> str:
        """A failed turn is `interrupted` when some of the answer was written, else `failed`."""
        return "interrupted" if self.text else "failed"

    def outcome(self, status: str, error: tuple[str, str] | None) -> TurnOutcome:
        answer = "".join(self.text)
        usage = self.usage
        if usage is None and self.served is not None and self.request is not None:
            # The vendor reported none (some local servers): count as the budget does.
            usage = Usage(request_tokens(self.request) - self.request.max_output_tokens, estimate_tokens(answer))
        complete = status == "complete"
        return TurnOutcome(
            content=answer, status=status, sources=self.sources,
            suggestions=self.suggestions if complete else [],
            provider=self.served.provider if self.served else None,
            model=self.served.model if self.served else None,
            input_tokens=usage.input_tokens if usage else None,
            output_tokens=usage.output_tokens if usage else None,
            error_code=error[0] if error else None,
            covered=[source["id"] for source in self.sources] if complete else [],
            activity=self.activity if complete else None,
            quiz=self.quiz if complete else None,
        )


def earlier_activities(history: list[PastMessage]) -> Earlier:
    """The last answer's activity, the quiz it asked (if any, with its key) and
    every quiz question asked so far in the history a turn reads."""
    answers = [m for m in history if m.role == "assistant" and m.status == "complete"]
    last = answers[-1] if answers else None
    asked = tuple(m.quiz["question"] for m in answers if m.activity == "quiz" and m.quiz and "question" in m.quiz)
    pending = last.quiz if last is not None and last.activity == "quiz" else None
    topics = tuple(m.topic for m in answers if m.topic and m.activity not in ("quiz", "quiz_result"))
    return Earlier(activity=last.activity if last else None, pending_quiz=pending, asked_quizzes=asked, topics=topics)


def public_quiz(activity: str | None, quiz: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a client may see of a quiz: the question, or the verdict; never the key."""
    if not quiz:
        return None
    if activity == "quiz":
        return {"question": quiz.get("question", "")}
    if activity == "quiz_result":
        return {"correct": bool(quiz.get("correct"))}
    return None


_STOP_MESSAGES = {
    "stopped": "The answer was stopped at your request.",
    "client_disconnected": "The connection closed before the answer was finished.",
    "server_shutdown": "The service is restarting; please ask again in a moment.",
}


def _provider_message(exc: ProviderError) -> str:
    return {
        "provider_auth": "The AI service refused our credentials. Please tell the operator.",
        "provider_rate_limited": "The AI service is busy right now. Please try again in a moment.",
        "provider_unavailable": "The AI service is not answering right now. Please try again shortly.",
        "provider_bad_request": "The AI service could not handle this message.",
    }.get(exc.code, "The AI service failed.")
