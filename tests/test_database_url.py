"""Database URLs the service cannot use stop it at start-up with a message, exit code 2,
no traceback and no password; PostgreSQL works from the plain install."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ServerProcess, throwaway_postgres_database

ROOT = Path(__file__).resolve().parent.parent


def serve(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor", "serve", "--port", "1"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "TUTOR_DATABASE_URL": url, "TUTOR_PROVIDER": "offline"})


@pytest.mark.parametrize("url, message", [
    ("mysql://tutor:s3cret-pw@127.0.0.1/tutor", "unsupported database 'mysql'"),
    ("nosuchdb://tutor:s3cret-pw@127.0.0.1/tutor", "unsupported database 'nosuchdb'"),
    ("postgresql+psycopg2://tutor:s3cret-pw@127.0.0.1/tutor", "the driver 'postgresql+psycopg2', which is not installed"),
    ("tutor.db", "TUTOR_DATABASE_URL is not a database URL"),
    ("postgresql://tutor:s3cret-pw@127.0.0.1:9/tutor", "cannot use the database postgresql+psycopg://tutor:***@127.0.0.1:9/tutor (TUTOR_DATABASE_URL): "
     "connection failed"),
    ("sqlite:////proc/tutor/tutor.db", "TUTOR_DATABASE_URL: cannot create the folder"),
])
def test_an_unusable_database_url_is_said_plainly(url: str, message: str) -> None:
    result = serve(url)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "s3cret-pw" not in result.stderr + result.stdout


@pytest.fixture
def postgres_database() -> Iterator[str]:
    with throwaway_postgres_database() as name:
        yield name


@pytest.mark.postgres
def test_a_missing_database_or_login_is_said_plainly(postgres_database: str) -> None:
    missing = serve("postgresql://postgres@127.0.0.1:5432/tutor_no_such_database")
    assert missing.returncode == 2 and 'database "tutor_no_such_database" does not exist' in missing.stderr
    stranger = serve(f"postgresql://tutor_no_such_role:s3cret-pw@127.0.0.1:5432/{postgres_database}")
    assert stranger.returncode == 2 and "tutor_no_such_role" in stranger.stderr
    assert "Traceback" not in missing.stderr + stranger.stderr and "s3cret-pw" not in stranger.stderr


@pytest.mark.postgres
@pytest.mark.slow
def test_the_service_runs_on_postgresql_with_quiet_start_up_logs(postgres_database: str, tmp_path: Path) -> None:
    server = ServerProcess({"TUTOR_DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{postgres_database}",
                            "TUTOR_PROVIDER": "offline", "TUTOR_MODEL": "llama3.2", "TUTOR_LOG_LEVEL": "info",
                            "TUTOR_OFFLINE_DELAY": "0"}, tmp_path / "server.log").start(timeout=60)
    try:
        created = httpx.post(f"{server.url}/v1/sessions").json()
        answer = httpx.post(f"{server.url}/v1/sessions/{created['id']}/messages", json={"content": "GAN이 뭐예요?"},
                            headers={"Authorization": f"Bearer {created['token']}", "Accept": "application/json"},
                            timeout=30)
        assert answer.status_code == 200 and answer.json()["status"] == "complete"
    finally:
        server.stop()
    log = server.output()
    assert "TUTOR_MODEL=llama3.2 is ignored" in log
    assert "bringing the database schema from nothing to" in log
    assert "alembic" not in log, log
