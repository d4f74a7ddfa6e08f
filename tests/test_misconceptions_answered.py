"""A belief stated as fact gets a "no, actually …" from the passage that corrects it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_llms_as_a_programmers_tool_is_corrected_in_either_language(client: TestClient) -> None:
    english = conversation(client, "LLMs are really just for developers, right?")[0]
    assert english["sources"][0]["id"] == "llm-leads.demand"
    assert opening(english).startswith("No") and "everyone" in opening(english)
    korean = conversation(client, "LLM은 결국 개발자들이나 쓰는 도구 아니에요?")[0]
    assert opening(korean).startswith("아니요") and "누구나" in opening(korean)


def test_a_yes_no_fact_still_answers_what_it_asks(client: TestClient) -> None:
    answer = conversation(client, "LLM은 코딩 몰라도 쓸 수 있어요?")[0]
    assert opening(answer).startswith("네")


def test_needing_human_level_quality_gets_a_no_with_the_documents_point(client: TestClient) -> None:
    _, answer = conversation(client, "LLM이 사람 대신 무슨 일을 해요?", "근데 번역 수준이 사람처럼 높아야 쓸 수 있는 거 아닌가요?")
    assert opening(answer).startswith("아니요") and "높은 수준" in opening(answer)
    translated = conversation(client, "번역 일 오래 했는데 llm이 번역도 한다면서요")[0]
    assert not opening(translated).startswith("아니요")
