"""A short follow-up that asks only a property carries the topic under way.

"그럼 비싼 거예요 싼 거예요?" right after the chatbot's cost names nothing,
and its words match no passage clearly enough on their own; yet the cost
passage speaks of exactly what it asks, so the learner gets the cost again
from the side they asked, not "that is not in the document". The same words
after a topic that never speaks of price are still not answered from it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation

NOT_IN_THE_DOCUMENT = "나오지 않"


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_expensive_or_cheap_after_the_cost_is_about_the_cost(client: TestClient) -> None:
    answers = conversation(client, "챗봇으로 상담 돌리면 얼마 들어요?", "그럼 비싼 거예요 싼 거예요?")
    assert sources(answers[-1])[:1] == ["cost.example"]
    assert NOT_IN_THE_DOCUMENT not in answers[-1]["content"]
    assert any(word in answers[-1]["content"] for word in ("원", "달러", "가격"))


def test_cheap_side_or_dear_side_after_the_cost_is_about_the_cost(client: TestClient) -> None:
    answers = conversation(client, "챗봇 돌리면 하루에 얼마 들어요?", "그럼 저렴한 편이에요 비싼 편이에요?")
    assert sources(answers[-1])[:1] == ["cost.example"]
    assert NOT_IN_THE_DOCUMENT not in answers[-1]["content"]


def test_fast_or_slow_after_the_transformer_stays_on_the_transformer(client: TestClient) -> None:
    answers = conversation(client, "트랜스포머가 뭐예요?", "그럼 빠른 거예요 느린 거예요?")
    assert sources(answers[-1]) and sources(answers[-1])[0].startswith("transformer.")
    assert NOT_IN_THE_DOCUMENT not in answers[-1]["content"]


def test_a_price_is_not_asked_of_a_topic_that_never_speaks_of_one(client: TestClient) -> None:
    answers = conversation(client, "GAN이 뭐예요?", "그럼 비싼 거예요 싼 거예요?")
    assert "models.gan" not in sources(answers[-1])
    assert "48,000" not in answers[-1]["content"]
