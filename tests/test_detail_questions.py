"""Detail questions the document does answer: whose model, which category, a guess checked.

"GPT는 구글 거예요 OpenAI 거예요?" is answered from "OpenAI의 GPT-4o" (GPT-4o is a GPT);
"날씨 예보는 어디에 속해요?" names 예측, the category the document lists it under; a
learner's guess about cost ("텍스트 데이터가 비싸서 구하기 힘든 거 아님?") is answered with
what the document says, not declined; a generic noun beside a name
("OpenAI 회사", "VAE 기술") does not pull the search away from the named thing.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening

DECLINES = ("나오지 않", "doesn't say", "does not say")


@pytest.mark.parametrize("question", [
    "GPT는 구글 거예요 OpenAI 거예요?", "GPT는 누가 만들었어요?", "GPT-4o는 누구 모델임?", "GPT는 무슨 회사 제품이에요?",
])
def test_whose_model_a_gpt_is_is_answered_from_the_version_the_document_credits(
        client: TestClient, question: str) -> None:
    answer = opening(conversation(client, question)[0])
    assert "OpenAI" in answer and "GPT-4o" in answer
    assert not any(phrase in answer for phrase in DECLINES)


def test_a_model_no_company_is_credited_with_is_still_said_plainly(client: TestClient) -> None:
    claude, helping = conversation(client, "Claude 3.5 Sonnet은 어느 회사꺼에요?", "어떤 회사가 그렇게 하면 좋아요?")
    assert "나오지 않" in opening(claude)
    assert "OpenAI" not in opening(helping)  # which businesses gain from LLMs, not who made one


@pytest.mark.parametrize(("question", "category"), [
    ("날씨 예보는 어디에 속해요?", "예측"),
    ("스팸 메일 거르는 건 무슨 종류 AI예요?", "분류"),
    ("시즈널리티는 뭐에 해당돼요?", "예측"),
    ("Where does spam filtering belong?", "classification"),
    ("What kind of AI is a recommendation engine?", "prediction"),
])
def test_which_category_a_thing_belongs_to_is_named(client: TestClient, question: str, category: str) -> None:
    answer = opening(conversation(client, question)[0])
    assert category in answer.split(".")[0]


def test_a_thing_no_category_lists_gets_no_category(client: TestClient) -> None:
    answer = opening(conversation(client, "번역기는 어디에 속해요?")[0])
    assert "에 속해요" not in answer


@pytest.mark.parametrize(("question", "said"), [
    ("텍스트 데이터가 비싸서 구하기 힘든 거 아님?", ("싸", "저렴", "쉬운")),
    ("Isn't text data expensive to collect?", ("cheap", "easiest")),
])
def test_a_guess_about_cost_is_answered_with_what_the_document_says(
        client: TestClient, question: str, said: tuple[str, ...]) -> None:
    answer = conversation(client, question)[0]
    assert not any(phrase in answer["content"] for phrase in DECLINES)
    assert any(word in opening(answer) for word in said)
    assert answer["sources"][0]["id"] == "llm-leads.data"


@pytest.mark.parametrize(("question", "passage", "said"), [
    ("OpenAI 회사 최신 모델이 뭐예요?", "cost.example", "GPT-4o"),
    ("VAE 기술은 어디 쓰여요?", "models.vae", "VAE"),
])
def test_a_generic_noun_beside_a_name_leaves_the_named_thing_first(
        client: TestClient, question: str, passage: str, said: str) -> None:
    answer = conversation(client, question)[0]
    assert answer["sources"][0]["id"] == passage
    assert said in answer["content"]
