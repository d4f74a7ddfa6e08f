"""In-process timings of the performance bench: retrieval, prompt building and the store's steps.

Run in a child process (``perf.py --in-process``), so that a slow lesson pack
cannot hang the bench.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from perf_load import ANSWER, QUESTIONS, _r, summary_ms


def time_in_process(prompts_dir: Path, calls: int, deadline_s: float, store_calls: int = 0) -> dict[str, Any]:
    """Retrieval per query and prompt building per turn, as the service does them, on one pack."""
    from tutor.config import Settings
    from tutor.knowledge.pack import load_pack
    from tutor.knowledge.planner import plan_turn
    from tutor.knowledge.retrieval import Retriever
    from tutor.prompting import Budget, build_request, load_system_prompt
    from tutor.providers.base import ChatMessage

    started = time.perf_counter()
    pack = load_pack(prompts_dir / "lessons")
    loaded = time.perf_counter()
    retriever = Retriever(pack)
    indexed = time.perf_counter()
    system = load_system_prompt(prompts_dir)
    defaults = Settings(_env_file=None, provider="offline")
    budget = Budget(defaults.context_tokens, defaults.max_answer_tokens, defaults.passages_per_turn)
    history = [ChatMessage("user", QUESTIONS[0]), ChatMessage("assistant", ANSWER)] * 12
    t0 = time.perf_counter()
    plan_turn(retriever, QUESTIONS[0], history[-4:], [])  # the first turn pays for any lazy set-up
    first_plan = time.perf_counter() - t0
    retrieval: list[float] = []
    planning: list[float] = []
    building: list[float] = []
    deadline = time.perf_counter() + deadline_s
    for index in range(calls):
        if time.perf_counter() > deadline:
            break
        question = QUESTIONS[index % len(QUESTIONS)]
        t0 = time.perf_counter()
        retriever.search(question, history[-4:])
        t1 = time.perf_counter()
        plan = plan_turn(retriever, question, history[-4:], [])
        t2 = time.perf_counter()
        build_request(system=system, plan=plan, history=history, question=question, budget=budget)
        t3 = time.perf_counter()
        retrieval.append(t1 - t0)
        planning.append(t2 - t1)
        building.append(t3 - t2)
    result: dict[str, Any] = {
        "passages": len(pack.passages), "load_pack_ms": _r((loaded - started) * 1000),
        "index_build_ms": _r((indexed - loaded) * 1000), "first_plan_turn_ms": _r(first_plan * 1000),
        "calls": len(retrieval), "retrieval_ms": summary_ms(retrieval), "plan_turn_ms": summary_ms(planning),
        "build_request_ms": summary_ms(building),
    }
    if store_calls:
        result["store_ms"] = asyncio.run(time_store(store_calls, deadline_s))
    return result


async def time_store(calls: int, deadline_s: float) -> dict[str, Any]:
    """The store's three steps of a turn, one at a time, on a fresh SQLite file (no contention)."""
    from datetime import timedelta

    from tutor.store import Store, TurnOutcome, make_engine, migrate

    directory = Path(tempfile.mkdtemp(prefix="tutor-bench-store-"))
    engine = make_engine(f"sqlite:///{directory / 'store.db'}")
    try:
        migrate(engine)
        store = Store(engine)
        row, token = await store.create_session("ko")
        sources = [{"id": "transformer.paper", "title": "트랜스포머", "text": ANSWER}] * 3
        timings: dict[str, list[float]] = {"authenticate": [], "begin_turn": [], "finish_turn": []}
        deadline = time.perf_counter() + deadline_s
        for _ in range(calls):
            if time.perf_counter() > deadline:
                break
            t0 = time.perf_counter()
            await store.authenticate(row.id, token)
            t1 = time.perf_counter()
            start = await store.begin_turn(row.id, QUESTIONS[0], lease=timedelta(seconds=60), history_limit=24,
                                           max_messages=1_000_000)
            t2 = time.perf_counter()
            await store.finish_turn(row.id, start.assistant_id, TurnOutcome(
                content=ANSWER, status="complete", sources=sources, suggestions=list(QUESTIONS[:3]),
                provider="openai", model="gpt-fake", input_tokens=800, output_tokens=50, covered=["transformer.paper"]))
            t3 = time.perf_counter()
            timings["authenticate"].append(t1 - t0)
            timings["begin_turn"].append(t2 - t1)
            timings["finish_turn"].append(t3 - t2)
        return {name: summary_ms(values) for name, values in timings.items()}
    finally:
        engine.dispose()
        shutil.rmtree(directory, ignore_errors=True)
