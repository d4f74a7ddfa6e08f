"""Which model costs more is answered the right way round, whichever way the learner asks it.

The document says GPT-3.5 turbo costs a tenth of the GPT-4o figure: a
learner who guesses the older name must be dearer hears "아니요, 반대예요",
one who asks whether it is cheaper hears yes, in either language.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


@pytest.mark.parametrize("question", ["GPT-3.5 turbo가 GPT-4o보다 비싼거 맞죠? 숫자가 작으니까 옛날꺼라 비쌀거같은데",
                                      "4o가 터보보다 싸요?"])
def test_the_wrong_way_round_is_a_plain_no(client: TestClient, question: str) -> None:
    first = opening(conversation(client, question)[0])
    assert first.startswith("아니요") and "10분의 1" in first


def test_the_right_way_round_is_a_yes(client: TestClient) -> None:
    first = opening(conversation(client, "터보가 4o보다 저렴하죠?")[0])
    assert first.startswith("네") and "10분의 1" in first


@pytest.mark.parametrize(("question", "verdict"), [("Is GPT-4o cheaper than GPT-3.5 turbo?", "No"),
                                                   ("Is GPT-3.5 turbo cheaper than GPT-4o?", "Yes")])
def test_a_versioned_name_after_than_is_read_whole(client: TestClient, question: str, verdict: str) -> None:
    # "than GPT-3.5 turbo" sets the question against GPT-3.5, not against a bare "GPT".
    first = opening(conversation(client, question)[0])
    assert first.startswith(verdict) and "tenth" in first


def test_a_multiple_asked_is_given_as_one_when_the_document_says_a_fraction(client: TestClient) -> None:
    answer = opening(conversation(client, "4o는 3.5 터보보다 몇 배 비싸요?")[0])
    assert answer.startswith("10배") and "10분의 1" in answer
    cheaper = opening(conversation(client, "3.5 터보는 얼마나 싸요?")[0])
    assert "배예요" not in cheaper and "10분의 1" in cheaper
