"""A why is answered with its reason first, or with a plain "the document does not say why".

A learner asking why sees the reason the document gives in the first
sentence; when the document gives none (it states the price of GPT-3.5 turbo,
not why it is cheap), the answer says so first and then gives what the
document does say. A question about how things stand today, or how a thing the
document only names works, is told plainly that the document does not give it.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening

NOT_SAID = ("나와 있지 않", "나오지 않", "doesn't say", "does not say")


def says_not_given(text: str) -> bool:
    return any(phrase in text for phrase in NOT_SAID)


def test_a_why_the_document_leaves_unexplained_says_so_then_gives_the_price(client: TestClient) -> None:
    _, cheap = conversation(client, "챗봇 돌리면 하루에 얼마 들어요?", "3.5는 왜 그렇게 싸요?")
    assert "왜 그런지는 나와 있지 않" in opening(cheap)
    assert "10분의 1" in cheap["content"], "what the document does say follows"


def test_a_why_about_another_thing_than_the_reason_found_is_not_passed_off(client: TestClient) -> None:
    _, image = conversation(client, "텍스트 데이터는 왜 싸요?", "그럼 이미지 데이터는 왜 비싸요?")
    assert says_not_given(opening(image))


@pytest.mark.parametrize(("question", "reason"), [
    ("RNN은 왜 안 됐어요?", "순서대로"),
    ("위치 인코딩 없으면 왜 안 돼요?", "순서"),
    ("LLM은 왜 거대하다고 해요?", "파라미터"),
])
def test_a_why_the_document_answers_opens_with_the_reason(client: TestClient, question: str, reason: str) -> None:
    answer = conversation(client, question)[0]
    assert reason in opening(answer)
    assert not says_not_given(opening(answer))


@pytest.mark.parametrize(("question", "nearest"), [
    ("오늘 기준 GPT-4o 가격은 얼마예요?", "35달러"),
    ("What's the price of GPT-4o today?", "$35"),
])
def test_todays_price_is_not_given_but_the_documents_figure_follows(client: TestClient, question: str, nearest: str) -> None:
    answer = conversation(client, question)[0]
    assert says_not_given(opening(answer))
    assert nearest in answer["content"]


def test_how_a_thing_the_document_only_names_works_is_said_plainly(client: TestClient) -> None:
    answer = conversation(client, "스팸 필터는 어떻게 작동해요?")[0]
    assert "작동하는지는 이 글에 나와 있지 않" in opening(answer)
    assert "분류" in answer["content"]


def test_how_a_model_the_document_explains_works_is_answered(client: TestClient) -> None:
    answer = conversation(client, "GAN은 어떻게 작동해요?")[0]
    assert "생성자" in opening(answer) and not says_not_given(answer["content"])


def test_an_english_count_of_a_named_model_the_document_never_gives_is_said_plainly(client: TestClient) -> None:
    answer = conversation(client, "How many parameters does GPT-4 have?")[0]
    assert says_not_given(opening(answer))
    assert "billion" in answer["content"].lower()


def test_a_reason_the_passage_gives_in_its_next_sentence_is_the_answer(client: TestClient) -> None:
    answer = conversation(client, "왜 텍스트 데이터가 중요해요?")[0]
    assert not says_not_given(answer["content"])
    assert any(reason in opening(answer) for reason in ("자막", "설명", "저렴", "수월", "싸"))

