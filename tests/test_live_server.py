"""The real service (uvicorn, as `tutor serve` runs it) on a loopback port, read as a client would."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fakes import FakeProvider
from tests.sse import answer_text, parse_sse
from tutor.config import PROJECT_ROOT
from tutor.prompting import load_system_prompt


@pytest.fixture
def fake_openai() -> Iterator[FakeProvider]:
    fake = FakeProvider("--chunks", "6", "--first-token-delay", "0", "--chunk-delay", "0",
                        "--text", "생성자와 판별자가 서로 겨루며 배워요.")
    yield fake
    fake.stop()


def stream_turn(client: httpx.Client, session_id: str, headers: dict[str, str], content: str):
    with client.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": content},
                       headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return parse_sse(response.read().decode())


def test_offline_turns_stream_over_http_and_survive_a_restart(server_factory) -> None:
    server = server_factory()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        created = client.post("/v1/sessions").json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        first = stream_turn(client, created["id"], headers, "트랜스포머가 뭐예요?")
        assert [e.name for e in first][0] == "sources" and first[-1].name == "done"
        follow_up = stream_turn(client, created["id"], headers, "그럼 그 전에는 뭘 썼어요?")
        assert "RNN" in answer_text(follow_up)

    server.stop()
    restarted = server_factory(TUTOR_DATABASE_URL=server.env["TUTOR_DATABASE_URL"])
    with httpx.Client(base_url=restarted.url, timeout=30) as client:
        session = client.get(f"/v1/sessions/{created['id']}", headers=headers).json()
        assert [m["content"] for m in session["messages"]] == [
            "트랜스포머가 뭐예요?", answer_text(first), "그럼 그 전에는 뭘 썼어요?", answer_text(follow_up)]
        assert all(m["status"] == "complete" for m in session["messages"])


def test_an_openai_compatible_server_answers_with_its_own_words_and_receives_the_lesson(
        server_factory, fake_openai: FakeProvider) -> None:
    server = server_factory(TUTOR_PROVIDER="openai", OPENAI_API_KEY="local-key", TUTOR_MODEL="llama3.2",
                            OPENAI_BASE_URL=f"{fake_openai.url}/v1")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        created = client.post("/v1/sessions").json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        stream_turn(client, created["id"], headers, "가짜 사진 만드는 AI가 뭐예요?")
        events = stream_turn(client, created["id"], headers, "그건 어디에 쓰여요?")
        assert answer_text(events).replace(" ", "") == "생성자와판별자가서로겨루며배워요."
        assert events[-1].data["provider"] == "openai" and events[-1].data["model"] == "llama3.2"

    body = fake_openai.log()[-1]["body"]
    assert body["model"] == "llama3.2" and body["stream"] is True
    system, *conversation = body["messages"]
    assert system["role"] == "system" and "<passage id=" not in system["content"]
    assert [m["role"] for m in conversation] == ["user", "assistant", "user"]
    assert conversation[0]["content"] == "<learner_message>\n가짜 사진 만드는 AI가 뭐예요?\n</learner_message>"
    assert "생성자와 판별자" in conversation[1]["content"]
    last = conversation[2]["content"]
    assert '<passage id="models.gan"' in last
    assert "<learner_message>\n그건 어디에 쓰여요?\n</learner_message>" in last


def test_an_anthropic_compatible_server_gets_the_system_prompt_in_its_own_field(
        server_factory, fake_openai: FakeProvider) -> None:
    server = server_factory(TUTOR_PROVIDER="anthropic", ANTHROPIC_API_KEY="local-key",
                            TUTOR_MODEL="claude-sonnet-4-6", ANTHROPIC_BASE_URL=fake_openai.url)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        created = client.post("/v1/sessions").json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        events = stream_turn(client, created["id"], headers, "트랜스포머가 뭐예요?")
        assert answer_text(events).replace(" ", "") == "생성자와판별자가서로겨루며배워요."
        assert events[-1].data["provider"] == "anthropic"
        assert events[-1].data["usage"]["output_tokens"] > 0

    request = fake_openai.log()[-1]
    assert request["path"] == "/v1/messages"
    body = request["body"]
    assert body["model"] == "claude-sonnet-4-6" and body["stream"] is True
    # Our instructions as the one system block, marked as the end of the cacheable prefix.
    assert body["system"] == [{"type": "text", "text": load_system_prompt(PROJECT_ROOT / "prompts"),
                               "cache_control": {"type": "ephemeral"}}]
    assert [m["role"] for m in body["messages"]] == ["user"]
    content = body["messages"][0]["content"]
    text = content if isinstance(content, str) else "".join(part["text"] for part in content)
    assert '<passage id="transformer.' in text and "트랜스포머가 뭐예요?" in text


def test_a_served_process_leaves_what_start_up_built_out_of_the_garbage_collectors_passes(tmp_path) -> None:
    """A worker's app, once built, is frozen (gc.freeze): a full collection no longer walks it."""
    import subprocess
    import sys

    code = ("import gc; from tutor.server import worker_app; before = gc.get_freeze_count(); worker_app(); "
            "print(before, gc.get_freeze_count())")
    env = {"PATH": "/usr/bin:/bin", "TUTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", "TUTOR_PROVIDER": "offline"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         cwd=PROJECT_ROOT)
    assert out.returncode == 0, out.stderr
    before, after = map(int, out.stdout.split())
    assert before == 0 and after > 10_000
