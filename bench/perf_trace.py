"""Where one learner's time to first token goes, step by step, in the service's own clock.

Runs the fake model and `tutor serve` (this tree, or another with ``--tree``) with a stamp at
each step of a turn: the request read, the token check, ``begin_turn``, the turn's task,
planning, fitting, the SDK, aiohttp's request and its write of the body, and the first delta
sent. Then it takes ``--turns`` turns one after another, as one learner, and prints the median
of each step's wall time and CPU time (``time.thread_time`` of the serving thread), and where
each stamp falls after the client sent its message.

    .venv/bin/python bench/perf_trace.py                      # this tree, 60 turns
    .venv/bin/python bench/perf_trace.py --tree /tmp/main     # another build (git archive ... | tar -x)
    .venv/bin/python bench/perf_trace.py --database postgres --redis   # PostgreSQL + Redis (one process)

The stamps wrap functions of uvicorn, the OpenAI SDK and aiohttp by name: a step whose
function moved is left out of the table (and named), not guessed.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------- inside the service


def serve_with_stamps(out: str, argv: list[str]) -> None:
    """`tutor serve` with stamps; one JSON line of (step, wall, cpu) per turn, written at its first delta."""
    stamps: list[tuple[str, float, float]] = []
    missing: list[str] = []

    def stamp(name: str) -> None:
        stamps.append((name, time.time(), time.thread_time()))

    def wrap(owner: object, attr: str, name: str) -> None:
        original = getattr(owner, attr, None)
        if original is None:
            missing.append(f"{getattr(owner, '__name__', owner)}.{attr}")
            return
        if asyncio.iscoroutinefunction(original):
            @functools.wraps(original)
            async def stamped(*args, **kwargs):
                stamp(name + ">")
                try:
                    return await original(*args, **kwargs)
                finally:
                    stamp(name + "<")
        else:
            @functools.wraps(original)
            def stamped(*args, **kwargs):
                stamp(name + ">")
                try:
                    return original(*args, **kwargs)
                finally:
                    stamp(name + "<")
        setattr(owner, attr, stamped)

    import aiohttp.client
    import aiohttp.client_reqrep
    import openai._base_client
    import uvicorn.protocols.http.httptools_impl as httptools_impl

    import tutor.api.chat as chat
    import tutor.fitting as fitting
    import tutor.store.repository as repository
    import tutor.turns as turns

    received = httptools_impl.HttpToolsProtocol.data_received

    def data_received(self, data: bytes) -> None:
        if data.startswith(b"POST /v1/sessions/") and b"/messages" in data[:120]:
            stamps.clear()
            stamp("read")
        return received(self, data)

    httptools_impl.HttpToolsProtocol.data_received = data_received
    wrap(repository.Store, "authenticate", "token check")
    wrap(repository.Store, "begin_turn", "begin_turn")
    wrap(turns.Tutor, "_run", "turn task")
    wrap(turns, "plan_turn", "plan_turn")
    wrap(fitting.PromptFitter, "fit", "fit")
    wrap(openai._base_client.AsyncAPIClient, "request", "SDK request")
    wrap(aiohttp.client.ClientSession, "_request", "aiohttp request")
    wrap(aiohttp.client_reqrep.ClientRequest, "write_bytes", "aiohttp write")
    event = chat.sse_event

    def sse_event(turn, seq, name, data):
        if name == "delta" and not any(s[0] == "first delta" for s in stamps):
            stamp("first delta")
            with open(out, "a") as file:
                file.write(json.dumps({"stamps": stamps, "missing": missing}) + "\n")
        return event(turn, seq, name, data)

    chat.sse_event = sse_event
    from tutor.cli import main

    main(argv)


# ---------------------------------------------------------------- the learner


async def trace(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(HERE))
    from perf_http import Conn
    from perf_load import QUESTIONS, create_sessions, service_turn
    import perf_processes
    from perf_processes import Deployment, Fake, Service

    perf_processes.START_TIMEOUT = args.start_timeout

    work = Path(tempfile.mkdtemp(prefix="tutor-trace-"))
    out = work / "stamps.jsonl"
    fake = Fake(work, chunks=50, first_token_delay=0.01, chunk_delay=0.01)
    env = f"env PYTHONPATH={args.tree} " if args.tree else ""
    command = f"{env}{sys.executable} {Path(__file__).resolve()} --child {out} serve"
    deployment = Deployment(workers=1, database=args.database, redis=args.redis)
    deployment.open()
    service = None
    try:
        service = Service(fake.port, work, "traced", serve_command=command, deployment=deployment)
        await service.ready()
        learner = (await create_sessions(service.port, 1))[0]
        conn = Conn(service.port)
        for index in range(8):  # every question once: lazy set-up and caches
            await service_turn(conn, learner, QUESTIONS[index % len(QUESTIONS)])
        await fake.reset()
        out.write_text("")
        sent: list[float] = []
        for index in range(args.turns):
            sent.append(time.time())
            await service_turn(conn, learner, QUESTIONS[index % len(QUESTIONS)])
            await asyncio.sleep(0.02)
        log = [r for r in await fake.log() if r["path"].endswith("/chat/completions")]
        lines = [json.loads(line) for line in out.read_text().splitlines()]
    finally:
        if service is not None:
            service.stop()
        fake.stop()
        deployment.close()
    report(sent, lines, log)


def report(sent: list[float], lines: list[dict], log: list[dict]) -> None:
    steps: dict[str, tuple[list[float], list[float]]] = {}
    at: dict[str, list[float]] = {}
    for moment, line, record in zip(sent, lines, log):
        stamps = line["stamps"]
        for (name, wall, cpu), (after, wall2, cpu2) in zip(stamps, stamps[1:]):
            walls, cpus = steps.setdefault(f"{name} .. {after}", ([], []))
            walls.append((wall2 - wall) * 1000)
            cpus.append((cpu2 - cpu) * 1000)
        for name, wall, _ in stamps:
            at.setdefault(name, []).append((wall - moment) * 1000)
        at.setdefault("the fake model has the request", []).append((record["started"] - moment) * 1000)
    if lines and lines[0]["missing"]:
        print("not stamped (moved in this version):", ", ".join(lines[0]["missing"]))
    print(f"{len(lines)} turns, one learner; medians in ms\n")
    print(f"{'step':44s} {'wall':>7s} {'CPU':>7s}")
    for name, (walls, cpus) in steps.items():
        print(f"{name:44s} {statistics.median(walls):7.2f} {statistics.median(cpus):7.2f}")
    print(f"\n{'after the client sent its message':44s} {'wall':>7s}")
    for name, values in sorted(at.items(), key=lambda item: statistics.median(item[1])):
        print(f"{name:44s} {statistics.median(values):7.2f}")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        serve_with_stamps(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--redis", action="store_true", help="live state in Redis (as with several workers)")
    parser.add_argument("--start-timeout", type=float, default=60.0,
                        help="how long the service may take to start (more on a busy machine)")
    parser.add_argument("--tree", help="another build's root (its tutor/ is imported instead of this one)")
    asyncio.run(trace(parser.parse_args()))


if __name__ == "__main__":
    main()
