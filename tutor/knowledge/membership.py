"""Whether a thing is one of the kinds the document lists members of.

The lesson pack answers "LLM 말고 다른 생성형 AI 모델은 뭐가 있어요?" with a list (GAN, 확산 모델,
VAE, RNN과 LSTM), "멀티모달 모델에는 뭐가 있어요?" with another. A learner checking "GAN도
생성형 AI예요?", "GPT-4는 멀티모달 모델이 아니죠?" or "Is GAN a kind of generative AI?" claims a
thing belongs to such a kind: it does when the list names it. The check does not depend on
which passage the search ranks first or on whether the list was said already in the
conversation. A claim said in the negative is read plainly and reported as negated, so the
verdict can follow its polarity. Nothing is decided for a thing no list names (the list
is not said to be complete) or for a kind with words the list's question does not hold
("제일 잘나가는 생성형 AI").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import categories, comparing, polarity
from .answering import coverage, readings_of
from .pack import Fact, LessonPack

_LISTS = ("which", "example")
# A list that only reports a guess ("…쓸 거라는 짐작이 많아요") names no member for sure.
_HEDGE = re.compile(r"짐작|추측|것으로\s*보|것\s*같|\b(?:guess\w*|seems?|probably|apparently)\b", re.I)


@dataclass(frozen=True)
class Membership:
    """A thing the document lists as one of a kind, and whether the learner said it is not."""

    thing: str
    kind: str
    fact: Fact  # the list naming it
    negated: bool


def membership(pack: LessonPack, claim: str, language: str = "ko") -> Membership | None:
    """The list of the document naming the thing the claim says is (or is not) of a kind;
    None when the claim is no such claim or no list of that kind names the thing."""
    if comparing.asks_either(claim):
        return None
    plain = polarity.affirmed(claim) if language != "en" else None
    for thing, kind in categories.claimed(plain or claim, language):
        named, kind_words = readings_of(thing), readings_of(kind)
        if not named or not kind_words:
            continue
        for passage in pack.passages.values():
            for fact in passage.facts:
                if fact.kind not in _LISTS:
                    continue
                ask, answer = fact.ask.get(language), fact.answer.get(language)
                if coverage(kind_words, ask) < 1.0 or coverage(named, ask) == 1.0:
                    continue  # another kind, or the thing the list is set against ("LLM 말고")
                if coverage(named, answer) == 1.0 and not _HEDGE.search(answer):
                    return Membership(thing, kind, fact, plain is not None)
    return None
