"""`tutor chat`: a conversation in the terminal, Korean intact, answers as they stream."""

from __future__ import annotations

import io
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pexpect
import pytest

from tests.conftest import REDIS_URL, ServerProcess
from tutor.store import hash_token

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
    assert "이 대화에 정해진 사용량을 모두 썼어요. 새 대화를 시작해 주세요." in out


# --- Through a pseudo-terminal, as a person types -------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
PROMPT_READY = "\x1b[?2004h"  # prompt_toolkit turns on bracketed paste when it waits for a line
LEFT, UP = "\x1b[D", "\x1b[A"


def spawn_chat(database: Path, **env: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable, ["-m", "tutor", "chat"], cwd=str(ROOT), encoding="utf-8", timeout=60,
        dimensions=(50, 110),
        env={"PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "LANG": "C.UTF-8", "PROMPT_TOOLKIT_NO_CPR": "1",
             "TUTOR_DATABASE_URL": f"sqlite:///{database}", "TUTOR_OFFLINE_DELAY": "0", **env},
    )
    child.logfile_read = io.StringIO()
    child.expect("물어보세요")
    child.expect_exact(PROMPT_READY)
    return child


def screen(child: pexpect.spawn) -> str:
    """Everything the terminal showed, without colours and cursor moves."""
    return ANSI.sub("", child.logfile_read.getvalue())


