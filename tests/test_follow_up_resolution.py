"""Elliptical follow-ups resolve against the right earlier topic.

"그럼 그 전에는 뭘 썼어요?" after "gpt가머에요" asks about the time before the
thing the topic is built on (the Transformer): the RNN. "왜요?", "예를 들면?",
"더 쉽게요" then go on with that topic.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_before_the_topic_is_before_the_thing_it_is_built_on(client: TestClient) -> None:
    answers = conversation(client, "gpt가머에요", "그럼 그 전에는 뭘 썼어요?", "왜요?", "예를 들면?", "더 쉽게요")
    assert sources(answers[0])[0] == "chatgpt.gpt-name"
    before, why, example, simpler = answers[1:]
    assert sources(before)[0] == "transformer.vs-rnn" and "RNN" in before["content"]
    assert sources(why)[0] == "transformer.vs-rnn"
    assert sources(example)[0] == "transformer.vs-rnn"
    assert sources(simpler)[0] == "transformer.vs-rnn"


def test_before_a_part_of_the_transformer_is_before_the_transformer(client: TestClient) -> None:
    answers = conversation(client, "어텐션이 머임", "그전엔 머썼는데")
    assert sources(answers[-1])[0] == "transformer.vs-rnn" and "RNN" in answers[-1]["content"]


def test_a_topic_that_tells_its_own_before_keeps_it(client: TestClient) -> None:
    answers = conversation(client, "ChatGPT는 언제 나왔어요?", "그 전에는요?")
    assert sources(answers[-1])[0] == "chatgpt.launch"
