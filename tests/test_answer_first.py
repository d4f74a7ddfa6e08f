"""What the learner asked opens the answer, even when it was said before or
when the question is put in an unusual way.

Played through the real service (offline tutor), as a learner would see it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_an_answer_said_before_is_pointed_back_to_not_replaced_by_a_leftover(client: TestClient) -> None:
    # The passage's opening sentence (ChatGPT brought AI out of the lab) was the last
    # answer; asked what changed, the tutor points back to it rather than opening
    # with a sentence of the passage that says less of the question.
    _, changed = conversation(client, "ChatGPT가 준 가장 큰 영향은 뭐예요?", "그게 나오고 뭐가 그리 달라졌어요?")
    first = opening(changed)
    assert first.startswith("앞에서 말한 것처럼") and "연구실" in first


def test_what_tells_two_things_apart_is_a_difference_and_a_bare_why_leaves_it_to_the_question() -> None:
    from tutor.knowledge.answering import question_kind

    assert question_kind("생성형 AI가 기존 AI와 구별되는 핵심이 무엇인지요") == "difference"
    assert question_kind("왜요? 머가 다른데요") == "difference"
    assert question_kind("왜요?") == "why"


def test_a_comparison_of_older_ai_with_generative_ai_says_both_sides(client: TestClient) -> None:
    # The sides are named loosely ("분류, 예측" for older AI); the lesson's difference fact
    # speaks of both, and generative AI's home is its own passage, not the one comparing it with LLMs.
    (answer,) = conversation(client, "분류, 예측과 생성형 AI는 결정적으로 무엇이 다른가요?")
    first = opening(answer)
    assert "예측" in first and "새로운" in first


def test_whats_different_after_an_answer_on_prediction_gives_the_lessons_difference(client: TestClient) -> None:
    _, _, different = conversation(client, "생성형 AI가 뭐예요?", "가게 고기 많이 팔릴 날 맞추는 것도 그거에요?",
                                   "왜요? 뭐가 다른데요")
    first = opening(different)
    assert "예측" in first and "새로운" in first


def test_how_to_prevent_something_the_document_only_names_says_it_does_not_say(client: TestClient) -> None:
    from tutor.knowledge import unsaid

    assert unsaid.asked_slot("환각을 줄이려면 어떻게 해야 돼요?", "how") == "remedy"
    assert unsaid.asked_slot("How can I avoid hallucinations?", "how") == "remedy"
    assert unsaid.asked_slot("환각이 뭐예요?", "what") == ""
    (answer,) = conversation(client, "환각을 막는 방법이 있어요?")
    first = opening(answer)
    assert "나오지 않" in first
    assert "chatgpt.concerns" in [s["id"] for s in answer["sources"]], "the nearest passage is still cited"


def test_the_word_definition_alone_asks_what_a_thing_is() -> None:
    from tutor.knowledge.answering import question_kind

    assert question_kind("multimodal 정의 one line으로요") == "what"
    assert question_kind("LLM 정의?") == "what"
    assert question_kind("정의로운 AI가 있어요?") == "yes_no"


def test_a_question_the_tutor_suggests_is_answered_first_by_a_fact(client: TestClient) -> None:
    # "한꺼번에 보면 단어 순서는 어떻게 알아요?" is one of the pack's own follow-ups.
    (order,) = conversation(client, "word order matters in english. how does it know the order if it reads everything at once")
    assert "positional encoding" in opening(order).lower()
    (changed,) = conversation(client, "GPT는 트랜스포머를 어떻게 바꿨어요?")
    assert "인코더" in opening(changed) and "디코더" in opening(changed)
