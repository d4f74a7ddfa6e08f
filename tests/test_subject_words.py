"""Words most of the lesson pack uses ("AI", "모델", "LLM") are the document's
subject, not a topic of their own; "원래" asks how a thing is, naming none.

Which words are that common is measured on the pack (in how many passages a
word appears), not listed by hand.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_conversation_context import conversation, sources
from tutor.knowledge.retrieval import Retriever


def test_how_common_a_word_is_comes_from_the_pack(retriever: Retriever) -> None:
    assert all(retriever.is_generic(retriever.analyse(word)[0]) for word in ("AI", "모델", "LLM"))
    assert not any(retriever.is_generic(retriever.analyse(word)[0]) for word in ("GAN", "인코더", "환각"))


def test_a_vague_question_about_ai_goes_on_with_the_topic_under_way(client: TestClient) -> None:
    _, vague = conversation(client, "환각이 뭐예요?", "그럼 AI는 원래 그래요?")
    assert vague["activity"] == "answer" and sources(vague)[0] == "chatgpt.concerns"


def test_the_subject_named_alone_is_still_a_new_topic(client: TestClient) -> None:
    _, llm = conversation(client, "GAN이 뭐예요?", "LLM은요?")
    assert sources(llm)[0] == "llm.definition"
    _, learns = conversation(client, "LLM을 비유로 설명해줄수있어요?", "그럼 LLM은 뭘 배워요?")
    assert sources(learns)[0] in ("llm.definition", "llm.scale")


def test_originally_names_the_first_design_only_before_a_noun(client: TestClient) -> None:
    older = conversation(client, "원래 있던 AI는 뭘 했어요?")[0]
    assert sources(older)[0] == "traditional-ai.difference"
    design = conversation(client, "GPT 구조랑 논문의 원래 구조는 뭐가 달라요?")[0]
    assert sources(design)[0] == "chatgpt.decoder-only"


def test_asking_what_the_conditions_come_to_gets_the_assumptions(client: TestClient) -> None:
    """"조건이 어떻게 되는데요?" asks what the conditions are (Korean "N이 어떻게
    돼요?"), not how something works: the answer opens with the figures assumed."""
    for follow_up in ("조건이 어떻게 되는데요?", "그 계산은 어떤 조건으로 한 거예요?"):
        _, answer = conversation(client, "챗봇 돌리면 비용 얼마나 들어요?", follow_up)
        first = answer["content"].split("\n\n")[0]
        assert "1,000" in first and "2,000" in first, first


def test_what_it_comes_to_is_a_what_question() -> None:
    from tutor.knowledge.answering import question_kind

    assert question_kind("조건이 어떻게 되는데요?") == "what"
    assert question_kind("트랜스포머는 어떻게 작동해요?") == "how"
    assert question_kind("비용이 어떻게 돼요?") == "how_much"


def test_which_of_two_is_answered_without_a_yes_or_no(client: TestClient) -> None:
    """"둘 중에 뭐가 더 큰 개념이에요?" asks which: the answer names it, and
    opens with no "네," or "Yes:" as if it had been asked whether."""
    bigger = conversation(client, "생성형 AI랑 LLM 둘 중에 뭐가 더 큰 개념이에요?")[0]
    first = bigger["content"].split("\n\n")[0]
    assert first.startswith("생성형 AI가 더 넓은") and "한 종류" in first
    for question in ("GAN이랑 확산 모델 중에 뭐가 더 좋아요?", "Which is better, GAN or diffusion?"):
        first = conversation(client, question)[0]["content"].split("\n\n")[0]
        assert not first.lower().startswith(("네", "yes", "아니", "no")) and ("확산" in first or "iffusion" in first)
    turned = conversation(client, "GAN이 확산 모델보다 좋아요?")[0]["content"]
    assert turned.startswith("아니요")
