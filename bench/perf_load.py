"""The load generator of the performance bench: learners as a browser would be, on raw HTTP/1.1.

One keep-alive connection per learner, a small asyncio client (httpx costs
more CPU per streamed turn than the service is allowed, so it would measure
itself; see bench/README.md), one turn three ways (through the service,
straight to the fake model, through the ``openai`` SDK), and a level: many
learners at once, each taking turns, with percentiles and CPU per turn.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import statistics
import time
import tomllib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psutil

from perf_http import Conn, Reply, call_json
from perf_processes import ROOT, cpu_seconds, own_cpu

QUESTIONS = (
    "트랜스포머가 뭐예요?",
    "생성형 AI와 LLM은 뭐가 달라요?",
    "GAN은 어떻게 그림을 만들어요?",
    "ChatGPT는 언제 나왔어요?",
    "그럼 그 전에는 뭘 썼어요?",
    "어텐션을 더 쉽게 설명해 주세요",
    "What is a large language model?",
    "멀티모달이 무슨 뜻이에요?",
)
ANSWER = ("좋은 질문이에요. 트랜스포머는 2017년에 나온 구조로, 문장 속 모든 단어가 서로 어떤 관계인지 "
          "한꺼번에 살펴보는 '어텐션'이 핵심이에요. 덕분에 긴 글의 문맥도 잘 이해하게 되었답니다. ") * 2

CONVERSATIONS = ROOT / "bench" / "conversations"
LOADS = ("conversations", "fixed")


class Script:
    """What each learner says, turn after turn, in every column alike.

    ``fixed``: the eight ``QUESTIONS`` in turn (learner i's n-th turn of a level asks
    ``QUESTIONS[(i + n) % 8]``), the bench's load until issue 11's varied one: after the first
    rounds the planner meets only texts it has already read. ``conversations``: the learners
    play the shipped development conversations (bench/conversations/dev*: openings, follow-ups
    that point back, activities, thanks), each learner from a conversation of its own, turn
    after turn, the next conversation in the same session when one ends; a cursor per column
    and learner goes on across levels and ``--ab`` rounds, so that every column is asked the
    same texts in the same order and no round replays the one before. The held-out sets are
    never read here.
    """

    def __init__(self, kind: str = "conversations", sets: Sequence[str] | None = None):
        if kind not in LOADS:
            raise ValueError(f"--load is one of {', '.join(LOADS)}, not {kind!r}")
        self.kind = kind
        self.lines: list[str] = []
        self.starts: list[int] = []  # where each conversation's first turn sits in ``lines``
        self.cursor: dict[tuple[str, int], int] = {}
        if kind == "conversations":
            conversations = load_conversations(sets)
            random.Random(11).shuffle(conversations)  # the sets mixed, the same way in every run
            for turns in conversations:
                self.starts.append(len(self.lines))
                self.lines += turns

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"the same {len(QUESTIONS)} questions in turn (--load fixed)"
        return (f"{len(self.starts)} development conversations, {len(self.lines)} turns, "
                "follow-ups included (--load conversations)")

    def say(self, column: str, learner: int, turn: int) -> str:
        """Learner ``learner``'s next text in ``column`` (``turn``: its turn number in this level)."""
        if self.kind == "fixed":
            return QUESTIONS[(learner + turn) % len(QUESTIONS)]
        key = (column, learner)
        position = self.cursor.get(key, 0)
        self.cursor[key] = position + 1
        start = self.starts[(learner * 7) % len(self.starts)]
        return self.lines[(start + position) % len(self.lines)]


