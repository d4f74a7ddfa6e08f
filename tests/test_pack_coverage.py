"""The lesson pack covers every explanation of the document, in both languages.

The passage ids below are the lesson plan: one passage per explanation the
document gives. A learner asking about any of them must find it, in Korean
or English, and every follow-up the tutor suggests must lead somewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.knowledge.pack import LessonPack
from tutor.knowledge.planner import plan_turn
from tutor.knowledge.retrieval import Retriever
from tutor.knowledge.text import detect_language

LESSONS = Path(__file__).resolve().parent.parent / "prompts" / "lessons"

PLAN: dict[str, tuple[str, ...]] = {
    "intro": ("intro.why-distinguish",),
    "generative-ai": ("generative-ai.definition", "generative-ai.training-data", "generative-ai.examples"),
    "traditional-ai": ("traditional-ai.prediction", "traditional-ai.classification", "traditional-ai.difference"),
    "models": ("models.overview", "models.gan", "models.diffusion", "models.vae", "models.rnn-lstm", "models.limits"),
    "history": ("history.early", "history.2010s"),
    "transformer": (
        "transformer.paper",
        "transformer.attention",
        "transformer.vs-rnn",
        "transformer.positional-encoding",
        "transformer.impact",
    ),
    "chatgpt": ("chatgpt.launch", "chatgpt.gpt-name", "chatgpt.decoder-only", "chatgpt.impact", "chatgpt.concerns"),
    "llm": ("llm.definition", "llm.scale", "llm.friend-analogy", "llm.abilities"),
    "llm-leads": (
        "llm-leads.data",
        "llm-leads.transformer",
        "llm-leads.demand",
        "llm-leads.replace-people",
        "llm-leads.summary",
    ),
    "cost": ("cost.example",),
    "multimodal": ("multimodal.definition", "multimodal.text-bridge"),
    "agi": ("agi.definition", "agi.why-multimodal"),
    "closing": ("closing.advice",),
}
ALL_IDS = [pid for ids in PLAN.values() for pid in ids]


def test_lessons_come_in_the_planned_teaching_order(pack: LessonPack) -> None:
    assert [lesson.id for lesson in pack.lessons] == list(PLAN)


@pytest.mark.parametrize("passage_id", ALL_IDS)
def test_every_planned_explanation_has_a_bilingual_passage(pack: LessonPack, passage_id: str) -> None:
    passage = pack.passage(passage_id)
    assert passage is not None, f"{passage_id} is missing from the pack"
    for language in ("ko", "en"):
        assert passage.title.get(language).strip()
        assert len(passage.text.get(language).strip()) > 80
        assert passage.key_points.get(language)
        assert passage.keywords.get(language)
        assert 2 <= len(passage.follow_ups.get(language)) <= 4
    # Korean first: the Korean text really is Korean, the English really English.
    assert detect_language(passage.text.ko) == "ko"
    assert detect_language(passage.text.en) == "en"


def test_the_pack_holds_no_passage_outside_the_plan(pack: LessonPack) -> None:
    assert sorted(pack.passages) == sorted(ALL_IDS)


@pytest.mark.parametrize("passage_id", ALL_IDS)
def test_each_passage_is_found_by_its_own_title_in_both_languages(
    pack: LessonPack, retriever: Retriever, passage_id: str
) -> None:
    passage = pack.passage(passage_id)
    assert passage is not None
    for language in ("ko", "en"):
        ids = [hit.passage.id for hit in retriever.search(passage.title.get(language))]
        assert passage_id in ids, f"{language} title of {passage_id} finds {ids}"


def test_suggested_follow_ups_almost_always_lead_to_a_lesson(pack: LessonPack, retriever: Retriever) -> None:
    """Clicking a suggestion should not meet "that isn't in the document"."""
    questions = [q for p in pack.passages.values() for lang in ("ko", "en") for q in p.follow_ups.get(lang)]
    declined = [q for q in questions if not plan_turn(retriever, q).hits]
    assert len(declined) <= len(questions) * 0.02, declined
