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
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tutor import metrics
from tutor.budgets import Budgets
from tutor.config import Settings
from tutor.error_messages import error_message
from tutor.fitting import FittedTurn, PromptFitter
from tutor.knowledge.planner import Earlier, plan_turn
from tutor.knowledge.retrieval import Retriever
from tutor.knowledge.text import detect_language
from tutor.live import LiveTurn, TurnEvent, TurnHub
from tutor.prices import PriceTable, price_table, usage_report
from tutor.prompting import estimate_tokens, request_tokens
from tutor.providers.base import ChatMessage, ChatRequest, ProviderError, TextDelta, Usage
from tutor.providers.registry import ProviderChain, Served
from tutor.store import PastMessage, SessionRow, Store, TurnOutcome
from tutor.store.repository import new_id
from tutor.summary import clean_model_summary, extractive_summary, summary_request
from tutor.tokens import TokenCounter

log = logging.getLogger("tutor.turns")

__all__ = ["Conversation", "Draft", "LiveTurn", "TurnEvent", "TurnHub", "Tutor"]

# How many earlier messages a turn reads; the token budget trims further.
HISTORY_LIMIT = 24
# How long a starting turn waits at most for the turns that started before it, and behind how
# many at most (``StartGate``).
START_WAIT = 0.05
START_QUEUE = 4
# With this many turns running in the process, turns start side by side as without the gate:
# its hand-overs cost a busy process more CPU than the earlier first tokens are worth.
START_BUSY = 16
# How long the model may take to write a rolling summary before the extractive one is used.
SUMMARY_TIMEOUT = 120.0


