"""English-speaking learners typing casually get English answers to what they asked.

Chat spellings ("wats", "u", "diff", "convos", "pls"), a greeting with the
question after it, short English follow-ups in a conversation that began in
Korean: each is read as the standard English a learner means.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def english(answer: dict) -> bool:
    return _HANGUL.search(answer["content"]) is None


def test_a_short_english_question_after_a_korean_turn_is_answered_in_english(client: TestClient) -> None:
    korean, hallucination = conversation(client, "chatgpt 나온게 언제에요", "whats hallucination")
    assert "2022" in opening(korean) and not english(korean)
    assert english(hallucination), hallucination["content"]
    assert "true" in hallucination["content"] or "fact" in hallucination["content"]


def test_simpler_please_keeps_the_english_the_learner_switched_to(client: TestClient) -> None:
    *_, simpler = conversation(client, "트랜스포머가 뭐예요", "what did people use before the transformer",
                               "why was it worse", "simpler pls")
    assert english(simpler), simpler["content"]
    assert "one word" in simpler["content"] or "one at a time" in simpler["content"]


def test_a_bare_name_still_keeps_the_korean_of_the_conversation(client: TestClient) -> None:
    _, bare = conversation(client, "트랜스포머가 뭐예요", "RNN?")
    assert not english(bare), bare["content"]


def test_a_greeting_with_a_casual_question_after_it_is_answered(client: TestClient) -> None:
    answer = conversation(client, "hi im an exchange student my korean is bad lol. wats generative ai")[0]
    assert answer.get("activity") != "greeting"
    assert "generative-ai.definition" in [source["id"] for source in answer["sources"]]
    assert english(answer) and "new" in opening(answer)


@pytest.mark.parametrize("question", ["how many convos is that for", "for how many convos"])
def test_a_casual_spelling_in_a_follow_up_about_the_cost_is_understood(client: TestClient, question: str) -> None:
    _, many = conversation(client, "how much does it cost to run a chatbot w gpt4o", question)
    assert "1,000" in many["content"], many["content"]
    assert english(many)


def test_how_old_asks_when_and_gets_the_years(client: TestClient) -> None:
    answer = conversation(client, "how old is this whole generative ai thing")[0]
    assert "1906" in opening(answer), opening(answer)


def test_a_casually_typed_task_is_still_declined(client: TestClient) -> None:
    answer = conversation(client, "can u write my ad copy for a new latte")[0]
    assert answer["sources"] == [], answer["content"]


def test_where_am_i_in_the_course_shows_progress(client: TestClient) -> None:
    *_, progress = conversation(client, "wats a token", "where am i in the course")
    assert progress.get("activity") == "progress", progress["content"]
    assert english(progress)


def test_normal_ai_is_the_ai_before_generative_ai(client: TestClient) -> None:
    answer = conversation(client, "whats the diff between generative ai and normal ai")[0]
    assert "traditional-ai.difference" in [source["id"] for source in answer["sources"]], answer["sources"]
    assert "new" in answer["content"]


def test_what_the_author_says_at_the_end_is_the_closing_advice(client: TestClient) -> None:
    answer = conversation(client, "what does the author say at the end")[0]
    assert [source["id"] for source in answer["sources"]][:1] == ["closing.advice"], answer["content"]
    assert "try" in opening(answer) and english(answer)


def test_a_multimodal_model_named_in_english_gets_a_yes(client: TestClient) -> None:
    # "model" alone is an ordinary word, not the "model" of "large language model".
    answer = conversation(client, "is Gemini a multimodal model?")[0]
    assert opening(answer).startswith("Yes") and "Gemini" in opening(answer), opening(answer)
