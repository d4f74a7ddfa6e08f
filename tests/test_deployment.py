"""The docker compose deployment, read as compose reads it (no Docker here): what an operator relies on."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tutor.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def seconds(duration: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    return sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", duration))


def default(value: str) -> str:
    """`${NAME:-default}` as compose fills it when NAME is unset."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))


def test_the_tutor_runs_as_several_processes_on_postgresql_and_redis() -> None:
    services = compose()["services"]
    tutor = services["tutor"]
    env = {k: default(v) for k, v in tutor["environment"].items()}
    assert env["TUTOR_DATABASE_URL"].startswith("postgresql://") and "@postgres:5432/" in env["TUTOR_DATABASE_URL"]
    assert env["TUTOR_REDIS_URL"] == "redis://redis:6379/0"
    assert tutor["deploy"]["replicas"] * int(env["TUTOR_WORKERS"]) >= 2
    # What each replica reads is a valid configuration (workers need Redis).
    settings = Settings(_env_file=None, **{k.removeprefix("TUTOR_").lower(): v for k, v in env.items()})
    assert settings.workers == int(env["TUTOR_WORKERS"])


def test_every_service_has_a_health_check_and_the_tutor_waits_for_its_dependencies() -> None:
    services = compose()["services"]
    for name in ("tutor", "proxy", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert services["tutor"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["tutor"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["command"] == ["tutor", "migrate"]


def test_the_database_outlives_the_containers_and_an_optional_env_file_reaches_the_tutor() -> None:
    document = compose()
    assert "postgres-data" in document["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in document["services"]["postgres"]["volumes"]
    for name in ("tutor", "migrate"):
        assert {"path": ".env", "required": False} in document["services"][name]["env_file"]


def test_a_stop_gives_answers_in_flight_their_whole_grace() -> None:
    tutor = compose()["services"]["tutor"]
    grace = float(default(tutor["environment"]["TUTOR_SHUTDOWN_GRACE"]))
    # The service stops answers after the grace and needs a moment to store them.
    assert seconds(tutor["stop_grace_period"]) > grace + 5


def test_the_proxy_streams_events_unbuffered_with_long_read_timeouts() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"proxy_buffering\s+off;", conf)
    assert seconds(re.search(r"proxy_read_timeout\s+(\S+);", conf).group(1)) >= 300
    assert re.search(r"proxy_http_version\s+1\.1;", conf)
    proxy = compose()["services"]["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]


def test_the_image_leaves_out_secrets_and_local_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".env", ".venv", ".git", "data/", "*.db"):
        assert entry in ignored, entry