def load_conversations(sets: Sequence[str] | None = None) -> list[list[str]]:
    """The learner's lines of every development conversation (``dev``, ``dev2``, ...), one list each."""
    names = sets or sorted((p.name for p in CONVERSATIONS.iterdir() if p.is_dir() and p.name.startswith("dev")),
                           key=lambda name: int(name[3:] or 1))
    conversations = []
    for name in names:
        if not name.startswith("dev"):
            raise ValueError(f"{name}: the load plays development sets only (dev, dev2, ...)")
        for path in sorted((CONVERSATIONS / name).glob("*.toml")):
            turns = [turn["say"] for turn in tomllib.loads(path.read_text(encoding="utf-8")).get("turn", [])]
            if turns:
                conversations.append(turns)
    if not conversations:
        raise ValueError(f"no development conversations under {CONVERSATIONS}")
    return conversations


DELTA = re.compile(rb"event: delta")
CONTENT = re.compile(rb'"content": ?"[^"]')


@dataclass
class Learner:
    session_id: str
    token: str


async def create_sessions(port: int, count: int, concurrency: int = 16, deadline: float = 120.0) -> list[Learner]:
    learners: list[Learner] = []
    limit = time.perf_counter() + deadline

    async def worker(n: int) -> None:
        conn = Conn(port)
        try:
            for _ in range(n):
                if time.perf_counter() > limit:
                    return
                reply = await call_json(conn, "POST", "/v1/sessions", {"language": "ko"})
                if reply.status != 201:
                    raise RuntimeError(f"POST /v1/sessions → {reply.status} {reply.body[:300]!r}")
                data = reply.json()
                learners.append(Learner(data["id"], data["token"]))
        finally:
            conn.close()

    shares = [count // concurrency + (1 if i < count % concurrency else 0) for i in range(concurrency)]
    await asyncio.gather(*(worker(n) for n in shares if n))
    return learners


# ---------------------------------------------------------------- one turn, three ways


@dataclass
class Sample:
    ttft: float | None
    total: float
    ok: bool
    error: str | None = None


def service_turn_headers(learner: Learner) -> dict[str, str]:
    return {"authorization": f"Bearer {learner.token}", "content-type": "application/json",
            "accept": "text/event-stream"}


async def service_turn(conn: Conn, learner: Learner, content: str) -> Sample:
    body = json.dumps({"content": content}, ensure_ascii=False).encode()
    reply = await conn.request("POST", f"/v1/sessions/{learner.session_id}/messages", body,
                               service_turn_headers(learner), marker=DELTA,
                               flags=(b"event: done", b"event: error"), keep_body=False)
    ok = reply.status == 200 and b"event: done" in reply.flags
    error = None if ok else f"status {reply.status}, flags {sorted(f.decode() for f in reply.flags)}"
    return Sample(_since(reply, reply.first), reply.end - reply.sent, ok, error)


async def direct_turn(conn: Conn, body: bytes, key: str = "bench") -> Sample:
    reply = await conn.request("POST", "/v1/chat/completions", body,
                               {"authorization": f"Bearer {key}", "content-type": "application/json",
                                "accept": "text/event-stream"},
                               marker=CONTENT, flags=(b"[DONE]",), keep_body=False)
    ok = reply.status == 200 and b"[DONE]" in reply.flags
    return Sample(_since(reply, reply.first), reply.end - reply.sent, ok,
                  None if ok else f"status {reply.status}")


async def sdk_turn(client: Any, request: dict[str, Any]) -> Sample:
    started = time.perf_counter()
    first: float | None = None
    stream = await client.chat.completions.create(**request)
    async for chunk in stream:
        if first is None and chunk.choices and chunk.choices[0].delta.content:
            first = time.perf_counter()
    end = time.perf_counter()
    return Sample(None if first is None else first - started, end - started, first is not None)


def _since(reply: Reply, moment: float | None) -> float | None:
    return None if moment is None else moment - reply.sent


# ---------------------------------------------------------------- statistics


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: Sequence[float]) -> dict[str, float | None]:
    ms = [v * 1000 for v in values]
    return {"p50": _r(percentile(ms, 0.5)), "p90": _r(percentile(ms, 0.9)), "p99": _r(percentile(ms, 0.99)),
            "mean": _r(statistics.fmean(ms)) if ms else None}


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class LevelResult:
    target: str
    learners: int
    turns: int
    failures: int
    wall_s: float
    turns_per_s: float
    ttft_ms: dict[str, float | None]
    total_ms: dict[str, float | None]
    service_cpu_ms_per_turn: float | None = None
    fake_cpu_ms_per_turn: float | None = None
    client_cpu_ms_per_turn: float | None = None
    errors: list[str] = field(default_factory=list)


