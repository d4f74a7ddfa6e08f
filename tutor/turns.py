"""One turn of the conversation, run apart from the connection that asked for it.

A turn is a task: it plans the answer, streams it from the provider chain
into an event log (``tutor.live``), and stores the outcome with an honest status.
Clients follow the log (and can come back to it with ``Last-Event-ID``), so a
dropped connection does not cost the learner the answer, and a stop request
cancels the upstream call at once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tutor.config import Settings
from tutor.knowledge.planner import plan_turn
from tutor.knowledge.retrieval import Retriever
from tutor.live import LiveTurn, TurnEvent, TurnHub
from tutor.prompting import Budget, build_request, estimate_tokens, request_tokens
from tutor.providers.base import ChatMessage, ChatRequest, ProviderError, TextDelta, Usage
from tutor.providers.registry import ProviderChain, Served
from tutor.store import PastMessage, SessionRow, Store, TurnOutcome

log = logging.getLogger("tutor.turns")

__all__ = ["Draft", "LiveTurn", "TurnEvent", "TurnHub", "Tutor"]

# How many earlier messages a turn reads; the token budget trims further.
HISTORY_LIMIT = 24


class Tutor:
    """The turn service: everything between an accepted message and a stored answer."""

    def __init__(self, *, settings: Settings, store: Store, retriever: Retriever, chain: ProviderChain,
                 system_prompt: str, hub: TurnHub | None = None):
        self.settings = settings
        self.store = store
        self.retriever = retriever
        self.chain = chain
        self.system_prompt = system_prompt
        self.hub = hub or TurnHub(settings.resume_window)
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
                plan = plan_turn(self.retriever, content, past, covered)
                draft.request = build_request(system=self.system_prompt, plan=plan, history=past,
                                              question=content, budget=self.budget)
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
        )


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
