"""Finding the lesson passages a learner's message is about.

A small BM25F index over the pack, built once in a few milliseconds, pure
Python (the pack is ~40 passages: a dictionary of postings answers a query
in tens of microseconds, well inside the 1 ms budget, and costs no start-up
time or memory; see bench/grounding_eval.py for the figures).

Every passage is indexed in both languages, so "attention" and "어텐션" find
the same passage; titles and keywords weigh more than body text. A score is
the share of the query's informative words (IDF-weighted) that a passage
explains, between 0 and 1, so one threshold separates "the pack covers this"
from "it does not" whatever the length of the question.

Follow-ups ("그럼 그 전에는 뭘 썼어요?") borrow words from recent turns: the
current message dominates, the last user turns and the start of the last
answer help, more so when the message leans on them (그거, 그 전에, it).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tutor.providers.base import ChatMessage

from .pack import LessonPack, LessonPassage
from .text import (
    default_stem,
    hangul_bigrams,
    index_terms,
    is_hangul_word,
    is_stopword,
    normalise,
    raw_words,
    strip_candidates,
)

DEFAULT_THRESHOLD = 0.3

# Field weight and length normalisation (BM25F). Follow-up questions are not
# indexed: they are about the *next* topic, not this passage.
_FIELDS: dict[str, tuple[float, float]] = {
    "title": (3.0, 0.3),
    "keywords": (3.0, 0.3),
    "misconception": (1.5, 0.5),
    "key_points": (1.5, 0.5),
    "text": (1.0, 0.75),
    "aids": (0.6, 0.75),
    "lesson": (0.4, 0.3),
}
_K1 = 1.2
# Partial credit when a word is found only as pieces of itself.
_SEGMENT_CREDIT = 0.9
_BIGRAM_CREDIT = 0.6
# Weight of a word the pack never uses: informative, but not as much as the
# rarest pack word, since many such words are just conjugated verbs.
_UNKNOWN_WEIGHT_VERBISH = 0.8
_ENDINGS_VERBISH = tuple("요다까죠어아던게고서면니네지며데")
# How much recent turns count when the message leans on them / when not.
_HISTORY_SHARE_FOLLOW_UP = 0.45
_HISTORY_NUDGE = 0.15
_ASSISTANT_CHARS = 400

_ANAPHORA = re.compile(
    r"그거|그건|그게|그걸|그것|그전|그 전|그때|그 때|그 다음|그다음|그 후|그후|이전에는|거기|그 모델|그 방법|"
    r"그 기술|그 구조|그 논문|그런|그렇게|그렇다면|이거|이건|이게|이걸|이것|저거|저건|왜요|어째서|"
    r"\b(?:it|its|that|this|they|them|those|these|then|before that|after that|why)\b"
)


@dataclass(frozen=True)
class Hit:
    passage: LessonPassage
    score: float


@dataclass(frozen=True)
class _Unit:
    """One informative word of a query: its weight and the index terms that
    stand for it, each with the share of credit a match earns."""

    weight: float
    terms: tuple[tuple[str, float], ...]


class Retriever:
    """Search the lesson pack; built once per process and shared (read-only)."""

    def __init__(self, pack: LessonPack, *, threshold: float | None = None):
        self.pack = pack
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self._passages: list[LessonPassage] = list(pack.passages.values())
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._idf: dict[str, float] = {}
        self._build()
        n = len(self._passages)
        self._unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self._vocabulary = frozenset(t for t in self._postings if not t.startswith("§"))
        self._analysed: dict[str, tuple[_Unit, ...]] = {}

    # -- index -------------------------------------------------------------

    def _build(self) -> None:
        lessons = {lesson.id: lesson for lesson in self.pack.lessons}
        per_doc: list[dict[str, Counter[str]]] = []
        for passage in self._passages:
            lesson = lessons[passage.lesson_id]
            fields = {
                "title": _both(passage.title.ko, passage.title.en),
                "keywords": _both(*passage.keywords.ko, *passage.keywords.en),
                "key_points": _both(*passage.key_points.ko, *passage.key_points.en),
                "text": _both(passage.text.ko, passage.text.en),
                "aids": _both(
                    *(
                        aid.get(lang)
                        for aid in (passage.analogy, passage.example, passage.simpler)
                        if aid is not None
                        for lang in ("ko", "en")
                    )
                ),
                "misconception": (
                    _both(passage.misconception.wrong.ko, passage.misconception.wrong.en)
                    if passage.misconception
                    else ""
                ),
                "lesson": _both(lesson.title.ko, lesson.title.en),
            }
            per_doc.append({name: Counter(index_terms(text)) for name, text in fields.items()})

        average = {
            name: max(1.0, sum(sum(doc[name].values()) for doc in per_doc) / max(1, len(per_doc)))
            for name in _FIELDS
        }
        document_frequency: Counter[str] = Counter()
        for doc in per_doc:
            document_frequency.update(set().union(*(set(c) for c in doc.values())))
        n = len(per_doc)
        for term, df in document_frequency.items():
            self._idf[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))

        postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, doc in enumerate(per_doc):
            weighted: defaultdict[str, float] = defaultdict(float)
            for name, counts in doc.items():
                field_weight, b = _FIELDS[name]
                length = sum(counts.values())
                norm = 1 - b + b * length / average[name]
                for term, tf in counts.items():
                    weighted[term] += field_weight * tf / norm
            for term, tf in weighted.items():
                postings[term].append((index, tf / (tf + _K1)))
        self._postings = dict(postings)

    # -- query analysis ----------------------------------------------------

    def _resolve(self, word: str) -> str | None:
        stem = default_stem(word)
        if stem in self._vocabulary:
            return stem
        for candidate in strip_candidates(word):
            if candidate in self._vocabulary:
                return candidate
        return None

    def _segment(self, word: str) -> list[str] | None:
        """Split an unknown compound into known words ("트랜스포머모델")."""
        best: list[list[str] | None] = [None] * (len(word) + 1)
        best[0] = []
        for end in range(2, len(word) + 1):
            for start in range(0, end - 1):
                piece = word[start:end]
                if best[start] is not None and piece in self._vocabulary:
                    candidate = [*best[start], piece]  # type: ignore[misc]
                    if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                        best[end] = candidate
        result = best[len(word)]
        return result if result and len(result) > 1 else None

    def _weight(self, term: str) -> float:
        return self._idf.get(term, self._unknown_idf)

    def analyse(self, text: str) -> tuple[_Unit, ...]:
        """The informative words of ``text`` as weighted query units (cached)."""
        cached = self._analysed.get(text)
        if cached is not None:
            return cached
        words = [w for w in raw_words(text)]
        words = self._join_split_words(words)
        units: list[_Unit] = []
        seen: set[str] = set()
        for word in words:
            if is_stopword(word):
                continue
            term = self._resolve(word)
            if term is not None:
                if term in seen or is_stopword(term):
                    continue
                seen.add(term)
                units.append(_Unit(self._weight(term), ((term, 1.0),)))
                continue
            stem = default_stem(word)
            if is_stopword(stem) or stem in seen or (is_hangul_word(stem) and len(stem) < 2):
                continue
            seen.add(stem)
            units.append(self._unknown_unit(stem))
        result = tuple(units)
        if len(self._analysed) < 4096:
            self._analysed[text] = result
        return result

    def _join_split_words(self, words: list[str]) -> list[str]:
        """"생성 형" -> "생성형": join neighbours when only the joined form is known."""
        joined: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if i + 1 < len(words) and is_hangul_word(word) and is_hangul_word(words[i + 1]):
                pair = word + words[i + 1]
                alone_known = self._resolve(word) is not None and self._resolve(words[i + 1]) is not None
                if not alone_known and self._resolve(pair) is not None:
                    joined.append(pair)
                    i += 2
                    continue
            joined.append(word)
            i += 1
        return joined

    def _unknown_unit(self, stem: str) -> _Unit:
        if not is_hangul_word(stem):
            return _Unit(self._unknown_idf, ((stem, 1.0),))
        verbish = stem.endswith(_ENDINGS_VERBISH)
        pieces = self._segment(stem)
        if pieces:
            share = _SEGMENT_CREDIT / len(pieces)
            weight = sum(self._weight(p) for p in pieces) / len(pieces)
            return _Unit(weight, tuple((p, share) for p in pieces))
        grams = ["§" + g for g in hangul_bigrams(stem)]
        weight = _UNKNOWN_WEIGHT_VERBISH if verbish else self._unknown_idf
        share = _BIGRAM_CREDIT / max(1, len(grams))
        return _Unit(weight, tuple((g, share) for g in grams))

    # -- scoring -----------------------------------------------------------

    def _coverage(self, units: Iterable[_Unit]) -> tuple[dict[int, float], float]:
        """Per passage: the weighted share of ``units`` it matches (0..1)."""
        scores: defaultdict[int, float] = defaultdict(float)
        total = 0.0
        for unit in units:
            total += unit.weight
            for term, share in unit.terms:
                for index, saturation in self._postings.get(term, ()):
                    scores[index] += unit.weight * share * saturation
        if total <= 0:
            return {}, 0.0
        return {index: value / total for index, value in scores.items()}, total

    def _history_coverage(self, history: Sequence[ChatMessage]) -> dict[int, float]:
        """Recent turns' topic: the last two user turns with content, and the
        start of the last answer, newest weighing most."""
        parts: list[tuple[float, dict[int, float]]] = []
        user_weights = [0.5, 0.25]
        assistant_seen = False
        for message in reversed(history):
            if message.role == "assistant":
                if not assistant_seen:
                    assistant_seen = True
                    coverage, total = self._coverage(self.analyse(message.content[:_ASSISTANT_CHARS]))
                    if total:
                        parts.append((0.25, coverage))
                continue
            if not user_weights:
                continue
            coverage, total = self._coverage(self.analyse(message.content))
            if total and coverage and max(coverage.values()) >= self.threshold:
                parts.append((user_weights.pop(0), coverage))
            if not user_weights and assistant_seen:
                break
        if not parts:
            return {}
        norm = sum(weight for weight, _ in parts)
        combined: defaultdict[int, float] = defaultdict(float)
        for weight, coverage in parts:
            for index, value in coverage.items():
                combined[index] += weight / norm * value
        return dict(combined)

    def search(
        self,
        query: str,
        history: Sequence[ChatMessage] = (),
        k: int = 3,
        *,
        follow_up: bool | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``, or [] when none is relevant enough.

        ``history`` holds earlier turns, oldest first. ``follow_up`` forces (or
        forbids) leaning on them; by default it is detected from the message.
        """
        units = self.analyse(query)
        current, _ = self._coverage(units)
        leans = bool(_ANAPHORA.search(normalise(query))) if follow_up is None else follow_up
        leans = leans or (bool(history) and len(units) <= 1 and follow_up is None)
        recent = self._history_coverage(history) if history else {}

        ranked: dict[int, float] = {}
        if leans and recent:
            # The message leans on earlier turns: mix, the message still first.
            share = _HISTORY_SHARE_FOLLOW_UP if units else 1.0
            anchored = bool(_ANAPHORA.search(normalise(query))) or follow_up is True or not units
            for index in set(current) | set(recent):
                if not anchored and current.get(index, 0.0) <= 0.0:
                    continue
                ranked[index] = (1 - share) * current.get(index, 0.0) + share * recent.get(index, 0.0)
        else:
            for index, value in current.items():
                if value >= self.threshold:
                    ranked[index] = value + _HISTORY_NUDGE * recent.get(index, 0.0)

        order = sorted(ranked.items(), key=lambda item: (-item[1], item[0]))
        hits = [
            Hit(self._passages[index], round(min(1.0, score), 4))
            for index, score in order[:k]
            if score >= self.threshold
        ]
        return hits


def _both(*texts: str) -> str:
    return "\n".join(texts)
