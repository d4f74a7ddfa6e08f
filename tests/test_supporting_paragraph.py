"""The supporting paragraph after the opening carries what the learner asked
about, found whatever the spacing, and keeps the passage's flow when the
question names nothing of the kind."""

from pathlib import Path

import pytest

from tutor.knowledge.pack import load_pack
from tutor.providers import offline

PACK = load_pack(Path(__file__).resolve().parents[1] / "prompts" / "lessons")


def window(passage_id: str, question: str, opening: int) -> list[int]:
    passage = PACK.passage(passage_id)
    sentences = offline._sentences(passage.text.ko)
    others = [i for i in range(len(sentences)) if i != opening]
    return offline._asked_window(sentences, question, others, sentences[opening], opening, topic=passage.title.ko)


def test_a_word_typed_without_its_space_finds_the_part_of_the_passage_it_names():
    # "학습능력" is written "학습 능력" in the third reason, not in the first two sentences:
    # the reason's heading, then what it says of it.
    assert window("agi.why-multimodal", "학습능력 얘기는 좀 더 자세히요", 0) == [4, 5, 6]


@pytest.mark.parametrize(("passage", "question"), [("llm-leads.summary", "더 쉽게요"),
                                                  ("llm-leads.summary", "요즘 LLM이 왜이렇게 난리에요?"),
                                                  ("llm-leads.data", "요즘 LLM이 왜이렇게 난리에요?")])
def test_a_question_naming_nothing_new_keeps_the_passage_flow(passage, question):
    assert window(passage, question, 0) == [1, 2]


def test_a_point_of_a_list_goes_on_with_what_follows_it():
    # "셋째, …" is explained by the sentences after it, not by the second point before it.
    assert window("agi.why-multimodal", "세번째는요?", 4) == [5, 6]
    assert window("agi.why-multimodal", "더 쉽게요", 0) == [1]


def test_a_point_of_a_list_stops_before_the_next_point():
    # The second reason's example, not the heading of the third reason after it.
    assert window("agi.why-multimodal", "두번째 이유 예시로 설명해줘요", 2) == [3]


def test_the_reason_a_sentence_gives_stays_with_it():
    # "트랜스포머가 바로 그 역할을 해요" leans on the sentence before it, and the one after
    # ("…빠르고 효율적으로 만들어 주거든요") says why: all three go together.
    assert window("llm-leads.transformer", "트랜스포머는 그 논리에서 어떤 역할을 한다고 하나요", 0) == [1, 2, 3]
