"""A prompt the model finds too long is retried once, smaller; an answer with no text is a failure.

The service runs in-process; respx answers at the SDKs' HTTP boundary with
recorded vendor and llama.cpp responses, and records what was sent.
"""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from tests.conftest import new_session
from tests.sse import parse_sse
from tests.wire_replay import replay
from tutor.api.app import create_app

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
ANTHROPIC_URL = "https://api.anthropic.com/v1/messages"
LOCAL = "http://127.0.0.1:8080/v1"
LOCAL_URL = f"{LOCAL}/chat/completions"
HISTORY = ["트랜스포머가 뭐예요?", "어텐션은요?", "RNN이랑은 뭐가 달라요?", "GPT는 뭐의 줄임말이에요?"]


def ask(client: TestClient, session: tuple[str, dict[str, str]], text: str) -> list:
    session_id, headers = session
    response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": text}, headers=headers)
    assert response.status_code == 200, response.text
    return parse_sse(response.text)


def stored(client: TestClient, session: tuple[str, dict[str, str]]) -> list[dict]:
    session_id, headers = session
    return client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]


def answers(*names: str):
    """A side effect answering each call with the next recorded response (the last one repeats)."""
    queue = list(names)

    def respond(request):
        name = queue.pop(0) if len(queue) > 1 else queue[0]
        return replay(name)[0]

    return respond


@pytest.fixture
def plain_local_server(httpx2_mock: respx.Router) -> respx.Router:
    """A local OpenAI-compatible server that tells neither its window nor its tokenizer (like Ollama)."""
    httpx2_mock.get(url__regex=r"http://127\.0\.0\.1:8080/(props|v1/models)").mock(return_value=httpx.Response(404))
    httpx2_mock.post(url__regex=r"http://127\.0\.0\.1:8080/(tokenize|extras/.*)").mock(
        return_value=httpx.Response(404))
    return httpx2_mock


def sent_sizes(route: respx.Route) -> list[int]:
    return [len(call.request.content) for call in route.calls]


def test_a_context_length_error_is_retried_once_with_a_smaller_prompt(httpx2_mock: respx.Router,
                                                                      make_settings) -> None:
    route = httpx2_mock.post(OPENAI_URL).mock(side_effect=answers("openai_stream_ok.txt"))
    settings = make_settings(provider="openai", openai_api_key="sk-test-key", max_retries=0, fallback=["offline"])
    with TestClient(create_app(settings)) as client:
        session = new_session(client)
        for question in HISTORY:
            ask(client, session, question)
        route.side_effect = answers("openai_error_context_length.txt", "openai_stream_ok.txt")
        events = ask(client, session, "그럼 그 전에는 뭘 썼어요?")
        messages = stored(client, session)

    assert events[-1].name == "done" and events[-1].data["provider"] == "openai"
    refused, retried = sent_sizes(route)[-2:]
    assert retried < refused
    assert messages[-1]["status"] == "complete" and messages[-1]["content"]


def test_an_empty_answer_from_a_local_server_is_retried_smaller_before_the_learner_sees_anything(
        plain_local_server: respx.Router, make_settings) -> None:
    route = plain_local_server.post(LOCAL_URL).mock(side_effect=answers("openai_compat_llamacpp_usage_on_finish.txt"))
    settings = make_settings(provider="openai", openai_api_key="local", openai_base_url=LOCAL, max_retries=0,
                             context_tokens=2048)
    with TestClient(create_app(settings)) as client:
        session = new_session(client)
        for question in HISTORY:
            ask(client, session, question)
        route.side_effect = answers("openai_compat_llamacpp_empty.txt", "openai_compat_llamacpp_usage_on_finish.txt")
        events = ask(client, session, "그럼 그 전에는 뭘 썼어요?")

    assert [e.name for e in events if e.name != "delta"] == ["sources", "done"]
    refused, retried = sent_sizes(route)[-2:]
    assert retried < refused


