"""A turn's plan as plain data, and as the hints a provider receives.

Kept apart from the planning itself so that providers, prompts and the
replay of earlier turns depend on the data, not on how it is decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import activities
from .pack import LessonPack
from .retrieval import Hit

@dataclass(frozen=True)
class Earlier:
    """What earlier turns did besides teaching: the last answer's activity, the
    quiz waiting for the learner's answer (with its key), the quiz questions
    already asked in this conversation."""

    activity: str | None = None
    pending_quiz: dict[str, Any] | None = None
    asked_quizzes: tuple[str, ...] = ()
    # The passage each earlier answer was about, oldest first.
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class TurnPlan:
    language: str
    # "question" | "simpler" | "example" | "next" | "greeting" | "thanks" | "out_of_scope" | "attack"
    # | "quiz" | "quiz_result" | "recap" | "overview" | "start" | "progress" | "task"
    intent: str
    hits: tuple[Hit, ...]
    suggestions: tuple[str, ...]
    # What the learner sees this turn was (see activities.ACTIVITIES).
    activity: str = "answer"
    # A quiz turn: the question and its key; a quiz result: the question, the
    # key and the verdict. Stored with the answer; only the question or the
    # verdict goes out.
    quiz: dict[str, Any] | None = None
    # Passage ids this conversation covered, in order (recap and progress).
    covered: tuple[str, ...] = field(default=())
    # What the question asks for (yes_no, how_much, when, why, difference, name: its English name, ...)
    # and the passage fact that answers it directly, as (passage id, index).
    question_kind: str = "what"
    fact: tuple[str, int] | None = None
    # For a detail the document does not give: the passage nearest to it.
    nearest: str | None = None
    # A comparison: the document's statements that answer it, in the learner's
    # language, and whether the document sets the two against each other.
    statements: tuple[str, ...] = ()
    direct: bool = True
    # Whether the comparison asks which of the two is better; whether it was said before.
    ranks: bool = False
    again: bool = False


def plan_hints(plan: TurnPlan, pack: LessonPack) -> dict[str, str]:
    """The plan as the request's hints: the offline tutor composes the
    activity from them; ``activity_note`` tells a model which activity the
    turn is (it travels to the model beside the learner's message)."""
    hints = {
        "intent": plan.intent,
        "activity": plan.activity,
        "suggestions": "\n".join(plan.suggestions),
        "covered": "\n".join(plan.covered),
        "question_kind": plan.question_kind,
    }
    if plan.fact is not None:
        hints["fact"] = f"{plan.fact[0]}#{plan.fact[1]}"
    if plan.nearest is not None:
        hints["nearest"] = plan.nearest
    if plan.statements:
        hints["statements"] = "\n".join(plan.statements)
        hints["comparison"] = ("again" if plan.again else "direct") if plan.direct \
            else ("apart_ranked" if plan.ranks else "apart")
    if plan.quiz:
        hints.update({f"quiz_{key}": str(value) for key, value in plan.quiz.items()})
    note = activity_note(plan, pack)
    if note:
        hints["activity_note"] = note
    return hints


def activity_note(plan: TurnPlan, pack: LessonPack) -> str:
    """A short instruction for a model: which activity this turn is and the
    data it needs (the quiz question, the verdict, what was covered)."""
    language = plan.language
    covered = activities.covered_passages(pack, plan.covered)
    if plan.activity == "quiz" and plan.quiz:
        return ("This turn is a quiz. Ask the learner exactly this one question, in their language, "
                "without giving away the answer, and nothing else: " + plan.quiz["question"])
    if plan.activity == "quiz_result" and plan.quiz:
        verdict = "right" if plan.quiz.get("correct") else ("partly right" if plan.quiz.get("partly") else "not right")
        return (f"The learner's message answers the quiz question \"{plan.quiz['question']}\". "
                f"The expected answer: \"{plan.quiz['answer']}\". Their answer was judged {verdict}. "
                "Say so kindly in the first sentence, give the short reason from the expected answer, "
                "and offer another question.")
    if plan.activity == "recap":
        if not covered:
            return "The learner asks for a recap, but nothing has been covered yet: say so and suggest where to start."
        items = "; ".join(f"{p.title.get(language)} ({p.key_points.get(language)[0]})" for p in covered)
        return "The learner asks for a recap. In order, this conversation covered: " + items + "."
    if plan.activity == "progress":
        state = activities.progress(pack, plan.covered)
        upcoming = state.next_passage.title.get(language) if state.next_passage else "nothing: all done"
        return (f"The learner asks about their progress: {state.covered} of {state.total} passages covered, "
                f"in {state.lessons_touched} of {state.lessons_total} lessons. Next up: {upcoming}.")
    if plan.activity == "overview":
        lessons = activities.starting_lessons(pack) if plan.intent == "start" else list(pack.lessons)
        titles = "; ".join(lesson.title.get(language) for lesson in lessons)
        if plan.intent == "start":
            return "The learner asks where a beginner should start. Recommend these first lessons, in order: " + titles
        return "The learner asks what the course covers. Its lessons, in order: " + titles
    if plan.activity == "thanks":
        return "The learner thanks you or says they understood: reply briefly and warmly, and suggest one next step."
    if plan.intent == "not_given" and plan.nearest and (passage := pack.passage(plan.nearest)):
        return ("The tutor's search found no passage that gives this detail. If the document does not give it, "
                "say so plainly, then give the nearest thing it does say: "
                f"{passage.title.get(language)}: {passage.key_points.get(language)[0]}.")
    if plan.intent == "task":
        return ("The learner asks you to do a job for them. Say kindly that you teach this one document and "
                "do not do such jobs, and offer what the document covers instead.")
    return ""
