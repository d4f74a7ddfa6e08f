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


def test_which_of_a_list_matters_most_is_answered_from_the_list_not_from_the_last_item(client: TestClient) -> None:
    # After the reasons LLMs lead and a question on one of them (demand), "그 중에 제일
    # 중요한 건요?" names the two the document calls the core, not demand again.
    *_, most = conversation(client, "LLM이 주류가 된 이유가 뭔가요?", "수요는 왜 크다는 건가요", "그 중에 제일 중요한 건요?")
    assert "세 번째" in opening(most) and "네 번째" in opening(most), most["content"]


def test_which_number_matters_most_after_one_reason_is_not_declined(client: TestClient) -> None:
    *_, most = conversation(client, "요즘 왜 다 LLM LLM 해요?", "그럼 사람 일도 대신해요? 콜센터 같은거?",
                            "네 개 중에 젤 중요한거 몇번이에요?")
    assert "나오지 않" not in most["content"]
    assert "세 번째" in opening(most) and "네 번째" in opening(most), most["content"]


def test_why_of_one_item_named_after_a_list_gives_that_items_reason(client: TestClient) -> None:
    # "수요는 왜 크다는 건가요" right after the four reasons asks why demand is big
    # (everyone who speaks can use it), not which reasons matter most.
    _, demand = conversation(client, "LLM이 주류가 된 이유가 뭔가요?", "수요는 왜 크다는 건가요")
    assert "모든 사람" in opening(demand) or "누구나" in opening(demand), demand["content"]
    assert "네 번째" not in opening(demand)
