"""Follow-up turns get the answer to what was asked, not the passage again.

A learner who asks for every date the document gives, says "tell me more
about X" of one point of a list, or asks how things were at a time gone by
("1964년이면 …"), sees the direct answer first.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


@pytest.mark.parametrize("question", ["생성형 AI 역사에 나오는 연도 다 알려줘", "연도별로 정리해 주세요. 마르코프 체인부터 ChatGPT까지",
                                      "When did each step in the history of generative AI happen? List all the years in order."])
def test_asked_for_every_date_the_tutor_gives_the_timeline_in_order(client: TestClient, question: str) -> None:
    first = opening(conversation(client, question)[0])
    years = re.findall(r"(?:19|20)\d\d", first)
    assert {"1906", "1964", "2017", "2022"} <= set(years), first
    assert years == sorted(years), "the dates come in order"
    assert "나오지 않" not in first and "doesn't say" not in first


def test_a_single_date_is_still_answered_with_its_own_year(client: TestClient) -> None:
    first = opening(conversation(client, "ELIZA는 몇 년도에 나왔어요?")[0])
    assert "1964" in first and "2022" not in first


def test_more_about_one_point_of_a_list_explains_that_point(client: TestClient) -> None:
    # After the three reasons multimodality matters for AGI, "학습능력 얘기는 좀 더 자세히요"
    # explains the third one (learning by itself, from more kinds of data), not the milestone again.
    _, more = conversation(client, "멀티모달이 AGI에 왜 중요해요?", "학습능력 얘기는 좀 더 자세히요")
    assert "스스로" in opening(more)
    assert "이정표" not in opening(more)


def test_a_time_in_the_past_is_no_question_about_the_future(client: TestClient) -> None:
    _, then = conversation(client, "ELIZA는 언제 나왔어요?", "1964년이면 개인용 컴퓨터가 보급되기 전인지요")
    assert "앞으로 어떻게 될지" not in then["content"]
    assert "개인용" in then["content"]


def test_what_generative_ai_learns_from_says_it_learns_beforehand(client: TestClient) -> None:
    answer = conversation(client, "생성형 AI는 어떤 데이터를 배워요?")[0]
    assert "학습" in opening(answer)


def test_what_else_a_model_is_used_for_names_the_documents_uses(client: TestClient) -> None:
    _, uses = conversation(client, "RNN이 뭐예요?", "음악 말고 또 어디에 써요?")
    assert "시계열" in uses["content"] and "텍스트" in uses["content"]


@pytest.mark.parametrize("question", ["와인바 하는데요, 손님 취향 맞춰서 와인 추천해주는 AI가 있다던데 그것도 생성형 AI예요?",
                                      "본사에서 도시락 발주량을 AI가 정해준다는데 그것도 생성형임?"])
def test_whether_an_everyday_ai_is_generative_is_not_answered_by_the_fact_about_chatgpt(
        client: TestClient, question: str) -> None:
    # "챗GPT도 생성형 AI예요? 네, …" is a yes about ChatGPT, which the learner never named.
    first = opening(conversation(client, question)[0])
    assert "ChatGPT" not in first and not first.startswith("네")


def test_a_yes_no_fact_about_the_passages_own_subject_still_answers(client: TestClient) -> None:
    # The passage on replacing people speaks of LLMs: its fact on hiring no staff answers
    # a learner who never says "LLM".
    _, staff = conversation(client, "챗봇 돌리면 비용 얼마나 들어요?", "그럼 상담원 안 뽑아도 되는거죠?")
    assert "인건비" in staff["content"]


def test_a_yes_no_question_is_not_answered_yes_by_what_the_turn_before_asked(client: TestClient) -> None:
    # The words of "생성형 AI는 뭘 하는건데요" made "다 맞는 거죠?" look like "챗GPT도 생성형 AI예요? 네".
    _, right = conversation(client, "생성형 AI는 그럼 뭘 하는건데요", "ChatGPT가 세법 질문에 답한 건 다 맞는 거죠? 컴퓨터니까")
    assert opening(right).startswith("아니요") and "환각" in right["content"]
