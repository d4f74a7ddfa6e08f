"""Korean verbs whose stem ends in ㄹ drop it before ㄴ, ㅂ and ㅅ
(만들다 -> 만드는, 만든, 만듭니다): a learner's spelling and the document's
are the same word."""

from __future__ import annotations

import pytest

from tutor.knowledge.retrieval import Retriever
from tutor.knowledge.text import l_drop_variants


@pytest.mark.parametrize(
    ("word", "stem"),
    [("만드는", "만들"), ("만든", "만들"), ("만듭니다", "만들"), ("만드니까", "만들"), ("다룹니다", "다루")],
)
def test_a_form_without_its_l_is_read_as_the_verb(word: str, stem: str) -> None:
    assert stem in l_drop_variants(word)


def test_the_verb_is_also_read_in_its_forms_without_l() -> None:
    assert {"만드", "만든"} <= set(l_drop_variants("만들다"))


@pytest.mark.parametrize("word", ["하는", "모델은", "사람인", "기술"])
def test_words_not_ending_in_a_dropped_l_get_no_such_reading(word: str) -> None:
    assert not any(variant.endswith(("늘", "을", "일")) for variant in l_drop_variants(word))


def test_a_learner_writing_the_polite_form_reaches_the_documents_verb(retriever: Retriever) -> None:
    # The document writes 만들어내는/만들; the learner writes 만듭니다.
    assert retriever._resolve("만듭니다") in {"만들", "만드"}


def test_asking_in_the_formal_polite_form_finds_what_the_document_says(retriever: Retriever) -> None:
    # "만듭니까" is 만들다, as the document's "만들어내는" is: the answer is found with confidence.
    hits = retriever.search("생성형 AI는 뭘 만듭니까?", ())
    assert hits[0].passage.id == "generative-ai.definition"
    assert hits[0].score >= 0.6