def median_result(results: Sequence[LevelResult]) -> LevelResult:
    """One column's figures from several rounds of the same level (``--ab``): the median of each figure
    (percentiles, turns/s, CPU per turn), the turns and failures of all rounds together."""
    if len(results) == 1:
        return results[0]

    def median(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return _r(statistics.median(known)) if known else None

    def medians(dicts: list[dict[str, float | None]]) -> dict[str, float | None]:
        return {key: median([d.get(key) for d in dicts]) for key in dicts[0]}

    first = results[0]
    return LevelResult(
        target=first.target, learners=first.learners, turns=sum(r.turns for r in results),
        failures=sum(r.failures for r in results), wall_s=_r(sum(r.wall_s for r in results), 3) or 0.0,
        turns_per_s=median([r.turns_per_s for r in results]) or 0.0,
        ttft_ms=medians([r.ttft_ms for r in results]), total_ms=medians([r.total_ms for r in results]),
        service_cpu_ms_per_turn=median([r.service_cpu_ms_per_turn for r in results]),
        fake_cpu_ms_per_turn=median([r.fake_cpu_ms_per_turn for r in results]),
        client_cpu_ms_per_turn=median([r.client_cpu_ms_per_turn for r in results]),
        errors=sorted({e for r in results for e in r.errors})[:5],
    )


async def run_level(target: str, learners: int, turns: int, deadline_s: float, turn_timeout: float,
                    turn: Callable[[int, int], Awaitable[Sample]],
                    watched: dict[str, psutil.Process]) -> LevelResult:
    """``learners`` concurrent loops of ``turns`` sequential turns each, bounded by a deadline."""
    samples: list[Sample] = []
    deadline = time.perf_counter() + deadline_s

    async def learner(index: int) -> None:
        for number in range(turns):
            if time.perf_counter() > deadline:
                return
            started = time.perf_counter()
            try:
                async with asyncio.timeout(turn_timeout):
                    samples.append(await turn(index, number))
            except Exception as exc:  # a failed turn is a figure, not a crash
                samples.append(Sample(None, time.perf_counter() - started, False, f"{type(exc).__name__}: {exc}"))

    cpu_before = {name: cpu_seconds(proc) for name, proc in watched.items()}
    client_before = own_cpu()
    started = time.perf_counter()
    await asyncio.gather(*(learner(i) for i in range(learners)))
    wall = time.perf_counter() - started
    client_cpu = own_cpu() - client_before
    cpu = {name: cpu_seconds(proc) - cpu_before[name] for name, proc in watched.items()}
    good = [s for s in samples if s.ok]
    count = max(1, len(samples))
    return LevelResult(
        target=target, learners=learners, turns=len(samples), failures=len(samples) - len(good),
        wall_s=round(wall, 3), turns_per_s=round(len(good) / wall, 2) if wall else 0.0,
        ttft_ms=summary_ms([s.ttft for s in good if s.ttft is not None]),
        total_ms=summary_ms([s.total for s in good]),
        service_cpu_ms_per_turn=_r(cpu["service"] * 1000 / count) if "service" in cpu else None,
        fake_cpu_ms_per_turn=_r(cpu["fake"] * 1000 / count) if "fake" in cpu else None,
        client_cpu_ms_per_turn=_r(client_cpu * 1000 / count),
        errors=sorted({s.error for s in samples if s.error})[:5],
    )
