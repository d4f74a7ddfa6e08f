"""Turns that are not a question about the document: the learner's activities
(a quiz and its answer, a recap, progress, the course's contents, where to
start, an acknowledgement), moving on to the next passage, and replies
without passages (greetings, declines).

Apart from planning because they are recognised before any search and
never choose a fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import activities, suggesting
from . import intent as intents
from .retrieval import Hit, Retriever
from .turn_plan import Earlier, TurnPlan

# What a message about the course itself asks, by the idea its words carry:
# where to begin, how far the learner has come, what the course holds.
_COURSE_ASKS = (
    ("start", re.compile(r"부터|먼저|시작|순서|입문\S*|초보\S*|\b(?:first|start|begin|beginners?|newbie|order)\b", re.I)),
    ("progress", re.compile(r"어디까지(?:\s*\S+)?|얼마나|남았|남은|진도|\b(?:so\s+far|how\s+far|left|covered|progress)\b", re.I)),
    ("overview", re.compile(r"내용|개요|목차|다뤄|다루|배우|배워|배울|무슨\s*얘기|"
                            r"\b(?:cover|covers|overview|about|topics|learn|contents)\b", re.I)),
)
# The course named as such ("이 글", "강의", "this lesson"), or the learner as a beginner.
_THE_COURSE = re.compile(r"이\s*(?:글|강의|수업|문서|과정|코스|자료)|강의|수업|코스|처음\s*이(?:에요|예요|라)|입문\S*|초보\S*|"
                         r"어디까지|진도|\b(?:lesson|course|document|class|tutorial|beginners?|newbie|so\s+far|how\s+far)\b",
                         re.I)
# ... or only pointed at, which before anything was taught can mean nothing else.
_POINTED_COURSE = re.compile(r"이거|이건|여기|\b(?:this|here)\b", re.I)
# Words a question about the course uses besides those: when they are all it says.
_COURSE_WORDS = re.compile(r"지금|\b(?:so|far|what|is|does|have|i|i'm|am|a|an|the|total|should|do|me|give|can|you)\b", re.I)


def _about_the_course(retriever: Retriever, text: str, under_way: bool) -> str | None:
    """The activity a message asks for when it names none of the document's
    ideas, only the course (or, before anything was taught, "이거", "this")
    and what it asks of it: "start", "progress" or "overview"; else None.
    "순서가 왜 중요해요?" names no course and is a question about word order."""
    # The question is the last sentence ("Hi! I'm from the Philippines, … What is this lesson about?").
    sentences = [part for part in re.split(r"(?<=[.!?。])\s+", text.strip()) if part.strip()]
    text = sentences[-1] if sentences else text
    course = _THE_COURSE.search(text) or (not under_way and _POINTED_COURSE.search(text))
    if not course:
        return None
    activity = next((name for name, words in _COURSE_ASKS if words.search(text)), None)
    if activity is None:
        return None
    rest = text
    for _, words in _COURSE_ASKS:
        rest = words.sub(" ", rest)
    rest = _COURSE_WORDS.sub(" ", _POINTED_COURSE.sub(" ", _THE_COURSE.sub(" ", rest)))
    if intents.names_lesson_idea(rest) or retriever.names_known_topic(rest) or retriever.foreign_words(rest) \
            or retriever.names_unknown(rest):
        return None
    return activity


def _course_activity(
    retriever: Retriever, course: str, language: str, covered: Sequence[str], asked: frozenset[str]
) -> TurnPlan:
    done = tuple(covered)
    if course == "start":
        return TurnPlan(language, "start", (), suggesting.starters(retriever, language, (), asked), activity="overview",
                        covered=done)
    if course == "progress":
        return TurnPlan(language, "progress", (), suggesting.starters(retriever, language, covered, asked),
                        activity="progress", covered=done)
    return TurnPlan(language, "overview", (), suggesting.starters(retriever, language, covered, asked),
                    activity="overview", covered=done)


def activity_turn(
    retriever: Retriever, text: str, language: str, covered: Sequence[str], asked: frozenset[str], earlier: Earlier
) -> TurnPlan | None:
    """A turn that is one of the learner's activities rather than a question:
    answering the quiz just asked, asking for a quiz, a recap, the course's
    contents, where to start, progress, or an acknowledgement."""
    pack = retriever.pack
    done = tuple(covered)
    another = intents.wants_another(text) and earlier.activity in ("quiz", "quiz_result")
    if intents.wants_quiz(text) or another:
        item = activities.make_quiz(pack, [*covered, *earlier.topics], earlier.asked_quizzes, language)
        if item is not None:
            # No sources: the passage would give the answer away.
            return TurnPlan(language, "quiz", (), (), activity="quiz", quiz=item.stored(), covered=done)
    pending = earlier.pending_quiz if earlier.activity == "quiz" else None
    if pending and not (intents.wants_recap(text) or intents.wants_overview(text) or intents.wants_progress(text)):
        correct = activities.judge(pending, text)
        verdict = {**pending, "correct": correct}
        passage = pack.passage(pending.get("passage", ""))
        hits = (Hit(passage, 1.0),) if passage is not None else ()
        suggestions = suggesting.quiz_next(language) + suggesting.follow_ups(retriever, hits, language, covered, asked)[:2]
        return TurnPlan(language, "quiz_result", hits, suggestions, activity="quiz_result", quiz=verdict, covered=done)
    if intents.wants_recap(text):
        return TurnPlan(language, "recap", (), suggesting.starters(retriever, language, covered, asked), activity="recap",
                        covered=recap_order(covered, earlier.topics))
    if intents.wants_progress(text):
        return TurnPlan(language, "progress", (), suggesting.starters(retriever, language, covered, asked),
                        activity="progress", covered=done)
    if intents.wants_start(text):
        return TurnPlan(language, "start", (), suggesting.starters(retriever, language, (), asked), activity="overview",
                        covered=done)
    if intents.wants_overview(text):
        return TurnPlan(language, "overview", (), suggesting.starters(retriever, language, covered, asked),
                        activity="overview", covered=done)
    if intents.is_acknowledgement(text):
        return TurnPlan(language, "thanks", (), _next_steps(retriever, language, covered, asked, earlier),
                        activity="thanks", covered=done)
    course = _about_the_course(retriever, text, bool(covered or earlier.topics))
    if course is not None:
        # "What is this lesson about?", "처음 이에요 뭐 부터 해요?", "지금 어디까지
        # 온 거예요?": nothing of the document is named; the course itself is asked about.
        return _course_activity(retriever, course, language, covered, asked)
    return None


def recap_order(covered: Sequence[str], topics: Sequence[str]) -> tuple[str, ...]:
    """What a recap lists, in the order it was taught: the passage each answer
    was about (not every passage it also cited). ``topics`` only reaches back
    as far as the history a turn reads; what was covered before that is kept
    as it stands. A topic never covered was only pointed at by a decline
    ("the document does not say; the nearest is …"), not taught."""
    topics = [topic for topic in topics if topic in covered]
    if not topics:
        return tuple(covered)
    taught = set(topics)
    window = min((covered.index(t) for t in taught if t in covered), default=len(covered))
    older = [pid for pid in covered[:window] if pid not in taught]
    return tuple(dict.fromkeys([*older, *topics]))


def _next_steps(
    retriever: Retriever, language: str, covered: Sequence[str], asked: frozenset[str], earlier: Earlier
) -> tuple[str, ...]:
    """After "ㅇㅋ" or "신기하네": questions that go on from the topic under way
    (not the course's first questions again), else where to start."""
    topic = retriever.pack.passage(earlier.topics[-1]) if earlier.topics else None
    if topic is None:
        return suggesting.starters(retriever, language, covered, asked)
    return suggesting.follow_ups(retriever, [Hit(topic, 1.0)], language, covered, asked)


def next_turn(retriever: Retriever, language: str, covered: Sequence[str], asked: frozenset[str],
          earlier: Earlier = Earlier()) -> TurnPlan:
    """The next passage in teaching order after the topic under way that this
    conversation has not cited yet (from the start when there is no topic)."""
    # Passages an answer was about are done; one only cited beside another is still to come.
    done = set(earlier.topics) if earlier.topics else set(covered)
    order = list(retriever.pack.passages.values())
    here = next((i for i, p in enumerate(order) if earlier.topics and p.id == earlier.topics[-1]), -1)
    upcoming = next((p for p in order[here + 1:] + order[:here + 1] if p.id not in done), None)
    if upcoming is None:
        return TurnPlan(language, "next", (), suggesting.starters(retriever, language, (), asked), covered=tuple(covered))
    hits = [Hit(upcoming, 1.0)]
    return TurnPlan(language, "next", tuple(hits), suggesting.follow_ups(retriever, hits, language, covered, asked),
                    covered=tuple(covered))


_ACTIVITY_OF_INTENT = {"attack": "decline", "out_of_scope": "decline", "task": "decline", "not_given": "decline",
                       "greeting": "greeting",
                       "thanks": "thanks"}


def without_passages(
    retriever: Retriever, language: str, intent: str, covered: Sequence[str], asked: frozenset[str]
) -> TurnPlan:
    activity = _ACTIVITY_OF_INTENT.get(intent, "answer")
    return TurnPlan(language, intent, (), suggesting.starters(retriever, language, covered, asked), activity=activity,
                    covered=tuple(covered))
