"""The processes of the performance bench: the fake model and the service, started and measured.

``Fake`` is bench/fake_provider.py as a subprocess with its control API;
``Service`` is `tutor serve` as an operator runs it against the fake, on
SQLite or PostgreSQL, with one or several workers, with or without Redis.
CPU and memory are read with psutil for a process and its children (the
workers).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from perf_http import Conn, call_json

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "bench" / "fake_provider.py"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
# How long a service may take to answer /healthz (``perf.py --start-timeout``): a machine shared
# with other work can take longer than this to import and load the pack.
START_TIMEOUT = 60.0


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

    def __init__(self, workdir: Path, *, chunks: int, first_token_delay: float, chunk_delay: float):
        self.log_path = workdir / "fake.log"
        self.proc = subprocess.Popen(
            [sys.executable, str(FAKE), "--host", "127.0.0.1", "--port", "0", "--chunks", str(chunks),
             "--first-token-delay", str(first_token_delay), "--chunk-delay", str(chunk_delay),
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
                 db_path: Path | None = None, serve_command: str | None = None,
                 deployment: "Deployment | None" = None):
        self.port = free_port()
        self.db_path = db_path or workdir / f"{name}.db"
        self.db_url = deployment.database_url if deployment and deployment.database_url else f"sqlite:///{self.db_path}"
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
        if deployment is not None:
            env["TUTOR_WORKERS"] = str(deployment.workers)
            if deployment.redis_prefix:
                env.update(TUTOR_REDIS_URL=REDIS_URL, TUTOR_REDIS_PREFIX=deployment.redis_prefix)
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

    async def ready(self, deadline: float | None = None) -> float:
        """Seconds from process start to the first 200 on /healthz."""
        deadline = deadline or START_TIMEOUT
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
class Deployment:
    """One way to run the service: its worker count, its database, and Redis when shared.

    ``open()`` creates its PostgreSQL database and picks a Redis key prefix;
    ``close()`` drops and deletes them.
    """

    workers: int
    database: str  # sqlite | postgres
    redis: bool
    database_url: str | None = None
    redis_prefix: str | None = None
    # Another build of the service (``--compare``): its command and the name it is shown under.
    command: str | None = None
    name: str | None = None

    @classmethod
    def parse(cls, spec: str) -> "Deployment":
        """``2:postgres`` → 2 workers on PostgreSQL; Redis whenever there is more than one worker
        (``1:sqlite:redis`` asks for it with one)."""
        workers, _, rest = spec.partition(":")
        database, _, redis = (rest or "sqlite").partition(":")
        if database not in ("sqlite", "postgres"):
            raise ValueError(f"unknown database {database!r} in {spec!r}: sqlite or postgres")
        return cls(int(workers), database, int(workers) > 1 or redis == "redis")

    @classmethod
    def parse_compare(cls, spec: str) -> "Deployment":
        """``NAME[:WORKERS:DATABASE]=COMMAND``: another build of the service, side by side with this one
        (e.g. ``main=env PYTHONPATH=/tmp/main .venv/bin/python -m tutor serve``)."""
        head, sep, command = spec.partition("=")
        if not sep or not command.strip():
            raise ValueError(f"--compare wants NAME[:WORKERS:DATABASE]=COMMAND, got {spec!r}")
        name, _, shape = head.partition(":")
        deployment = cls.parse(shape or "1:sqlite")
        deployment.command, deployment.name = command, name
        return deployment

    @property
    def label(self) -> str:
        shape = f"w{self.workers} {'pg' if self.database == 'postgres' else 'sqlite'}{'+redis' if self.redis else ''}"
        return f"{shape} {self.name}" if self.name else shape

    def open(self) -> None:
        if self.database == "postgres":
            import psycopg

            name = f"tutor_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            self.database_url = f"postgresql://postgres@127.0.0.1:5432/{name}"
        if self.redis:
            self.redis_prefix = f"tutor-bench-{uuid.uuid4().hex[:10]}:"

    def close(self) -> None:
        if self.database_url:
            import psycopg

            name = self.database_url.rsplit("/", 1)[1]
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.database_url = None
        if self.redis_prefix:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{self.redis_prefix}*", count=1000))
            if keys:
                client.delete(*keys)
            client.close()
            self.redis_prefix = None
