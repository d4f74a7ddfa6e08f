"""What a question asks for, and the passage fact that answers it directly.

A learner asking "48,000원은 일주일 치예요?" wants "아니요, 하루 기준이에요"
first, not the cost passage again. Each passage carries short facts
(question, kind, direct answer); this module tells what kind of answer a
message wants (yes/no, how much, when, why, a difference, ...) and picks the
fact whose question is closest to it, by character bigrams (robust to
casual spelling and spacing) and shared word stems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .pack import Fact, LessonPassage
from .text import default_stem, is_stopword, normalise, raw_words, synonym

# Kinds of question, checked in this order (the first that matches wins).
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("why", re.compile(r"왜|어째서|이유|원인|\bwhy\b|how\s+come|what\s+causes", re.I)),
    ("when", re.compile(r"언제|몇\s*년|년도|연도|\bwhen\b|what\s+year|since\s+when", re.I)),
    ("how_many", re.compile(r"몇\s*(?:개|가지|건|번|명)|\bhow\s+many\b", re.I)),
    ("how_much", re.compile(r"얼마|비용|가격|요금|\bhow\s+much\b|\bcosts?\b|\bprice\b", re.I)),
    ("difference", re.compile(r"차이|달라|다른가|다르|비교|나아|낫|보다|\bdiffer\w*|\bcompare\w*|\bvs\.?\b|\bversus\b|\bbetter\b|\bworse\b", re.I)),
    ("example", re.compile(r"예를|예시|예로|사례|뭐가\s*있|뭐뭐|어떤\s*(?:게|것|거)\s*있|\bexamples?\b|\bsuch\s+as\b|\bwhich\s+\w+\s+(?:use|are)", re.I)),
    ("how", re.compile(r"어떻게|원리|작동|방식으로|\bhow\s+(?:does|do|did|is|are|can)\b|\bhow\s+it\s+works?\b", re.I)),
    ("who", re.compile(r"누가|누구|\bwho\b", re.I)),
    ("where", re.compile(r"어디|\bwhere\b|어디에\s*써|\bused\s+for\b|\buse\s+it\s+for\b", re.I)),
)
_WH = re.compile(
    r"뭐|뭘|뭔|무엇|무슨|어떤|어떻|왜|언제|얼마|몇|어디|누가|누구|\b(?:what|which|why|when|where|who|how)\b", re.I
)
_YES_NO_KO = re.compile(r"(?:요|죠|까|나|니|냐|야|지)\s*\??\s*$|\?\s*$")
_YES_NO_EN = re.compile(r"^\s*(?:is|are|was|were|does|do|did|can|could|will|would|has|have|should)\b", re.I)

# Related kinds: a "how much" question is answered by a how_many fact, etc.
_COMPATIBLE = {
    "how_much": {"how_much", "how_many"},
    "how_many": {"how_many", "how_much"},
    "difference": {"difference", "compare", "which", "yes_no"},
    "example": {"example", "which", "where", "what"},
    "where": {"where", "example", "what"},
    "how": {"how", "not_given", "what"},
    "why": {"why", "not_given"},
    "what": {"what", "which", "example", "how", "where", "how_many", "who"},
    "which": {"which", "what", "example"},
    "who": {"who", "what"},
    "when": {"when"},
    "yes_no": {"yes_no", "compare", "difference", "which", "what", "how_much", "how_many", "example", "where", "who"},
}
KIND_BONUS = 0.12
CONTEXT_SHARE = 0.85
MIN_MATCH = 0.34


def question_kind(text: str) -> str:
    """"yes_no", "why", "when", "how_much", "how_many", "difference",
    "example", "how", "who", "where" or "what"."""
    lowered = normalise(text)
    for kind, pattern in _KINDS:
        if pattern.search(lowered):
            return kind
    if _WH.search(lowered):
        return "what"
    if _YES_NO_EN.match(lowered) or _YES_NO_KO.search(lowered.strip()):
        return "yes_no"
    return "what"


def _bigrams(text: str) -> set[str]:
    squashed = "".join(raw_words(text))
    return {squashed[i : i + 2] for i in range(len(squashed) - 1)}


def _stems(text: str) -> set[str]:
    out: set[str] = set()
    for word in raw_words(text):
        if is_stopword(word):
            continue
        stem = default_stem(word)
        if is_stopword(stem):
            continue
        out.add(stem)
        group = synonym(word)
        if group:
            out.add(group)
    return out


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


@dataclass(frozen=True)
class FactMatch:
    passage: LessonPassage
    index: int
    score: float

    @property
    def fact(self) -> Fact:
        return self.passage.facts[self.index]


def similarity(question: str, ask: str) -> float:
    """How close a learner's question is to a fact's question (0..1)."""
    q_stems, a_stems = _stems(question), _stems(ask)
    shared = len(q_stems & a_stems)
    words = shared / max(1, min(len(q_stems), len(a_stems))) if q_stems and a_stems else 0.0
    return 0.5 * _dice(_bigrams(question), _bigrams(ask)) + 0.5 * words


def best_fact(
    question: str, passages: Iterable[LessonPassage], kind: str | None = None, *, context: str = "",
    said: Sequence[str] = (), minimum: float = MIN_MATCH,
) -> FactMatch | None:
    """The fact (of ``passages``, in rank order) whose question is closest to
    ``question``, if it is close enough; a fact of the kind asked wins ties.
    ``context`` (the learner's previous message) helps an elliptical
    follow-up ("그건 왜 생겨요?") reach the fact about the earlier topic."""
    kind = kind or question_kind(question)
    allowed = _COMPATIBLE.get(kind, {kind})
    widened = f"{context} {question}" if context else ""
    best: FactMatch | None = None
    for rank, passage in enumerate(passages):
        for index, fact in enumerate(passage.facts):
            score = max(similarity(question, fact.ask.ko), similarity(question, fact.ask.en))
            if widened:
                score = max(score, CONTEXT_SHARE * max(similarity(widened, fact.ask.ko),
                                                       similarity(widened, fact.ask.en)))
            if fact.kind not in allowed and fact.kind != kind:
                continue  # "환각이 뭐예요?" is not "환각은 왜 생겨요?"
            if said and said_before(fact.answer.ko, said) or said and said_before(fact.answer.en, said):
                continue  # already said: another fact, or the passage, says something new
            if fact.kind == kind:
                score += KIND_BONUS
            score -= 0.04 * rank
            if best is None or score > best.score:
                best = FactMatch(passage, index, score)
    return best if best is not None and best.score >= minimum else None


def said_before(sentence: str, earlier: Sequence[str]) -> bool:
    """Whether a sentence (spacing and punctuation aside) was already said."""
    key = "".join(raw_words(sentence))
    return len(key) >= 8 and any(key in "".join(raw_words(text)) for text in earlier)
