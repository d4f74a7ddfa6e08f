"""The lesson pack: the document's explanations, rewritten for teaching.

One TOML file per lesson under ``prompts/lessons/``; each lesson holds the
passages that retrieval finds and the tutor teaches from. Loading validates
every file, so a typo in the pack fails at start-up, not in a learner's turn.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

LANGUAGES = ("ko", "en")


class Bilingual(BaseModel):
    """A text in Korean and English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ko: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.ko


class BilingualList(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ko: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def get(self, language: str) -> tuple[str, ...]:
        return self.en if language == "en" else self.ko


class Misconception(BaseModel):
    """A wrong belief a beginner often brings, and the gentle correction."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wrong: Bilingual
    right: Bilingual


FactKind = Literal[
    "yes_no", "how_much", "how_many", "when", "who", "what", "which", "where", "difference", "compare", "why",
    "how", "example", "not_given",
]


class Fact(BaseModel):
    """A short question a learner may ask about a passage, with the direct
    answer the tutor opens with ("35달러는 하루 기준이에요"). ``not_given``
    marks a question the document does not answer; its answer says so and
    gives the nearest thing the document does say."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FactKind
    ask: Bilingual
    answer: Bilingual
    # Whether the fact can be asked back as a quiz question.
    quiz: bool = True

    @model_validator(mode="after")
    def _check_answer(self) -> "Fact":
        if self.kind == "yes_no":
            # A claim only half right is answered so ("반은 맞아요. …", "Half right: …").
            opening = (self.answer.ko.lstrip()[:3], self.answer.en.lstrip()[:4].lower())
            if not opening[0].startswith(("네", "아니", "예", "반은")) or not opening[1].startswith(("yes", "no", "half")):
                raise ValueError(f"a yes_no fact answers yes or no first: {self.answer.ko!r}")
        if self.kind == "not_given" and self.quiz:
            raise ValueError("a question the document does not answer cannot be a quiz question")
        return self


class LessonPassage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9-]+\.[a-z0-9-]+$")
    title: Bilingual
    # The explanation itself, 3-6 plain sentences per language.
    text: Bilingual
    key_points: BilingualList
    # Words and phrases a beginner might type for this passage, both languages.
    keywords: BilingualList
    # 2-3 questions a learner could ask next.
    follow_ups: BilingualList
    # Optional teaching aids.
    analogy: Bilingual | None = None
    example: Bilingual | None = None
    simpler: Bilingual | None = None
    misconception: Misconception | None = None
    # Direct answers to the questions learners ask about this passage.
    facts: tuple[Fact, ...] = ()
    lesson_id: str = ""  # filled in by the loader

    @model_validator(mode="after")
    def _check_lists(self) -> "LessonPassage":
        for name in ("key_points", "keywords", "follow_ups"):
            value: BilingualList = getattr(self, name)
            if not value.ko or not value.en:
                raise ValueError(f"passage {self.id}: {name} needs both ko and en entries")
        return self


class Lesson(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    order: int = Field(ge=1)
    title: Bilingual
    summary: Bilingual
    passages: tuple[LessonPassage, ...] = Field(min_length=1)


class LessonPack(BaseModel):
    model_config = ConfigDict(frozen=True)

    lessons: tuple[Lesson, ...]

    @cached_property
    def passages(self) -> dict[str, LessonPassage]:
        """Every passage by id, in teaching order."""
        return {p.id: p for lesson in self.lessons for p in lesson.passages}

    def passage(self, passage_id: str) -> LessonPassage | None:
        return self.passages.get(passage_id)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)


class PackError(ValueError):
    """The lesson pack on disk is missing or malformed."""


def load_pack(directory: Path) -> LessonPack:
    """Load and validate every ``*.toml`` lesson in ``directory``, in teaching order."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise PackError(f"no lesson files (*.toml) in {directory}")
    lessons = []
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            lesson = Lesson.model_validate(data)
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            raise PackError(f"{path.name}: {exc}") from exc
        lessons.append(
            lesson.model_copy(
                update={
                    "passages": tuple(
                        p.model_copy(update={"lesson_id": lesson.id}) for p in lesson.passages
                    )
                }
            )
        )
    lessons.sort(key=lambda lesson: lesson.order)
    _check_unique(lessons)
    return LessonPack(lessons=tuple(lessons))


def _check_unique(lessons: list[Lesson]) -> None:
    seen: set[str] = set()
    for lesson in lessons:
        for passage in lesson.passages:
            if passage.id in seen:
                raise PackError(f"duplicate passage id {passage.id}")
            if not passage.id.startswith(lesson.id + "."):
                raise PackError(f"passage {passage.id} must start with its lesson id {lesson.id}.")
            seen.add(passage.id)
    orders = [lesson.order for lesson in lessons]
    if len(set(orders)) != len(orders):
        raise PackError("two lessons share the same order")


_Built = TypeVar("_Built")
# How many packs a per-pack cache keeps: one in service, a few in tests.
PACKS_KEPT = 8


def per_pack(build: Callable[..., _Built]) -> Callable[..., _Built]:
    """``build(pack, *args)`` worked out once per pack object and kept for the
    newest few. Keyed by identity: hashing a frozen pack model walks every
    field of every passage, which would cost more than the work it saves."""
    cache: dict[tuple[Any, ...], tuple[LessonPack, _Built]] = {}

    @functools.wraps(build)
    def cached(pack: LessonPack, *args: Any) -> _Built:
        key = (id(pack), *args)
        hit = cache.get(key)
        if hit is None or hit[0] is not pack:
            while len(cache) >= PACKS_KEPT:
                del cache[next(iter(cache))]
            hit = cache[key] = (pack, build(pack, *args))
        return hit[1]

    return cached
