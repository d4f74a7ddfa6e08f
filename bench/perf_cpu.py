"""The service's CPU per turn, counted rather than timed: where it goes, function by function.

Runs the fake model (50 chunks) and `tutor serve` (one process, this tree or another with
``--tree``) on SQLite or PostgreSQL, with or without Redis; warms it up, then plays
``--learners`` learners at once for ``--turns`` turns each under cProfile (the event loop's
thread, and every job the loop hands to a thread: PostgreSQL's statements). It prints the
process's CPU per turn (all threads, from the kernel), the share of it spent outside the loop's
thread, how many times a turn calls what costs (SQL statements, Redis round trips, JSON
encodings, SSE events written), and the functions with the most CPU of their own and with
their callees. cProfile slows Python code about twofold: compare runs of this tool with each
other, not with ``bench/perf.py``; ``--no-profile`` gives the CPU per turn without it. The
learners play the development conversations (``--load fixed``: the eight cached questions), as
``bench/perf.py`` does (``perf_load.Script``).

    .venv/bin/python bench/perf_cpu.py                                   # SQLite
    .venv/bin/python bench/perf_cpu.py --database postgres --redis       # PostgreSQL + Redis
    .venv/bin/python bench/perf_cpu.py --tree /tmp/main --no-profile     # another build
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# What a turn does that is worth counting: (label, the function as pstats names it).
COUNTED = (
    ("SQLite statements", ("~", 0, "<method 'execute' of 'sqlite3.Connection' objects>")),
    ("SQLite cursor statements", ("~", 0, "<method 'execute' of 'sqlite3.Cursor' objects>")),
    ("JSON encodings (json.dumps)", ("dumps", "json/__init__.py")),
    ("JSON encodings (encoder.encode)", ("encode", "json/encoder.py")),
    ("JSON decodings (json.loads)", ("loads", "json/__init__.py")),
    ("SQLAlchemy executions", ("_execute_context", "sqlalchemy/engine/base.py")),
    ("psycopg executions", ("execute", "psycopg/cursor.py")),
    ("Redis pipelines run", ("execute", "redis/asyncio/client.py")),
    ("Redis commands alone", ("execute_command", "redis/asyncio/client.py")),
    ("transport writes", ("~", 0, "<method 'write' of '_SelectorSocketTransport' objects>")),
)


# ---------------------------------------------------------------- inside the service


def serve_profiled(out: str, profile: bool, argv: list[str]) -> None:
    """`tutor serve`, profiled between SIGUSR1 and SIGUSR2; the figures go to ``out`` as JSON."""
    import concurrent.futures.thread as pool

    state: dict[str, object] = {"on": False}
    profilers: list[cProfile.Profile] = []
    local = threading.local()

    run = pool._WorkItem.run

    def profiled_run(self) -> None:  # a job handed to a thread (asyncio.to_thread, run_in_executor)
        if not state["on"]:
            return run(self)
        profiler = getattr(local, "profiler", None)
        if profiler is None:
            profiler = local.profiler = cProfile.Profile(time.thread_time)
            profilers.append(profiler)
        profiler.enable()
        try:
            return run(self)
        finally:
            profiler.disable()

    def in_thread(fn):  # the same, for anyio's worker threads (the store's statements)
        def profiled(*args):
            if not state["on"]:
                return fn(*args)
            profiler = getattr(local, "profiler", None)
            if profiler is None:
                profiler = local.profiler = cProfile.Profile(time.thread_time)
                profilers.append(profiler)
            profiler.enable()
            try:
                return fn(*args)
            finally:
                profiler.disable()
        return profiled

    if profile:
        import anyio.to_thread

        pool._WorkItem.run = profiled_run
        run_sync = anyio.to_thread.run_sync

        async def profiled_run_sync(func, *args, **kwargs):
            return await run_sync(in_thread(func), *args, **kwargs)

        anyio.to_thread.run_sync = profiled_run_sync

    main_profiler = cProfile.Profile(time.thread_time)
    marks: dict[str, float] = {}

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def begin(signum, frame) -> None:
        marks["cpu"], marks["loop"] = cpu(), time.thread_time()
        state["on"] = profile
        if profile:
            main_profiler.enable()

    def end(signum, frame) -> None:
        if profile:
            main_profiler.disable()
        state["on"] = False
        used, loop_used = cpu() - marks["cpu"], time.thread_time() - marks["loop"]
        stats = None
        if profile:
            stats = pstats.Stats(main_profiler)
            for profiler in profilers:
                profiler.create_stats()
                if profiler.stats:
                    stats.add(profiler)
            stats.dump_stats(out + ".prof")
        Path(out).write_text(json.dumps({"cpu": used, "loop_cpu": loop_used}))

    signal.signal(signal.SIGUSR1, begin)
    signal.signal(signal.SIGUSR2, end)
    from tutor.cli import main

    main(argv)


# ---------------------------------------------------------------- the learners


async def measure(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(HERE))
    import perf_processes
    from perf_http import Conn
    from perf_load import Script, create_sessions, service_turn
    from perf_processes import Deployment, Fake, Service

    perf_processes.START_TIMEOUT = args.start_timeout
    script = Script(args.load)
    work = Path(tempfile.mkdtemp(prefix="tutor-cpu-"))
    out = work / "cpu.json"
    fake = Fake(work, chunks=args.chunks, first_token_delay=0.01, chunk_delay=args.chunk_delay)
    env = f"env PYTHONPATH={args.tree} " if args.tree else ""
    flag = "--child" if args.profile else "--child-plain"
    command = f"{env}{sys.executable} {Path(__file__).resolve()} {flag} {out} serve"
    deployment = Deployment(workers=1, database=args.database, redis=args.redis)
    deployment.open()
    service = None
    try:
        service = Service(fake.port, work, "profiled", serve_command=command, deployment=deployment)
        await service.ready()
        learners = await create_sessions(service.port, args.learners)
        conns = [Conn(service.port) for _ in learners]

        async def play(turns: int, offset: int = 0) -> int:
            failed = 0

            async def one(index: int) -> None:
                nonlocal failed
                for turn in range(turns):
                    sample = await service_turn(conns[index], learners[index],
                                                script.say("service", index, turn + offset))
                    failed += not sample.ok
            await asyncio.gather(*(one(i) for i in range(len(learners))))
            return failed

        await play(2, offset=3)  # lazy set-up and caches
        await asyncio.sleep(0.5)
        service.proc.send_signal(signal.SIGUSR1)
        spy = None
        if args.py_spy:
            py_spy = Path(sys.executable).parent / "py-spy"
            if not py_spy.exists():  # installed elsewhere (its own venv, on PATH)
                py_spy = Path(shutil.which("py-spy") or py_spy)
            spy = subprocess.Popen([str(py_spy), "record", "--pid", str(service.proc.pid), "--rate", "1000", "--gil",
                                    "--format", "raw", "--output", args.py_spy, "--nonblocking"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        await asyncio.sleep(0.2)
        failed = await play(args.turns)
        await asyncio.sleep(0.5)  # the last turns' writes to Redis and the store
        service.proc.send_signal(signal.SIGUSR2)
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=30)
        for _ in range(600):
            if out.exists():
                break
            await asyncio.sleep(0.1)
        for conn in conns:
            conn.close()
    finally:
        if service is not None:
            service.stop()
        fake.stop()
        deployment.close()
    turns = args.learners * args.turns
    figures = json.loads(out.read_text())
    print(f"{turns} turns ({args.learners} learners x {args.turns}, {args.chunks} chunks {args.chunk_delay * 1000:g} ms apart), "
          f"{failed} failed; "
          f"{args.database}{' + redis' if args.redis else ''}; {'cProfile on' if args.profile else 'no profiler'}; "
          f"learners say {script.describe()}")
    print(f"CPU per turn {figures['cpu'] / turns * 1000:.2f} ms "
          f"(the loop's thread {figures['loop_cpu'] / turns * 1000:.2f} ms)")
    if args.profile:
        report(Path(str(out) + ".prof"), turns, args.top, args.save)
    if args.py_spy and Path(args.py_spy).exists():
        from perf_report import summarize_profile

        profile = summarize_profile(Path(args.py_spy), top=args.top)
        print(f"\npy-spy: {profile['samples']} samples; own time by package: "
              + ", ".join(f"{row['package']} {row['share']:.0%}" for row in profile["packages"][:12]))
        for title, rows in (("own time", profile["self"]), ("on the stack", profile["inclusive"])):
            print(f"\n{title} (share of samples, ~CPU per turn):")
            for row in rows:
                ms = row["share"] * figures["cpu"] / turns * 1000
                print(f"  {row['share']:6.1%} {ms:6.2f} ms  {row['frame']}")


def report(path: Path, turns: int, top: int, save: str | None) -> None:
    stats = pstats.Stats(str(path))
    if save:
        stats.dump_stats(save)
    print("\nper turn:")
    for label, key in COUNTED:
        found = [(k, v) for k, v in stats.stats.items()
                 if (k == key) or (len(key) == 2 and k[2] == key[0] and k[0].endswith(key[1]))]
        calls = sum(v[1] for _, v in found)
        if calls:
            print(f"  {label:36s} {calls / turns:7.2f}")
    for sort, title in (("tottime", "own time"), ("cumulative", "with callees")):
        buffer = io.StringIO()
        pstats.Stats(str(path), stream=buffer).sort_stats(sort).print_stats(top)
        print(f"\nby {title} (whole run, seconds; divide by {turns} turns):")
        lines = buffer.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
        print("\n".join(line.replace(str(Path(sys.prefix)), "…") for line in lines[start:] if line.strip()))


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] in ("--child", "--child-plain"):
        serve_profiled(sys.argv[2], sys.argv[1] == "--child", sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=8)
    parser.add_argument("--turns", type=int, default=10, help="turns per learner")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--redis", action="store_true", help="live state in Redis (as with several workers)")
    parser.add_argument("--chunks", type=int, default=50, help="chunks per answer (the fake model's)")
    parser.add_argument("--chunk-delay", type=float, default=0.01)
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--load", choices=("conversations", "fixed"), default="conversations",
                        help="the development conversations (default) or the same 8 questions in turn")
    parser.add_argument("--py-spy", metavar="FILE", help="sample the service with py-spy instead of "
                        "cProfile (no slow-down; implies --no-profile), collapsed stacks into FILE")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--save", help="keep the profile (pstats) in this file")
    parser.add_argument("--start-timeout", type=float, default=120.0)
    parser.add_argument("--tree", help="another build's root (its tutor/ is imported instead of this one)")
    args = parser.parse_args()
    if args.py_spy:
        args.profile = False
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
