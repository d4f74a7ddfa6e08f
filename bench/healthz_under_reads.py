"""/healthz latency while one client hammers full-session reads.

Why: the review found that re-reading a full session (3-8 MB, no paging, no
limit) 120 times, 40 at a time, pushed /healthz from 3.6 ms to 7-9 s. Reads
are now paged (50 messages) and counted per client; this measures what one
hostile client can still do to everyone else.

It writes a full session straight into a fresh SQLite file (the longest
conversation the service allows, every answer at its maximum length, three
sources each), starts `tutor serve` on loopback, and for ``--seconds``
runs, in a separate process, ``--concurrency`` loops that read the session
as fast as they are let (after a 429 each waits as Retry-After says, or with
``--ignore-retry-after`` retries at once), while this process asks /healthz
every 50 ms. Prints /healthz p50/p99/max, and the reads served and refused.

    .venv/bin/python bench/healthz_under_reads.py [--seconds 20] [--concurrency 40] [--no-rate-limit]
                                                  [--ignore-retry-after]

The target: /healthz p99 under 50 ms with the default limits.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tutor.config import Settings  # noqa: E402
from tutor.store import Store, TurnOutcome, make_engine, migrate  # noqa: E402

TARGET_P99_MS = 50.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def fill_session(database_url: str, messages: int, answer_chars: int) -> tuple[str, str]:
    """The longest session the service allows, written with the service's own store."""
    engine = make_engine(database_url)
    migrate(engine)
    store = Store(engine)
    session, token = await store.create_session("ko")
    answer = ("생성형 AI는 배운 것을 바탕으로 새로운 글과 그림을 만들어요. " * 400)[:answer_chars]
    passage = "트랜스포머는 문장의 모든 단어를 한꺼번에 보는 구조예요. " * 20
    sources = [{"id": f"bench.{n}", "title": f"출처 {n}", "text": passage} for n in range(3)]
    for n in range(messages // 2):
        start = await store.begin_turn(session.id, f"질문 {n}: 트랜스포머가 뭐예요? " * 20,
                                       lease=timedelta(seconds=60), history_limit=1, max_messages=messages)
        await store.finish_turn(session.id, start.assistant_id, TurnOutcome(
            content=answer, status="complete", sources=sources, suggestions=["더 알려 줘"] * 3))
    engine.dispose()
    return session.id, token


def hammer(url: str, session_id: str, token: str, concurrency: int, seconds: float, counts,
           obey_retry_after: bool) -> None:
    """One client reading the session as fast as it is let (runs in its own process)."""

    async def loop(client: httpx.AsyncClient, deadline: float) -> None:
        while time.monotonic() < deadline:
            response = await client.get(f"/v1/sessions/{session_id}")
            with counts.get_lock():
                counts[0 if response.status_code == 200 else 1] += 1
                counts[2] += len(response.content) if response.status_code == 200 else 0
            if response.status_code == 429 and obey_retry_after:
                await asyncio.sleep(min(float(response.headers["Retry-After"]), max(deadline - time.monotonic(), 0)))

    async def main() -> None:
        deadline = time.monotonic() + seconds
        limits = httpx.Limits(max_connections=concurrency)
        async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"},
                                     limits=limits, timeout=60) as client:
            await asyncio.gather(*(loop(client, deadline) for _ in range(concurrency)))

    asyncio.run(main())


def probe(url: str, seconds: float) -> list[float]:
    latencies = []
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=30) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            client.get("/healthz").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.05)
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--no-rate-limit", action="store_true", help="paging alone, reads not limited")
    parser.add_argument("--ignore-retry-after", action="store_true",
                        help="retry every 429 at once (a hostile client) instead of waiting as told")
    args = parser.parse_args()

    defaults = Settings(_env_file=None)
    messages, answer_chars = defaults.max_messages_per_session, defaults.max_answer_chars
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        session_id, token = asyncio.run(fill_session(database_url, messages, answer_chars))
        size_mb = os.path.getsize(Path(tmp) / "bench.db") / 1e6
        port = free_port()
        env = {**os.environ, "TUTOR_PROVIDER": "offline", "TUTOR_DATABASE_URL": database_url,
               "TUTOR_LOG_LEVEL": "warning", "TUTOR_RATE_LIMIT_ENABLED": str(not args.no_rate_limit).lower()}
        server = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port)], env=env, cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the service did not start")
                time.sleep(0.1)
            quiet = probe(url, 3)
            counts = multiprocessing.Array("d", 3)
            client = multiprocessing.Process(target=hammer, args=(url, session_id, token, args.concurrency,
                                                                  args.seconds, counts, not args.ignore_retry_after))
            client.start()
            time.sleep(0.5)
            loaded = probe(url, args.seconds - 1)
            client.join(args.seconds + 60)
            if client.is_alive():
                client.terminate()
        finally:
            server.terminate()
            server.wait(timeout=20)

    served, refused, served_bytes = int(counts[0]), int(counts[1]), counts[2]
    p99 = percentile(loaded, 99)
    print(f"session: {messages} messages, answers of {answer_chars} characters ({size_mb:.1f} MB database)")
    print(f"reads: rate limit {'off' if args.no_rate_limit else f'{defaults.reads_per_minute}/min'}, "
          f"{args.concurrency} at a time for {args.seconds:g} s"
          f"{', 429s retried at once' if args.ignore_retry_after else ', waiting as Retry-After says'}: {served} served "
          f"({served_bytes / max(served, 1) / 1e6:.2f} MB each), {refused} refused")
    print(f"/healthz quiet : p50 {statistics.median(quiet):.1f} ms  p99 {percentile(quiet, 99):.1f} ms")
    print(f"/healthz loaded: p50 {statistics.median(loaded):.1f} ms  p99 {p99:.1f} ms  "
          f"max {max(loaded):.1f} ms  ({len(loaded)} probes)")
    print(f"target p99 < {TARGET_P99_MS:g} ms: {'met' if p99 < TARGET_P99_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
