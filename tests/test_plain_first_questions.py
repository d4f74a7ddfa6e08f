"""A learner's first question of a topic, typed the way beginners type.

"트랜스포머가 나와서 뭐가 바뀐건데요?": the verb joining the clauses (나와서)
only sets the scene; what changed is asked, not when something came out.
"노이즈 넣었다 빼는 그 모델 이름이 머였죠?" after another topic: the pointer
(그 모델) is the model the message itself describes, not the last one taught.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


@pytest.mark.parametrize(("question", "changed"), [
    ("트랜스포머가 나와서 뭐가 바뀐건데요?", "transformer.impact"),
    ("ChatGPT 나오고 나서 뭐가 달라졌어요?", "chatgpt.impact"),
])
def test_a_thing_named_then_its_coming_out_asks_what_it_changed(
        client: TestClient, question: str, changed: str) -> None:
    answer = conversation(client, question)[0]
    assert answer["sources"][0]["id"] == changed
    assert "2017" not in opening(answer) and "2022" not in opening(answer)


def test_a_pointer_after_its_own_description_is_the_thing_described(client: TestClient) -> None:
    _, named = conversation(client, "트랜스포머는 뭐에요?", "노이즈 넣었다 빼는 그 모델 이름이 머였죠?")
    assert "확산" in opening(named) or "Diffusion" in opening(named)
    assert "트랜스포머" not in opening(named)


def test_a_pointer_with_nothing_described_still_leans_on_the_last_topic(client: TestClient) -> None:
    _, asked = conversation(client, "확산 모델이 뭐에요?", "그 모델은 어디에 써요?")
    assert "이미지" in opening(asked) or "그림" in opening(asked)
