"""A learner who states a belief and asks whether it holds ("…아니에요?", "…던데 진짜예요?",
"…인 줄 알았는데", "isn't …?") gets the verdict first: yes, no or half right, agreeing with
what the learner put forward, then the document's fact that settles it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge.text import tag_as_claim


def test_a_true_guess_asked_with_anieyo_gets_a_yes(client: TestClient) -> None:
    answer = conversation(client, "LLM이 생성형 AI의 한 종류 아니에요?")[0]
    assert opening(answer).startswith("네") and "한 종류" in opening(answer)


def test_a_false_guess_asked_with_anieyo_gets_a_no_with_the_fact(client: TestClient) -> None:
    encoder = conversation(client, "GPT는 인코더도 같이 쓰는 거 아니에요?")[0]
    assert opening(encoder).startswith("아니요") and "디코더" in opening(encoder)
    spam = conversation(client, "스팸 필터도 생성형 AI 아니에요?")[0]
    assert opening(spam).startswith("아니요") and "분류" in opening(spam)


def test_a_half_true_rumour_is_called_half_right(client: TestClient) -> None:
    answer = conversation(client, "VAE 많이 쓰인다던데 진짜예요?")[0]
    assert opening(answer).startswith("반은 맞아요") and "의료" in opening(answer)


def test_what_the_learner_thought_until_now_is_checked(client: TestClient) -> None:
    answer = conversation(client, "생성형 AI는 최근에 생긴 건 줄 알았어요")[0]
    assert opening(answer).startswith("아니요") and "1906" in opening(answer)


def test_a_claim_the_document_does_not_settle_gets_no_yes(client: TestClient) -> None:
    answer = conversation(client, "AI가 사람처럼 생각하는 거죠?")[0]
    assert not opening(answer).startswith("네") and "말하지 않" in opening(answer)


def test_an_english_negative_question_is_answered_on_the_claim(client: TestClient) -> None:
    answer = conversation(client, "isn't GPT made by Google?")[0]
    assert opening(answer).startswith("No") and "OpenAI" in opening(answer)


def test_only_a_bare_confirming_tag_is_read_as_the_claim() -> None:
    assert tag_as_claim("LLM이 생성형 AI의 한 종류 아니에요?") == "LLM이 생성형 AI의 한 종류예요?"
    assert tag_as_claim("트랜스포머 핵심이 어텐션 아닌가요?") == "트랜스포머 핵심이 어텐션이에요?"
    # After a particle the negation is meant: "they are not the same, right?".
    assert tag_as_claim("LLM이랑 생성형 AI는 같은 건 아니죠?") == "LLM이랑 생성형 AI는 같은 건 아니죠?"
    assert tag_as_claim("Aren't diffusion models worse than GANs?") == "Are diffusion models worse than GANs?"
