"""A bare "and X?" right after "is that generative AI?" asks the same of X
("그럼 와인을 레드 화이트로 나누는 건요?"): the kind of AI X's job is, not a decline."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_and_what_about_after_a_generative_question_asks_it_of_the_new_thing(client: TestClient) -> None:
    answers = conversation(client, "손님 취향 맞춰서 와인 추천해주는 AI가 있다던데, 그것도 생성형 AI예요?",
                           "그럼 와인을 레드 화이트로 나누는 건요?")
    assert answers[-1]["activity"] == "answer" and sources(answers[-1])[0] == "traditional-ai.classification"
    assert "분류" in answers[-1]["content"]


def test_only_a_bare_and_what_about_after_a_generative_question_counts() -> None:
    from tutor.knowledge.follow_up_resolution import _asked_again_of_generative
    from tutor.providers.base import ChatMessage

    asked = [ChatMessage("user", "추천해 주는 AI도 생성형이에요?"), ChatMessage("assistant", "아니요, …")]
    assert _asked_again_of_generative("그럼 와인을 레드 화이트로 나누는 건요?", asked) == "와인을 레드 화이트로 나누는"
    assert _asked_again_of_generative("What about sorting spam?", asked) == "sorting spam"
    # A question of its own, or after a question that was not about the kind of AI.
    assert _asked_again_of_generative("그림은 어떻게 만들어요?", asked) is None
    other = [ChatMessage("user", "GAN은 뭐예요?"), ChatMessage("assistant", "GAN은 …")]
    assert _asked_again_of_generative("디퓨전 모델은요?", other) is None


def test_is_it_that_after_generative_ai_asks_which_kind_the_thing_is(client: TestClient) -> None:
    # "그거" is generative AI, the topic just taught: predicting sales is the older AI's prediction.
    answers = conversation(client, "생성형 AI가 뭐예요?", "그럼 우리 가게 고기 많이 팔릴 날 맞추는 것도 그거에요?")
    assert answers[-1]["activity"] == "answer" and sources(answers[-1])[0] == "traditional-ai.prediction"
    assert "예측" in answers[-1]["content"]


def test_is_it_that_after_another_topic_is_left_as_it_was(retriever) -> None:
    from tutor.knowledge.follow_up_resolution import generative_asked_of
    from tutor.knowledge.turn_plan import Earlier
    from tutor.providers.base import ChatMessage

    history = [ChatMessage("user", "멀티모달이 뭐예요?"), ChatMessage("assistant", "멀티모달은 …")]
    earlier = Earlier(activity="answer", topics=("multimodal.definition",))
    assert generative_asked_of(retriever, "챗gpt-3.5도 그거에요?", earlier, history) is None
    generative = Earlier(activity="answer", topics=("generative-ai.definition",))
    assert generative_asked_of(retriever, "챗gpt-3.5도 그거에요?", generative, history) == "챗gpt-3.5"