class Tutor:
    """The turn service: everything between an accepted message and a stored answer."""

    def __init__(self, *, settings: Settings, store: Store, retriever: Retriever, chain: ProviderChain,
                 system_prompt: str, document_guide: str = "", hub: TurnHub | None = None):
        self.settings = settings
        self.store = store
        self.retriever = retriever
        self.chain = chain
        self.system_prompt = system_prompt
        self.hub = hub or TurnHub(settings.resume_window)
        self.fitter = PromptFitter(settings, chain.primary, retriever.pack, system_prompt, document_guide)
        self.prices: PriceTable = price_table(settings)
        self.budgets = Budgets.from_settings(settings)
        for provider in chain.providers:
            if self.budgets.costs_matter and self.prices.price(provider.name, provider.model) is None:
                log.warning("a cost budget is set but %s model %s has no price (set TUTOR_PRICES); "
                            "only token budgets limit its answers", provider.name, provider.model)
        # Rolling summaries being written, by session: at most one at a time each.
        self.summaries: dict[str, asyncio.Task[None]] = {}
        # Turns starting at once take their way to the model one after another (see ``StartGate``).
        self.starting = StartGate()

    async def stop_summaries(self) -> None:
        """At shutdown: summaries still being written are dropped (the next turn writes them again)."""
        for task in list(self.summaries.values()):
            task.cancel()
        if self.summaries:
            await asyncio.wait(list(self.summaries.values()), timeout=5)

    async def start_turn(self, session: SessionRow, content: str) -> LiveTurn:
        """Store the learner's message, then start writing the answer in the background.

        Raises BudgetExhausted, TurnInProgress or SessionFull before anything is stored.
        """
        await self.budgets.check(self.store, session.id)
        lease = timedelta(seconds=self.settings.turn_lease)
        # On the event loop (SQLite), storing the message is part of the way to the model; in a
        # thread (PostgreSQL), turns store theirs side by side and take their turn after.
        entry = await self.starting.enter() if self.store.turns_on_loop else None
        try:
            start = await self.store.begin_turn(
                session.id, content, lease=lease, history_limit=HISTORY_LIMIT,
                max_messages=self.settings.max_messages_per_session,
            )
            entry = entry or await self.starting.enter()
            kept = [m for m in start.history if m.content and m.status in ("complete", "interrupted")]
            conversation = Conversation(
                question=content, past=[ChatMessage(m.role, m.content) for m in kept],  # type: ignore[arg-type]
                covered=start.covered, earlier=earlier_activities(start.history), summary=start.summary,
                stored=kept)
            turn = LiveTurn(session_id=session.id, message_id=start.assistant_id, language=session.language)
            self.hub.add(turn)
            turn.task = entry.task(self._run(turn, conversation, entry), name=f"turn-{turn.message_id}")
        except BaseException:
            if entry is not None:
                entry.leave()
            raise
        await request_goes_first()
        return turn

    async def start_detached_turn(self, conversation: "Conversation") -> LiveTurn:
        """Answer a conversation the client keeps (the OpenAI-compatible endpoint): the same
        pipeline as a session turn, in an event log of its own, with nothing of it stored.

        Raises BudgetExhausted when the service's daily budget is used up.
        """
        await self.budgets.check(self.store, None)
        turn = LiveTurn(session_id="", message_id=new_id(), language=conversation.language)
        entry = await self.starting.enter()
        turn.task = entry.task(self._run(turn, conversation, entry), name=f"turn-{turn.message_id}")
        await request_goes_first()
        return turn

    async def _run(self, turn: LiveTurn, conversation: "Conversation", entry: "StartEntry | None" = None) -> None:
        """Plan, fit and stream one answer into the turn's event log, then end it honestly."""
        draft = Draft(keep=conversation if not turn.session_id and self.settings.chat_completions_store else None)
        try:
            async with asyncio.timeout(self.settings.turn_timeout):
                plan = plan_turn(self.retriever, conversation.question, conversation.past, conversation.covered,
                                 conversation.earlier)
                fitted = await self.fitter.fit(plan, conversation.past, conversation.question, conversation.summary)
                draft.request, draft.counter = fitted.request, self.fitter.counter
                draft.activity, draft.quiz = plan.activity, plan.quiz
                draft.sources = [{"id": p.id, "title": p.title, "text": p.text} for p in draft.request.passages]
                draft.suggestions = list(plan.suggestions)
                turn.emit("sources", {"message_id": turn.message_id, "sources": draft.sources})
                # The request goes out in this step; the next turn's own step comes after it. The gate
                # is left on the next pass of the loop, so that the next turn wakes one pass later
                # still, after the HTTP client's write of this request (see ``request_goes_first``).
                if entry is not None:
                    asyncio.get_running_loop().call_soon(entry.leave)
                await self.chain.answer(draft.request, AnswerWriter(turn, draft, fitted.request,
                                                                    self.settings.max_answer_chars),
                                        shrink=fitted.shrink)
        except asyncio.CancelledError:
            await self._end(turn, draft, "interrupted", turn.stop_reason or "cancelled")
            raise
        except ProviderError as exc:
            log.warning("turn %s: provider %s failed: %s (%s)", turn.message_id, exc.provider or "?", exc.code, exc)
            await self._end(turn, draft, draft.broken_status, exc.code)
        except TimeoutError:
            await self._end(turn, draft, draft.broken_status, "turn_timeout")
        except AnswerTooLong:
            await self._end(turn, draft, "interrupted", "answer_too_long")
        except Exception:
            log.exception("turn %s failed unexpectedly", turn.message_id)
            await self._end(turn, draft, draft.broken_status, "internal_error")
        else:
            await self._end(turn, draft, "complete")
            self._after_answer(turn.session_id, fitted, conversation, draft)

    def _after_answer(self, session_id: str, fitted: FittedTurn, conversation: "Conversation",
                      draft: "Draft") -> None:
        """Learn the model's token count from its answer; fold a stored session's turns that no
        longer fit into its summary."""
        if draft.served is not None and draft.served.provider == self.chain.primary.name and draft.usage:
            self.fitter.observe(fitted.request, draft.usage)
        kept, summary = conversation.stored, conversation.summary
        if session_id and fitted.dropped > 0 and session_id not in self.summaries:
            folded = kept[:fitted.dropped]
            upto_seq = kept[fitted.dropped].seq if fitted.dropped < len(kept) else folded[-1].seq + 1
            task = asyncio.create_task(self._summarize(session_id, summary, folded, upto_seq, fitted.plan.language))
            self.summaries[session_id] = task
            task.add_done_callback(lambda _: self.summaries.pop(session_id, None))

    async def _summarize(self, session_id: str, previous: str, folded: list[PastMessage], upto_seq: int,
                         language: str) -> None:
        """Write the rolling summary in the background: by the model, else extractively."""
        messages = [ChatMessage(m.role, m.content) for m in folded]  # type: ignore[arg-type]
        text = ""
        provider = self.chain.primary
        if getattr(provider, "judges_scope", False):
            window = await self.fitter.window()
            request = summary_request(previous, messages, language, max_tokens=max(window // 8, 64))
            try:
                async with asyncio.timeout(SUMMARY_TIMEOUT):
                    parts = [e.text async for e in provider.stream(request) if isinstance(e, TextDelta)]
                text = clean_model_summary("".join(parts))
            except (ProviderError, TimeoutError) as exc:
                log.warning("summary for session %s: the model failed (%s); summarising extractively",
                            session_id, getattr(exc, "code", "timeout"))
        if not text:
            text = extractive_summary(previous, messages, language)
        try:
            await self.store.save_summary(session_id, text, upto_seq)
        except Exception:
            log.exception("summary for session %s could not be stored", session_id)

    async def _end(self, turn: LiveTurn, draft: "Draft", status: str, error: str | None = None) -> None:
        """Store the outcome first, then tell the client: a `done` always means stored.

        A detached turn (no session) stores only its usage in the day's totals, for the budgets."""
        outcome = draft.outcome(status, error, self.prices)
        metrics.turn_finished(outcome, draft.started)
        log.info("turn %s ended %s%s (provider %s, %s input / %s output tokens, %.2f s)", turn.message_id, status,
                 f" ({error})" if error else "", outcome.provider or "none", outcome.input_tokens,
                 outcome.output_tokens, time.monotonic() - draft.started)
        try:
            # Shielded: a stop or shutdown must not cancel the write that records it.
            kept = None
            if turn.session_id:
                await asyncio.shield(self.store.finish_turn(turn.session_id, turn.message_id, outcome))
            elif draft.keep is not None:
                kept = await asyncio.shield(self._keep(turn, draft.keep, outcome))
            elif outcome.input_tokens is not None:
                await asyncio.shield(self.store.add_daily_usage(outcome))
        except Exception:
            log.exception("turn %s: could not store the answer", turn.message_id)
            turn.emit("error", {"code": "storage_error", "message": error_message("storage_error", turn.language)})
            self._close(turn)
            return
        if error is None:
            turn.emit("done", {
                "message_id": turn.message_id, "suggestions": outcome.suggestions,
                "usage": usage_report(outcome.input_tokens, outcome.output_tokens, outcome.cached_input_tokens,
                                      outcome.cache_write_input_tokens, outcome.cost_pico_usd),
                "provider": outcome.provider, "model": outcome.model,
                "activity": outcome.activity, "quiz": public_quiz(outcome.activity, outcome.quiz),
                **({"session": kept} if kept else {}),
            })
        else:
            turn.emit("error", {"code": error, "message": error_message(error, turn.language),
                                "message_id": turn.message_id})
        self._close(turn)

    async def _keep(self, turn: LiveTurn, conversation: "Conversation", outcome: TurnOutcome) -> dict[str, str]:
        """Store a detached turn's whole conversation as a new session (TUTOR_CHAT_COMPLETIONS_STORE)."""
        session_id, token = await self.store.record_conversation(
            turn.language, [(m.role, m.content) for m in conversation.past_all], conversation.question,
            conversation.covered, turn.message_id, outcome, self.settings.max_messages_per_session)
        return {"id": session_id, "token": token}

    def _close(self, turn: LiveTurn) -> None:
        turn.close()
        if turn.session_id:
            self.hub.finished(turn)


# How many passes of the event loop a turn's request to the model takes to be written, counted from
# the start of the step that makes it: that step itself, then the HTTP client's write. aiohttp
# (the SDKs' client here) writes a request's body in a task of its own, which on Python 3.11 runs
# only after everything that was ready before it: the learner's response headers, other turns.
REQUEST_PASSES = 2


async def request_goes_first() -> None:
    """Called right after a turn's task is made: the turn plans and writes its request to the model
    before the caller goes on (to answer its client with headers and sources, which the learner
    does not wait for, or to let the next turn through). A few microseconds when the loop is idle.

    Nothing is lost when the turn has to wait earlier (a new connection to the model, a lock): the
    caller then goes on while the turn waits."""
    for _ in range(REQUEST_PASSES):
        await asyncio.sleep(0)


class StartGate:
    """Turns that start at once go to the model one after another, each as far as its request.

    The event loop runs its ready work in turns: when several learners ask at the same moment,
    every request would store its message, then every turn would plan, then every turn would
    call the model, so that none reached the model before all had done all their work, and the
    first learner waited as long as the last. Through this gate, a turn is planned and its
    request sent before the next one starts: the k-th learner waits for k turns' work, not all.

    Each turn handed on costs the next one a pass of the loop, which is long when the process
    is busy: a turn waits behind at most ``START_QUEUE`` others and for at most ``START_WAIT``;
    beyond that, or with ``START_BUSY`` turns running, it goes on alongside them as it would
    without the gate.
    When nobody waits, entering does not yield to the loop: one learner waits for nothing.
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._waiting = 0
        self.running = 0  # turns of this process that have a task and have not ended

    async def enter(self) -> "StartEntry":
        if self.running >= START_BUSY:
            return StartEntry(None, self)
        if not self._lock.locked() and not self._waiting:
            await self._lock.acquire()  # returns at once
            return StartEntry(self._lock, self)
        if self._waiting >= START_QUEUE:
            return StartEntry(None, self)
        self._waiting += 1
        try:
            async with asyncio.timeout(START_WAIT):
                await self._lock.acquire()
        except TimeoutError:
            return StartEntry(None, self)
        finally:
            self._waiting -= 1
        return StartEntry(self._lock, self)


class StartEntry:
    """One turn's passage through the ``StartGate``: it leaves once, whichever way comes first."""

    __slots__ = ("_lock", "_gate")

    def __init__(self, lock: asyncio.Lock | None, gate: StartGate):
        self._lock, self._gate = lock, gate

    def leave(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def task(self, coro, name: str) -> asyncio.Task[None]:
        """The turn's task, which leaves the gate when it ends, however it ends (even cancelled
        before it started)."""
        task = asyncio.create_task(coro, name=name)
        self._gate.running += 1
        task.add_done_callback(self._ended)
        return task

    def _ended(self, _task: asyncio.Task[None]) -> None:
        self._gate.running -= 1
        self.leave()


@dataclass(frozen=True)
class Conversation:
    """What a turn knows before it answers: the question, the earlier messages it
    may send (oldest first), the passages covered so far, what earlier answers did
    besides teaching, and the summary of older turns.

    ``stored`` is a session's kept history with its positions, for folding old turns
    into the summary; a conversation the client keeps has none.
    """

    question: str
    past: list[ChatMessage]
    covered: list[str]
    earlier: Earlier
    summary: str = ""
    stored: list[PastMessage] = field(default_factory=list)
    # A client-kept conversation's whole history (``past`` is only what a turn may send).
    history: list[ChatMessage] = field(default_factory=list)

    @property
    def past_all(self) -> list[ChatMessage]:
        return self.history or self.past

    @property
    def language(self) -> str:
        """The language error messages speak: the question's."""
        return detect_language(self.question)


class AnswerWriter:
    """Takes the chain's events as they come: text into the draft and the event log
    (cut at TUTOR_MAX_ANSWER_CHARS), usage and who answered into the draft.

    Called once per streamed chunk, synchronously, so it awaits nothing.
    """

    def __init__(self, turn: LiveTurn, draft: "Draft", request: ChatRequest, room: int):
        self.turn, self.draft, self.request, self.room = turn, draft, request, room

    def __call__(self, event: Served | TextDelta | Usage | object) -> None:
        if isinstance(event, TextDelta):
            if not event.text:
                return
            text = event.text[:self.room]
            self.room -= len(text)
            if text:
                draft = self.draft
                if not draft.text:
                    metrics.first_token(draft.served, draft.started)
                draft.text.append(text)
                self.turn.emit("delta", {"text": text})
            if len(text) < len(event.text):
                raise AnswerTooLong
        elif isinstance(event, Usage):
            self.draft.usage = event
        elif isinstance(event, Served):
            self.draft.served = event
            self.draft.request = self.request


class AnswerTooLong(Exception):
    """The answer reached TUTOR_MAX_ANSWER_CHARS: it is cut there and stored as interrupted."""


@dataclass
class Draft:
    """What a turn has gathered so far, whatever way it ends."""

    text: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    served: Served | None = None
    usage: Usage | None = None
    request: ChatRequest | None = None
    counter: TokenCounter | None = None
    activity: str | None = None
    quiz: dict[str, Any] | None = None
    # A detached turn's conversation, when the operator keeps them (TUTOR_CHAT_COMPLETIONS_STORE).
    keep: "Conversation | None" = None
    # When the turn started (time.monotonic), for its time to first token and duration.
    started: float = field(default_factory=time.monotonic)

    @property
    def broken_status(self) -> str:
        """A failed turn is `interrupted` when some of the answer was written, else `failed`."""
        return "interrupted" if self.text else "failed"

    def outcome(self, status: str, error: str | None, prices: PriceTable) -> TurnOutcome:
        answer = "".join(self.text)
        usage = self.usage
        if usage is None and self.served is not None and self.request is not None:
            # The vendor reported none (some local servers): count as the budget does.
            counter = self.counter
            usage = Usage(request_tokens(self.request, counter) - self.request.max_output_tokens,
                          counter.count(answer) if counter else estimate_tokens(answer))
        complete = status == "complete"
        provider = self.served.provider if self.served else None
        model = self.served.model if self.served else None
        return TurnOutcome(
            content=answer, status=status, sources=self.sources,
            suggestions=self.suggestions if complete else [],
            provider=provider, model=model,
            input_tokens=usage.input_tokens if usage else None,
            output_tokens=usage.output_tokens if usage else None,
            cached_input_tokens=usage.cached_input_tokens if usage else None,
            cache_write_input_tokens=usage.cache_write_input_tokens if usage else None,
            cost_pico_usd=prices.cost(provider, model, usage),
            error_code=error,
            # A decline may cite the nearest passage ("the document does not say;
            # nearest is …"): that passage was pointed at, not taught.
            covered=[source["id"] for source in self.sources] if complete and self.activity != "decline" else [],
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
        verdict: dict[str, Any] = {"correct": bool(quiz.get("correct"))}
        if quiz.get("partly"):
            verdict["partly"] = True  # not wholly right, but part of the answer was there
        return verdict
    return None


