"""`tutor chat`: the same tutor in a terminal, answers rendered as they stream.

It runs the service's own turn logic in-process (no server needed) and keeps
the conversation in the configured database like any other session. Line
editing and history come from prompt_toolkit, Markdown rendering from rich.
Ctrl-C while an answer is written stops that answer (stored `interrupted`);
Ctrl-C or Ctrl-D at the prompt leaves. Logs go to a file, never between the
lines of the conversation.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from redis.exceptions import RedisError
from rich.console import Console
from rich.live import Live
from rich.markdown import Markdown

from tutor.api.app import build_services
from tutor.api.deps import Services
from tutor.budgets import BudgetExhausted
from tutor.config import PROJECT_ROOT, Settings
from tutor.error_messages import error_message
from tutor.knowledge.pack import PackError
from tutor.prompting import PromptTooLarge
from tutor.store import DatabaseUnusable, SessionFull, SessionRow, TurnInProgress, check_database, migrate
from tutor.store.leases import keep_leases, recover_at_start
from tutor.turns import LiveTurn

LOG_FILE = PROJECT_ROOT / "data" / "chat.log"

TEXT = {
    "ko": {
        "greeting": "생성형 AI와 LLM에 대해 무엇이든 물어보세요. 명령어는 /help, 끝내려면 /quit (또는 Ctrl-D).",
        "help": ("명령어:\n"
                 "  /help            이 도움말\n"
                 "  /new             새 대화 시작\n"
                 "  /sessions        이번에 연 대화 목록\n"
                 "  /resume N        N번 대화로 돌아가기\n"
                 "  /sources         마지막 답의 출처 보기\n"
                 "  /quit            끝내기 (Ctrl-D)\n"
                 "  숫자 (1, 2, …)   추천 질문 보내기\n"
                 "답을 쓰는 중에 Ctrl-C를 누르면 그 답을 멈춥니다. 기록: {log}"),
        "new": "새 대화를 시작했어요.",
        "current": "지금",
        "resumed": "{n}번 대화로 돌아왔어요.",
        "no_such_session": "그런 번호의 대화가 없어요. /sessions 로 목록을 보세요.",
        "no_sources": "아직 보여 드릴 출처가 없어요.",
        "sources": "마지막 답의 출처:",
        "unknown": "모르는 명령어예요: {command}. /help 로 목록을 보세요.",
        "busy": "앞의 답을 아직 쓰고 있어요. 잠시 후에 다시 보내 주세요.",
        "full": "이 대화가 너무 길어졌어요. /new 로 새 대화를 시작해 주세요.",
        "suggestions": "이어서 물어볼 만한 것 (숫자를 입력하면 보내요):",
        "sources_hint": "출처: /sources",
        "stopping": "멈추는 중…",
        "untitled": "(빈 대화)",
    },
    "en": {
        "greeting": "Ask me anything about generative AI and LLMs. Commands: /help; leave with /quit (or Ctrl-D).",
        "help": ("Commands:\n"
                 "  /help            this help\n"
                 "  /new             start a new conversation\n"
                 "  /sessions        the conversations opened here\n"
                 "  /resume N        go back to conversation N\n"
                 "  /sources         the sources of the last answer\n"
                 "  /quit            leave (Ctrl-D)\n"
                 "  a digit (1, 2…)  send that suggested question\n"
                 "Ctrl-C while an answer is written stops it. Log: {log}"),
        "new": "A new conversation has started.",
        "current": "now",
        "resumed": "Back to conversation {n}.",
        "no_such_session": "There is no conversation with that number; /sessions lists them.",
        "no_sources": "No sources to show yet.",
        "sources": "Sources of the last answer:",
        "unknown": "Unknown command: {command}. /help lists them.",
        "busy": "The previous answer is still being written. Please send again in a moment.",
        "full": "This conversation has grown too long. Please start a new one with /new.",
        "suggestions": "You could ask next (type its number to send it):",
        "sources_hint": "Sources: /sources",
        "stopping": "stopping…",
        "untitled": "(empty)",
    },
}
QUIT = {"/quit", "/exit", "/q"}


class ChatUnavailable(Exception):
    """The chat cannot start (for example, the database cannot be used)."""


@dataclass
class Conversation:
    """A session opened in this terminal, with what the last answer offered."""

    session: SessionRow
    first_question: str = ""
    suggestions: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


class LineReader:
    """Lines from the person: prompt_toolkit on a terminal, plain lines from a pipe.

    Returns None when the person leaves (Ctrl-D, Ctrl-C at the prompt, end of input).
    """

    def __init__(self) -> None:
        self._session = None
        if sys.stdin.isatty() and sys.stdout.isatty():
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import InMemoryHistory

            self._session = PromptSession(history=InMemoryHistory())

    async def read(self) -> str | None:
        if self._session is None:
            line = await asyncio.to_thread(sys.stdin.readline)
            return line.rstrip("\n") if line else None
        try:
            return await self._session.prompt_async("> ")
        except (EOFError, KeyboardInterrupt):
            return None


class Chat:
    def __init__(self, services: Services, language: str, console: Console):
        self.services = services
        self.language = language
        self.text = TEXT[language]
        self.console = console
        self.conversations: list[Conversation] = []
        self.current: Conversation | None = None

    async def new_conversation(self) -> None:
        session, _token = await self.services.store.create_session(self.language)
        self.current = Conversation(session)
        self.conversations.append(self.current)

    def say(self, message: str, style: str = "dim") -> None:
        self.console.print(message, style=style, markup=False, highlight=False)

    async def handle(self, line: str) -> bool:
        """Act on one line; False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        assert self.current is not None
        if line.isdigit() and self.current.suggestions:
            number = int(line)
            if 1 <= number <= len(self.current.suggestions):
                line = self.current.suggestions[number - 1]
                self.say(f"> {line}", style="bold")
        if line.startswith("/"):
            return await self.command(line)
        await self.ask(line)
        return True

    async def command(self, line: str) -> bool:
        name, _, argument = line.partition(" ")
        name = name.lower()
        if name in QUIT:
            return False
        if name in ("/help", "/?"):
            self.say(self.text["help"].format(log=LOG_FILE), style="")
        elif name == "/new":
            await self.new_conversation()
            self.say(self.text["new"])
        elif name == "/sessions":
            for number, conversation in enumerate(self.conversations, 1):
                mark = f"  ← {self.text['current']}" if conversation is self.current else ""
                self.say(f"  {number}. {conversation.first_question or self.text['untitled']}{mark}", style="")
        elif name == "/resume":
            chosen = int(argument) if argument.strip().isdigit() else 0
            if 1 <= chosen <= len(self.conversations):
                self.current = self.conversations[chosen - 1]
                self.say(self.text["resumed"].format(n=chosen))
            else:
                self.say(self.text["no_such_session"])
        elif name == "/sources":
            self.show_sources()
        else:
            self.say(self.text["unknown"].format(command=name))
        return True

    def show_sources(self) -> None:
        sources = self.current.sources if self.current else []
        if not sources:
            self.say(self.text["no_sources"])
            return
        self.say(self.text["sources"], style="bold")
        for source in sources:
            self.say(f"  · {source['title']}  [{source['id']}]", style="")
            self.say(f"    {source['text']}")

    async def ask(self, question: str) -> None:
        conversation = self.current
        assert conversation is not None
        loop = asyncio.get_running_loop()
        turn: LiveTurn | None = None
        stop_asked = False

        def stop() -> None:
            # Ctrl-C while the answer is written (the terminal is not in prompt mode then).
            nonlocal stop_asked
            stop_asked = True
            self.say(self.text["stopping"])
            if turn is not None:
                turn.stop("stopped")

        loop.add_signal_handler(signal.SIGINT, stop)
        try:
            turn = await self.services.tutor.start_turn(conversation.session, question)
        except TurnInProgress:
            self.say(self.text["busy"])
        except SessionFull:
            self.say(self.text["full"])
        except BudgetExhausted as exc:
            self.say(error_message(exc.key, conversation.session.language), style="yellow")
        else:
            if stop_asked:
                turn.stop("stopped")
            conversation.first_question = conversation.first_question or question
            conversation.suggestions = []
            await self.show_answer(conversation, turn)
        finally:
            loop.remove_signal_handler(signal.SIGINT)

    async def show_answer(self, conversation: Conversation, turn: LiveTurn) -> None:
        answer = AnswerView(self.console)
        error: str | None = None
        done: dict[str, Any] | None = None
        with Live(Markdown(""), console=self.console, refresh_per_second=8,
                  vertical_overflow="visible") as live:
            async for batch in turn.follow():
                for event in batch:
                    if event.name == "sources":
                        conversation.sources = event.data["sources"]
                    elif event.name == "delta":
                        answer.add(event.data["text"])
                    elif event.name == "done":
                        done = event.data
                    elif event.name == "error":
                        error = event.data["message"]
                live.update(answer.unsettled())
            if done is not None:
                conversation.suggestions = list(done.get("suggestions", []))
                live.update(answer.unsettled(without=conversation.suggestions))
        if error:
            self.say(error, style="yellow")
        if conversation.suggestions:
            self.say(self.text["suggestions"])
            for number, suggestion in enumerate(conversation.suggestions, 1):
                self.say(f"  {number}. {suggestion}", style="cyan")
        if done is not None and conversation.sources:
            self.say(self.text["sources_hint"])


