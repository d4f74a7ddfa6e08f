"""The README's curl walkthrough, run as written against a real server.

The shell block under "A streamed turn with curl" is taken from README.md as it is; only the
service's address is changed to the test server's port. If a newcomer would need a manual fix
(an id to copy, a variable to set), this test fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
README_ADDRESS = "http://127.0.0.1:8000"


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A streamed turn with curl", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="the walkthrough needs curl")
def test_the_curl_walkthrough_runs_as_written(tmp_path: Path) -> None:
    script = walkthrough()
    assert README_ADDRESS in script
    server = ServerProcess({"TUTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'readme.db'}", "TUTOR_PROVIDER": "offline",
                            "TUTOR_OFFLINE_DELAY": "0", "TUTOR_LOG_LEVEL": "warning"},
                           tmp_path / "server.log").start(timeout=60)
    try:
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script.replace(README_ADDRESS, server.url)],
                                capture_output=True, text=True, timeout=120, cwd=tmp_path,
                                env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"})
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("event: done") == 2, out
    # An error body is {"error": {...}}; ids and tokens are random and may hold any digits ("…-4044-…").
    assert "event: error" not in out and '{"error"' not in out.split("event: done")[0]
    conversation = json.loads(out.strip().splitlines()[-1])
    messages = conversation["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    assert messages[2]["content"] == "그럼 그 전에는 뭘 썼어요?"
    assert all(m["status"] == "complete" for m in messages)
    assert "RNN" in messages[3]["content"], "the follow-up was answered in context"
