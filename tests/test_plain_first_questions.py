"""A learner's first question of a topic, typed the way beginners type.

"트랜스포머가 나와서 뭐가 바뀐건데요?": the verb joining the clauses (나와서)
only sets the scene; what changed is asked, not when something came out.
"노이즈 넣었다 빼는 그 모델 이름이 머였죠?" after another topic: the pointer
(그 모델) is the model the message itself describes, not the last one taught.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


@pytest.mark.parametrize(("question", "changed"), [
    ("트랜스포머가 나와서 뭐가 바뀐건데요?", "transformer.impact"),
    ("ChatGPT 나오고 나서 뭐가 달라졌어요?", "chatgpt.impact"),
])
def test_a_thing_named_then_its_coming_out_asks_what_it_changed(
        client: TestClient, question: str, changed: str) -> None:
    answer = conversation(client, question)[0]
    assert answer["sources"][0]["id"] == changed
    assert "2017" not in opening(answer) and "2022" not in opening(answer)


def test_a_pointer_after_its_own_description_is_the_thing_described(client: TestClient) -> None:
    _, named = conversation(client, "트랜스포머는 뭐에요?", "노이즈 넣었다 빼는 그 모델 이름이 머였죠?")
    assert "확산" in opening(named) or "Diffusion" in opening(named)
    assert "트랜스포머" not in opening(named)


def test_a_pointer_with_nothing_described_still_leans_on_the_last_topic(client: TestClient) -> None:
    _, asked = conversation(client, "확산 모델이 뭐에요?", "그 모델은 어디에 써요?")
    assert "이미지" in opening(asked) or "그림" in opening(asked)


def test_artificial_intelligence_spelled_in_korean_reads_as_ai(client: TestClient) -> None:
    # "인공지능" is everyday Korean for AI, not a word that points at AGI's passage.
    answer = conversation(client, "제가 완전 문과라서 그런데요, 인공지능이 사람 말을 알아듣는다는게 진짜에요?")[0]
    assert answer["sources"][0]["id"] != "agi.definition"
    assert "AGI" not in opening(answer)


def test_a_model_name_typed_in_hangul_opens_on_the_sentence_naming_it(client: TestClient) -> None:
    answer = conversation(client, "라마3는 뭐에요?")[0]
    assert "Llama 3" in opening(answer) and "오픈 소스" in opening(answer)


@pytest.mark.parametrize(("question", "first", "second"), [
    ("챗gpt 언제 나왔고 GPT는 무슨 뜻이에요?", "2022", "Generative Pre-trained Transformer"),
    ("GAN이 뭐고 어디에 써요?", "판별자", "딥페이크"),
    ("비용은 얼마고 더 싸게 하려면요?", "35달러", "GPT-3.5"),
])
def test_two_questions_in_one_message_are_both_answered(
        client: TestClient, question: str, first: str, second: str) -> None:
    answer = conversation(client, question)[0]["content"].split("**")[0]
    assert first in answer and second in answer


def test_an_analogy_of_what_a_thing_changed_is_still_the_documents_analogy(client: TestClient) -> None:
    _, answer = conversation(client, "트랜스포머가 뭐예요?", "트랜스포머 덕분에 뭐가 달라졌는지 비유로 하나만요")
    assert "커피" in answer["content"]


@pytest.mark.parametrize(("question", "passage"), [
    ("자동 번역기에 LLM을 붙이면 뭐가 좋다고 나와요?", "llm-leads.replace-people"),  # a quote: 좋다고
    ("글쓴이는 왜 AI 미래가 밝다고 해요?", "closing.advice"),
    ("VAE는 어느 병원에서 쓰고 있어요?", "models.vae"),  # a verb going on: 쓰고 있어요
])
def test_a_quote_or_a_verb_going_on_is_one_question_not_two(client: TestClient, question: str, passage: str) -> None:
    assert conversation(client, question)[0]["sources"][0]["id"] == passage


def test_an_english_then_after_a_clause_still_points_back(client: TestClient) -> None:
    _, confirmed = conversation(client, "Does Midjourney definitely use diffusion models?", "Which one is confirmed then?")
    assert "Stable Diffusion" in confirmed["content"]