class AnswerView:
    """An answer rendered as Markdown while it streams.

    Finished paragraphs are printed for good, all but the last two, which stay in
    the live area: a live area taller than the terminal would be printed again at
    every refresh, and the last two may still turn out to be the answer's own list
    of suggestions, which the numbered list below replaces.
    """

    def __init__(self, console: Console):
        self.console = console
        self.parts: list[str] = []
        self.printed = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        whole = "".join(self.parts)
        cut = whole.rfind("\n\n", 0, max(whole.rfind("\n\n"), 0))
        if cut > self.printed:
            self.console.print(Markdown(whole[self.printed:cut]))
            self.console.print()
            self.printed = cut + 2

    def unsettled(self, without: list[str] | None = None) -> Markdown:
        rest = "".join(self.parts)[self.printed:]
        if without:
            rest = without_suggestion_list(rest, without)
        return Markdown(_close_emphasis(rest))


def _close_emphasis(text: str) -> str:
    """Mid-stream, a bold opened but not yet closed would show its raw ``**``: hold it back."""
    if text.count("**") % 2:
        head, _, tail = text.rpartition("**")
        text = head + tail
    return text[:-1] if text.endswith("*") and not text.endswith("**") else text


_ITEM = re.compile(r"^\s*[-*]\s+")
_BOLD_LINE = re.compile(r"^\*\*[^*]+\*\*:?$")


