"""`tutor chat`: the same tutor in a terminal, answers printed as they stream.

It runs the service's own turn logic in-process (no server needed) and keeps
the conversation in the configured database like any other session.
"""

from __future__ import annotations

import asyncio
import sys

from tutor.api.app import build_services
from tutor.budgets import BudgetExhausted
from tutor.config import Settings
from tutor.error_messages import error_message
from tutor.store import SessionFull, TurnInProgress, is_sqlite, migrate

GREETING = {
    "ko": "생성형 AI와 LLM에 대해 무엇이든 물어보세요. 끝내려면 /quit 을 입력하세요.",
    "en": "Ask me anything about generative AI and LLMs. Type /quit to leave.",
}


async def _read_line(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def run_chat(settings: Settings, *, language: str = "ko") -> None:
    services = build_services(settings)
    await asyncio.to_thread(migrate, services.store.engine)
    await services.store.recover_interrupted(everything=is_sqlite(settings.database_url))
    session, _token = await services.store.create_session(language)
    out = sys.stdout
    primary = services.tutor.chain.primary
    out.write(f"{GREETING[language]}  [{primary.name}: {primary.model}]\n")
    try:
        while True:
            line = await _read_line("\n> ")
            if line is None or line.strip() in ("/quit", "/exit", "/q"):
                break
            if not line.strip():
                continue
            try:
                turn = await services.tutor.start_turn(session, line.strip())
            except (TurnInProgress, SessionFull, BudgetExhausted) as exc:
                out.write(f"[{error_message(_refusal_key(exc), language)}]\n")
                continue
            answer = []
            events = (event async for batch in turn.follow() for event in batch)
            async for event in events:
                if event.name == "delta":
                    answer.append(event.data["text"])
                    out.write(event.data["text"])
                    out.flush()
                elif event.name == "done":
                    # A model's answer may already end with the suggestions; say each only once.
                    unsaid = [s for s in event.data["suggestions"] if s not in "".join(answer)]
                    if unsaid:
                        out.write("\n\n" + "\n".join(f"  · {s}" for s in unsaid) + "\n")
                elif event.name == "error":
                    out.write(f"\n[{event.data['message']}]\n")
    finally:
        await services.tutor.hub.shutdown(2)
        await services.tutor.chain.aclose()
        services.store.engine.dispose()


def _refusal_key(exc: Exception) -> str:
    """The message for a turn refused before it started."""
    if isinstance(exc, BudgetExhausted):
        return exc.key
    return "turn_in_progress" if isinstance(exc, TurnInProgress) else "session_full"
