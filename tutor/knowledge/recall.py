"""What a conversation the client keeps would have remembered, had it been stored.

A session turn reads from the store which passages the conversation covered
and what each earlier answer was (its topic, a quiz waiting for its answer
and the key to judge it). An OpenAI-style client sends only the messages, so
the same memory is rebuilt by planning each earlier learner message again,
in order, exactly as its turn was planned: planning is deterministic, so the
topics, covered passages and quiz keys come out as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tutor.providers.base import ChatMessage

from .planner import Earlier, TurnPlan, plan_turn
from .retrieval import Retriever

# Activities that are not about a passage: they leave the conversation's topic where it was.
_NOT_A_TOPIC = ("quiz", "quiz_result")


@dataclass(frozen=True)
class Recalled:
    covered: list[str]
    earlier: Earlier


def recall(retriever: Retriever, history: Sequence[ChatMessage], passages_per_turn: int) -> Recalled:
    """Replay the planner over ``history`` (oldest first; the current question not included)."""
    covered: list[str] = []
    plans: list[TurnPlan] = []
    earlier = Earlier()
    for index, message in enumerate(history):
        if message.role != "user":
            continue
        answered = index + 1 < len(history) and history[index + 1].role == "assistant"
        if not answered:
            continue
        plan = plan_turn(retriever, message.content, history[:index], covered, earlier)
        plans.append(plan)
        # As a stored turn counts it: a decline's nearest passage was not taught.
        cited = [hit.passage.id for hit in plan.hits[:passages_per_turn]] if plan.activity != "decline" else []
        covered += [pid for pid in cited if pid not in covered]
        earlier = _earlier(plans)
    return Recalled(covered, earlier)


def _earlier(plans: list[TurnPlan]) -> Earlier:
    """As ``tutor.turns.earlier_activities`` reads it from stored answers."""
    last = plans[-1]
    asked = tuple(p.quiz["question"] for p in plans if p.activity == "quiz" and p.quiz and "question" in p.quiz)
    topics = tuple(p.hits[0].passage.id for p in plans if p.hits and p.activity not in _NOT_A_TOPIC)
    return Earlier(activity=last.activity, pending_quiz=last.quiz if last.activity == "quiz" else None,
                   asked_quizzes=asked, topics=topics)