def without_suggestion_list(text: str, suggestions: list[str]) -> str:
    """The answer without its own closing list of the suggestions (and that list's bold title)."""
    wanted = {s.strip() for s in suggestions}
    lines = text.rstrip().split("\n")
    end = len(lines)
    while end > 0 and _ITEM.match(lines[end - 1]) and _ITEM.sub("", lines[end - 1]).strip() in wanted:
        end -= 1
    if end == len(lines):
        return text
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    if end > 0 and _BOLD_LINE.match(lines[end - 1].strip()):
        end -= 1
    return "\n".join(lines[:end])


def _log_to_file() -> None:
    """Logs go to a file: a warning printed mid-answer would tear the conversation apart."""
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(LOG_FILE, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


async def _chat(settings: Settings, language: str, console: Console) -> None:
    try:
        services = build_services(settings)
        await asyncio.to_thread(check_database, services.store.engine)
    except (DatabaseUnusable, PackError, PromptTooLarge, FileNotFoundError) as exc:
        raise ChatUnavailable(str(exc)) from None
    await asyncio.to_thread(migrate, services.store.engine)
    await recover_at_start(services.store, services.tutor.hub.shared_text)
    hub = services.tutor.hub
    # With Redis, the hub listens for stop requests from the service's processes, as a server's does.
    try:
        await hub.start()
    except RedisError as exc:
        raise ChatUnavailable(f"cannot use Redis at TUTOR_REDIS_URL: {exc}") from None
    leases = asyncio.create_task(keep_leases(
        services.store, lambda: [t.message_id for t in hub.running()], timedelta(seconds=settings.turn_lease),
        hub.shared_text))
    chat = Chat(services, language, console)
    try:
        await chat.new_conversation()
        primary = services.tutor.chain.primary
        for note in settings.ignored():
            chat.say(note, style="yellow")
        chat.say(f"{TEXT[language]['greeting']}  [{primary.name}: {primary.model}]", style="bold")
        reader = LineReader()
        while True:
            line = await reader.read()
            if line is None or not await chat.handle(line):
                break
    finally:
        leases.cancel()
        await hub.shutdown(2)
        await hub.aclose()
        if services.redis is not None:
            await services.redis.aclose()
        await services.tutor.chain.aclose()
        services.store.dispose()


def run_chat(settings: Settings, *, language: str = "ko") -> int:
    """The conversation, until the person leaves; the process's exit code."""
    _log_to_file()
    console = Console(highlight=False)
    try:
        asyncio.run(_chat(settings, language, console))
    except KeyboardInterrupt:  # Ctrl-C between a prompt and an answer: leave quietly
        pass
    console.print()
    return 0
