"""How short the learner wants the answer ("한 줄로", "in one sentence") and
why they ask ("I want to tell the parents") are no words of what is asked."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge import intent


def test_the_answer_shape_is_set_apart_from_the_question() -> None:
    assert "줄" not in intent.without_answer_shape("멀티헤드 어텐션을 한 줄로 정의하면요?")
    assert "summary" not in intent.without_answer_shape("Give me a one-sentence summary of why GANs work?")
    assert intent.without_answer_shape("RNN은 긴 문장에 약해요?") == "RNN은 긴 문장에 약해요?"


def test_defining_in_one_line_is_answered_with_what_it_is(client: TestClient) -> None:
    answer = conversation(client, "멀티헤드 어텐션을 한 줄로 정의하면요?")[0]
    assert answer["sources"][0]["id"] == "transformer.attention"
    assert "나오지 않아요" not in opening(answer) and "각도" in opening(answer)


def test_a_one_sentence_summary_for_someone_else_finds_the_comparison(client: TestClient) -> None:
    answer = conversation(client, "Could I get a one-sentence summary of why transformers beat RNNs? "
                                  "I need to explain it to my students.")[0]
    assert answer["activity"] == "answer"
    assert answer["sources"][0]["id"] in ("transformer.vs-rnn", "models.limits", "models.rnn-lstm")


def test_a_sentence_about_the_learner_before_a_colon_leaves_the_question_whole(client: TestClient) -> None:
    # The question after the colon is what is asked; none of it goes with the sentence about the learner.
    assert "what does GPT stand for" in intent.without_answer_shape(
        "I write to buyers in English all day, so let me ask in English: what does GPT stand for?")
    answer = conversation(client, "Hi, I'm a sales manager at a small exporter. I write to buyers in English "
                                  "all day, so let me ask in English: what does GPT stand for?")[0]
    assert answer["activity"] == "answer"
    assert answer["sources"][0]["id"] == "chatgpt.gpt-name"
    assert "Generative Pre-trained Transformer" in answer["content"]
