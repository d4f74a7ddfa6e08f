"""Whole-document grounding and prompt caching, checked on the requests the vendors' SDKs really send.

The service runs in-process with OpenAI or Anthropic as its provider; respx
answers at the SDKs' HTTP boundary with the vendors' recorded streams and
records every request, so the tests read the exact bytes a vendor would see.
"""

from __future__ import annotations

import json

import respx
from fastapi.testclient import TestClient

from tests.conftest import new_session
from tests.sse import parse_sse
from tests.wire_replay import replay
from tutor.api.app import create_app

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
ANTHROPIC_URL = "https://api.anthropic.com/v1/messages"


def ask(client: TestClient, session: tuple[str, dict[str, str]], text: str) -> list:
    session_id, headers = session
    response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": text}, headers=headers)
    assert response.status_code == 200, response.text
    return parse_sse(response.text)


def sent_bodies(route: respx.Route) -> list[dict]:
    return [json.loads(call.request.content) for call in route.calls]


def test_openai_gets_the_whole_lesson_as_one_prefix_identical_across_turns_and_sessions(
        httpx2_mock: respx.Router, make_settings, pack) -> None:
    route = httpx2_mock.post(OPENAI_URL).mock(side_effect=lambda request: replay("openai_stream_ok.txt")[0])
    settings = make_settings(provider="openai", openai_api_key="sk-test-key", max_retries=0)
    with TestClient(create_app(settings)) as client:
        first = new_session(client)
        ask(client, first, "생성형 AI가 뭐예요?")
        ask(client, first, "그럼 트랜스포머는요?")
        ask(client, new_session(client), "LLM은 어떻게 배우나요?")

    bodies = sent_bodies(route)
    assert len(bodies) == 3
    prefixes = [body["messages"][0] for body in bodies]
    assert prefixes[0]["role"] == "system"
    # Byte-identical across turns and sessions: what OpenAI's automatic cache needs.
    assert prefixes[0] == prefixes[1] == prefixes[2]
    prefix = prefixes[0]["content"]
    assert "<lesson_document>" in prefix
    for passage_id in pack.passages:
        assert f'<passage id="{passage_id}"' in prefix
    # The lesson is in the learner's language, and no learner text is in the prefix.
    assert "생성형" in prefix and "트랜스포머는요" not in prefix
    # One cache key for every request with that prefix.
    keys = {body["prompt_cache_key"] for body in bodies}
    assert len(keys) == 1 and keys.pop().startswith("tutor-")
    # This turn's passages are named, not repeated.
    last = bodies[1]["messages"][-1]["content"]
    assert "(the whole lesson is in <lesson_document>; most relevant to this message: " in last
    assert "transformer.paper" in last and "<passage" not in last
    assert last.endswith("<learner_message>\n그럼 트랜스포머는요?\n</learner_message>")
    # The second turn carries the first exchange after the prefix.
    assert [m["role"] for m in bodies[1]["messages"]] == ["system", "user", "assistant", "user"]


def test_a_configured_prompt_cache_key_is_sent_as_is(httpx2_mock: respx.Router, make_settings) -> None:
    route = httpx2_mock.post(OPENAI_URL).mock(side_effect=lambda request: replay("openai_stream_ok.txt")[0])
    settings = make_settings(provider="openai", openai_api_key="sk-test-key", max_retries=0,
                             prompt_cache_key="tutor-prod-eu")
    with TestClient(create_app(settings)) as client:
        ask(client, new_session(client), "GAN이 뭐예요?")
    assert sent_bodies(route)[0]["prompt_cache_key"] == "tutor-prod-eu"


