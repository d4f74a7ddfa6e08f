""""Is Gemini multimodal?": the document's list of multimodal models names
it, so the answer is yes, from that list; a model it never names is not."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_a_model_the_document_lists_as_multimodal_gets_a_yes(client: TestClient) -> None:
    korean = conversation(client, "제미나이 말고 Gemini도 멀티모달이에요?")[0]
    assert opening(korean).startswith("네") and "Gemini" in opening(korean)
    english = conversation(client, "Just checking: is Gemini a multimodal model, according to the document?")[0]
    assert opening(english).startswith("Yes") and "Gemini" in opening(english)


def test_a_model_the_document_excludes_still_gets_its_no(client: TestClient) -> None:
    answer = conversation(client, "ChatGPT-3.5도 멀티모달이에요?")[0]
    assert opening(answer).startswith("아니요")