def stored(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_commands_editing_suggestions_sources_and_stopping(tmp_path: Path) -> None:
    database = tmp_path / "chat.db"
    child = spawn_chat(database, TUTOR_MODEL="llama3.2", TUTOR_OFFLINE_DELAY="0.02")
    # Line editing: two steps left, one letter in the middle, and /hlp becomes /help.
    child.send("/hlp" + LEFT + LEFT + "e\r")
    child.expect("/resume")
    child.expect_exact(PROMPT_READY)
    child.send(UP + "\r")  # history brings /help back
    child.expect("/resume")
    child.expect_exact(PROMPT_READY)

    child.sendline("트랜스포머가 뭐예요?")
    child.expect("숫자를 입력하면")
    child.expect_exact(PROMPT_READY)
    shown = screen(child)
    assert "1. " in shown and "**" not in shown, "suggestions are numbered and Markdown is rendered"
    child.sendline("1")  # sends the first suggestion
    child.expect("숫자를 입력하면")
    child.expect_exact(PROMPT_READY)
    child.sendline("/sources")
    child.expect("마지막 답의 출처")
    child.expect_exact(PROMPT_READY)

    # Ctrl-C while the answer is written stops it and returns to the prompt.
    child.sendline("/new")
    child.expect_exact(PROMPT_READY)
    child.sendline("GAN이 뭐예요?")
    child.expect_exact("\x1b[?2004l")  # the prompt has handed the line over
    child.expect_exact("\x1b[?25l")  # the answer's live area has started
    child.sendintr()
    child.expect("멈추는 중")
    child.expect_exact(PROMPT_READY)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    shown = screen(child)
    assert child.exitstatus == 0 and "Traceback" not in shown
    assert "TUTOR_MODEL=llama3.2 is ignored" in shown
    assert "WARNING" not in shown and "INFO" not in shown, "log lines stay out of the conversation"

    questions = [q for (q,) in stored(database, "SELECT content FROM messages WHERE role = 'user' ORDER BY created_at")]
    assert questions[0] == "트랜스포머가 뭐예요?" and questions[-1] == "GAN이 뭐예요?"
    assert len(questions) == 3 and not any(q.startswith(("/", "1")) for q in questions)
    last = stored(database, "SELECT status, error_code FROM messages WHERE role = 'assistant' "
                            "ORDER BY created_at DESC LIMIT 1")
    assert last == [("interrupted", "stopped")]


def test_ctrl_c_at_the_prompt_leaves_cleanly(tmp_path: Path) -> None:
    child = spawn_chat(tmp_path / "chat.db", TUTOR_OFFLINE_DELAY="0.05")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in screen(child)


@pytest.mark.slow
def test_chat_never_touches_an_answer_a_running_server_is_writing(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    # A second a piece: the answer (some 30 pieces) outlasts a terminal chat's start and quit even
    # on a machine busy with other work, where the 10-odd seconds of 0.4 s pieces were not always enough.
    server = ServerProcess({"TUTOR_DATABASE_URL": f"sqlite:///{database}", "TUTOR_PROVIDER": "offline",
                            "TUTOR_OFFLINE_DELAY": "1", "TUTOR_RATE_LIMIT_ENABLED": "false",
                            "TUTOR_LOG_LEVEL": "warning"}, tmp_path / "server.log").start(timeout=60)
    try:
        created = httpx.post(f"{server.url}/v1/sessions").json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        url = f"{server.url}/v1/sessions/{created['id']}/messages"
        with httpx.stream("POST", url, json={"content": "트랜스포머가 뭐예요?"}, headers=headers,
                          timeout=60) as answer:
            lines = answer.iter_lines()
            next(line for line in lines if line.startswith("event: delta"))
            # A terminal chat starts on the same database while the answer is being written ...
            child = spawn_chat(database)
            child.sendline("/quit")
            child.expect(pexpect.EOF)
            # ... and the session is still busy with that answer, which ends complete.
            assert stored(database, "SELECT status FROM messages WHERE role = 'assistant'") == [("streaming",)]
            assert httpx.post(url, json={"content": "하나 더"}, headers=headers, timeout=30).status_code == 409
            assert any(line.startswith("event: done") for line in lines)
        messages = server.get_session(created["id"], created["token"]).json()["messages"]
        assert [m["status"] for m in messages] == ["complete", "complete"]
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.redis
def test_a_stop_sent_to_the_service_stops_an_answer_the_chat_is_writing(tmp_path: Path, redis_prefix: str) -> None:
    # With TUTOR_REDIS_URL, the terminal chat shares the service's live state: a stop sent to any
    # service process reaches the answer the chat is writing, which ends interrupted at once.
    database = tmp_path / "shared.db"
    shared = {"TUTOR_DATABASE_URL": f"sqlite:///{database}", "TUTOR_REDIS_URL": REDIS_URL,
              "TUTOR_REDIS_PREFIX": redis_prefix}
    server = ServerProcess({**shared, "TUTOR_PROVIDER": "offline", "TUTOR_RATE_LIMIT_ENABLED": "false",
                            "TUTOR_LOG_LEVEL": "warning"}, tmp_path / "server.log").start(timeout=120)
    try:
        child = spawn_chat(database, **shared, TUTOR_OFFLINE_DELAY="1")  # about a minute of answer
        child.sendline("트랜스포머가 뭐예요?")
        child.expect_exact("\x1b[?25l")  # the answer's live area has started
        deadline = time.monotonic() + 30
        writing: list[tuple] = []
        while not writing and time.monotonic() < deadline:
            writing = stored(database, "SELECT session_id, id FROM messages WHERE status = 'streaming'")
            time.sleep(0.2)
        [(session_id, message_id)] = writing
        # The chat's session token is never shown; the test gives the session one it knows.
        with sqlite3.connect(database) as connection:
            connection.execute("UPDATE sessions SET token_hash = ? WHERE id = ?", (hash_token("known"), session_id))
        started = time.monotonic()
        stopped = httpx.post(f"{server.url}/v1/sessions/{session_id}/messages/{message_id}/stop",
                             headers={"Authorization": "Bearer known"}, timeout=30)
        assert stopped.status_code == 200 and stopped.json()["status"] == "interrupted", stopped.text
        assert time.monotonic() - started < 10  # not the 15 s a stop waits for an answer nobody stops
        child.expect_exact(PROMPT_READY)
        child.sendline("/quit")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0 and "Traceback" not in screen(child)
        assert stored(database, f"SELECT status, error_code FROM messages WHERE id = '{message_id}'") == [
            ("interrupted", "stopped")]
    finally:
        server.stop()
