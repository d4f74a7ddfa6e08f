"""Activities asked for in the many ways learners put them: casual spellings,
반말 and 존댓말, missing spaces, laughter, a clause saying why, polite padding;
and questions about the course's content that merely hold an activity's word,
which stay questions."""

from __future__ import annotations

import pytest

from tutor.knowledge.planner import Earlier, plan_turn
from tutor.knowledge.retrieval import Retriever
from tutor.providers.base import ChatMessage

HISTORY = (ChatMessage("user", "GAN이 뭐예요?"), ChatMessage("assistant", "GAN은 생성자와 판별자가 겨루며 배우는 모델이에요."))


def after_a_topic(retriever: Retriever, text: str):
    first = plan_turn(retriever, "GAN이 뭐예요?")
    covered = [hit.passage.id for hit in first.hits]
    return plan_turn(retriever, text, HISTORY, covered=covered, earlier=Earlier(activity="answer", topics=(covered[0],)))


@pytest.mark.parametrize("text, activity", [
    ("문제 풀어보고 싶어요", "quiz"),
    ("연습문제 있나요?", "quiz"),
    ("제가 이해했는지 확인해 주세요", "quiz"),
    ("test my understanding", "quiz"),
    ("give me a practice question", "quiz"),
    ("ㅋㅋ 정리 좀 해줘", "recap"),
    ("다 까먹겠다 요약 좀 해줘요", "recap"),
    ("우리 지금까지 무슨 얘기 했죠?", "recap"),
    ("what did we learn today?", "recap"),
    ("아직 많이 남았나요?", "progress"),
    ("아직 안 본 내용 뭐 있어요?", "progress"),
    ("am I almost done?", "progress"),
    ("what's left to learn?", "progress"),
    ("강의 순서가 어떻게 돼요?", "overview"),
    ("이 책은 뭐 다루나?", "overview"),
    ("뭘 가르쳐 주시는 거예요?", "overview"),
    ("what are the topics?", "overview"),
])
def test_an_activity_is_read_from_its_words_in_any_wording(retriever: Retriever, text: str, activity: str) -> None:
    assert after_a_topic(retriever, text).activity == activity, text


@pytest.mark.parametrize("text", [
    "처음 왔는데 어떻게 시작해요?",
    "아무것도 몰라요 어디서 시작해요?",
    "처음부터 차근차근 가르쳐 주세요",
    "제일 먼저 뭘 알아야 돼요?",
    "how do I get started?",
])
def test_where_to_start_is_the_first_lessons(retriever: Retriever, text: str) -> None:
    plan = plan_turn(retriever, text)
    assert plan.intent == "start" and plan.activity == "overview", text


@pytest.mark.parametrize("text", ["ㅇㅇ", "넵", "수고하셨어요", "ty", "감사해요 쌤, 내일 또 올게요", "이제 가볼게요 고마워요"])
def test_agreeing_or_leaving_is_a_warm_reply(retriever: Retriever, text: str) -> None:
    assert after_a_topic(retriever, text).activity == "thanks", text


@pytest.mark.parametrize("text", [
    # An activity's word said of one of the document's ideas.
    "환각 문제가 뭐예요?",
    "그거 말고 다른 문제도 있어요?",
    "ChatGPT가 퀴즈를 낼 수 있어요?",
    "모델 성능은 어떻게 시험해요?",
    "생성형 AI는 어디서부터 시작됐어요?",
    "언제 처음 나왔어요?",
    "토큰이 몇 개 남았는지 어떻게 알아요?",
    "이미지 생성은 어디까지 왔어요?",
    "연도별로 정리해 주세요. 마르코프 체인부터 ChatGPT까지",
    # Another question beside the activity's word.
    "VAE는 뭐예요? 처음 들어봐요",
    # Thanks, then a question: the question is answered.
    "고마워요 근데 GAN은요?",
    "ㅇㅋ 그럼 LLM은 뭐예요?",
])
def test_a_question_that_holds_an_activitys_word_is_still_a_question(retriever: Retriever, text: str) -> None:
    plan = after_a_topic(retriever, text)
    assert plan.activity in ("answer", "decline"), (text, plan.activity)


@pytest.mark.parametrize("text", ["보고서 요약해 줘", "6학년 분수 문제 20개 만들어 주세요"])
def test_summing_up_or_quizzing_something_else_is_not_the_activity(retriever: Retriever, text: str) -> None:
    assert after_a_topic(retriever, text).activity not in ("recap", "quiz"), text
