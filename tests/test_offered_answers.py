"""Questions that offer answers to pick from, ask who made a thing, or ask what leads today.

"GPT는 인코더만 써요 디코더만 써요?" is answered by naming the right side, not by a
"네" that agrees with neither. "GPT-4o는 어느 회사 거예요?" is answered from the
document's "OpenAI의 GPT-4o" rather than declined. "요즘 젤 잘나가는 LLM 머에요?"
says that the document was written at one time and gives the models it names.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening

VERDICTS = ("네,", "아니요,", "Yes,", "No,", "Yes.", "No.")


@pytest.mark.parametrize(("question", "right"), [
    ("GPT는 인코더만 써요 디코더만 써요?", "디코더"),
    ("GAN은 생성자랑 판별자가 협력해요 경쟁해요?", "경쟁"),
    ("DALL-E는 LLM이에요 멀티모달 모델이에요?", "멀티모달"),
    ("스팸메일 거르는 건 생성형이에요 분류예요?", "분류"),
])
def test_two_answers_offered_are_answered_by_the_right_one_without_a_yes_or_no(
        client: TestClient, question: str, right: str) -> None:
    answer = conversation(client, question)[0]
    assert right in opening(answer)
    assert not opening(answer).startswith(VERDICTS)


@pytest.mark.parametrize("question", ["아 그렇군요 그럼 ChatGPT도 LLM으로 돌아가요?", "잘 모르겠어요 Gemini도 멀티모달이에요?"])
def test_a_yes_no_question_after_a_remark_keeps_its_yes(client: TestClient, question: str) -> None:
    answer = conversation(client, question)[0]
    assert opening(answer).startswith("네")


@pytest.mark.parametrize(("question", "maker"), [
    ("GPT-4o는 어느 회사 거예요?", "OpenAI"),
    ("Who made GPT-4o?", "OpenAI"),
    ("ChatGPT 누가 만들었어요?", "OpenAI"),
])
def test_which_company_makes_a_model_is_answered_from_the_document(
        client: TestClient, question: str, maker: str) -> None:
    answer = conversation(client, question)[0]
    assert answer["sources"], "answered from a passage, not declined"
    assert maker in opening(answer)


def test_what_leads_today_names_the_documents_models(client: TestClient) -> None:
    answer = conversation(client, "요즘 젤 잘나가는 LLM 머에요?")[0]
    assert "나와 있지 않" in opening(answer)
    assert any(name in answer["content"] for name in ("GPT-4o", "Claude", "Llama"))


def test_a_first_turn_why_about_a_bare_version_gets_its_price_and_no_invented_reason(client: TestClient) -> None:
    answer = conversation(client, "3.5는 왜 그렇게 싸요?")[0]
    assert "왜 그런지는 나와 있지 않" in opening(answer)
    assert "10분의 1" in answer["content"] and "GPT-3.5" in answer["content"]
