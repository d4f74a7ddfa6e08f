"""A claim the learner half-remembers is found by its words, and a "why" about it points back to the reason.

"텍스트가 다리 역할을 한다고 했던 것 같은데 그게 무슨 소리에요?" recalls one
sentence of the lesson: the learner sees that sentence first, with what
led up to it, not the passage's opening. Asked again what the lesson said,
the tutor points back to the whole sentence, not to the half the learner
already quoted.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_a_recalled_claim_opens_the_answer_with_what_led_up_to_it(client: TestClient) -> None:
    _, bridge = conversation(client, "멀티모달이 뭐예요?", "텍스트가 다리 역할을 한다고 했던 것 같은데 그게 무슨 소리에요?")
    assert "다리" in opening(bridge)
    assert "자막" in bridge["content"] or "설명" in bridge["content"]


def test_why_about_a_reason_already_given_points_back_to_all_of_it(client: TestClient) -> None:
    *_, why = conversation(client, "멀티모달이 뭐예요?", "텍스트가 다리 역할을 한다고 했던 것 같은데 그게 무슨 소리에요?",
                           "거기서 자막 얘기는 왜 나온 거예요?")
    assert "자막" in opening(why) and "사람" in opening(why)


def test_the_forgotten_half_of_a_recalled_sentence_is_given(client: TestClient) -> None:
    *_, recalled = conversation(client, "LLM이 주류가 된 두 번째 이유가 뭐예요?", "학습이랑 또 뭐를 빠르게 해준다고 했죠?")
    assert "추론" in opening(recalled)


def test_what_the_transformer_did_to_understanding_is_said_as_a_big_leap(client: TestClient) -> None:
    # The document: the Transformer raised AI's grasp of human language dramatically (비약적으로).
    answer = conversation(client, "트랜스포머 등장으로 AI가 사람 말을 알아듣는 능력이 어떻게 됐어요?")[0]
    assert "크게" in answer["content"] and "능력" in answer["content"]
