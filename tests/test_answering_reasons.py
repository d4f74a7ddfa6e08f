"""A why question gets the reason the document gives, however briefly the learner asks it.

Played through the real service (offline tutor), as a learner would see it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_a_why_naming_nothing_of_its_own_gets_the_reason_the_topic_gives(client: TestClient) -> None:
    # "빼도 괜찮아요? 왜요?" after GPT's decoder: what is asked the reason of is the topic under way.
    _, why = conversation(client, "GPT는 트랜스포머를 그대로 써요?", "그렇게 해도 돼요? 왜요?")
    assert "단순" in opening(why) and "문제가 없" in opening(why)
    _, _, why = conversation(client, "생성형 AI는 언제부터 있었어요?", "ELIZA는 언제 나왔어요?", "그땐 왜 제대로 못 했대요?")
    assert "데이터" in opening(why) and "연산" in opening(why)


def test_a_why_about_a_remark_in_passing_is_not_given_the_topics_reason(client: TestClient) -> None:
    # The title being provocative is a remark of the passage: the reason of something else is no answer.
    _, why = conversation(client, "트랜스포머 논문 제목이 뭐예요?", "도발적이라는 건 왜요?")
    assert "도발적" in opening(why)
