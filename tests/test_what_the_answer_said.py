"""An elliptical follow-up about what the previous ANSWER said, not about the
previous question's topic word: "그럼 그걸 누가 해결했어요?" after the RNN's
weakness asks what overcame that weakness (the Transformer)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_who_solved_it_after_the_rnn_weakness_is_the_transformer(client: TestClient) -> None:
    *_, solved = conversation(client, "RNN이 뭐예요?", "그건 뭐가 약점이었어요?", "그럼 그걸 누가 해결했어요?")
    assert solved["activity"] == "answer"
    assert sources(solved)[0] == "transformer.vs-rnn"
    assert "트랜스포머" in opening(solved) and "2017" in opening(solved)


def test_when_that_problem_was_solved_is_the_time_that_came_after(client: TestClient) -> None:
    # The lack of data and computing power in 1906 and 1964 gave way in the 2010s.
    *_, solved = conversation(client, "생성형 AI는 언제부터 있었어요?", "근데 그땐 왜 잘 안 됐어요?",
                              "그럼 그 문제는 언제 풀렸어요?")
    assert sources(solved)[0] == "history.2010s"
    assert "2010" in opening(solved)


def test_asks_solved_needs_a_pointer_and_no_subject_of_its_own(retriever) -> None:
    from tutor.knowledge.follow_up_resolution import asks_solved

    assert asks_solved(retriever, "그럼 그걸 누가 해결했어요?")
    assert asks_solved(retriever, "그 문제는 언제 풀렸어요?")  # "그 문제" is the answer's problem
    assert not asks_solved(retriever, "트랜스포머는 뭘 해결했어요?")  # a subject of its own
    assert not asks_solved(retriever, "어텐션이 뭐예요?")


def test_solved_by_is_the_topic_itself_when_it_already_tells_what_came_after(retriever) -> None:
    from tutor.knowledge.follow_up_resolution import solved_by

    pack = retriever.pack
    assert solved_by(retriever, pack.passage("transformer.vs-rnn")) is pack.passage("transformer.vs-rnn")
    assert solved_by(retriever, pack.passage("models.rnn-lstm")) is pack.passage("transformer.vs-rnn")
    assert solved_by(retriever, pack.passage("history.early")) is pack.passage("history.2010s")


def test_how_big_after_what_an_llm_is_gives_the_documents_sizes(client: TestClient) -> None:
    # "큰데요" is 크다 with a casual ending: the size the answer's "거대한 규모" spoke of.
    *_, size = conversation(client, "LLM이 뭐예요? 요즘 자꾸 들려서요", "얼마나 큰데요?")
    assert sources(size)[0] == "llm.scale"
    assert "수십억" in opening(size) and "파라미터" in opening(size)


def test_a_detail_asked_again_is_answered_not_declined(client: TestClient) -> None:
    *_, again = conversation(client, "LLM이 뭐예요?", "파라미터가 뭔데요", "아까 파라미터가 몇 개라고 했죠?")
    assert again["activity"] == "answer"
    assert "수십억" in opening(again)
