"""`tutor chat`: a conversation in the terminal, Korean intact, answers as they stream."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_terminal_conversation_with_a_follow_up(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "chat"], cwd=ROOT, capture_output=True, timeout=120,
        input="트랜스포머가 뭐예요?\n그럼 그 전에는 뭘 썼어요?\n/quit\n".encode(),
        env={"PATH": "/usr/bin:/bin", "TUTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}",
             "TUTOR_OFFLINE_DELAY": "0", "PYTHONIOENCODING": "utf-8"},
    )
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode()
    assert "생성형 AI와 LLM에 대해 무엇이든 물어보세요" in out
    assert "트랜스포머" in out and "RNN" in out
    assert "�" not in out


def test_a_refused_turn_is_explained_in_korean(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "chat"], cwd=ROOT, capture_output=True, timeout=120,
        input="GAN이 뭐예요?\nVAE는요?\n/quit\n".encode(),
        env={"PATH": "/usr/bin:/bin", "TUTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}",
             "TUTOR_OFFLINE_DELAY": "0", "PYTHONIOENCODING": "utf-8", "TUTOR_SESSION_TOKEN_BUDGET": "1"},
    )
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode()
    assert "GAN" in out
    assert "[이 대화에 정해진 사용량을 모두 썼어요. 새 대화를 시작해 주세요.]" in out
