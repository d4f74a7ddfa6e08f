"""A follow-up asks one aspect of what the conversation is on, and gets that aspect.

A learner who asks "그럼 산업 쪽으로는요?" after ChatGPT's problems wants the
industry side, not the next fact about hallucination; one who asks "P는요?"
after GPT's letters wants the letter P; one who asks "왜요?" after an answer
wants the reason the document gives for it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_and_what_about_a_new_thing_answers_of_that_thing_not_of_the_last_question(client: TestClient) -> None:
    _, industry = conversation(client, "ChatGPT 문제점은 없어요?", "그럼 산업 쪽으로는요?")
    assert "산업" in opening(industry), industry["content"]
    assert "환각" not in opening(industry)
