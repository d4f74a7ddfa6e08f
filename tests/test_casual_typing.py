"""How learners type: regional endings (나왔노, 썼는교, 뭐래유), a note's ㅁ
ending (신기함), degree adverbs (완전, 엄청), a mistyped English function word
(wats). The grammar is read as grammar, so the question finds what it asks
about; the pack's own words keep their form."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_conversation_context import conversation
from tutor.knowledge.retrieval import Retriever
from tutor.knowledge.text import near_english_stopword, regional_stem


def test_a_regional_question_about_when_gets_the_year(client: TestClient) -> None:
    # 트랜스포먼가 (a typo with its particle), 그기는 (그거는), 나왔노 (나왔어요).
    answer = conversation(client, "트랜스포먼가 그기는 언제 나왔노?")[0]
    assert answer["activity"] == "answer" and "2017" in answer["content"]


def test_a_regional_follow_up_goes_back_before_the_topic(client: TestClient) -> None:
    _, before = conversation(client, "트랜스포머는 언제 나왔어요?", "그라믄 그 전에는 머 썼는교?")
    assert "RNN" in before["content"], before["content"]


@pytest.mark.parametrize(
    ("regional", "standard"),
    [("환각이 머시여?", "환각이 뭐예요?"), ("VAE는 요즘도 쓰는겨?", "VAE는 요즘도 쓰나요?"),
     ("GPT는 인코더 쓰는교?", "GPT는 인코더 쓰나요?"), ("RNN은 머에 쓰였노?", "RNN은 뭐에 쓰였어요?")],
)
def test_a_regional_question_finds_its_passage_as_surely_as_the_standard_one(
    retriever: Retriever, regional: str, standard: str
) -> None:
    said, plain = retriever.search(regional), retriever.search(standard)
    assert said[0].passage.id == plain[0].passage.id
    assert said[0].score >= plain[0].score - 0.05, (said[0].score, plain[0].score)


def test_a_mistyped_english_question_word_does_not_make_it_out_of_scope(client: TestClient) -> None:
    answer = conversation(client, "wats a transformr")[0]
    assert answer["activity"] == "answer" and "attention" in answer["content"].lower()


def test_degree_adverbs_name_no_topic(retriever: Retriever) -> None:
    # The pack writes 완전한 (complete) and 엄청난 (huge); 완전 and 엄청 before a verb only say how much.
    for adverb in ("완전", "엄청", "맨날"):
        assert retriever.analyse(f"GAN은 {adverb} 좋아요?") == retriever.analyse("GAN은 좋아요?")


def test_regional_endings_are_cut_only_from_a_learners_word(retriever: Retriever) -> None:
    assert regional_stem("나왔노") == "나왔" and regional_stem("썼는교") == "썼는" and regional_stem("신기함") == "신기"
    # A one-syllable remainder is a noun's first syllable, not a stem (이유, 노을 stay whole).
    assert regional_stem("이유") is None
    # A word the pack knows is never cut: "이유" still asks for the reasons.
    assert any(term == "이유" for unit in retriever.analyse("LLM이 주류인 이유") for term, _ in unit.terms)


def test_only_a_near_miss_of_a_long_function_word_is_dropped() -> None:
    assert near_english_stopword("wats") and near_english_stopword("abuot")
    assert not near_english_stopword("dune") and not near_english_stopword("transformer")
