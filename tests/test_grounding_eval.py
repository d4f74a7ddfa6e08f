"""The grounding evaluation meets its targets on the shared question set.

bench/grounding_eval.py plans every question (and lets the offline tutor
answer it); this test runs it and holds the service to the numbers the issue
set: the right passage found, out-of-scope questions declined, in-scope ones
not, and every answer in the learner's language with no instructions leaked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import grounding_eval  # noqa: E402

QUESTIONS = ROOT / "bench" / "grounding" / "questions.toml"


@pytest.fixture(scope="module")
def report() -> dict:
    import asyncio

    return asyncio.run(grounding_eval.evaluate(ROOT / "prompts" / "lessons", QUESTIONS))


def test_the_question_set_covers_every_kind(report: dict) -> None:
    assert set(report["kinds"]) >= {"direct", "paraphrase", "followup", "english", "out_of_scope", "attack"}
    assert report["overall"]["n"] >= 100


def test_the_right_passage_is_found(report: dict) -> None:
    overall = report["overall"]
    assert overall["hit@3"] >= 0.95, report["misses"]
    assert overall["hit@1"] >= 0.85, report["misses"]


def test_out_of_scope_questions_and_attacks_are_declined(report: dict) -> None:
    assert report["overall"]["declined"] >= 0.9, report["misses"]


def test_in_scope_questions_are_rarely_declined(report: dict) -> None:
    assert report["overall"]["false_decline"] <= 0.05, report["misses"]


def test_every_answer_is_in_the_learners_language_and_leaks_nothing(report: dict) -> None:
    assert report["overall"]["language"] == 1.0, report["misses"]
    assert report["overall"]["leaks"] == 0


def test_the_command_line_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "grounding_eval.py"), "--json", str(out)],
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert "overall" in result.stdout and "hit@3" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"kinds", "overall", "misses", "timing"}
    # Speed is the benchmark's to report (bench/perf.py), not a test's to time.
    assert data["timing"]["search_p99_us"] > 0
