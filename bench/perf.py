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
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil

import perf_processes
from perf_inprocess import time_in_process
from perf_http import Conn, call_json
from perf_load import (ANSWER, DELTA, LOADS, QUESTIONS, Learner, LevelResult, Sample, Script, _r, create_sessions,
                       direct_turn, median_result, run_level, sdk_turn, service_turn, service_turn_headers,
                       summary_ms)
from perf_processes import ROOT, Deployment, Fake, Service, cpu_seconds, free_port, rss_mb, stop_process
from perf_report import machine_facts, print_level, print_summary, summarize_profile, targets

PROMPTS = ROOT / "prompts"
LEVELS = (1, 16, 64, 256)


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


# ---------------------------------------------------------------- the phases


class Bench:
    def __init__(self, plan: Plan, workdir: Path, args: argparse.Namespace):
        self.plan, self.workdir, self.args = plan, workdir, args
        self.deployments = [Deployment.parse(spec) for spec in (args.deployments or "").split(",") if spec.strip()]
        self.deployments += [Deployment.parse_compare(spec) for spec in args.compare or ()]
        self.report: dict[str, Any] = {"notes": []}
        self.script = Script(args.load)
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
        self.fake = Fake(self.workdir, chunks=self.plan.chunks, first_token_delay=self.plan.first_token_delay,
                         chunk_delay=self.plan.chunk_delay)
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
        for index in range(self.args.warm_up):  # warm imports, caches, the SDK's connection pool
            sample = await service_turn(conn, learners[index % 4], QUESTIONS[index % len(QUESTIONS)])
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
        print(f"  learners say: {self.script.describe()}")
        self.report["warm_up_turns_per_worker"] = self.args.warm_up
        self.report["load"] = {"kind": self.script.kind, "conversations": len(self.script.starts),
                               "turns": len(self.script.lines) or len(QUESTIONS)}
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
        self.report["load_average"] = {"levels_start": [round(x, 2) for x in os.getloadavg()]}
        watched_fake = {"fake": self.fake.ps}
        extra: dict[str, tuple[Service, list[Learner]]] = {}
        try:
            for deployment in self.deployments:
                extra[deployment.label] = await self.start_deployment(deployment, len(learners))
            # One warm-up call for the SDK and the proxy, outside the figures.
            await sdk_turn(sdk_client, sdk_request)
            levels = [int(n) for n in self.args.levels.split(",")] if self.args.levels else list(LEVELS)
            columns = set(self.args.columns.split(",")) if self.args.columns else {"direct", "sdk", "litellm", "service"}
            for count in levels:
                turns = self.args.turns or self.plan.turns.get(count, 2)
                results: dict[str, Any] = {}
                conns = [Conn(self.fake.port) for _ in range(count)]
                await asyncio.gather(*(c.request("GET", "/healthz") for c in conns))
                for conn in conns:
                    conn.close()
                if "direct" in columns:
                    results["direct"] = await self.direct_level(count, turns, watched_fake)
                if "sdk" in columns:
                    results["sdk"] = await run_level(
                        "sdk", count, turns, self.plan.level_deadline, self.plan.turn_timeout,
                        lambda i, n: sdk_turn(sdk_client, sdk_request), watched_fake)
                if (litellm_port and litellm_body is not None and "litellm" in columns
                        and not (self.plan.quick and count > 64)):
                    conns = [Conn(litellm_port) for _ in range(count)]
                    results["litellm"] = await run_level(
                        "litellm", count, turns, self.plan.level_deadline, self.plan.turn_timeout,
                        lambda i, n, conns=conns: direct_turn(conns[i], litellm_body, self.litellm_key),
                        watched_fake | {"service": psutil.Process(self.litellm.pid)})
                    for conn in conns:
                        conn.close()
                service_columns = [(label, service, its_learners) for label, (service, its_learners) in extra.items()]
                if "service" in columns:
                    service_columns.append(("service", self.service, learners))
                rounds = max(1, self.args.ab)
                runs: dict[str, list[LevelResult]] = {label: [] for label, _, _ in service_columns}
                if rounds > 1 and "direct" in columns:
                    runs["direct"] = [results["direct"]]
                for round_number in range(rounds):
                    # --ab: the columns in alternating order, so that no column always runs first or last.
                    order = service_columns if round_number % 2 == 0 else service_columns[::-1]
                    if round_number > 0 and "direct" in columns:
                        runs["direct"].append(await self.direct_level(count, turns, watched_fake))
                    for label, service, its_learners in order:
                        conns = [Conn(service.port) for _ in range(count)]
                        await asyncio.gather(*(c.request("GET", "/healthz") for c in conns))
                        profiler = self.start_profiler(count, service, label) if round_number == 0 else None
                        runs[label].append(await run_level(
                            label, count, turns, self.plan.level_deadline, self.plan.turn_timeout,
                            lambda i, n, conns=conns, its=its_learners, label=label: service_turn(
                                conns[i], its[i], self.script.say(label, i, n)),
                            watched_fake | {"service": service.ps}))
                        self.stop_profiler(profiler)
                        for conn in conns:
                            conn.close()
                for label, measured in runs.items():
                    results[label] = median_result(measured)
                if rounds > 1:
                    self.report.setdefault("ab_rounds", {})[str(count)] = {
                        label: [asdict(r) for r in measured] for label, measured in runs.items()}
                self.report["levels"][str(count)] = {k: asdict(v) for k, v in results.items()}
                print_level(count, results)
                if rounds > 1:
                    print(f"  (service columns and direct: the median of {rounds} rounds each, in alternating order; "
                          "turns and failures: all rounds)")
        finally:
            await sdk_client.close()
            for service, _ in extra.values():
                service.stop()
            for deployment in self.deployments:
                deployment.close()
        self.report["load_average"]["levels_end"] = [round(x, 2) for x in os.getloadavg()]
        self.report["memory_mb"]["after_load"] = _r(rss_mb(self.service.ps), 1)
        if "service" in columns:
            await self.ttft_breakdown(learners[0])

    async def start_deployment(self, deployment: Deployment, sessions: int) -> tuple[Service, list[Learner]]:
        """Another way to run the service (workers, PostgreSQL, Redis), warmed up, with its learners."""
        deployment.open()
        name = deployment.label.replace(" ", "-").replace("+", "-")
        service = Service(self.fake.port, self.workdir, name, serve_command=deployment.command or self.args.serve_command,
                          deployment=deployment)
        await service.ready()
        learners = await create_sessions(service.port, sessions)
        conn = Conn(service.port)
        for index in range(self.args.warm_up * deployment.workers):  # every worker's imports, caches, connection pools
            sample = await service_turn(conn, learners[index % len(learners)], QUESTIONS[index % len(QUESTIONS)])
            if not sample.ok:
                raise RuntimeError(f"warm-up turn on {deployment.label} failed: {sample.error}; "
                                   f"see {service.log_path}")
            conn.close()  # a new connection may land on another worker
        await asyncio.sleep(0.5)
        print(f"  {deployment.label}: ready on {deployment.database_url or 'SQLite'}"
              f"{', Redis prefix ' + deployment.redis_prefix if deployment.redis_prefix else ''}")
        return service, learners

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

    async def direct_level(self, count: int, turns: int, watched: dict[str, psutil.Process]) -> LevelResult:
        """The fake model alone: the exact request the service sends, ``count`` learners at once."""
        conns = [Conn(self.fake.port) for _ in range(count)]
        await asyncio.gather(*(c.request("GET", "/healthz") for c in conns))
        try:
            return await run_level(
                "direct", count, turns, self.plan.level_deadline, self.plan.turn_timeout,
                lambda i, n, conns=conns: direct_turn(conns[i], self.upstream_body), watched)
        finally:
            for conn in conns:
                conn.close()

    def start_profiler(self, learners: int, service: "Service | None" = None,
                       label: str = "service") -> subprocess.Popen[Any] | None:
        """py-spy on one service column at the last level: its process and, with workers, theirs too."""
        if not self.args.py_spy or learners != (64 if not self.args.levels else int(self.args.levels.split(",")[-1])):
            return None
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        if not Path(py_spy).exists():
            self.note("py-spy not installed: no profile (pip install py-spy)")
            return None
        service = service or self.service
        out = Path(self.args.py_spy).resolve()
        out.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() else "-" for c in label)
        self.profile_path = out / f"{name}-{learners}.txt"
        self.note(f"profiling {label} (threads holding the GIL, i.e. its Python CPU; workers included) at "
                  f"{learners} learners into {self.profile_path} (collapsed stacks)")
        return subprocess.Popen([py_spy, "record", "--pid", str(service.proc.pid), "--rate", "200", "--gil",
                                 "--subprocesses", "--format", "raw", "--output", str(self.profile_path),
                                 "--nonblocking"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop_profiler(self, profiler: subprocess.Popen[Any] | None) -> None:
        if profiler is None:
            return
        profiler.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            profiler.wait(timeout=30)
        stop_process(profiler)
        if self.profile_path.exists():
            profile = summarize_profile(self.profile_path)
            self.report.setdefault("profiles", {})[self.profile_path.stem] = profile
            self.report["profile"] = profile
            print(f"  profile {self.profile_path.name}: {profile['samples']} samples; self time by package: "
                  + ", ".join(f"{row['package']} {row['share']:.0%}" for row in profile["packages"][:10]))
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
    parser.add_argument("--ab", type=int, default=1, metavar="N",
                        help="measure the service columns (and direct) N times at each level, in alternating "
                             "order, and report each figure's median: small differences between an older build "
                             "(--compare) and this one become measurable on a busy machine")
    parser.add_argument("--py-spy", metavar="DIR", help="record a py-spy profile of the service at 64 learners")
    parser.add_argument("--litellm", metavar="PATH", help="LiteLLM's `litellm` command, for a third column")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, databases)")
    parser.add_argument("--only", help="comma list of phases: cold_start,levels,in_process,conversation,"
                                       "open_streams,packs")
    parser.add_argument("--levels", help="comma list of learner counts (default 1,16,64,256)")
    parser.add_argument("--columns", help="comma list of columns: direct,sdk,litellm,service")
    parser.add_argument("--deployments", default="2:sqlite,1:postgres,2:postgres",
                        help="more service columns at each level, as WORKERS:DATABASE[:redis] (default "
                             "%(default)s; more than one worker uses Redis; '' for none). The `service` "
                             "column is always 1 worker on SQLite, in-process live state")
    parser.add_argument("--compare", action="append", metavar="NAME[:WORKERS:DATABASE]=COMMAND",
                        help="one more service column started with another command, e.g. an older build "
                             "(`main=env PYTHONPATH=/tmp/main .venv/bin/python -m tutor serve`); repeatable")
    parser.add_argument("--start-timeout", type=float, default=60.0, metavar="SECONDS",
                        help="how long a service may take to start (default %(default)s; more on a busy machine)")
    parser.add_argument("--turns", type=int, help="turns per learner at every level (default: by level)")
    parser.add_argument("--warm-up", type=int, default=3, metavar="N",
                        help="turns each worker of every service column answers before anything is measured "
                             "(the eight questions; with several workers, a new connection each turn): its "
                             "first calls' imports, tables and connection pools stay out of the figures "
                             "(default %(default)s)")
    parser.add_argument("--load", choices=LOADS, default="conversations",
                        help="what the learners say at the levels: the development conversations, several turns "
                             "each with their follow-ups (default), or the same 8 questions in turn (`fixed`, the "
                             "bench's load before: its figures compare with older runs)")
    parser.add_argument("--serve-command", help="run the service with this command instead of `tutor serve` "
                                                "(for experiments; --host/--port are appended)")
    parser.add_argument("--in-process", metavar="PROMPTS_DIR", help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, default=30.0, help=argparse.SUPPRESS)
    parser.add_argument("--store-calls", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def amain(args: argparse.Namespace) -> dict[str, Any]:
    plan = QUICK if args.quick else FULL
    perf_processes.START_TIMEOUT = args.start_timeout
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