def test_anthropic_marks_the_end_of_the_fixed_prefix_for_caching(httpx2_mock: respx.Router, make_settings) -> None:
    route = httpx2_mock.post(ANTHROPIC_URL).mock(side_effect=lambda request: replay("anthropic_stream_ok.txt")[0])
    settings = make_settings(provider="anthropic", anthropic_api_key="sk-ant-test", max_retries=0)
    with TestClient(create_app(settings)) as client:
        first = new_session(client)
        ask(client, first, "생성형 AI가 뭐예요?")
        ask(client, first, "예시 들어 줄래요?")
        ask(client, new_session(client), "ChatGPT는 뭐가 달라졌어요?")

    bodies = sent_bodies(route)
    systems = [body["system"] for body in bodies]
    assert systems[0] == systems[1] == systems[2]
    instructions, lesson = systems[0]
    assert "cache_control" not in instructions
    assert lesson["cache_control"] == {"type": "ephemeral"}
    assert lesson["text"].startswith("<lesson_document>") and lesson["text"].endswith("</lesson_document>")
    # Nothing after the prefix is marked: the conversation changes every turn.
    assert "cache_control" not in json.dumps(bodies[1]["messages"])
    assert [m["role"] for m in bodies[1]["messages"]] == ["user", "assistant", "user"]


def test_a_question_the_retriever_misses_still_reaches_the_model_with_the_whole_lesson(
        httpx2_mock: respx.Router, make_settings) -> None:
    route = httpx2_mock.post(OPENAI_URL).mock(side_effect=lambda request: replay("openai_stream_ok.txt")[0])
    settings = make_settings(provider="openai", openai_api_key="sk-test-key", max_retries=0)
    with TestClient(create_app(settings)) as client:
        events = ask(client, new_session(client), "오늘 서울 날씨 어때요?")
    assert events[-1].name == "done"
    body = sent_bodies(route)[0]
    last = body["messages"][-1]["content"]
    # Not the gate ("nothing relevant: decline") but a hint, and the model judges from the whole lesson.
    assert "a search found no passage close to this message" in last
    assert "judge from the whole document" in last
    assert "(none: the lesson pack has nothing relevant" not in last
    assert "<lesson_document>" in body["messages"][0]["content"]


def test_passages_grounding_keeps_the_retrieved_passages_and_the_planners_gate(
        httpx2_mock: respx.Router, make_settings) -> None:
    route = httpx2_mock.post(OPENAI_URL).mock(side_effect=lambda request: replay("openai_stream_ok.txt")[0])
    settings = make_settings(provider="openai", openai_api_key="sk-test-key", max_retries=0, grounding="passages")
    with TestClient(create_app(settings)) as client:
        session = new_session(client)
        ask(client, session, "GAN이 뭐예요?")
        ask(client, session, "오늘 서울 날씨 어때요?")
    gan, weather = sent_bodies(route)
    assert "<lesson_document>" not in gan["messages"][0]["content"]
    assert '<passage id="models.gan"' in gan["messages"][-1]["content"]
    assert "(none: the lesson pack has nothing relevant" in weather["messages"][-1]["content"]


def test_auto_grounding_takes_the_whole_lesson_only_when_it_fits_half_the_window(
        httpx2_mock: respx.Router, make_settings) -> None:
    route = httpx2_mock.post(OPENAI_URL).mock(side_effect=lambda request: replay("openai_stream_ok.txt")[0])
    for window, whole in ((16_384, False), (32_768, True)):
        settings = make_settings(provider="openai", openai_api_key="sk-test-key", max_retries=0,
                                 context_tokens=window)
        with TestClient(create_app(settings)) as client:
            ask(client, new_session(client), "GAN이 뭐예요?")
        body = sent_bodies(route)[-1]
        assert ("<lesson_document>" in body["messages"][0]["content"]) is whole, window


def test_the_offline_tutor_keeps_its_own_rules(client: TestClient) -> None:
    events = ask(client, new_session(client), "오늘 서울 날씨 어때요?")
    assert events[-1].name == "done"
    text = "".join(e.data["text"] for e in events if e.name == "delta")
    assert "글에는 나오지 않아요" in text
