"""Asking for more items of a list a passage of the conversation gives
("다른 이유는요?", "음악 말고 또 뭐에 써요?", "other examples?") stays with
that passage; setting aside the thing a passage is about ("GAN 말고 또 있어요?")
moves on."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_another_reason_is_the_rest_of_the_passage_under_way(client: TestClient) -> None:
    first, more = conversation(client, "멀티모달에서 글이 왜 그렇게 중요해요?", "다른 이유는요?")
    assert sources(first)[0] == "multimodal.text-bridge"
    assert more["activity"] == "answer" and sources(more)[0] == "multimodal.text-bridge"


def test_another_reason_in_english(client: TestClient) -> None:
    first, more = conversation(client, "Why does text matter so much for multimodal models?", "Any other reasons?")
    assert sources(first)[0] == "multimodal.text-bridge"
    assert more["activity"] == "answer" and sources(more)[0] == "multimodal.text-bridge"


def test_setting_aside_one_item_of_a_list_asks_for_the_others(client: TestClient) -> None:
    answers = conversation(client, "ChatGPT는 사람들이 어디에 써요?", "트랜스포머는 언제 나왔어요?", "수학 말고 또 뭐에 써요?")
    assert answers[-1]["activity"] == "answer" and sources(answers[-1])[0] == "chatgpt.impact"


def test_setting_aside_the_topic_itself_moves_on(client: TestClient) -> None:
    _, other = conversation(client, "GAN이 뭐예요?", "GAN 말고 또 있어요?")
    assert other["activity"] == "answer" and sources(other)[0] != "models.gan"


def test_another_reason_after_a_passage_told_whole_stays_with_it(client: TestClient) -> None:
    # The passage on the 2010s was said whole; the other reasons are its own
    # (learning methods, data), not the passage before it, which speaks of reasons.
    answers = conversation(client, "ChatGPT가 세상에 준 영향은 뭐예요?", "하드웨어가 ai 발전에 중요했어요?", "다른 이유는요?")
    assert sources(answers[1])[0] == "history.2010s"
    assert answers[-1]["activity"] == "answer" and sources(answers[-1])[0] == "history.2010s"
