"""The performance bench: what the tutor adds to a turn, next to the model itself.

Why: a learner should only ever wait for the model. This starts, on loopback,
the fake provider (bench/fake_provider.py) and the real service as an
operator runs it (`tutor serve`, TUTOR_PROVIDER=openai against the fake), and
measures in one run, side by side:

- time to first token and whole-turn time, through the service vs straight
  to the fake provider (raw HTTP) vs the official ``openai`` SDK alone, at
  1, 16, 64 and 256 concurrent learners (each with its own session);
- the service's CPU per turn and resident memory at rest, at 64 and at
  1,000 open streams; cold start to the first answered /healthz;
- retrieval time per query and prompt-building time per turn (in-process);
- how a turn's cost grows with the conversation (10/100/1,000 earlier
  messages) and with the lesson pack (1x/10x/100x).

    .venv/bin/python bench/perf.py [--quick] [--json out.json]

Every loop has a count and a deadline. The load client is a small raw
HTTP/1.1 client on asyncio (one keep-alive connection per learner): on this
2-core machine httpx spends 15-30 ms of CPU per 50-chunk stream, more than
the service is allowed, so it would measure itself (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "bench" / "fake_provider.py"
PROMPTS = ROOT / "prompts"
LEVELS = (1, 16, 64, 256)
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

DELTA = re.compile(rb"event: delta")
CONTENT = re.compile(rb'"content": ?"[^"]')
MESSAGE_ID = re.compile(rb'"message_id": ?"([0-9a-f-]{36})"')


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class Plan:
    """How much each phase does; every loop is bounded by these counts and deadlines."""

    quick: bool
    turns: dict[int, int]  # learners -> turns per learner
    level_deadline: float
    turn_timeout: float
    cold_starts: int
    growth_turns: int
    history_sizes: tuple[int, ...] = (10, 100, 1000)
    pack_factors: tuple[int, ...] = (1, 10, 100)
    in_process_only_factors: tuple[int, ...] = ()
    open_streams: tuple[int, ...] = (64, 1000)
    open_deadline: float = 60.0
    retrieval_calls: int = 2000
    chunks: int = 50
    first_token_delay: float = 0.01
    chunk_delay: float = 0.01


QUICK = Plan(quick=True, turns={1: 6, 16: 2, 64: 2, 256: 1}, level_deadline=15.0, turn_timeout=20.0,
             cold_starts=2, growth_turns=5, retrieval_calls=400, open_deadline=40.0,
             pack_factors=(1, 10))
FULL = Plan(quick=False, turns={1: 40, 16: 8, 64: 6, 256: 3}, level_deadline=90.0, turn_timeout=120.0,
            cold_starts=5, growth_turns=20, retrieval_calls=4000, open_deadline=120.0)


# ---------------------------------------------------------------- a small HTTP/1.1 client


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: float
    first: float | None  # when the marker (first token) was first seen
    end: float
    flags: set[bytes] = field(default_factory=set)
    message_id: str | None = None

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class Conn:
    """One keep-alive connection, as one learner's browser would hold it."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 22)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.transport.abort()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes | None = None,
                      headers: dict[str, str] | None = None, *, marker: re.Pattern[bytes] | None = None,
                      flags: Sequence[bytes] = (), keep_body: bool = True, want_id: bool = False,
                      first_seen: asyncio.Event | None = None,
                      on_id: Callable[[str], None] | None = None) -> Reply:
        await self.open()
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body is not None:
            lines.append(f"content-length: {len(body)}")
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")
        sent = time.perf_counter()
        try:
            self.writer.write(payload)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            status = int(status_line.split(" ", 2)[1])
            response_headers: dict[str, str] = {}
            for line in header_lines:
                if line:
                    name, _, value = line.partition(":")
                    response_headers[name.strip().lower()] = value.strip()
            state = _Scan(marker, flags, want_id or on_id is not None, keep_body, first_seen, on_id)
            if response_headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    data = await self.reader.readexactly(size + 2)
                    if size == 0:
                        break
                    state.feed(data[:-2])
            else:
                length = int(response_headers.get("content-length", "0"))
                state.feed(await self.reader.readexactly(length) if length else b"")
        except BaseException:
            self.close()
            raise
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return Reply(status, response_headers, b"".join(state.parts), sent, state.first,
                     time.perf_counter(), state.seen, state.message_id)


class _Scan:
    """Watches a response body for the first token, a few flags and the answer's id."""

    def __init__(self, marker: re.Pattern[bytes] | None, flags: Sequence[bytes], want_id: bool,
                 keep_body: bool, first_seen: asyncio.Event | None, on_id: Callable[[str], None] | None):
        self.marker, self.flags, self.want_id, self.keep = marker, flags, want_id, keep_body
        self.first_seen, self.on_id = first_seen, on_id
        self.first: float | None = None
        self.seen: set[bytes] = set()
        self.message_id: str | None = None
        self.parts: list[bytes] = []
        self.carry = b""

    def feed(self, data: bytes) -> None:
        window = self.carry + data
        if self.marker is not None and self.first is None and self.marker.search(window):
            self.first = time.perf_counter()
            if self.first_seen is not None:
                self.first_seen.set()
        for flag in self.flags:
            if flag not in self.seen and flag in window:
                self.seen.add(flag)
        if self.want_id and self.message_id is None and (found := MESSAGE_ID.search(window)):
            self.message_id = found.group(1).decode()
            if self.on_id is not None:
                self.on_id(self.message_id)
        if self.keep:
            self.parts.append(data)
        self.carry = data[-64:]


async def call_json(conn: Conn, method: str, path: str, payload: Any = None,
                    headers: dict[str, str] | None = None) -> Reply:
    body = None if payload is None else json.dumps(payload).encode()
    all_headers = {"content-type": "application/json", "accept": "application/json", **(headers or {})}
    return await conn.request(method, path, body, all_headers)


