"""Follow-up suggestions: the questions offered after an answer.

Apart from planning because every kind of turn (answers, activities,
declines) ends with suggestions chosen the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from tutor.providers.base import ChatMessage

from .retrieval import Hit, Retriever
from .text import raw_words

SUGGESTIONS = 3


def quiz_next(language: str) -> tuple[str, ...]:
    return ("Another quiz question, please",) if language == "en" else ("문제 하나 더 내 주세요",)


def _key(text: str) -> str:
    return " ".join(raw_words(text))


def asked_questions(question: str, history: Sequence[ChatMessage]) -> frozenset[str]:
    return frozenset(_key(m.content) for m in (*history, ChatMessage("user", question)) if m.role == "user")


def starters(
    retriever: Retriever, language: str, covered: Sequence[str], asked: frozenset[str]
) -> tuple[str, ...]:
    """Questions that open lessons not yet covered, in teaching order."""
    done = set(covered)
    out: list[str] = []
    for passage in retriever.pack.passages.values():
        if passage.id in done:
            continue
        for question in passage.follow_ups.get(language):
            if _key(question) in asked or question in out or _target(retriever, question) in done:
                continue
            out.append(question)
            break
        if len(out) == SUGGESTIONS:
            break
    return tuple(out)


def follow_ups(
    retriever: Retriever,
    hits: Sequence[Hit],
    language: str,
    covered: Sequence[str],
    asked: frozenset[str],
) -> tuple[str, ...]:
    """The top passage's follow-ups the learner has not asked, preferring ones
    that lead somewhere new; topped up from the other hits, then starters."""
    here = {hit.passage.id for hit in hits}
    done = set(covered) | here
    fresh: list[str] = []
    stale: list[str] = []
    leads: set[str | None] = set()
    for hit in hits:
        for question in hit.passage.follow_ups.get(language):
            target = _target(retriever, question)
            # Two suggestions leading to the same passage are one suggestion.
            if _key(question) in asked or (target is not None and target in leads):
                continue
            leads.add(target)
            (stale if target in done else fresh).append(question)
        if len(fresh) >= SUGGESTIONS:
            break
    out = (fresh + stale)[:SUGGESTIONS]
    if len(out) < 2:
        out += [q for q in starters(retriever, language, covered, asked) if q not in out]
    return tuple(out[:SUGGESTIONS])


@lru_cache(maxsize=16_384)
def _target(retriever: Retriever, question: str) -> str | None:
    """Where a follow-up question leads: the passage retrieval finds for it.

    Worked out the first time a suggestion is considered and remembered, so a
    turn costs a few searches at most, however large the pack.
    """
    hits = retriever.search(question, k=1)
    return hits[0].passage.id if hits else None
