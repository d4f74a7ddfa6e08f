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
