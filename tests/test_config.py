"""Configuration: one provider switch, clear start-up errors, no secret in sight."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from tutor.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)


def test_auto_picks_a_vendor_only_when_its_key_is_set() -> None:
    assert settings().primary_provider == "offline"
    assert settings(openai_api_key="sk-test").primary_provider == "openai"
    assert settings(anthropic_api_key="sk-ant-test").primary_provider == "anthropic"


def test_the_chain_is_primary_then_fallbacks_without_repeats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("TUTOR_FALLBACK", "openai, offline")
    monkeypatch.setenv("TUTOR_MODEL", "llama3.2")
    config = Settings(_env_file=None)
    assert config.provider_chain == ["openai", "offline"]
    assert config.model_for("openai") == "llama3.2"
    assert config.model_for("offline") == "offline-tutor"


@pytest.mark.parametrize("values, message", [
    ({"provider": "openia"}, "unknown provider"),
    ({"provider": "openai"}, "OPENAI_API_KEY"),
    ({"provider": "anthropic"}, "ANTHROPIC_API_KEY"),
    ({"fallback": ["gemini"]}, "unknown fallback"),
])
def test_wrong_values_fail_with_a_message_that_says_what_to_fix(values: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**values)


def test_the_command_line_reports_bad_configuration_without_a_traceback_or_key() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "serve"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "TUTOR_PROVIDER": "anthropic", "OPENAI_API_KEY": "sk-secret-123"},
    )
    assert result.returncode == 2
    assert "ANTHROPIC_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr and "sk-secret-123" not in result.stderr + result.stdout


def test_keys_are_hidden_in_the_settings_repr() -> None:
    config = settings(openai_api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(config) and "sk-very-secret" not in str(config.model_dump())


def run_tutor(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", **env})


@pytest.mark.parametrize("variable, value, message", [
    ("TUTOR_CONTEXT_TOKENS", "2k", "TUTOR_CONTEXT_TOKENS must be a whole number of tokens, got '2k'"),
    ("TUTOR_CONTEXT_TOKENS", "512", "TUTOR_CONTEXT_TOKENS must be at least 1024 tokens, got '512'"),
    ("TUTOR_TURN_TIMEOUT", "soon", "TUTOR_TURN_TIMEOUT must be a number of seconds, got 'soon'"),
    ("TUTOR_RATE_LIMIT_ENABLED", "maybe", "TUTOR_RATE_LIMIT_ENABLED must be true or false, got 'maybe'"),
    ("TUTOR_ON_DISCONNECT", "drop", "TUTOR_ON_DISCONNECT must be 'finish' or 'cancel', got 'drop'"),
    ("TUTOR_LOG_LEVEL", "loud", "TUTOR_LOG_LEVEL must be 'debug', 'info', 'warning', 'error' or 'critical'"),
    ("TUTOR_PROVIDER", "openia", "unknown provider 'openia'"),
])
def test_a_wrong_setting_is_named_by_its_variable(variable: str, value: str, message: str) -> None:
    result = run_tutor("serve", **{variable: value, "TUTOR_DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "Input should be" not in result.stderr


def test_a_model_for_the_offline_tutor_is_reported_as_ignored() -> None:
    assert settings(model="llama3.2").ignored() == [
        "TUTOR_MODEL=llama3.2 is ignored: the offline tutor has no other model "
        "(choose a provider with TUTOR_PROVIDER and its key to use that model)"]
    assert settings(model="gpt-4o", openai_api_key="sk-test").ignored() == []
    assert "OPENAI_BASE_URL is ignored" in settings(openai_base_url="http://127.0.0.1:1/v1").ignored()[0]


def test_migrating_says_what_it_does_without_alembic_chatter(tmp_path: Path) -> None:
    result = run_tutor("migrate", TUTOR_DATABASE_URL=f"sqlite:///{tmp_path / 'new.db'}", TUTOR_MODEL="x")
    assert result.returncode == 0, result.stderr
    assert "alembic" not in result.stderr + result.stdout
    assert "TUTOR_MODEL=x is ignored" not in result.stderr  # only `serve` and `chat` judge the model
