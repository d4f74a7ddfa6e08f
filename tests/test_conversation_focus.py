"""A short follow-up that asks only a property, or "before that", carries the topic under way.

"그럼 비싼 거예요 싼 거예요?" right after the chatbot's cost names nothing,
and its words match no passage clearly enough on their own; yet the cost
passage speaks of exactly what it asks, so the learner gets the cost again
from the side they asked, not "that is not in the document". The same words
after a topic that never speaks of price are still not answered from it.
"그 전에는요?" asks what came before the thing just taught: on the timeline
its passage dates (before ELIZA, the Markov chain), else the passage telling
what was used before it (before GPT's Transformer, the RNN).
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening

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


def test_before_that_politely_after_gpt_is_what_came_before_its_transformer(client: TestClient) -> None:
    # "그 전에는요?" with a polite 요 asks the same as "그 전에는?": the RNN, not more of GPT.
    answers = conversation(client, "GPT가 뭐예요?", "그 전에는요?")
    assert sources(answers[-1])[:1] == ["transformer.vs-rnn"]
    assert "RNN" in opening(answers[-1])


def test_before_eliza_on_its_own_timeline_is_the_markov_chain(client: TestClient) -> None:
    answers = conversation(client, "ELIZA는 언제 나왔어요?", "그럼 그 전에는 뭐가 있었어요?")
    assert sources(answers[-1])[:1] == ["history.early"]
    assert "1906" in opening(answers[-1]) and "마르코프" in opening(answers[-1])