def test_a_llamacpp_context_size_refusal_counts_as_an_overflow(plain_local_server: respx.Router,
                                                              make_settings) -> None:
    route = plain_local_server.post(LOCAL_URL).mock(
        side_effect=answers("openai_compat_llamacpp_overflow.txt", "openai_compat_llamacpp_usage_on_finish.txt"))
    settings = make_settings(provider="openai", openai_api_key="local", openai_base_url=LOCAL, max_retries=0,
                             context_tokens=2048)
    with TestClient(create_app(settings)) as client:
        events = ask(client, new_session(client), "트랜스포머가 뭐예요?")
    assert events[-1].name == "done"
    assert route.call_count == 2


def test_an_empty_stream_falls_back_to_the_next_provider(httpx2_mock: respx.Router, make_settings) -> None:
    route = httpx2_mock.post(ANTHROPIC_URL).mock(side_effect=answers("anthropic_stream_empty.txt"))
    settings = make_settings(provider="anthropic", anthropic_api_key="sk-ant-test", max_retries=0,
                             fallback=["offline"])
    with TestClient(create_app(settings)) as client:
        session = new_session(client)
        events = ask(client, session, "GAN이 뭐예요?")
        messages = stored(client, session)
    # A hosted vendor's empty answer is not an overflow: no smaller retry, straight to the next provider.
    assert route.call_count == 1
    assert events[-1].name == "done" and events[-1].data["provider"] == "offline"
    assert "GAN" in messages[-1]["content"] and messages[-1]["status"] == "complete"


def test_an_empty_stream_with_no_fallback_is_an_error_and_stored_failed(httpx2_mock: respx.Router,
                                                                        make_settings, caplog) -> None:
    httpx2_mock.post(ANTHROPIC_URL).mock(side_effect=answers("anthropic_stream_empty.txt"))
    settings = make_settings(provider="anthropic", anthropic_api_key="sk-ant-test", max_retries=0)
    with TestClient(create_app(settings)) as client:
        session = new_session(client)
        events = ask(client, session, "GAN이 뭐예요?")
        messages = stored(client, session)
    assert [e.name for e in events] == ["sources", "error"]
    assert events[-1].data["code"] == "provider_empty"
    assert messages[-1]["status"] == "failed" and messages[-1]["content"] == ""
    # The log says what happened, not "trying the next".
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "no other provider to try" in logged and "trying" not in logged


def test_an_empty_openai_stream_is_never_stored_as_an_answer(plain_local_server: respx.Router,
                                                            make_settings) -> None:
    route = plain_local_server.post(LOCAL_URL).mock(side_effect=answers("openai_compat_llamacpp_empty.txt"))
    settings = make_settings(provider="openai", openai_api_key="local", openai_base_url=LOCAL, max_retries=0,
                             context_tokens=2048)
    with TestClient(create_app(settings)) as client:
        session = new_session(client)
        events = ask(client, session, "GAN이 뭐예요?")
        messages = stored(client, session)
    # One smaller retry (a local server's empty answer may be an overflow), then a clean failure.
    assert route.call_count == 2
    assert events[-1].name == "error" and events[-1].data["code"] == "provider_empty"
    assert messages[-1]["status"] == "failed" and messages[-1]["content"] == ""
    assert json.loads(route.calls[1].request.content)["messages"][-1]["content"].endswith("</learner_message>")


def test_llama_cpp_pythons_empty_200_for_an_overflowing_prompt_is_retried_smaller(
        plain_local_server: respx.Router, make_settings) -> None:
    route = plain_local_server.post(LOCAL_URL).mock(side_effect=answers(
        "openai_compat_llamacpp_python_overflow.txt", "openai_compat_llamacpp_usage_on_finish.txt"))
    settings = make_settings(provider="openai", openai_api_key="local", openai_base_url=LOCAL, max_retries=0,
                             context_tokens=2048)
    with TestClient(create_app(settings)) as client:
        session = new_session(client)
        events = ask(client, session, "트랜스포머가 뭐예요?")
        messages = stored(client, session)
    assert route.call_count == 2
    assert events[-1].name == "done" and messages[-1]["status"] == "complete"
