""""What kind of AI is the thing that does this job?": the job says which.

Learners rarely name the idea; they describe a thing from their own life by
what it does for them ("사진 보고 파손인지 아닌지 알려 주는 시스템") and ask
what kind of AI it is. Deciding which group something belongs to is the
document's classification; estimating what will happen is its prediction.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge import intent
from tutor.knowledge.answering import question_kind


@pytest.mark.parametrize(("message", "job"), [
    ("택배 상자 사진 보고 파손인지 아닌지 알려 주는 시스템은 어떤 AI예요?", "분류"),
    ("민원 서류를 부서별로 나눠 주는 프로그램도 생성형이에요?", "분류"),
    ("엑스레이 보고 어느 부위 골절인지 알려주는 앱은요?", "분류"),
    ("꽃 사진 찍으면 무슨 꽃인지 알려주는 앱도 생성형이에요?", "분류"),
    ("다음 주에 손님이 얼마나 올지 미리 알려주는 앱도 AI예요?", "예측"),
    ("계절마다 어떤 옷이 잘 팔릴지 미리 아는 것도요?", "예측"),
    ("내 취향 보고 노래 골라 주는 기능은 무슨 AI예요?", "예측"),
])
def test_a_job_described_in_everyday_words_is_named(message: str, job: str) -> None:
    assert intent.described_job(message) == job


@pytest.mark.parametrize("message", [
    "어텐션이 뭔지 알려주세요",  # a request to the tutor, not a thing described
    "순서대로 하는 게 더 꼼꼼할 것 같은데요",
    "그럼 생성형 AI랑 LLM은 왜 구분해야 돼요?",
])
def test_questions_that_describe_no_job_are_left_alone(message: str) -> None:
    assert intent.described_job(message) is None


def test_a_machine_that_tells_which_group_is_classification(client: TestClient) -> None:
    answer = conversation(client, "택배 상자 사진 보고 파손인지 아닌지 알려 주는 시스템은 어떤 AI예요?")[0]
    assert answer["activity"] == "answer"
    assert answer["sources"][0]["id"] == "traditional-ai.classification"
    assert "분류" in answer["content"]


def test_a_machine_that_tells_what_will_happen_is_prediction(client: TestClient) -> None:
    _, answer = conversation(client, "GAN이 뭐예요?", "이번 주말에 손님이 많이 올지 알려주는 앱은 어떤 AI예요?")
    assert answer["activity"] == "answer"
    assert answer["sources"][0]["id"] == "traditional-ai.prediction"
    assert "예측" in answer["content"]


def test_asking_the_tutor_to_explain_still_finds_the_idea(client: TestClient) -> None:
    answer = conversation(client, "어텐션이 뭔지 알려주세요")[0]
    assert answer["sources"][0]["id"] == "transformer.attention"


def test_a_question_word_inside_the_job_does_not_change_what_is_asked() -> None:
    # "얼마나 올지" is what the app tells; the learner asks yes or no.
    assert question_kind("다음 주에 손님이 얼마나 올지 미리 알려주는 앱도 생성형 AI예요?") == "yes_no"
    assert question_kind("공장 카메라가 부품 사진 보고 뭔지 알려주던데 그것도 생성형 AI임?") == "yes_no"
    # Asked of the tutor, the same words are the question.
    assert question_kind("비용은 얼마나 드는지 궁금해요") == "how_much"
    assert question_kind("GPT가 무슨 뜻인지 알려주세요") in ("what", "meaning")


def test_a_thing_that_tells_what_a_photo_shows_is_not_generative(client: TestClient) -> None:
    answer = conversation(client, "공장 카메라가 부품 사진 보고 뭔지 알려주던데 그것도 생성형 AI임?")[0]
    assert answer["sources"][0]["id"] == "traditional-ai.classification"
    assert opening(answer).startswith("아니요") and "분류" in opening(answer)


def test_the_app_that_does_the_job_is_not_the_topic(client: TestClient) -> None:
    # "앱" is what carries the job; drawing pictures from words is what it is about.
    answer = conversation(client, "말로 설명하면 그림 그려주는 앱도 생성형이에요?")[0]
    assert answer["activity"] == "answer"
    assert answer["sources"][0]["id"] in ("generative-ai.examples", "multimodal.definition", "models.diffusion")