# ---------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(proc: psutil.Process) -> float:
    """User+system CPU of a process and its children, in seconds."""
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = p.cpu_times()
            total += times.user + times.system
    return total


def rss_mb(proc: psutil.Process) -> float:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total / 2**20


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stop_process(proc: subprocess.Popen[Any] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class Fake:
    """The fake provider as a subprocess, and its control API."""

    def __init__(self, plan: Plan, workdir: Path):
        self.log_path = workdir / "fake.log"
        self.proc = subprocess.Popen(
            [sys.executable, str(FAKE), "--host", "127.0.0.1", "--port", "0", "--chunks", str(plan.chunks),
             "--first-token-delay", str(plan.first_token_delay), "--chunk-delay", str(plan.chunk_delay),
             "--log-limit", "3000"],
            stdout=subprocess.PIPE, stderr=self.log_path.open("w"), text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            stop_process(self.proc)
            raise RuntimeError(f"fake provider did not start: {self.log_path.read_text()[-2000:]}")
        self.port = int(line.split()[1])
        self.ps = psutil.Process(self.proc.pid)
        self.conn = Conn(self.port)

    async def control(self, **changes: Any) -> None:
        reply = await call_json(self.conn, "POST", "/_control", changes)
        if reply.status != 200:
            raise RuntimeError(f"fake control failed: {reply.body!r}")

    async def reset(self) -> None:
        await call_json(self.conn, "POST", "/_control/reset", {})

    async def log(self) -> list[dict[str, Any]]:
        return (await call_json(self.conn, "GET", "/_control/log")).json()["requests"]

    def stop(self) -> None:
        self.conn.close()
        stop_process(self.proc)


class Service:
    """`tutor serve` as an operator runs it, configured against the fake provider."""

    def __init__(self, fake_port: int, workdir: Path, name: str, prompts_dir: Path | None = None,
                 db_path: Path | None = None, serve_command: str | None = None):
        self.port = free_port()
        self.db_path = db_path or workdir / f"{name}.db"
        self.db_url = f"sqlite:///{self.db_path}"
        self.log_path = workdir / f"{name}.log"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TUTOR_", "OPENAI_", "ANTHROPIC_"))}
        env.update({
            "TUTOR_PROVIDER": "openai", "OPENAI_BASE_URL": f"http://127.0.0.1:{fake_port}/v1",
            "OPENAI_API_KEY": "bench", "TUTOR_DATABASE_URL": self.db_url,
            "TUTOR_RATE_LIMIT_ENABLED": "false",
            # The growth phase seeds 1,000 earlier messages into one conversation.
            "TUTOR_MAX_MESSAGES_PER_SESSION": "5000",
        })
        if prompts_dir is not None:
            env["TUTOR_PROMPTS_DIR"] = str(prompts_dir)
        tutor = Path(sys.executable).parent / "tutor"
        if serve_command:
            command = shlex.split(serve_command)
        else:
            command = [str(tutor), "serve"] if tutor.exists() else [sys.executable, "-m", "tutor", "serve"]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(self.port)],
                                     env=env, cwd=workdir, stdout=self.log_path.open("w"),
                                     stderr=subprocess.STDOUT)
        self.ps = psutil.Process(self.proc.pid)
        self.cold_start: float | None = None

    async def ready(self, deadline: float = 60.0) -> float:
        """Seconds from process start to the first 200 on /healthz."""
        limit = self.started + deadline
        while time.perf_counter() < limit:
            if self.proc.poll() is not None:
                raise RuntimeError(f"service exited: {self.log_path.read_text()[-3000:]}")
            conn = Conn(self.port)
            try:
                reply = await conn.request("GET", "/healthz")
                if reply.status == 200:
                    self.cold_start = time.perf_counter() - self.started
                    return self.cold_start
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                conn.close()
            await asyncio.sleep(0.005)
        raise RuntimeError(f"service not ready after {deadline}s: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        stop_process(self.proc)


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


async def run_level(target: str, learners: int, turns: int, plan: Plan,
                    turn: Callable[[int, int], Awaitable[Sample]],
                    watched: dict[str, psutil.Process]) -> LevelResult:
    """``learners`` concurrent loops of ``turns`` sequential turns each, bounded by a deadline."""
    samples: list[Sample] = []
    deadline = time.perf_counter() + plan.level_deadline

    async def learner(index: int) -> None:
        for number in range(turns):
            if time.perf_counter() > deadline:
                return
            started = time.perf_counter()
            try:
                async with asyncio.timeout(plan.turn_timeout):
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


# ---------------------------------------------------------------- the phases


class Bench:
    def __init__(self, plan: Plan, workdir: Path, args: argparse.Namespace):
        self.plan, self.workdir, self.args = plan, workdir, args
        self.report: dict[str, Any] = {"notes": []}
        self.fake: Fake | None = None
        self.service: Service | None = None
        self.litellm: subprocess.Popen[Any] | None = None

    def note(self, text: str) -> None:
        print(f"  · {text}", flush=True)
        self.report["notes"].append(text)

    def phase(self, text: str) -> None:
        print(f"\n== {text}", flush=True)

    async def run(self) -> dict[str, Any]:
        self.report["machine"] = machine_facts()
        self.report["plan"] = {k: v for k, v in asdict(self.plan).items() if k != "turns"} | {
            "turns_per_learner": {str(k): v for k, v in self.plan.turns.items()}}
        self.fake = Fake(self.plan, self.workdir)
        phases: list[tuple[str, Callable[[], Awaitable[None]]]] = [
            ("cold_start", self.cold_starts), ("levels", self.levels), ("in_process", self.headline_in_process),
            ("conversation", self.conversation_growth), ("open_streams", self.open_streams),
            ("packs", self.pack_growth),
        ]
        wanted = set(self.args.only.split(",")) if self.args.only else {name for name, _ in phases}
        self.report["phase_s"] = {}
        try:
            await self.main_service()
            for name, run in phases:
                if name not in wanted:
                    continue
                started = time.perf_counter()
                if name == "packs":
                    self.service.stop()
                await run()
                self.report["phase_s"][name] = _r(time.perf_counter() - started, 1)
            if self.plan.quick and "packs" in wanted:
                self.note("--quick leaves out the 100x pack; run without --quick for it")
        finally:
            if self.service is not None:
                self.service.stop()
            stop_process(self.litellm)
            self.fake.stop()
        self.report["targets"] = targets(self.report)
        return self.report

    # -- cold start

    async def cold_starts(self) -> None:
        self.phase("cold start: process start → first 200 on /healthz")
        samples: list[float] = []
        db = self.workdir / "cold.db"
        for index in range(self.plan.cold_starts):
            service = Service(self.fake.port, self.workdir, f"cold{index}", db_path=db,
                              serve_command=self.args.serve_command)
            try:
                samples.append(await service.ready())
            finally:
                service.stop()
            print(f"  start {index + 1}: {samples[-1]:.2f} s ({'new database' if index == 0 else 'existing database'})")
        self.report["cold_start_s"] = {"new_db": _r(samples[0], 3), "existing_db": [_r(s, 3) for s in samples[1:]],
                                       "max": _r(max(samples), 3)}

    async def headline_in_process(self) -> None:
        await self.in_process(PROMPTS, "1x", headline=True)

    # -- the main service

    async def main_service(self) -> None:
        self.phase("service under load")
        self.service = Service(self.fake.port, self.workdir, "main", serve_command=self.args.serve_command)
        await self.service.ready()
        learners = await create_sessions(self.service.port, 4)
        conn = Conn(self.service.port)
        for index in range(3):  # warm imports, caches, the SDK's connection pool
            sample = await service_turn(conn, learners[index % 4], QUESTIONS[index])
            if not sample.ok:
                raise RuntimeError(f"warm-up turn failed: {sample.error}; see {self.service.log_path}")
        await self.fake.reset()
        await service_turn(conn, learners[3], QUESTIONS[0])
        conn.close()
        log = await self.fake.log()
        self.upstream_request = log[-1]["body"]  # exactly what the service sends: replayed by the direct columns
        self.upstream_body = json.dumps(self.upstream_request, ensure_ascii=False).encode()
        await asyncio.sleep(0.5)
        self.report["memory_mb"] = {"at_rest": _r(rss_mb(self.service.ps), 1)}
        print(f"  upstream request: {len(self.upstream_body)} bytes, "
              f"{len(self.upstream_request.get('messages', []))} messages; RSS at rest "
              f"{self.report['memory_mb']['at_rest']} MB")

    # -- in-process retrieval and prompt building

    async def in_process(self, prompts_dir: Path, label: str, headline: bool = False) -> dict[str, Any]:
        """Retrieval and prompt building timed in a child process, so that a slow pack cannot hang the bench."""
        calls = self.plan.retrieval_calls if label == "1x" else max(50, self.plan.retrieval_calls // 8)
        limit = 20.0 if self.plan.quick else 120.0
        child = await asyncio.create_subprocess_exec(
            sys.executable, str(Path(__file__).resolve()), "--in-process", str(prompts_dir), "--calls", str(calls),
            "--deadline", str(limit), "--store-calls", str(100 if self.plan.quick else 500) if headline else "0",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(child.communicate(), timeout=limit + 30)
            result = json.loads(out) if child.returncode == 0 else {"error": err.decode()[-500:]}
        except asyncio.TimeoutError:
            child.kill()
            await child.wait()
            result = {"error": f"did not finish within {limit + 30:.0f} s"}
        if headline:
            self.phase("in-process: retrieval per query, prompt building per turn (1x pack)")
            self.report["in_process"] = result
        if "error" in result:
            self.note(f"in-process timings for {label}: {result['error'].strip().splitlines()[-1]}")
            return result
        print(f"  {label}: {result['passages']} passages; load {result['load_pack_ms']} ms, index "
              f"{result['index_build_ms']} ms, first plan_turn {result['first_plan_turn_ms']} ms; "
              f"retrieval p50 {result['retrieval_ms']['p50']} p99 {result['retrieval_ms']['p99']} ms; "
              f"plan_turn p50 {result['plan_turn_ms']['p50']} ms; build_request p50 "
              f"{result['build_request_ms']['p50']} ms ({result['calls']} calls)")
        if "store_ms" in result:
            print("  store, one turn at a time: " + ", ".join(
                f"{name} p50 {v['p50']} p99 {v['p99']} ms" for name, v in result["store_ms"].items()))
        return result


    # -- 1/16/64/256 learners

    async def levels(self) -> None:
        import openai

        self.phase("turns at 1, 16, 64, 256 concurrent learners (50 chunks, 10 ms apart)")
        learners = await create_sessions(self.service.port, max(LEVELS) if not self.args.levels else
                                         max(int(n) for n in self.args.levels.split(",")))
        sdk_request = dict(self.upstream_request)
        sdk_client = openai.AsyncOpenAI(base_url=f"http://127.0.0.1:{self.fake.port}/v1", api_key="bench",
                                        max_retries=0)
        litellm_port = await self.start_litellm()
        litellm_body = None
        if litellm_port:
            litellm_body = json.dumps({**self.upstream_request, "model": "gpt-fake"}, ensure_ascii=False).encode()
            warm = Conn(litellm_port)
            for _ in range(3):  # its first calls load and cache things: outside the figures
                await direct_turn(warm, litellm_body, self.litellm_key)
            warm.close()
        self.report["levels"] = {}
        watched_fake = {"fake": self.fake.ps}
        try:
            # One warm-up call for the SDK and the proxy, outside the figures.
            await sdk_turn(sdk_client, sdk_request)
            levels = [int(n) for n in self.args.levels.split(",")] if self.args.levels else list(LEVELS)
            columns = set(self.args.columns.split(",")) if self.args.columns else {"direct", "sdk", "litellm", "service"}
            for count in levels:
                turns = self.args.turns or self.plan.turns.get(count, 2)
                results: dict[str, Any] = {}
                conns = [Conn(self.fake.port) for _ in range(count)]
                await asyncio.gather(*(c.request("GET", "/healthz") for c in conns))
                if "direct" in columns:
                    results["direct"] = await run_level(
                        "direct", count, turns, self.plan,
                        lambda i, n, conns=conns: direct_turn(conns[i], self.upstream_body), watched_fake)
                for conn in conns:
                    conn.close()
                if "sdk" in columns:
                    results["sdk"] = await run_level(
                        "sdk", count, turns, self.plan, lambda i, n: sdk_turn(sdk_client, sdk_request), watched_fake)
                if (litellm_port and litellm_body is not None and "litellm" in columns
                        and not (self.plan.quick and count > 64)):
                    conns = [Conn(litellm_port) for _ in range(count)]
                    results["litellm"] = await run_level(
                        "litellm", count, turns, self.plan,
                        lambda i, n, conns=conns: direct_turn(conns[i], litellm_body, self.litellm_key),
                        watched_fake | {"service": psutil.Process(self.litellm.pid)})
                    for conn in conns:
                        conn.close()
                conns = [Conn(self.service.port) for _ in range(count)]
                await asyncio.gather(*(c.request("GET", "/healthz") for c in conns))
                if "service" in columns:
                    profiler = self.start_profiler(count)
                    results["service"] = await run_level(
                        "service", count, turns, self.plan,
                        lambda i, n, conns=conns: service_turn(conns[i], learners[i], QUESTIONS[(i + n) % len(QUESTIONS)]),
                        watched_fake | {"service": self.service.ps})
                    self.stop_profiler(profiler)
                for conn in conns:
                    conn.close()
                self.report["levels"][str(count)] = {k: asdict(v) for k, v in results.items()}
                print_level(count, results)
        finally:
            await sdk_client.close()
        self.report["memory_mb"]["after_load"] = _r(rss_mb(self.service.ps), 1)
        if "service" in columns:
            await self.ttft_breakdown(learners[0])

    async def ttft_breakdown(self, learner: Learner) -> None:
        """Where one learner's added time to first token goes, from the fake provider's clock:
        before the model is called (token check, store, retrieval, prompt, SDK request) vs relaying the token."""
        await self.fake.reset()
        conn = Conn(self.service.port)
        await conn.request("GET", "/healthz")
        marks: list[tuple[float, float | None]] = []
        deadline = time.perf_counter() + 20
        for index in range(10 if self.plan.quick else 40):
            if time.perf_counter() > deadline:
                break
            wall_sent = time.time()
            async with asyncio.timeout(self.plan.turn_timeout):
                sample = await service_turn(conn, learner, QUESTIONS[index % len(QUESTIONS)])
            marks.append((wall_sent, None if sample.ttft is None else wall_sent + sample.ttft))
        conn.close()
        log = [r for r in await self.fake.log() if r["path"].endswith("/chat/completions")]
        before, upstream, relay = [], [], []
        for (sent, first), record in zip(marks, log):
            if first is None or record["first_byte"] is None:
                continue
            before.append(record["started"] - sent)
            upstream.append(record["first_byte"] - record["started"])
            relay.append(first - record["first_byte"])
        result = {"turns": len(before), "before_model_call_ms": summary_ms(before),
                  "model_first_token_ms": summary_ms(upstream), "relay_first_token_ms": summary_ms(relay)}
        self.report["ttft_breakdown_1_learner"] = result
        print(f"  TTFT at 1 learner, p50: {result['before_model_call_ms']['p50']} ms before the model call "
              f"(token, store, retrieval, prompt, SDK), {result['model_first_token_ms']['p50']} ms the model, "
              f"{result['relay_first_token_ms']['p50']} ms relaying the first token to the learner")

    def start_profiler(self, learners: int) -> subprocess.Popen[Any] | None:
        if not self.args.py_spy or learners != (64 if not self.args.levels else int(self.args.levels.split(",")[-1])):
            return None
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        if not Path(py_spy).exists():
            self.note("py-spy not installed: no profile (pip install py-spy)")
            return None
        out = Path(self.args.py_spy).resolve()
        out.mkdir(parents=True, exist_ok=True)
        self.profile_path = out / f"service-{learners}.txt"
        self.note(f"profiling the service (threads holding the GIL, i.e. its Python CPU) at {learners} learners "
                  f"into {self.profile_path} (collapsed stacks)")
        return subprocess.Popen([py_spy, "record", "--pid", str(self.service.proc.pid), "--rate", "200", "--gil",
                                 "--format", "raw", "--output", str(self.profile_path), "--nonblocking"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop_profiler(self, profiler: subprocess.Popen[Any] | None) -> None:
        if profiler is None:
            return
        profiler.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            profiler.wait(timeout=30)
        stop_process(profiler)
        if self.profile_path.exists():
            profile = self.report["profile"] = summarize_profile(self.profile_path)
            print(f"  profile: {profile['samples']} samples; self time by package: " + ", ".join(
                f"{row['package']} {row['share']:.0%}" for row in profile["packages"][:10]))
            print("  on the stack in (share of samples):")
            for row in profile["inclusive"][:30]:
                print(f"    {row['share']:6.1%}  {row['frame']}")

    async def start_litellm(self) -> int | None:
        """LiteLLM's proxy as a third column, when it is installed (never a dependency)."""
        command = self.args.litellm or shutil.which("litellm")
        if command is None and importlib.util.find_spec("litellm") is not None:
            command = str(Path(sys.executable).parent / "litellm")
        if not command or not Path(command).exists() and shutil.which(command) is None:
            self.note("LiteLLM proxy: skipped (not installed; --litellm PATH to its `litellm` command)")
            self.report["litellm"] = "skipped: not installed"
            return None
        port = free_port()
        config = self.workdir / "litellm.yaml"
        self.litellm_key = "sk-bench-" + uuid.uuid4().hex
        config.write_text(
            "model_list:\n  - model_name: gpt-fake\n    litellm_params:\n      model: openai/gpt-fake\n"
            f"      api_base: http://127.0.0.1:{self.fake.port}/v1\n      api_key: bench\n"
            f"general_settings:\n  master_key: {self.litellm_key}\n"
        )
        log = (self.workdir / "litellm.log").open("w")
        self.litellm = subprocess.Popen([command, "--config", str(config), "--host", "127.0.0.1", "--port", str(port)],
                                        stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
        started = time.perf_counter()
        while time.perf_counter() - started < 90:
            if self.litellm.poll() is not None:
                break
            conn = Conn(port)
            try:
                if (await conn.request("GET", "/health/liveliness")).status == 200:
                    self.report["litellm"] = {"cold_start_s": _r(time.perf_counter() - started, 2)}
                    return port
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                conn.close()
            await asyncio.sleep(0.2)
        self.note(f"LiteLLM proxy did not start; see {self.workdir / 'litellm.log'}")
        self.report["litellm"] = "skipped: did not start"
        stop_process(self.litellm)
        self.litellm = None
        return None

    # -- conversation length

    async def conversation_growth(self) -> None:
        self.phase("turn cost vs conversation length (fast model: 50 chunks, no delay)")
        await self.fake.control(first_token_delay=0.0, chunk_delay=0.0)
        results: dict[str, Any] = {}
        try:
            for size in self.plan.history_sizes:
                [learner] = await create_sessions(self.service.port, 1)
                how = await self.seed_history(learner, size)
                results[str(size)] = await self.measure_turns(learner, self.service) | {"seeded_via": how}
                r = results[str(size)]
                print(f"  {size:>5} earlier messages: TTFT p50 {r['ttft_ms']['p50']} ms, turn p50 "
                      f"{r['total_ms']['p50']} ms, service CPU {r['service_cpu_ms_per_turn']} ms/turn, "
                      f"upstream {r['upstream_messages']} messages / {r['upstream_kb']} KB")
        finally:
            await self.fake.reset()
        self.report["conversation_growth"] = results

    async def seed_history(self, learner: Learner, size: int) -> str:
        """Earlier messages written straight into the service's SQLite file (through tutor.store's tables)."""
        try:
            from sqlmodel import Session as DbSession

            from tutor.store import MessageRow, SessionRow, make_engine
        except ImportError:
            return await self.seed_through_api(learner, size)
        engine = make_engine(self.service.db_url)
        try:
            with DbSession(engine) as db:
                session = db.get(SessionRow, learner.session_id)
                base = session.message_count
                for index in range(size):
                    user = index % 2 == 0
                    db.add(MessageRow(id=str(uuid.uuid4()), session_id=learner.session_id, seq=base + index,
                                      role="user" if user else "assistant",
                                      content=QUESTIONS[index % len(QUESTIONS)] if user else ANSWER,
                                      status="complete"))
                session.message_count = base + size
                db.add(session)
                db.commit()
        finally:
            engine.dispose()
        return "sqlite (tutor.store tables)"

    async def seed_through_api(self, learner: Learner, size: int) -> str:
        conn = Conn(self.service.port)
        deadline = time.perf_counter() + 60
        try:
            for index in range(size // 2):
                if time.perf_counter() > deadline:
                    break
                await service_turn(conn, learner, QUESTIONS[index % len(QUESTIONS)])
        finally:
            conn.close()
        return "api"

    async def measure_turns(self, learner: Learner, service: Service) -> dict[str, Any]:
        conn = Conn(service.port)
        await conn.request("GET", "/healthz")
        # The session's first turn (and, on a fresh service, the process's first): timed apart.
        try:
            async with asyncio.timeout(self.plan.turn_timeout):
                first = await service_turn(conn, learner, QUESTIONS[1])
            first_turn_ms = _r(first.total * 1000) if first.ok else None
        except TimeoutError:
            conn.close()
            return {"turns": 0, "failures": 1, "first_turn_ms": None, "ttft_ms": summary_ms([]),
                    "total_ms": summary_ms([]), "service_cpu_ms_per_turn": None, "upstream_messages": None,
                    "upstream_kb": None, "error": f"first turn took over {self.plan.turn_timeout} s"}
        await self.fake.reset()
        await self.fake.control(first_token_delay=0.0, chunk_delay=0.0)
        samples: list[Sample] = []
        cpu = cpu_seconds(service.ps)
        deadline = time.perf_counter() + 30
        for index in range(self.plan.growth_turns):
            if time.perf_counter() > deadline:
                break
            try:
                async with asyncio.timeout(self.plan.turn_timeout):
                    samples.append(await service_turn(conn, learner, QUESTIONS[index % len(QUESTIONS)]))
            except TimeoutError:
                conn.close()
                samples.append(Sample(None, self.plan.turn_timeout, False, "timeout"))
        cpu = cpu_seconds(service.ps) - cpu
        conn.close()
        log = await self.fake.log()
        good = [s for s in samples if s.ok]
        bodies = [r["body"] for r in log if r["path"].endswith("/chat/completions")]
        return {
            "turns": len(samples), "failures": len(samples) - len(good), "first_turn_ms": first_turn_ms,
            "ttft_ms": summary_ms([s.ttft for s in good if s.ttft is not None]),
            "total_ms": summary_ms([s.total for s in good]),
            "service_cpu_ms_per_turn": _r(cpu * 1000 / max(1, len(samples))),
            "upstream_messages": max((len(b.get("messages", [])) for b in bodies), default=None),
            "upstream_kb": _r(max((len(json.dumps(b, ensure_ascii=False).encode()) for b in bodies), default=0) / 1024, 1),
        }

    # -- open streams

    async def open_streams(self) -> None:
        self.phase("resident memory with open streams (slow model: 1 chunk a second)")
        for count in self.plan.open_streams:
            result = await self.hold_streams(count)
            self.report["memory_mb"][f"open_{count}"] = result["rss_mb"]
            self.report.setdefault("open_streams", {})[str(count)] = result
            print(f"  {count} open streams: {result['opened']} opened, RSS {result['rss_mb']} MB, "
                  f"service CPU while open {result['service_cpu_s']} s, stop → upstream cancelled "
                  f"{result['upstream_cancelled']}/{result['upstream_requests']}")

    async def hold_streams(self, count: int) -> dict[str, Any]:
        learners = await create_sessions(self.service.port, count, concurrency=32)
        await self.fake.reset()
        await self.fake.control(first_token_delay=0.0, chunk_delay=1.0, chunks=120)
        deadline = time.perf_counter() + self.plan.open_deadline
        conns = [Conn(self.service.port) for _ in learners]
        firsts = [asyncio.Event() for _ in learners]
        answer_ids: dict[int, str] = {}

        async def stream(index: int) -> None:
            learner = learners[index]
            body = json.dumps({"content": QUESTIONS[index % len(QUESTIONS)]}, ensure_ascii=False).encode()
            await conns[index].request(
                "POST", f"/v1/sessions/{learner.session_id}/messages", body, service_turn_headers(learner),
                marker=DELTA, keep_body=False, first_seen=firsts[index],
                on_id=lambda message_id: answer_ids.__setitem__(index, message_id))

        cpu_before = cpu_seconds(self.service.ps)
        opening = time.perf_counter()
        tasks = [asyncio.create_task(stream(i)) for i in range(len(learners))]
        waiting = [asyncio.create_task(e.wait()) for e in firsts]
        await asyncio.wait(waiting, timeout=max(1.0, deadline - time.perf_counter()))
        opened = sum(e.is_set() for e in firsts)
        open_s = time.perf_counter() - opening
        samples = []
        for _ in range(3):
            samples.append(rss_mb(self.service.ps))
            await asyncio.sleep(0.3)
        cpu_open = cpu_seconds(self.service.ps) - cpu_before
        for task in waiting:
            task.cancel()
        # Stop every answer through the API; each stream then ends with event error "interrupted".
        stop_started = time.perf_counter()
        await self.stop_all(learners, answer_ids)
        done, pending = await asyncio.wait(tasks, timeout=15)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        stop_s = time.perf_counter() - stop_started
        await asyncio.sleep(0.3)
        log = await self.fake.log()
        cancelled = sum(1 for r in log if r["cancelled"])
        for conn in conns:
            conn.close()
        await self.fake.reset()
        return {"requested": count, "opened": opened, "open_all_s": _r(open_s, 2), "rss_mb": _r(max(samples), 1),
                "service_cpu_s": _r(cpu_open, 2), "streams_ended_after_stop": len(done),
                "upstream_requests": len(log), "upstream_cancelled": cancelled, "stop_all_s": _r(stop_s, 2)}

    async def stop_all(self, learners: list[Learner], answer_ids: dict[int, str]) -> None:
        """POST .../stop for every open answer, 16 at a time, within a deadline."""
        conns = [Conn(self.service.port) for _ in range(16)]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in answer_ids:
            queue.put_nowait(index)
        deadline = time.perf_counter() + 60

        async def worker(conn: Conn) -> None:
            while not queue.empty() and time.perf_counter() < deadline:
                index = queue.get_nowait()
                learner = learners[index]
                await call_json(conn, "POST",
                                f"/v1/sessions/{learner.session_id}/messages/{answer_ids[index]}/stop", {},
                                headers={"authorization": f"Bearer {learner.token}"})

        await asyncio.gather(*(worker(c) for c in conns), return_exceptions=True)
        for conn in conns:
            conn.close()

    # -- lesson pack size

    async def pack_growth(self) -> None:
        self.phase("turn cost vs lesson pack size (fast model)")
        results: dict[str, Any] = {}
        await self.fake.control(first_token_delay=0.0, chunk_delay=0.0)
        for factor in self.plan.pack_factors:
            label = f"{factor}x"
            prompts = PROMPTS if factor == 1 else make_pack(self.workdir / f"prompts-{label}", factor)
            in_process = await self.in_process(prompts, label)
            service = Service(self.fake.port, self.workdir, f"pack-{label}", prompts_dir=prompts,
                              serve_command=self.args.serve_command)
            try:
                cold = await service.ready()
                [learner] = await create_sessions(service.port, 1)
                await asyncio.sleep(0.3)
                rest = rss_mb(service.ps)
                turns = await self.measure_turns(learner, service)
            finally:
                service.stop()
            results[label] = {"passages": in_process.get("passages"), "cold_start_s": _r(cold, 3),
                              "rss_at_rest_mb": _r(rest, 1), "in_process": in_process} | turns
            print(f"  {label}: cold start {cold:.2f} s, RSS {rest:.0f} MB, first turn {turns['first_turn_ms']} ms, "
                  f"then TTFT p50 {turns['ttft_ms']['p50']} ms, turn p50 {turns['total_ms']['p50']} ms, "
                  f"service CPU {turns['service_cpu_ms_per_turn']} ms/turn {turns.get('error', '')}")
        for factor in self.plan.in_process_only_factors:
            label = f"{factor}x"
            in_process = await self.in_process(make_pack(self.workdir / f"prompts-{label}", factor), label)
            results[label] = {"passages": in_process.get("passages"), "in_process": in_process,
                              "service": "not started in --quick (run the full bench)"}
        await self.fake.reset()
        self.report["pack_growth"] = results


def make_pack(directory: Path, factor: int) -> Path:
    """The real pack plus ``factor - 1`` copies of every lesson under new lesson and passage ids."""
    if directory.exists():
        shutil.rmtree(directory)
    shutil.copytree(PROMPTS, directory)
    lessons = directory / "lessons"
    originals = sorted(lessons.glob("*.toml"))
    id_line = re.compile(r'^(\s*id\s*=\s*")([a-z0-9-]+)((?:\.[a-z0-9-]+)?")', re.MULTILINE)
    order_line = re.compile(r"^(\s*order\s*=\s*)(\d+)", re.MULTILINE)
    for copy in range(1, factor):
        for path in originals:
            text = path.read_text(encoding="utf-8")
            text = id_line.sub(lambda m: f"{m.group(1)}{m.group(2)}-x{copy}{m.group(3)}", text)
            text = order_line.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 1000 * copy}", text)
            (lessons / f"{path.stem}-x{copy}.toml").write_text(text, encoding="utf-8")
    return directory


def summarize_profile(path: Path, top: int = 40) -> dict[str, Any]:
    """Top frames of a py-spy collapsed-stack file: inclusive (on the stack) and self (leaf) shares."""
    inclusive: dict[str, int] = {}
    leaf: dict[str, int] = {}
    packages: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
        leaf[frames[-1]] = leaf.get(frames[-1], 0) + count
        where = re.search(r"\(([^)]*)\)$", frames[-1])
        package = where.group(1).split("/")[0] if where else "?"
        package = package.removesuffix(".py") if "." in package else package
        packages[package] = packages.get(package, 0) + count

    def rows(counts: dict[str, int]) -> list[dict[str, Any]]:
        ranked = sorted(counts.items(), key=lambda item: -item[1])[:top]
        return [{"frame": frame, "share": round(n / total, 4)} for frame, n in ranked]

    by_package = [{"package": name, "share": round(n / total, 4)}
                  for name, n in sorted(packages.items(), key=lambda item: -item[1])] if total else []
    return {"samples": total, "packages": by_package, "inclusive": rows(inclusive), "self": rows(leaf)}


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


# ---------------------------------------------------------------- report


def machine_facts() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "psutil": psutil.__version__, "load_client": "raw asyncio HTTP/1.1, one keep-alive connection per learner",
            "event_loop": type(asyncio.get_running_loop()).__module__,
            "fd_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0]}


def _cell(value: Any, width: int = 8) -> str:
    return " " + f"{'-' if value is None else value:>{width - 1}}"


def print_level(count: int, results: dict[str, LevelResult]) -> None:
    print(f"  {count} learner(s):")
    print(f"    {'':9}{'turns':>6}{'fail':>5}{'ttft50':>8}{'ttft90':>8}{'ttft99':>8}{'turn50':>8}{'turn99':>8}"
          f"{'turns/s':>9}{'svcCPU':>8}{'cliCPU':>8}")
    for name, r in results.items():
        print(f"    {name:9}{r.turns:>6}{r.failures:>5}{_cell(r.ttft_ms['p50'])}{_cell(r.ttft_ms['p90'])}"
              f"{_cell(r.ttft_ms['p99'])}{_cell(r.total_ms['p50'])}{_cell(r.total_ms['p99'])}"
              f"{_cell(r.turns_per_s, 9)}{_cell(r.service_cpu_ms_per_turn)}{_cell(r.client_cpu_ms_per_turn)}")
        for error in r.errors[:2]:
            print(f"      error: {error[:160]}")


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, checked against this run's figures."""
    rows: list[dict[str, Any]] = []
    levels = report.get("levels", {})

    def level(count: int, target: str) -> dict[str, Any] | None:
        return levels.get(str(count), {}).get(target)

    def add(name: str, measured: float | None, limit: float, higher_is_better: bool = False, unit: str = "") -> None:
        ok = None if measured is None else (measured >= limit if higher_is_better else measured <= limit)
        rows.append({"target": name, "measured": _r(measured), "limit": limit, "unit": unit, "ok": ok})

    one_s, one_d, one_k = level(1, "service"), level(1, "direct"), level(1, "sdk")
    if one_s and one_d:
        add("added TTFT p50 at 1 learner (service - direct)",
            _sub(one_s["ttft_ms"]["p50"], one_d["ttft_ms"]["p50"]), 5, unit="ms")
    if one_s and one_k:
        add("added TTFT p50 at 1 learner beyond the SDK alone", _sub(one_s["ttft_ms"]["p50"], one_k["ttft_ms"]["p50"]),
            1, unit="ms")
    s64, d64 = level(64, "service"), level(64, "direct")
    if s64 and d64:
        add("added TTFT p99 at 64 learners (service - direct)", _sub(s64["ttft_ms"]["p99"], d64["ttft_ms"]["p99"]),
            50, unit="ms")
        add("turns/s at 64 learners, service / direct", (s64["turns_per_s"] / d64["turns_per_s"]) if d64["turns_per_s"] else None,
            0.8, higher_is_better=True)
        add("service CPU per 50-chunk turn at 64 learners", s64["service_cpu_ms_per_turn"], 10, unit="ms")
    memory = report.get("memory_mb", {})
    if "open_1000" in memory:
        add("RSS with 1,000 open streams", memory["open_1000"], 300, unit="MB")
    retrieval = report.get("in_process", {}).get("retrieval_ms", {})
    if retrieval:
        add("retrieval p99 per query (1x pack)", retrieval.get("p99"), 1, unit="ms")
    cold = report.get("cold_start_s", {})
    if cold:
        add("cold start to first /healthz (max of runs)", cold.get("max"), 2, unit="s")
    return rows


def _sub(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def print_summary(report: dict[str, Any]) -> None:
    print("\n== summary (ms unless noted)")
    print(f"  machine: {report['machine']['cores']} cores, Python {report['machine']['python']}, "
          f"load client: {report['machine']['load_client']}")
    header = f"  {'learners':>8} {'column':9}{'ttft p50':>9}{'p90':>8}{'p99':>8}{'turn p50':>9}{'p99':>8}{'turns/s':>9}{'svc CPU/turn':>13}"
    print(header)
    for count, columns in report.get("levels", {}).items():
        for name, r in columns.items():
            print(f"  {count:>8} {name:9}{_cell(r['ttft_ms']['p50'], 9)}{_cell(r['ttft_ms']['p90'])}"
                  f"{_cell(r['ttft_ms']['p99'])}{_cell(r['total_ms']['p50'], 9)}{_cell(r['total_ms']['p99'])}"
                  f"{_cell(r['turns_per_s'], 9)}{_cell(r['service_cpu_ms_per_turn'], 13)}")
    memory = report.get("memory_mb", {})
    print(f"  RSS MB: at rest {memory.get('at_rest')}, after load {memory.get('after_load')}, "
          f"64 open {memory.get('open_64')}, 1000 open {memory.get('open_1000')}")
    cold = report.get("cold_start_s", {})
    print(f"  cold start s: new db {cold.get('new_db')}, existing db {cold.get('existing_db')}")
    if "retrieval_ms" in report.get("in_process", {}):
        ip = report["in_process"]
        print(f"  retrieval ms: p50 {ip['retrieval_ms']['p50']} p99 {ip['retrieval_ms']['p99']}; plan_turn p50 "
              f"{ip['plan_turn_ms']['p50']} p99 {ip['plan_turn_ms']['p99']}; build_request p50 "
              f"{ip['build_request_ms']['p50']} p99 {ip['build_request_ms']['p99']}")
    for size, r in report.get("conversation_growth", {}).items():
        print(f"  history {size:>5}: turn p50 {r['total_ms']['p50']}, TTFT p50 {r['ttft_ms']['p50']}, "
              f"svc CPU/turn {r['service_cpu_ms_per_turn']}, upstream {r['upstream_messages']} msgs")
    for label, r in report.get("pack_growth", {}).items():
        ip = r.get("in_process") or {}
        line = (f"  pack {label:>5} ({r['passages']} passages): retrieval p99 {ip.get('retrieval_ms', {}).get('p99')}, "
                f"first plan_turn {ip.get('first_plan_turn_ms')}")
        if "total_ms" in r:
            line += (f"; service: cold start {r['cold_start_s']} s, first turn {r['first_turn_ms']}, turn p50 "
                     f"{r['total_ms']['p50']}, svc CPU/turn {r['service_cpu_ms_per_turn']}, RSS {r['rss_at_rest_mb']} MB")
        print(line)
    print(f"  LiteLLM: {report.get('litellm', 'not run')}")
    print("\n== targets (issue 6)")
    for row in report.get("targets", []):
        mark = {True: "ok  ", False: "MISS", None: "?   "}[row["ok"]]
        print(f"  {mark} {row['target']}: {row['measured']} {row['unit']} (limit {row['limit']} {row['unit']})")


# ---------------------------------------------------------------- main


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer turns; finishes in under two minutes")
    parser.add_argument("--json", help="write the figures to this JSON file")
    parser.add_argument("--py-spy", metavar="DIR", help="record a py-spy profile of the service at 64 learners")
    parser.add_argument("--litellm", metavar="PATH", help="LiteLLM's `litellm` command, for a third column")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, databases)")
    parser.add_argument("--only", help="comma list of phases: cold_start,levels,in_process,conversation,"
                                       "open_streams,packs")
    parser.add_argument("--levels", help="comma list of learner counts (default 1,16,64,256)")
    parser.add_argument("--columns", help="comma list of columns: direct,sdk,litellm,service")
    parser.add_argument("--turns", type=int, help="turns per learner at every level (default: by level)")
    parser.add_argument("--serve-command", help="run the service with this command instead of `tutor serve` "
                                                "(for experiments; --host/--port are appended)")
    parser.add_argument("--in-process", metavar="PROMPTS_DIR", help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, default=30.0, help=argparse.SUPPRESS)
    parser.add_argument("--store-calls", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def amain(args: argparse.Namespace) -> dict[str, Any]:
    plan = QUICK if args.quick else FULL
    workdir = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    started = time.perf_counter()
    try:
        report = await Bench(plan, workdir, args).run()
    finally:
        if args.keep:
            print(f"\n(kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report["bench_wall_s"] = _r(time.perf_counter() - started, 1)
    return report


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.in_process:
        print(json.dumps(time_in_process(Path(args.in_process), args.calls, args.deadline, args.store_calls)))
        return
    raise_fd_limit()
    try:
        import uvloop
    except ImportError:
        report = asyncio.run(amain(args))
    else:
        report = uvloop.run(amain(args))
    print_summary(report)
    print(f"\nbench finished in {report['bench_wall_s']} s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
