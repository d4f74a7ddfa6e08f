"""The learner's activities besides asking: a quiz, a recap, progress.

Everything here is plain data drawn from the lesson pack and the passages
this conversation has covered, so the offline tutor and a model-backed turn
do the same activity: the planner picks the quiz question and keeps its
answer key (stored with the assistant message, never sent to the client),
and judges the learner's reply against it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .pack import LessonPack, LessonPassage
from .text import default_stem, is_stopword, raw_words, synonym

# Activities a turn can be (the `activity` of the done event).
ACTIVITIES = ("answer", "decline", "quiz", "quiz_result", "recap", "overview", "progress", "thanks", "greeting")
# The first lessons a beginner should read (in teaching order).
STARTING_LESSONS = 3

_NO = re.compile(r"^\s*(?:아니|아뇨|노\b|틀려|틀렸|틀린|x\b|no\b|nope|false|wrong|not\b)|아니에요|아닙니다|아니요|틀려요|\bx\s*$", re.I)
_YES = re.compile(r"^\s*(?:네|넵|예\b|응|맞아|맞습니다|맞죠|맞는|o\b|yes|yep|yeah|true|right|correct)|맞아요|맞습니다|\bo\s*$", re.I)
_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True)
class QuizItem:
    question: str
    answer: str
    passage: str
    kind: str  # a fact's kind; "yes_no" for true-or-false questions

    def stored(self) -> dict[str, str]:
        """What the assistant message keeps (the key included; never sent out)."""
        return {"question": self.question, "answer": self.answer, "passage": self.passage, "kind": self.kind}


def quiz_candidates(passage: LessonPassage, language: str) -> list[QuizItem]:
    """The questions a passage can be quizzed on: its facts, then its common
    misconception as a true-or-false question."""
    items = [
        QuizItem(fact.ask.get(language), fact.answer.get(language), passage.id, fact.kind)
        for fact in passage.facts
        if fact.quiz and fact.kind != "not_given"
    ]
    if passage.misconception is not None:
        wrong = passage.misconception.wrong.get(language).rstrip(".。 ")
        right = passage.misconception.right.get(language)
        if language == "en":
            question = f"True or false: \"{wrong}.\""
            answer = f"No, that's false. {right}"
        else:
            question = f"O/X 문제예요. \"{wrong}.\" 맞을까요, 틀릴까요?"
            answer = f"아니요, 틀린 말이에요. {right}"
        items.append(QuizItem(question, answer, passage.id, "yes_no"))
    return items


def make_quiz(pack: LessonPack, covered: Sequence[str], asked: Sequence[str], language: str) -> QuizItem | None:
    """One question on what this conversation covered (the most recent first),
    or on the first lesson when nothing was covered yet; never one already asked."""
    seen = set(asked)
    recent = [pid for pid in reversed(covered) if pack.passage(pid) is not None]
    first = list(pack.lessons[0].passages) + (list(pack.lessons[1].passages) if len(pack.lessons) > 1 else [])
    order = [pack.passages[pid] for pid in recent] + [p for p in first if p.id not in recent]
    placed = {p.id for p in order}
    order += [p for p in pack.passages.values() if p.id not in placed]
    for passage in order:
        for item in quiz_candidates(passage, language):
            if item.question not in seen:
                return item
    return None


def says_yes_or_no(reply: str) -> bool:
    """Whether a reply says yes or no: an answer to a true-or-false question."""
    return bool(_NO.search(reply) or _YES.search(reply))


def _terms(text: str) -> set[str]:
    out: set[str] = set()
    for word in raw_words(text):
        if is_stopword(word):
            continue
        stem = default_stem(word)
        if len(stem) < 2 and not stem.isdigit():
            continue
        out.add(stem)
        group = synonym(word)
        if group:
            out.add(group)
    return out


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def judge(quiz: dict[str, str], reply: str) -> bool:
    """Whether the learner's reply answers the quiz question (see ``grade``)."""
    return grade(quiz, reply) == RIGHT


RIGHT, PARTLY, WRONG = "right", "partly", "wrong"


def grade(quiz: dict[str, str], reply: str) -> str:
    """How well the learner's reply answers the quiz question: the right yes or
    no for a true-or-false question; otherwise the key's numbers or names, or
    enough of its words, is right; some of its words but not enough ("데이터
    양이요" for "data and parameters") is partly right; else wrong."""
    from .intent import says_dont_know

    if says_dont_know(reply) and len(reply) < 30:
        return WRONG
    answer = quiz.get("answer", "")
    if quiz.get("kind") == "yes_no":
        expects_no = bool(_NO.match(answer))
        said_no, said_yes = bool(_NO.search(reply)), bool(_YES.search(reply))
        if said_no != said_yes:
            return RIGHT if said_no == expects_no else WRONG
        # No clear yes or no: judge by what the reply says, like any answer.
    numbers = _numbers(answer) - _numbers(quiz.get("question", ""))
    if numbers and numbers & _numbers(reply):
        return RIGHT
    key = _terms(answer) - _terms(quiz.get("question", ""))
    said = _terms(reply)
    if not key or not said:
        return WRONG
    shared = key & said
    # Prefix matches count too ("노이즈" / "노이즈를" stems, "판별" / "판별자").
    for word in said - shared:
        if len(word) >= 2 and any(k.startswith(word) or word.startswith(k) for k in key if len(k) >= 2):
            shared.add(word)
    needed = max(1, min(3, round(len(key) * 0.25)))
    if len(shared) >= needed:
        return RIGHT
    # One word short of enough, when enough is more than one: a part of the key.
    return PARTLY if needed >= 2 and len(shared) == needed - 1 else WRONG


def covered_passages(pack: LessonPack, covered: Sequence[str]) -> list[LessonPassage]:
    """The passages this conversation has covered, in the order they came up."""
    return [p for pid in dict.fromkeys(covered) if (p := pack.passage(pid)) is not None]


@dataclass(frozen=True)
class Progress:
    covered: int
    total: int
    lessons_touched: int
    lessons_total: int
    next_passage: LessonPassage | None


def progress(pack: LessonPack, covered: Sequence[str]) -> Progress:
    done = {p.id for p in covered_passages(pack, covered)}
    touched = {pack.passages[pid].lesson_id for pid in done}
    upcoming = next((p for p in pack.passages.values() if p.id not in done), None)
    return Progress(len(done), len(pack.passages), len(touched), len(pack.lessons), upcoming)


def starting_lessons(pack: LessonPack) -> list:
    """Where a beginner should start: the first lessons, in order."""
    return list(pack.lessons[:STARTING_LESSONS])
