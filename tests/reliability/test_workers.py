"""`tutor serve --workers N`: several processes on one port, sharing their live state through Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import httpx
import pytest

from tests.conftest import REDIS_URL, ROOT
from tests.reliability.client import open_session, stored, turn
from tests.reliability.conftest import ANSWER


def test_more_than_one_worker_without_redis_stops_at_start_up_naming_the_setting(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")}
    env.update(TUTOR_PROVIDER="offline", TUTOR_DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}")
    result = subprocess.run([sys.executable, "-m", "tutor", "serve", "--workers", "2", "--port", "0"],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "TUTOR_REDIS_URL" in result.stderr


@pytest.mark.postgres
@pytest.mark.redis
def test_two_workers_answer_together_and_drain_on_sigterm(upstream_server, fake, postgres_url, redis_prefix) -> None:
    server = upstream_server(TUTOR_WORKERS="2", TUTOR_DATABASE_URL=postgres_url, TUTOR_REDIS_URL=REDIS_URL,
                             TUTOR_REDIS_PREFIX=redis_prefix, TUTOR_SHUTDOWN_GRACE="8")
    children = subprocess.run(["ps", "--ppid", str(server.process.pid), "-o", "args="],
                              capture_output=True, text=True).stdout
    assert children.count("multiprocessing") >= 2, children  # the two workers (and no more than a tracker)

    results: list = []

    def learner() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            session_id, headers = open_session(client)
            results.append((session_id, headers, turn(client, session_id, headers, "어텐션이 뭐예요?")))

    threads = [threading.Thread(target=learner) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [r.names[-1] for _, _, r in results] == ["done"] * 6
    assert all(r.text == ANSWER for _, _, r in results)

    # SIGTERM while an answer is being written: it is finished within the grace and stored.
    fake.control(chunk_delay=0.1)  # about 2 s of answer
    with httpx.Client(base_url=server.url, timeout=30) as client:
        session_id, headers = open_session(client)
        with client.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": "GAN이 뭐예요?"},
                           headers=headers) as response:
            lines = response.iter_lines()
            for line in lines:
                if line.startswith("event: delta"):
                    break
            server.process.send_signal(signal.SIGTERM)
            rest = "\n".join(lines)
        assert "event: done" in rest
    assert server.process.wait(timeout=30) == 0

    again = upstream_server(TUTOR_DATABASE_URL=postgres_url, TUTOR_REDIS_URL=REDIS_URL,
                            TUTOR_REDIS_PREFIX=redis_prefix)
    with httpx.Client(base_url=again.url, timeout=30) as client:
        messages = stored(client, session_id, headers)
    assert messages[1]["status"] == "complete" and messages[1]["content"] == ANSWER
