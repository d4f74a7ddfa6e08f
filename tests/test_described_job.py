""""What kind of AI is the thing that does this job?": the job says which.

Learners rarely name the idea; they describe a thing from their own life by
what it does for them ("사진 보고 파손인지 아닌지 알려 주는 시스템") and ask
what kind of AI it is. Deciding which group something belongs to is the
document's classification; estimating what will happen is its prediction.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation
from tutor.knowledge import intent


@pytest.mark.parametrize(("message", "job"), [
    ("택배 상자 사진 보고 파손인지 아닌지 알려 주는 시스템은 어떤 AI예요?", "분류"),
    ("민원 서류를 부서별로 나눠 주는 프로그램도 생성형이에요?", "분류"),
    ("엑스레이 보고 어느 부위 골절인지 알려주는 앱은요?", "분류"),
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
