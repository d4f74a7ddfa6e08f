"""Shared fixtures: settings on a throwaway database, the app in-process, a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tutor.api.app import create_app
from tutor.config import Settings
from tutor.knowledge.pack import LessonPack, load_pack
from tutor.knowledge.retrieval import Retriever

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"

# Tests never read the developer's .env or real keys.
for _name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"):
    os.environ.pop(_name, None)
for _name in [n for n in os.environ if n.startswith("TUTOR_")]:
    os.environ.pop(_name, None)


POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def throwaway_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database's name, dropped afterwards (skipped outside CI without a server)."""
    import psycopg

    name = f"tutor_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def httpx2_mock(httpx2_mock, monkeypatch: pytest.MonkeyPatch):
    """respx under the SDKs' default client, httpx2 (pytest-httpx2's fixture): services a test
    builds send through it, not through aiohttp, which respx cannot see."""
    monkeypatch.setenv("TUTOR_UPSTREAM_HTTP", "httpx")
    return httpx2_mock


@pytest.fixture(scope="session")
def pack() -> LessonPack:
    """The real lesson pack, loaded once."""
    return load_pack(ROOT / "prompts" / "lessons")


@pytest.fixture(scope="session")
def retriever(pack: LessonPack) -> Retriever:
    return Retriever(pack)


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "provider": "offline", "database_url": f"sqlite:///{tmp_path / 'tutor.db'}",
            "offline_delay": 0.0, "rate_limit_enabled": False, "_env_file": None,
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def client(make_settings: Callable[..., Settings]) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings())) as test_client:
        yield test_client


def new_session(client: TestClient | httpx.Client) -> tuple[str, dict[str, str]]:
    response = client.post("/v1/sessions")
    assert response.status_code == 201, response.text
    body = response.json()
    return body["id"], {"Authorization": f"Bearer {body['token']}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`tutor serve` as an operator runs it, on a free loopback port."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> "ServerProcess":
        # A file, not a pipe: a chatty server must never block on a full pipe.
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tutor", "serve", "--port", str(self.port)],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not become healthy in time")

    def get_session(self, session_id: str, token: str) -> httpx.Response:
        """What the service stored, as its owner reads it."""
        return httpx.get(f"{self.url}/v1/sessions/{session_id}", headers={"Authorization": f"Bearer {token}"})

    def log(self) -> str:
        return self.output()[-4000:]

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self, sig: int | None = None) -> None:
        if self.process and self.process.poll() is None:
            if sig is None:
                self.process.terminate()
            else:
                self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    servers: list[ServerProcess] = []

    def start(**env: str) -> ServerProcess:
        values = {"TUTOR_PROVIDER": "offline", "TUTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'live.db'}",
                  "TUTOR_OFFLINE_DELAY": "0", "TUTOR_RATE_LIMIT_ENABLED": "false", "TUTOR_LOG_LEVEL": "warning"}
        values.update(env)
        server = ServerProcess(values, tmp_path / f"server-{len(servers)}.log").start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with throwaway_postgres_database() as name:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the Redis server at 127.0.0.1:6379; its keys are deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379: {exc}")
    prefix = f"tutor-test-{uuid.uuid4().hex[:12]}:"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
