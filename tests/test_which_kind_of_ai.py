""""Is this everyday thing generative AI?" is answered by what the thing does.

A learner brings something from their own life (a shop's recommendations,
the weather forecast, a CCTV that tells what is in a picture) and asks
whether it is generative AI. The document's answer is in its older-AI
lessons: predicting and classifying are not making something new.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge import intent


def test_the_thing_asked_about_is_what_comes_before_generative() -> None:
    assert intent.generative_asked_of("쇼핑 앱에서 옷 추천해 주는 거 있잖아요, 그것도 생성형이에요?") is not None
    assert intent.generative_asked_of("Is a spam filter generative AI?") == "a spam filter"
    assert intent.generative_asked_of("생성형 AI가 뭐예요?") is None


def test_an_everyday_sorting_machine_is_classification_not_generative(client: TestClient) -> None:
    answer = conversation(client, "주차장 cctv가 사진 보고 차 번호 구분하는 그런 거는 생성형 인가요")[0]
    assert answer["activity"] == "answer"
    assert answer["sources"][0]["id"] == "traditional-ai.classification"
    assert opening(answer).startswith("아니요") and "분류" in opening(answer)


def test_a_recommendation_after_another_topic_is_prediction_not_generative(client: TestClient) -> None:
    _, answer = conversation(client, "GAN이 뭐예요?", "서점 사이트에서 책 추천해 주는 AI 있잖아요, 그것도 생성형이에요?")
    assert answer["sources"][0]["id"] == "traditional-ai.prediction"
    assert opening(answer).startswith("아니요") and "예측" in opening(answer)


def test_tomorrows_weather_as_an_example_is_not_a_request_for_the_weather(client: TestClient) -> None:
    answer = conversation(client, "날씨예보도 내일 날씨를 새로 만드는 거니까 생성형 AI 아님?")[0]
    assert answer["activity"] == "answer"
    assert opening(answer).startswith("아니요") and "예측" in opening(answer)
    assert conversation(client, "AI야 내일 날씨 어때?")[0]["activity"] == "decline"
    assert conversation(client, "내일 주가 예측 좀 해줘요")[0]["activity"] == "decline"


def test_a_document_thing_asked_generative_is_still_found_by_its_name(client: TestClient) -> None:
    answer = conversation(client, "챗gpt도 생성형이에요?")[0]
    assert opening(answer).startswith("네") and "LLM" in opening(answer)


def test_generative_or_older_asks_whether_it_is_generative(client: TestClient) -> None:
    assert intent.without_older_alternative("GAN은 생성형이야 기존 AI야?") == "GAN은 생성형이야?"
    answer = conversation(client, "LLM은 어느 쪽이에요? 생성형이에요 기존꺼에요?")[0]
    assert answer["sources"][0]["id"] in ("generative-ai.definition", "intro.why-distinguish", "llm.definition")
    assert "한 종류" in answer["content"]
