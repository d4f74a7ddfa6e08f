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
