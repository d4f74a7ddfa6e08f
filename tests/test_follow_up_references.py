"""Follow-ups that point into the last answer: the n-th thing it listed, and the
English name of what it was about.

After "GAN, 확산 모델(Diffusion), VAE, 그리고 RNN과 LSTM이 있어요" the learner's
"그중에 첫 번째 거는 어떻게 작동해요?" asks how GAN works; after "예측과 분류를 주로
했어요", "두 번째 거 예시" asks for examples of classification. "영어로는요?" after
분류 asks for 'classification', not a passage whose own words are 영어 (English
conversation practice with ChatGPT).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_an_ordinal_asks_about_the_thing_the_last_answer_listed_in_that_place(client: TestClient) -> None:
    listed, first, third = conversation(
        client, "LLM 말고 다른 생성형 AI 모델은 뭐가 있어요?", "그중에 첫 번째 거는 어떻게 작동해요?", "세 번째 거는 어디에 써요?")
    assert opening(listed).startswith("GAN")
    assert first["sources"][0]["id"] == "models.gan"
    assert any(word in opening(first) for word in ("생성자", "판별자", "겨루"))
    assert third["sources"][0]["id"] == "models.vae"
    assert "의료" in opening(third)


def test_an_ordinal_counts_korean_names_listed_too(client: TestClient) -> None:
    _, second = conversation(client, "기존 AI는 뭘 했어요?", "두 번째 거 예시 알려줘")
    assert second["sources"][0]["id"] == "traditional-ai.classification"
    assert "스팸" in opening(second)


def test_an_ordinal_of_reasons_still_counts_the_reasons(client: TestClient) -> None:
    _, second = conversation(client, "멀티모달이 AGI랑 왜 연결돼요?", "이유 중에 두 번째 거 더 설명해줘요")
    assert second["sources"][0]["id"] == "agi.why-multimodal"
    assert "상호작용" in second["content"]


@pytest.mark.parametrize(("before", "asked", "name"), [
    (("분류가 뭔데요?", "예시 하나만"), "영어로는요?", "classification"),
    (("AGI가 뭐예요?", "예를 들면요?"), "원래 영어 이름이 뭐예요?", "Artificial General Intelligence"),
    (("어텐션이 뭐예요?",), "멀티헤드는 영어로요?", "Multi-head Attention"),
    (("ELIZA는 언제 나왔어요?",), "마르코프 체인 영어로는?", "Markov chain"),
    ((), "LSTM은 영어로 풀면 뭐예요?", "Long Short-Term Memory"),
    (("What is classification?",), "what's it called in English?", "classification"),
])
def test_the_english_name_of_the_topic_under_way_is_given(
        client: TestClient, before: tuple[str, ...], asked: str, name: str) -> None:
    answer = conversation(client, *before, asked)[-1]
    assert name in opening(answer)
    assert "영어 회화" not in answer["content"]  # not the passage that happens to say 영어


def test_asking_for_an_explanation_in_english_is_no_name_question(client: TestClient) -> None:
    _, answer = conversation(client, "분류가 뭔데요?", "영어로 설명해 줄래요?")
    assert not opening(answer).startswith("영어로는 classification")


def test_an_example_after_a_named_thing_is_an_example_of_that_thing(client: TestClient) -> None:
    # The passage taught before it (what older AI did) is not what "예시 하나만" asks about.
    *_, example = conversation(client, "생성형 AI 전에 쓰던 AI는 뭘 했어요?", "분류가 정확히 뭔데요?", "예시 하나만")
    assert example["sources"][0]["id"] == "traditional-ai.classification"
    assert any(word in opening(example) for word in ("스팸", "이미지 분류", "신용"))


def test_a_pointer_related_to_a_named_thing_asks_how_the_two_are_linked(client: TestClient) -> None:
    # The name asked in between ("원래 영어 이름이 뭐예요?") leaves AGI what 그게 points at.
    *_, linked = conversation(client, "요즘 AGI AGI 하던데 그게 뭐예요?", "예를 들면요?", "원래 영어 이름이 뭐예요?",
                              "그게 멀티모달이랑 무슨 상관이에요?")
    assert linked["sources"][0]["id"] == "agi.why-multimodal"
    assert any(word in opening(linked) for word in ("이정표", "마일스톤", "단계"))


def test_what_was_wrong_with_the_thing_just_named_is_its_weakness(client: TestClient) -> None:
    before, problem = conversation(client, "트랜스포머 전에는 뭘 썼어요?", "걔는 뭐가 문제였는데요?")
    assert "RNN" in opening(before)
    assert problem["sources"][0]["id"] == "transformer.vs-rnn"
    assert any(word in opening(problem) for word in ("어려웠", "한계", "약했"))
    assert not opening(problem).startswith("RNN을 썼어요")  # not the last answer again


def test_simpler_again_is_said_another_way(client: TestClient) -> None:
    first, again = conversation(client, "생성형 AI를 중학생한테 설명하듯이 알려줘요", "더 쉽게요")
    simple = first["content"].split("\n\n")[1]
    assert simple not in again["content"]
    assert again["sources"][0]["id"] == "generative-ai.definition"


def test_a_question_about_one_thing_in_the_recap_is_answered_not_recapped(client: TestClient) -> None:
    *_, recap, more = conversation(client, "LLM이 뭐예요?", "뭐가 거대하다는 건데요?", "지금까지 배운 거 정리 좀 해주세요",
                                   "방금 정리한 거 중에 파라미터 얘기 좀 더 해줘요")
    assert recap["activity"] == "recap"
    assert more["activity"] == "answer" and more["sources"][0]["id"] == "llm.scale"
    assert "패턴" in opening(more)


def test_the_recap_asked_again_is_still_a_recap(client: TestClient) -> None:
    *_, again = conversation(client, "LLM이 뭐예요?", "지금까지 배운 거 정리해 줘", "방금 정리한 거 다시 해줘")
    assert again["activity"] == "recap"
