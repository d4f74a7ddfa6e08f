"""A question asking what is wrong gets what was hard first; a remark after the question does not replace it.

"순서대로 처리하면 뭐가 문제예요? 속기는 순서대로 치는 게 당연한데ㅋㅋ" asks
what the trouble with reading in order was: the learner sees the sentence
saying what was hard, not how the passage opens, and the remark after the
question mark (why the learner asks) is not read as the question.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge.selecting import main_clause


def test_a_reason_added_after_the_question_is_not_the_question() -> None:
    assert main_clause("GPT-3.5 turbo가 GPT-4o보다 비싼거 맞죠? 숫자가 작으니까 옛날꺼라 비쌀거같은데") \
        == "GPT-3.5 turbo가 GPT-4o보다 비싼거 맞죠?"
    assert main_clause("RNN이 문맥은 더 잘 보는 거죠? 순서대로 꼼꼼히 읽으니까") == "RNN이 문맥은 더 잘 보는 거죠?"
    # A second question is still the one asked; a context clause before the question still gives way.
    assert main_clause("인코더를 빼도 괜찮아요? 왜요?") == "왜요?"
    assert main_clause("제가 문과라서요, GAN이 뭐예요?") == "GAN이 뭐예요?"


def test_what_was_wrong_with_reading_in_order_opens_with_the_difficulty(client: TestClient) -> None:
    _, problem = conversation(client, "RNN이랑 트랜스포머는 문장 처리하는 방식이 어떻게 달라요?",
                              "순서대로 처리하면 뭐가 문제예요? 속기는 순서대로 치는 게 당연한데ㅋㅋ")
    first = opening(problem)
    # The difficulty (pointed back to when the comparison already said it); how RNN read, which
    # the comparison said too, is not said again.
    assert "어려웠" in first and "RNN" in problem["content"]
    assert not first.startswith("트랜스포머가 나오기 전에는")
    assert "차례차례" not in problem["content"].split("\n\n", 1)[1]


def test_the_trouble_with_rnn_is_named_as_the_document_names_it(client: TestClient) -> None:
    # The document's words: RNN was limited on a long context (긴 문맥).
    _, problem = conversation(client, "트랜스포머 전에는 뭐 썼어요?", "그 방식은 뭐가 문제였어요?")
    assert "긴 문맥" in opening(problem) or "긴 문맥" in problem["content"].split("\n\n")[1]
