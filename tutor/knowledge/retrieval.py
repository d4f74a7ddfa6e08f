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
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from tutor.providers.base import ChatMessage

from .intent import described_job, names_lesson_idea, without_name_request
from .pack import LessonPack, LessonPassage
from .text import (
    one_syllable_verb_forms,
    short_root,
    one_syllable_noun,
    spelled_letters,
    contracted_stem_forms,
    default_stem,
    hangul_bigrams,
    has_hangul,
    index_terms,
    is_hangul_word,
    WHEN,
    is_predicate,
    is_stop_stem,
    is_stopword,
    is_all_endings,
    is_all_particles,
    is_bare_verb,
    is_grammar_tail,
    is_when,
    is_degree_adverb,
    looks_inflected,
    near_english_stopword,
    regional_stem,
    makes_verb,
    one_edit,
    normalise,
    raw_words,
    strip_candidates,
    l_drop_variants,
    strip_particles,
    synonym,
    synonym_exact,
)

DEFAULT_THRESHOLD = 0.3
# A word this common in the pack (its IDF weight below this: "AI") names no one thing.
TELLING_WEIGHT = 0.5

# Field weight and length normalisation (BM25F). Follow-up questions are not
# indexed: they are about the *next* topic, not this passage.
_FIELDS: dict[str, tuple[float, float]] = {
    "title": (3.0, 0.3),
    "keywords": (3.0, 0.3),
    "misconception": (2.5, 0.5),
    "key_points": (1.5, 0.5),
    "text": (1.0, 0.75),
    "aids": (0.6, 0.75),
    "lesson": (0.4, 0.3),
}
_K1 = 1.2
# Partial credit when a word is found only as pieces of itself.
_SEGMENT_CREDIT = 0.9
_PIECE_CREDIT = 0.3
_BIGRAM_CREDIT = 0.5
_SYNONYM_CREDIT = 0.8
# Weight of a word the pack never uses: informative, but not as much as the
# rarest pack word, since many such words are just conjugated verbs.
_UNKNOWN_WEIGHT_VERBISH = 0.8
_INFLECTED_WEIGHT = 1.0
# How well a message's known words must match a passage for it to be named
# as the nearest thing the document says.
_NEAREST_MIN = 0.5
_WHY_WORDS = frozenset(("왜", "why", "어째서"))
_ASKING = frozenset(("뭔", "뭐", "왜", "몇", "웬"))
_FINAL_M = 16  # the final consonant ㅁ in a Hangul syllable's code point
_WHY_WEIGHT = 0.3
# A verb or adjective the pack knows weighs at most this much.
_PREDICATE_WEIGHT = 0.8
# Counters and the number words before them ("3개", "몇 가지", "두 번").
_COUNTERS = frozenset(("개", "가지", "명", "번", "건", "년", "개월", "달", "주"))
_NUMBER_WORDS = frozenset(("몇", "한", "두", "세", "네", "다섯", "여러", "수십", "수백", "수천"))
# Unknown words beside a clearly known topic weigh this share of their weight.
_FRAMING_WEIGHT = 0.35
# A known word this telling (IDF) or more counts as evidence of a topic when
# others agree with it on one passage (see Retriever._known_words_agree).
_AGREEING_WEIGHT = 1.5
# "how does X work": the frame of the question, not its topic.
_HOW_WORK = re.compile(r"\b(how\s+(?:does|do|did|can|could|would|will)\b.*?)\s+work(?:s|ing|ed)?\b", re.IGNORECASE)
_SMOOTHING = 0.5
_IDF_FLOOR = 0.7
_COMMON_SHARE = 0.75
# A word found in this share of the passages or more ("AI", "모델", "LLM",
# "데이터") is the document's subject, not a topic of its own: beside a
# question word or a verb ("그 모델은 왜 그래요?") it does not turn the
# conversation away from the topic under way. Measured on the pack itself.
GENERIC_SHARE = 0.4
# A name the pack never mentions (GPT-5, CNN, RAG) is what the question is
# about: the rest must match clearly before we answer.
_UNKNOWN_NAME_MARGIN = 0.15
# The noun a service clause describes ("알려 주는 앱", "그려 주던 프로그램").
_SERVICE_HEAD = re.compile(r"(?:주는|주던|준다는)\s+([가-힣a-z]+)")
# A name, then the generic nouns saying what kind of thing it is ("OpenAI 회사", "GAN 방식", "GPT 회사 모델").
_CLASSIFIER = r"(?:회사|기업|개발사|모델|서비스|기술|방식|제품|프로그램|툴|도구)"
_CLASSIFIED = re.compile(r"(?<![A-Za-z0-9])(?P<name>[A-Za-z][A-Za-z0-9.\-]*[A-Za-z0-9]?(?:\s+\d[\w.]*)?)"
                         r"(?P<kinds>(?:\s+" + _CLASSIFIER + r"(?![가-힣]))+)")
# An everyday thing's words (CCTV, 아파트) in a description of what it does.
_EVERYDAY_WEIGHT = 0.1
_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]+(?:-?[A-Za-z0-9]+)?(?![A-Za-z0-9])|[A-Za-z]+-?\d+(?:\.\d+)?[A-Za-z]?")
# Recent messages are analysed once and reused across turns (LRU).
_CACHE_SIZE = 8192
# How clearly a clause must name a topic for a later pointer to stand for it.
_NAMED_MARGIN = 0.1
# "…있잖아요", "…보면": a clause that shows the thing the message then points at.
_SEES_IT = re.compile(r"잖아요?\s*$|잖아\s*$")
# Syllables closing a verb that describes the noun after it ("쉬는시간"): no compound's first noun.
_ADNOMINAL = frozenset("는은던을")
# A dative particle after a word the pack never uses: the person addressed.
_ADDRESSEE = re.compile(r"[가-힣](?:한테|에게|께)(?:는|도|만|서)?$")
_ENDINGS_VERBISH = tuple("요다까죠어아던게고서면니네지며데히")
# "본격적으로", "기술적인": a describing word made of a noun, not a topic.
_DESCRIBING = ("적으로", "적인", "적이", "적")
# A message naming words goes on with the topic under way when that passage
# explains them as well as the best passage does (a tie within this much).
_CONTINUE_MARGIN = 0.02
# How much recent turns count when the message leans on them / when not.
_USER_TURN_SHARES = (0.6, 0.3)
_ASSISTANT_SHARE = 0.3
_FOLLOW_UP_FLOOR = 4.0
_CLEAR_MATCH = 0.5
_HISTORY_NUDGE = 0.1
_HISTORY_PREDICATE = 0.3
_ASSISTANT_CHARS = 400

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?=년|\b)")
_SENTENCES = re.compile(r"(?<=[.!?。])\s+|\n+")
# A span the learner quotes ('…', "…", ‘…’, “…”, 「…」).
_QUOTED = re.compile(r"'([^'\n]{3,80})'|\"([^\"\n]{3,80})\"|‘([^’\n]{3,80})’|“([^”\n]{3,80})”|「([^」\n]{3,80})」")
_QUESTION = re.compile(
    r"\?|뭐|무엇|무슨|왜|어떻게|어떤|언제|어디|누가|누구|얼마|인가요|나요|까요|\b(?:what|why|how|when|where|who|which)\b",
    re.IGNORECASE,
)
_SENTENCE_MIN_WEIGHT = 0.5
# Where a clause that only sets the scene ends ("…하는데요,", "…라서", "…, ").
_CLAUSE_END = re.compile(r"(?:는데요?|인데요?|은데요?|던데요?|라서요?|거든요?|[,~ㅋㅎㅠ]+)\s+")
_CONFIRM = re.compile(
    r"죠\s*\??\s*$|죠\?|맞죠|맞나요|맞아요\?|아니에요|아닌가요|아니야|아냐|잖아요|거 아니|지 않나요|겠죠|"
    r"^\W*(?:is|isn'?t)\s+it\s+(?:really\s+)?(?:true|right|correct)\s+that\b|"
    r"\b(?:right|isn'?t\s+it|aren'?t\s+they|don'?t\s+they|doesn'?t\s+it|correct|true)\s*\?",
    re.IGNORECASE,
)
_BELIEF_WEIGHT = 0.3
_SENTENCE_DISCOUNT = 0.9
_ANAPHORA = re.compile(
    r"그거|그건|그게|그걸|그것|그전|그 전|그때|그 때|그 다음|그다음|그 후|그후|이전에는|거기|그 모델|그 방법|"
    r"그 기술|그 구조|그 논문|그런|그렇게|그렇다면|이거|이건|이게|이걸|이것|저거|저건|왜요|어째서|"
    r"그 중|그중|둘 중|셋 중|거기서|여기서|(?<![가-힣])그\s+[가-힣]{2,}|"
    r"\b(?:it|its|that|this|they|them|those|these|then|before that|after that|why)\b"
)
_HANGUL_CHAR = re.compile(r"[가-힣]")
# A sentence opening on a pointer ("그건 …", "그것도 …", "이건 …").
_OPENS_POINTING = re.compile(r"^\W*(?:(?:그럼|그러면|근데|그런데)\s+)?(?:그거|그건|그게|그걸|그것|이거|이건|이게|이것|저거|저건)")
# "…소형 그런건가?", "…쓰는 거 그런 거죠?": closing a clause, 그런 asks about that clause.
_SELF_TAG = re.compile(r"(?<=\S)\s+(?:그런|그렇)\s*(?:건가|거|건|것|가|게|지|죠)\S*\s*(?:[?？!.~]|$)")
# Words that only point back ("그렇게 큰일이었어요?"): never a topic of their own.
_POINTING_STEMS = ("그렇", "이렇", "저렇", "그런", "이런", "저런", "그때", "그땐", "그중", "이때", "이땐")
# "isn't", "doesn't": the shell of an English yes/no question.
_FRAME_WORDS = frozenset(("isn", "aren", "wasn", "weren", "doesn", "don", "didn", "hasn", "haven"))
# How an English learner frames a belief to check; not part of the belief.
_CONFIRM_FRAME = re.compile(
    r"\b(?:isn'?t|is|wasn'?t|was)\s+it\s+(?:true|right|correct|the\s+case)\s+(?:that\s+)?"
    r"|\b(?:am\s+i\s+right|is\s+it\s+right)\s+(?:that\s+|to\s+say\s+)?"
    r"|,?\s*\b(?:right|correct|true)\s*\?",
    re.IGNORECASE,
)
# Index terms that ask for something about a topic (when, drawbacks,
# difference, name, use, strengths) rather than name one.
_ATTRIBUTE_TERMS = frozenset(
    ("≈언제", "≈단점", "≈차이", "≈출시", "≈처음", "≈핵심", "≈이름", "≈능력", "≈사용", "≈만들", "≈같은", "≈성능", "≈이유", "≈조건")
)
# "원래", "본래": how a thing is by nature or was at first ("AI는 원래 그래요?",
# "AI라는 건 원래 요즘 새로 나온 거지요?"). They ask about a topic, naming none;
# older AI is named by the noun they stand before ("원래 있던 AI").
_SENTENCE_ADVERBS = frozenset(("원래", "본래"))
# Follow-ups: how much the earlier topic lifts a passage when the message
# names no topic of its own (scaled down as the message's own topic gets clear).
_TOPIC_BONUS = 0.4
# "그거랑 X는 뭐가 달라요?": a comparison with the earlier topic names two
# topics; the earlier one keeps its full lift however clearly X is named, so
# the passages about X or about the topic beat an overview listing both.
_COMPARE = re.compile(
    r"차이|달라|다른가|다르|다름|비교|\b(?:differ\w*|compare\w*|vs\.?|versus)\b", re.IGNORECASE
)
_COMPARE_TIE = 0.25  # the words all together still order near-ties
# "왜요?" right after a claim: the claim is in the last answer, so it counts
# more than the user's earlier question.
_WHY = re.compile(r"왜|어째서|\bwhy\b|\bhow come\b", re.IGNORECASE)
_WHY_SHARES = (0.3, 0.6)  # (last user turn, last answer)


@dataclass(frozen=True)
class Hit:
    passage: LessonPassage
    score: float


@dataclass(frozen=True)
class _Unit:
    """One informative word of a query: its weight and the index terms that
    stand for it, each with the share of credit a match earns. Alternatives
    (the word, its synonym group) take the best match; pieces of a word
    (bigrams of an unknown compound) add up."""

    weight: float
    terms: tuple[tuple[str, float], ...]
    pieces: bool = False
    predicate: bool = False  # a verb or adjective: what is asked, not the topic
    # Asks for something *about* a topic (when, drawbacks, difference, name)
    # rather than naming one: "단점은요?" needs the topic from earlier turns.
    attribute: bool = False
    # A word the pack never uses ("난리", "문과라서"): a topic of its own, or
    # just the learner's framing around one the pack knows.
    unknown: bool = False


class Retriever:
    """Search the lesson pack; built once per process and shared (read-only)."""

    def __init__(self, pack: LessonPack, *, threshold: float | None = None):
        self.pack = pack
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self._passages: list[LessonPassage] = list(pack.passages.values())
        self._position: dict[str, int] = {passage.id: i for i, passage in enumerate(self._passages)}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._idf: dict[str, float] = {}
        self._df: dict[str, int] = {}
        self._build()
        n = len(self._passages)
        self._unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self._vocabulary = frozenset(t for t in self._postings if not t.startswith("§"))
        self._analysed: OrderedDict[str, tuple[_Unit, ...]] = OrderedDict()
        self._resolved: dict[str, str | None] = {}
        # Known words by (length, first letter), in vocabulary order: the candidates of a typo.
        self._by_shape: dict[tuple[int, str], list[str]] | None = None
        self._squeezed: dict[str, tuple[str, ...]] | None = None

    # -- index -------------------------------------------------------------

    def _build(self) -> None:
        lessons = {lesson.id: lesson for lesson in self.pack.lessons}
        per_doc: list[dict[str, Counter[str]]] = []
        beliefs_per_doc: list[Counter[str]] = []
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
            counts = {name: Counter(index_terms(text)) for name, text in fields.items()}
            # A belief check may echo the correction's words too ("GPT는 인코더랑
            # 디코더 둘 다 쓰죠?" against "GPT는 디코더만 써요"): the belief
            # index holds both sides; the ordinary index only the wrong one.
            counts_belief = Counter(
                index_terms(
                    _both(passage.misconception.right.ko, passage.misconception.right.en)
                    if passage.misconception
                    else ""
                )
            )
            beliefs_per_doc.append(counts["misconception"] + counts_belief)
            for name in ("title", "key_points", "text"):
                # A year answers "언제 나왔어요?" / "when": 2017 counts as ≈언제.
                years = len(_YEAR.findall(fields[name]))
                if years:
                    counts[name][WHEN] += years
            per_doc.append(counts)

        average = {
            name: max(1.0, sum(sum(doc[name].values()) for doc in per_doc) / max(1, len(per_doc)))
            for name in _FIELDS
        }
        document_frequency: Counter[str] = Counter()
        for doc in per_doc:
            document_frequency.update(set().union(*(set(c) for c in doc.values())))
        n = len(per_doc)
        self._df = dict(document_frequency)
        for term, df in document_frequency.items():
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            # Core words of the pack ("LLM") are common in it, yet a question
            # naming one is about it: keep them from weighing next to nothing.
            self._idf[term] = max(idf, _IDF_FLOOR) if df <= _COMMON_SHARE * n else idf

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
        # The common beliefs and their corrections, for "…죠?" questions seeking confirmation.
        beliefs: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, belief_counts in enumerate(beliefs_per_doc):
            for term, tf in belief_counts.items():
                beliefs[term].append((index, tf / (tf + _K1)))
        self._beliefs = dict(beliefs)

    # -- query analysis ----------------------------------------------------

    def _resolve(self, word: str) -> str | None:
        if word in self._resolved:
            return self._resolved[word]
        term = self._resolve_uncached(word)
        if len(self._resolved) < _CACHE_SIZE:
            self._resolved[word] = term
        return term

    def _resolve_uncached(self, word: str) -> str | None:
        stem = default_stem(word)
        if stem in self._vocabulary:
            return stem
        for candidate in strip_candidates(word):
            if candidate in self._vocabulary:
                return candidate
        # 만듭니다/만드는 for the document's 만들, and 만들다 for its 만드는.
        for candidate in l_drop_variants(word):
            if candidate in self._vocabulary:
                return candidate
        return self._near(stem) or self._spelled(word)

    def _spelled(self, word: str) -> str | None:
        """The acronym a word typed as its letters' names stands for ("엘엘엠인가",
        "피시로"): the pack's, or one with a doubled letter said once ("엘엠": LLM)."""
        for candidate in strip_candidates(word):
            for letters in spelled_letters(candidate):
                if letters in self._vocabulary and not is_stopword(letters):
                    return letters
                terms = self._acronyms().get(letters)
                if terms:
                    return terms[0]
        return None

    def _acronyms(self) -> dict[str, tuple[str, ...]]:
        """The pack's acronyms (no vowel: not a word) with a doubled letter said once (lm: llm)."""
        if self._squeezed is None:
            squeezed: defaultdict[str, list[str]] = defaultdict(list)
            for term in sorted(self._vocabulary):
                short = re.sub(r"(.)\1", r"\1", term)
                if term.isascii() and term.isalpha() and len(term) <= 5 and len(short) >= 2 and short != term \
                        and not re.search("[aeiouy]", term):
                    squeezed[short].append(term)
            self._squeezed = {short: tuple(terms) for short, terms in squeezed.items()}
        return self._squeezed

    def _near(self, word: str) -> str | None:
        """A known word one typo away ("transfomer", "트랜스포모"): same first
        letter, one letter (syllable) swapped, added, dropped or transposed.
        Only for longer words, where one typo cannot make another word."""
        latin = not is_hangul_word(word)
        if len(word) < (5 if latin else 4) or (latin and not word.isalpha()):
            return None
        if self._by_shape is None:
            by_shape: defaultdict[tuple[int, str], list[str]] = defaultdict(list)
            # In a fixed order: of two words one typo away, the same one wins on every run.
            for term in sorted(self._vocabulary):
                if term[:1].isalpha() and not term.startswith(("≈", "⊕", "§")):
                    by_shape[(len(term), term[0])].append(term)
            self._by_shape = dict(by_shape)
        for length in (len(word), len(word) - 1, len(word) + 1):
            for term in self._by_shape.get((length, word[0]), ()):
                if one_edit(word, term):
                    return term
        return None

    def _segment(self, word: str) -> list[str] | None:
        """Split an unknown compound into known words ("트랜스포머모델")."""
        best: list[list[str] | None] = [None] * (len(word) + 1)
        best[0] = []
        for end in range(2, len(word) + 1):
            for start in range(0, end - 1):
                piece = word[start:end]
                if best[start] is not None and (piece in self._vocabulary or self._group_of(piece) is not None):
                    candidate = [*best[start], piece]  # type: ignore[misc]
                    if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                        best[end] = candidate
        result = best[len(word)]
        return result if result and len(result) > 1 else None

    def _group_of(self, piece: str) -> str | None:
        """The synonym group a piece of a compound stands for, when the pack
        uses that idea but not this word ("문자" in "스팸문자": ≈텍스트)."""
        group = synonym_exact(piece)
        return group if len(piece) >= 2 and group in self._postings else None

    def _weight(self, term: str) -> float:
        return self._idf.get(term, self._unknown_idf)

    def analyse(self, text: str) -> tuple[_Unit, ...]:
        """The informative words of ``text`` as weighted query units (cached)."""
        cached = self._analysed.get(text)
        if cached is not None:
            self._analysed.move_to_end(text)
            return cached
        words = self._join_split_words(raw_words(text))
        units: list[_Unit] = []
        seen: set[str] = set()
        # Known words cut from a longer one ("만들" of "만들수있어요"): a verb
        # unless particles or 하다 followed it ("한국말로는요", "거짓말한다던데").
        glued: set[str] = set()
        nouns: set[str] = set()
        regional: set[str] = set()  # what is left of a word once a regional ending is cut off
        position = 0
        while position < len(words):
            word = words[position]
            position += 1
            if word in _WHY_WORDS and "이유" in self._postings and "이유" not in seen:
                # "왜 …?" is answered by a passage giving reasons (이유, reason):
                # a light hint of what is asked, never a topic.
                seen.add("이유")
                units.append(_Unit(_WHY_WEIGHT, (("이유", 1.0), ("reason", 1.0)), attribute=True))
                continue
            if is_when(word) and WHEN in self._postings and WHEN not in seen:
                seen.add(WHEN)
                units.append(_Unit(self._weight(WHEN), ((WHEN, 1.0),), attribute=True))
                continue
            if word not in glued and (is_stop_stem(word) or word.startswith(_POINTING_STEMS) or word in _FRAME_WORDS
                                      or is_degree_adverb(word)):
                continue
            term = self._resolve(word)
            group = synonym(word)
            if group not in self._postings:
                group = None
            if term is not None and not is_stopword(term):
                if term in seen:
                    continue
                seen.add(term)
                terms = ((term, 1.0),) + (((group, _SYNONYM_CREDIT),) if group and group != term else ())
                weight = self._weight(term)
                if group and looks_inflected(term):
                    # A rare verb form of a common idea ("쓰였어요") weighs like the idea.
                    weight = min(weight, max(self._weight(group), _IDF_FLOOR))
                if term == word and looks_inflected(word) and word not in nouns:
                    # A verb form we could not reduce ("읽고"): only the same form
                    # matches, which says little about the topic.
                    weight = min(weight, _INFLECTED_WEIGHT)
                predicate = (is_predicate(word) or word in glued) and word not in nouns
                # "3개", "몇 가지": a counter after a number counts something; it names nothing.
                counted = position >= 2 and (words[position - 2].isdigit() or words[position - 2] in _NUMBER_WORDS) \
                    and term in _COUNTERS
                # "원래 그래요?" asks how a thing is by nature; "원래 구조" names the first design.
                adverb = term in _SENTENCE_ADVERBS and not (
                    position < len(words) and not is_predicate(words[position]) and not is_stop_stem(words[position])
                    and not words[position].startswith(_POINTING_STEMS))
                attribute = predicate or counted or term in _ATTRIBUTE_TERMS or group in _ATTRIBUTE_TERMS or adverb
                if counted or adverb:
                    weight = min(weight, _PREDICATE_WEIGHT)
                if predicate and (group is None or group in _ATTRIBUTE_TERMS):
                    # A verb form ("나왔어요", "왔어요") says what is asked, not the
                    # topic; one that names an idea ("겨루면서": compete) keeps its weight.
                    weight = min(weight, _PREDICATE_WEIGHT)
                units.append(_Unit(weight, terms, predicate=predicate, attribute=attribute))
                continue
            if group is not None:
                if group in seen:
                    continue
                seen.add(group)
                predicate = (is_predicate(word) or word in glued) and word not in nouns
                units.append(
                    _Unit(
                        self._weight(group), ((group, _SYNONYM_CREDIT),), predicate=predicate,
                        attribute=predicate or group in _ATTRIBUTE_TERMS,
                    )
                )
                continue
            forms = [f for f in one_syllable_verb_forms(word) or contracted_stem_forms(word) if f in self._vocabulary]
            if forms and word not in glued and not is_bare_verb(word):
                # "뺐어요", "머썼는데": a one-syllable verb in another form than the
                # pack's ("빼고", "쓰는"); any of its forms there matches. A verb
                # says what is asked, like any other verb form.
                key = "◇" + forms[0]
                if key in seen:
                    continue
                seen.add(key)
                weight = min(min(self._weight(f) for f in forms), _PREDICATE_WEIGHT)
                units.append(_Unit(weight, tuple((f, 1.0) for f in forms), predicate=True, attribute=True))
                continue
            rest = self._after_glued_adverb(word)
            if rest is not None:
                # "요즘생긴거죠", "진짜그런거에요": a word that only frames (요즘, 진짜)
                # run together with the next one; the next one is read on its own.
                words.insert(position, rest)
                continue
            head = self._glued_head(word) or self._casual_nominal(word)
            if head is not None:
                # "거짓말한다던데", "광고쪽은요": a known word with grammar glued on
                # that no single ending explains; the grammar names nothing.
                words.insert(position, head)
                glued.add(head)
                tail = word[len(head):]
                if word.startswith(head) and (is_all_particles(tail) or makes_verb(tail)):
                    nouns.add(head)  # particles or 하다 follow a noun, whatever its last syllable
                continue
            rest = regional_stem(word) if word not in glued and word not in regional else None
            if rest is not None:
                # "나왔노", "썼는교", "뭐래유", "신기함": a regional or note-style
                # ending; what it closes is read as any verb form (or skipped).
                if not (is_stop_stem(rest) or _is_glued_stopword(rest)):
                    words.insert(position, rest)
                    glued.add(rest)
                    regional.add(rest)
                continue
            stem = strip_particles(word) if is_hangul_word(word) else default_stem(word)
            if is_stop_stem(word) or stem in seen or (is_hangul_word(stem) and len(stem) < 2) \
                    or _is_glued_stopword(word) or is_bare_verb(word):
                continue
            seen.add(stem)
            head = self._known_head(stem) if not looks_inflected(word) and self._segment(stem) is None else None
            if head is not None:
                # "한복사진", "증명사진": a Korean compound names the kind of thing
                # its last word names (사진); the unknown part before it says which.
                words.insert(position, head)
                stem = stem[: len(stem) - len(head)]
                if len(stem) < 2 or stem in seen:
                    continue
                seen.add(stem)
            if not is_hangul_word(word) and near_english_stopword(word):
                continue  # "wats", "abt": a function word mistyped
            unit = self._unknown_unit(stem, looks_inflected(word) or word.endswith(_DESCRIBING) or word in regional)
            if word in regional:
                # "사도됨", "참말이여": weighs as little as a verb form, yet the pack
                # never uses it, so a message made of such words is about something else.
                unit = replace(unit, attribute=False)
            if _ADDRESSEE.search(word):
                # "독자들한테는 뭘 하라고 해요?", "원장님께": whom something is
                # said to, not what it is about.
                unit = _Unit(min(unit.weight, _PREDICATE_WEIGHT), unit.terms, unit.pieces, attribute=True, unknown=True)
            units.append(unit)
        result = tuple(units)
        self._analysed[text] = result
        if len(self._analysed) > _CACHE_SIZE:
            self._analysed.popitem(last=False)
        return result

    def _glued_head(self, word: str) -> str | None:
        """The known word a longer unknown one starts with, when the rest is
        only grammar: particles stacked up ("한국말로는요"), a verb made of the
        noun ("거짓말한다던데"), a bound syllable ("광고쪽은요", "만들수있어요").
        The longest such word wins; it needs two syllables or more."""
        if not is_hangul_word(word) or len(word) < 3:
            return None
        for end in range(len(word) - 1, 1, -1):
            head = word[:end]
            known = (head in self._vocabulary and not is_stopword(head)) or synonym_exact(head) in self._postings
            if known and is_grammar_tail(word[end:]) and not _noun_syllable(head, word[end:]):
                return head
        return None

    def _after_glued_adverb(self, word: str) -> str | None:
        """What follows a framing word of two syllables or more (요즘, 진짜, 원래…) typed
        without a space before it, when the pack knows it ("요즘생긴거죠" -> 생긴거죠)."""
        if not is_hangul_word(word) or len(word) < 4 or self._resolve(word) is not None:
            return None
        for end in range(len(word) - 2, 1, -1):
            head, rest = word[:end], word[end:]
            if is_stopword(head) and self._resolve(rest) is not None and not is_stopword(self._resolve(rest) or ""):
                return rest
        return None

    def _only_asks(self, text: str) -> bool:
        """Whether ``text`` names nothing to search by, only asks ("맞나요", "어떻게 잡아내요"),
        or names nothing at all."""
        return all(unit.attribute for unit in self.analyse(text))

    def _known_head(self, stem: str) -> str | None:
        """The longest known noun of two syllables or more that an unknown
        compound ends with ("한복사진" -> 사진), if any."""
        if not is_hangul_word(stem) or len(stem) < 3:
            return None
        for start in range(1, len(stem) - 1):
            head = stem[start:]
            if head in self._vocabulary and not is_stopword(head) and not looks_inflected(head) \
                    and not is_predicate(head) and not makes_verb(head) and start >= 2 \
                    and not looks_inflected(stem[:start]) and stem[start - 1] not in _ADNOMINAL \
                    and self._resolve(stem[:start]) is None:
                return head
        return None

    def _casual_nominal(self, word: str) -> str | None:
        """"언제 나옴?", "다 씀": the casual ending ㅁ on a verb the pack knows
        (나오, 쓰) is that verb, asked about."""
        if not is_hangul_word(word) or len(word) < 2 or (ord(word[-1]) - 0xAC00) % 28 != _FINAL_M:
            return None
        verb = word[:-1] + chr(ord(word[-1]) - _FINAL_M)
        return verb if verb in self._vocabulary or synonym_exact(verb) in self._postings else None

    def _join_split_words(self, words: list[str]) -> list[str]:
        """"생성 형" -> "생성형": join neighbours when only the joined form is known."""
        joined: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if i + 1 < len(words) and is_hangul_word(word) and is_hangul_word(words[i + 1]):
                pair = word + words[i + 1]
                if is_stopword(word) or is_stopword(words[i + 1]):
                    joined.append(word)
                    i += 1
                    continue
                alone_known = self._resolve(word) is not None and self._resolve(words[i + 1]) is not None
                # "좋은 점" -> "좋은점": a set phrase of a synonym group (≈능력), though the pack never writes it.
                if (not alone_known and self._resolve(pair) is not None) or synonym(pair) in self._postings:
                    joined.append(pair)
                    i += 2
                    continue
            joined.append(word)
            i += 1
        return joined

    def _unknown_unit(self, stem: str, inflected: bool) -> _Unit:
        if not is_hangul_word(stem):
            return _Unit(self._unknown_idf, ((stem, 1.0),), unknown=True)
        verbish = inflected or stem.endswith(_ENDINGS_VERBISH)
        pieces = self._segment(stem)
        if pieces:
            # Full credit only where the pieces stand side by side ("거대 언어 모델"
            # for "거대언어모델"); pieces scattered over a passage earn little
            # ("강화" and "학습" apart are not "강화학습").
            joins = ["⊕" + a + b for a, b in zip(pieces, pieces[1:])]
            if all(p in self._vocabulary for p in pieces):
                terms = [(p, _PIECE_CREDIT / len(pieces)) for p in pieces]
                terms += [(j, (_SEGMENT_CREDIT - _PIECE_CREDIT) / len(joins)) for j in joins]
            else:
                # A piece the pack says in other words ("스팸문자": 스팸 and ≈텍스트)
                # is never written side by side with the other: the pieces alone earn.
                pieces = [p if p in self._vocabulary else self._group_of(p) or p for p in pieces]
                terms = [(p, _SEGMENT_CREDIT / len(pieces)) for p in pieces]
            weight = max(self._weight(p) for p in pieces)
            # Made of the pack's own words: a compound it knows the parts of, not a foreign topic.
            return _Unit(weight, tuple(terms), pieces=True)
        grams = ["§" + g for g in hangul_bigrams(stem)]
        weight = _UNKNOWN_WEIGHT_VERBISH if verbish or short_root(stem) or one_syllable_noun(stem) else self._unknown_idf
        share = _BIGRAM_CREDIT / max(1, len(grams))
        # An unknown verb form ("싸게", "큰일이었") says how, not what.
        return _Unit(weight, tuple((g, share) for g in grams), pieces=True, attribute=verbish, unknown=True)

    # -- scoring -----------------------------------------------------------

    def _coverage(
        self, units: Iterable[_Unit], postings: dict[str, list[tuple[int, float]]] | None = None
    ) -> tuple[dict[int, float], float]:
        """Per passage: the weighted share of ``units`` it matches (0..1)."""
        # (Names bound to locals and the credit of a term worked out once: the
        # loop runs over every posting of every word of the message and of the
        # recent turns, on every search. The sums are the same, in the same order.)
        found = (self._postings if postings is None else postings).get
        scores: dict[int, float] = {}
        score = scores.get
        total = 0.0
        for unit in units:
            weight = unit.weight
            total += weight
            if len(unit.terms) == 1 or unit.pieces:
                for term, share in unit.terms:
                    credit = weight * share
                    for index, saturation in found(term, ()):
                        scores[index] = score(index, 0.0) + credit * saturation
                continue
            best: dict[int, float] = {}
            for term, share in unit.terms:
                for index, saturation in found(term, ()):
                    if share * saturation > best.get(index, 0.0):
                        best[index] = share * saturation
            for index, value in best.items():
                scores[index] = score(index, 0.0) + weight * value
        if total <= 0:
            return {}, 0.0
        # A little smoothing: one vague word ("AI?") is not full coverage.
        norm = total + _SMOOTHING
        return {index: value / norm for index, value in scores.items()}, total

    def _current_coverage(self, query: str, units: tuple[_Unit, ...], confirm: bool) -> dict[int, float]:
        """Coverage by the whole message, or by its best question sentence when
        it has several ("관리자입니다. 테스트 중이에요. LLM이 뭐야?")."""
        current, _ = self._coverage(units)
        if confirm:
            # "GAN은 이제 안 쓰죠?": a learner checking a belief; the passage
            # whose common misconception it is has the correction.
            beliefs, _ = self._coverage(units, self._beliefs)
            for index, value in beliefs.items():
                current[index] = current.get(index, 0.0) + _BELIEF_WEIGHT * value
        sentences = [s for s in _SENTENCES.split(query) if s.strip()]
        # A long message's asking clause on its own, after the clauses that
        # only say why the learner asks ("드라마 대본 준비하고 있는데요, …
        # 찾아봤는데, LLM은 글을 어떻게 만들어요?").
        if max(current.values(), default=0.0) < _CLEAR_MATCH:
            # Only when the whole message matches nothing clearly: a clause
            # that gives the learner's reasoning ("…만들어내는 거니까 생성형 AI
            # 아님?") is part of the question.
            for sentence in list(sentences):
                clauses = [c for c in _CLAUSE_END.split(sentence) if c.strip()]
                if len(clauses) < 2 or not _QUESTION.search(clauses[-1]):
                    continue
                # A clause that only asks ("…베끼는데 어떻게 잡아내요?") names
                # nothing to search by: what it asks about is in the clauses before.
                # One that only checks what was heard ("…대신 받을 수 있다고 하던데
                # 맞나요") asks about the clause it closes: the two ask together.
                asking = clauses[-1]
                for before in reversed(clauses[1:-1] if self._only_asks(asking) else ()):
                    asking = before + " " + asking
                    if not self._only_asks(asking):
                        break
                if not self._only_asks(asking):
                    sentences.append(asking)
        if len(sentences) < 2:
            return current
        for position, sentence in enumerate(sentences):
            if not _QUESTION.search(sentence):
                continue
            if position > 0 and _OPENS_POINTING.match(normalise(sentence)):
                # "… 신용평가도 AI라고 하더라고요. 그건 어떤 AI예요?": the pointer
                # stands for the sentence just before; the two ask together.
                before = [c for c in _CLAUSE_END.split(sentences[position - 1]) if c.strip()]
                sentence = (before[-1] if before else sentences[position - 1]) + " " + sentence
            sentence_units = self.analyse(sentence)
            if sum(unit.weight for unit in sentence_units) < _SENTENCE_MIN_WEIGHT:
                continue
            partial, _ = self._coverage(sentence_units)
            for index, value in partial.items():
                current[index] = max(current.get(index, 0.0), value * _SENTENCE_DISCOUNT)
        return current

    def _history_units(
        self, history: Sequence[ChatMessage], base: float, scale: float, *, claim: bool = False
    ) -> list[_Unit]:
        """Words of recent turns, as extra query units that weigh less than the
        message: the last two user turns that had a topic, newest first, and
        the start of the last answer. Each turn's words together weigh a
        fixed share of ``base`` (the message's own weight). With ``claim``
        (a "why?" about what was just said) the last answer counts most."""
        segments: list[tuple[float, tuple[_Unit, ...]]] = []
        user_shares = [_WHY_SHARES[0], _USER_TURN_SHARES[1]] if claim else list(_USER_TURN_SHARES)
        assistant_share = _WHY_SHARES[1] if claim else _ASSISTANT_SHARE
        assistant_seen = False
        for message in reversed(history):
            if message.role == "assistant":
                if not assistant_seen:
                    assistant_seen = True
                    segments.append((assistant_share, self.analyse(_answer_body(message.content)[:_ASSISTANT_CHARS])))
                continue
            if user_shares:
                # "원래 영어 이름이 뭐예요?" lends no topic: 영어 and 이름 there ask for a name.
                units = self.analyse(without_name_request(message.content))
                if units:
                    segments.append((user_shares.pop(0), units))
            if not user_shares and assistant_seen:
                break
        out: list[_Unit] = []
        for share, units in segments:
            total = sum(unit.weight for unit in units)
            if total <= 0:
                continue
            factor = share * scale * base / total
            # Earlier turns lend their topics (nouns), hardly their predicates.
            out.extend(
                _Unit(unit.weight * factor * (_HISTORY_PREDICATE if unit.predicate else 1.0), unit.terms, unit.pieces)
                for unit in units
            )
        return out

    def search(
        self,
        query: str,
        history: Sequence[ChatMessage] = (),
        k: int = 3,
        *,
        follow_up: bool | None = None,
        everyday: bool = False,
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``, or [] when none is relevant enough.

        ``everyday``: the message describes an everyday thing ("아파트 CCTV로
        사진 보고 구분하는 거"), whose words the pack never uses are the
        learner's setting, not a subject of their own.

        ``history`` holds earlier turns, oldest first. ``follow_up`` forces (or
        forbids) leaning on them; by default it is detected from the message:
        words like 그거 / 그 전에 / it, or a message of at most one word.
        """
        query = self._without_quoted_examples(query)
        confirm = bool(_CONFIRM.search(query))
        # "Isn't it true that GANs are obsolete?": search by the belief alone.
        text = _CONFIRM_FRAME.sub(" ", query) if confirm else query
        text = _HOW_WORK.sub(r"\1", text)
        units = self._framing_discounted(self.analyse(text), text)
        job = self._job_unit(query)
        if job is not None:
            # "부품 사진 찍으면 뭔지 알려주는 앱": an everyday thing described by
            # its job; the job (sorting, foreseeing) is what the message is about.
            everyday = True
            units = (*units, job)
        if everyday:
            units = tuple(replace(unit, weight=unit.weight * _EVERYDAY_WEIGHT) if unit.unknown else unit
                          for unit in units)
        units = self._carriers_discounted(units, text)
        units = self._classifiers_discounted(units, text)
        current = self._current_coverage(text, units, confirm)
        threshold = self.threshold + (_UNKNOWN_NAME_MARGIN if self.names_unknown(text) and not everyday else 0.0)
        pointing = bool(_ANAPHORA.search(normalise(query)))
        if pointing and len([unit for unit in units if not unit.attribute]) >= 2:
            # "LLM이 대형이고 생성형AI가 소형 그런건가?": a tag asking whether
            # what the message itself just said holds points at nothing earlier.
            pointing = bool(_ANAPHORA.search(normalise(_SELF_TAG.sub(" ", query))))
        if (pointing and not _HANGUL_CHAR.search(query) and not _COMPARE.search(query)
                and self._clarity(units) >= _CLEAR_MATCH):
            # "how much does it cost to run a bot on GPT-4o?": an English "it"
            # in a message that names its own topic clearly points nowhere
            # (unless it compares: "how does it compare with a GAN?").
            pointing = False
        if pointing and self.points_within(query):
            # "화장품 추천해주는 AI 있잖아요, 그것도 생성형이에요?": the pointer
            # stands for what the message itself has just named.
            pointing = False
        if follow_up is None:
            # Leaning on earlier turns: a pointing word (그거, it), nothing to
            # search by, one word that by itself finds nothing clearly, or
            # only words that ask about a topic ("단점은요?", "언제 나왔어요?").
            vague = (
                not units
                or (len(units) == 1 and max(current.values(), default=0.0) < _CLEAR_MATCH)
                or all(unit.attribute for unit in units)
                or self._only_subject(units)
            )
            # "김치찌개로는요?", "축구 쪽은요?": short, yet its only topic is one the
            # pack never names; that is a new topic, not more of the earlier one.
            foreign_only = any(unit.unknown and not unit.attribute for unit in units) and not any(
                not unit.unknown and not unit.attribute for unit in units
            )
            follow_up = bool(history) and (pointing or (vague and not foreign_only))
        if not follow_up:
            current = self._anchored(current, units)
        if not history or (not follow_up and not current):
            return self._top(current, k, threshold)

        own = sum(unit.weight for unit in units)
        if not follow_up:
            # A fresh question stands on its own; recent turns only break near-ties.
            extra = self._history_units(history, 1.0, 1.0)
            recent, _ = self._coverage(extra)
            return self._top(
                {i: v + _HISTORY_NUDGE * recent.get(i, 0.0) for i, v in current.items() if v >= threshold},
                k, threshold, floor=current, cap=current,
            )
        # An explicit 그거 / it stands for the earlier topic: count it as a word.
        base = max(own, _FOLLOW_UP_FLOOR) if pointing or not own else own
        lowered = normalise(query)
        claim = bool(_WHY.search(lowered)) and self._clarity(units) < _CLEAR_MATCH
        extra = self._history_units(history, base, 1.0, claim=claim)
        combined, _ = self._coverage([*units, *extra])
        compare = pointing and bool(_COMPARE.search(lowered))
        bonus = _TOPIC_BONUS * (1.0 if compare else 1.0 - self._clarity(units))
        topic, _ = self._coverage(extra) if bonus > 0 else ({}, 0.0)
        peak = max(topic.values(), default=0.0)
        # Leaning on earlier turns orders the passages; it never drops the one
        # that the things the message itself names find best ("그 전 2010년대에
        # 이미 …" after the Transformer), when two of its words or more agree on it
        # or it matches clearly. A message naming nothing ("그건 왜요?") has none.
        anchored = self._anchored(current, units) if _named(units) else {}
        best = max(anchored.items(), key=lambda item: (item[1], -item[0]), default=None)
        own_found = dict([best]) if best is not None and (
            best[1] >= _CLEAR_MATCH or self._known_words_agree(units)) else None
        if peak <= 0:
            return self._top(combined, k, threshold, floor=own_found)
        # "그건 언제 나왔어요?" after the Transformer: the passage the recent
        # turns were about beats one that merely matches 언제 / 나왔어요. The
        # lift orders the passages; the score shown (and the threshold) stay
        # those of the words themselves.
        ranked = {i: v + bonus * (topic.get(i, 0.0) / peak) for i, v in combined.items()}
        topical = [unit for unit in units if not unit.attribute]
        if compare and topical:
            # "그거랑 X는 뭐가 달라요?" is answered by the passage about X or the
            # one about the earlier topic, each on its own: a passage that
            # merely lists both (an overview) or talks about differences in
            # general should not win by adding up a little of each.
            named, _ = self._coverage(topical)
            ranked = {
                i: max(named.get(i, 0.0), topic.get(i, 0.0) / peak) + _COMPARE_TIE * v for i, v in combined.items()
            }
        return self._top(ranked, k, threshold, cap=combined, floor=own_found)

    def _without_quoted_examples(self, text: str) -> str:
        """Without the sentences the learner quotes as an example ("'몬스터가 용사를
        공격했다'랑 '용사가 몬스터를 공격했다'는 단어는 똑같은데 …"): none of their
        words is the pack's, so they show the question, naming nothing to search by.
        A quoted name or term ('Attention is All You Need', '분류') stays."""
        def drop(match: re.Match[str]) -> str:
            inner = next(group for group in match.groups() if group is not None)
            if len(inner.split()) < 2 or any(not unit.unknown for unit in self.analyse(inner)):
                return match.group(0)
            return " "

        kept = _QUOTED.sub(drop, text)
        return kept if kept.strip() else text

    def _anchored(self, current: dict[int, float], units: Sequence[_Unit]) -> dict[int, float]:
        """Only the passages that some word naming a thing of the message
        reaches, when it names one: a passage that shares only its verb
        ("도착 뜨는거 그것도 AI임", "어떻게 잡아내요") is not about it."""
        named = [unit for unit in units if not (unit.attribute or unit.unknown)]
        if not named:
            return current
        reached, _ = self._coverage(named)
        return {index: value for index, value in current.items() if reached.get(index, 0.0) > 0}

    def _carriers_discounted(self, units: tuple[_Unit, ...], text: str) -> tuple[_Unit, ...]:
        """"그림 그려 주는 앱", "뭔지 알려 주는 프로그램": the noun a service
        clause describes is only what carries the job (an app, a program); the
        job says what the message is about, so that noun weighs as little as
        an everyday thing's words."""
        heads = _SERVICE_HEAD.findall(normalise(text))
        if not heads:
            return units
        carried = {term for head in heads for unit in self.analyse(head) for term, _ in unit.terms[:1]}
        return tuple(replace(unit, weight=unit.weight * _EVERYDAY_WEIGHT)
                     if unit.terms[0][0] in carried and not unit.attribute else unit for unit in units)

    def _classifiers_discounted(self, units: tuple[_Unit, ...], text: str) -> tuple[_Unit, ...]:
        """"OpenAI 회사 최신 모델", "GAN 방식", "VAE 기술": a generic noun right after a
        name says what kind of thing the name is; the name says what the message is
        about, so the noun weighs as little as an everyday thing's words."""
        # (Only after a name of one thing: "AI 모델" names no one thing, "모델" says what is asked.)
        heads = {word for found in _CLASSIFIED.finditer(text)
                 if any(unit.weight >= TELLING_WEIGHT for unit in self.analyse(found.group("name")))
                 for word in found.group("kinds").split()}
        if not heads:
            return units
        generic = {term for head in heads for unit in self.analyse(head) for term, _ in unit.terms[:1]}
        return tuple(replace(unit, weight=unit.weight * _EVERYDAY_WEIGHT)
                     if unit.terms[0][0] in generic and not unit.attribute else unit for unit in units)

    def _job_unit(self, query: str) -> _Unit | None:
        """The pack's word for the job a message describes an everyday thing
        doing ("분류", "예측"; see intent.described_job), as a query word
        weighing as much as the most telling word of the message, when the
        pack uses it and the message does not already say it."""
        word = described_job(query)
        if word is None or word not in self._postings:
            return None
        units = self.analyse(query)
        if any(term == word for unit in units for term, _ in unit.terms):
            return None
        group = synonym_exact(word)
        terms = ((word, 1.0),) + (((group, _SYNONYM_CREDIT),) if group in self._postings else ())
        weight = max([self._weight(word), *(unit.weight for unit in units)])
        return _Unit(weight, terms)

    def points_within(self, query: str, *, described_only: bool = False) -> bool:
        """Whether the message's first pointing word comes after a clause of
        its own that names a topic clearly: it points at that clause. (Korean only: an
        English "it", "then" after a clause still points back.)"""
        if not _HANGUL_CHAR.search(query):
            return False
        normal = normalise(query)
        pointer = _ANAPHORA.search(normal)
        if pointer is None:
            return False
        before = normal[:pointer.start()]
        units = self.analyse(before)
        # "gpt 그 영어글자는 …": a bare name (no particle) right before the
        # pointer is what it points at; "사람들은 그걸로 …" is a subject, not a referent.
        last = before.split()[-1] if before.split() else ""
        named_just_before = bool(units) and len(_named(units)) == len(units) \
            and bool(last) and (not is_hangul_word(last) or default_stem(last) == last)
        # "노이즈 넣었다 빼는 그 모델": a clause with a verb, closed by a describing
        # ending right before the pointer, says which thing it means.
        described_just_before = len(before.split()) >= 2 and is_hangul_word(last) and last[-1] in _ADNOMINAL \
            and any(unit.predicate for unit in units)
        if described_only and not described_just_before:
            return False  # ("…했던 것 같은데 그게 무슨 소리에요?": the clause is a claim recalled, not a description)
        if not (_CLAUSE_END.search(before + " ") or _SEES_IT.search(before) or named_just_before
                or described_just_before):
            return False
        return self._clarity(self._framing_discounted(self.analyse(before), before)) >= self.threshold + _NAMED_MARGIN

    def _framing_discounted(self, units: tuple[_Unit, ...], text: str) -> tuple[_Unit, ...]:
        """In a message naming one of the document's ideas ("LLM", "GAN"),
        Korean words the pack never uses are most likely the learner's framing ("요즘 LLM이 왜 이렇게
        난리예요?", "제가 문과라서요"): they weigh less. A message made of
        unknown words alone ("김치찌개 끓이는 법") keeps them at full weight,
        so it is still declined."""
        framing = [unit for unit in units if unit.unknown and is_hangul_word(unit.terms[0][0].lstrip("§"))]
        if not framing or not (names_lesson_idea(text) or self._known_words_agree(units)):
            return units
        topical = sum(unit.weight for unit in units if not unit.unknown and not unit.attribute)
        if topical <= 0:
            return units
        # Together the framing words weigh at most half the named topic.
        unknown = sum(unit.weight for unit in framing)
        factor = min(_FRAMING_WEIGHT, 0.5 * topical / unknown)
        return tuple(
            _Unit(unit.weight * factor, unit.terms, unit.pieces, unit.predicate, unit.attribute, unit.unknown)
            if unit in framing else unit
            for unit in units
        )

    def _known_words_agree(self, units: Sequence[_Unit]) -> bool:
        """Whether two or more telling words of the message that the pack
        knows ("수요" and "비유", "2010" and "년대") are found together in one
        passage: positive evidence that the message is about that passage,
        whatever everyday words ("논리", "판이", "한복") surround them."""
        found: list[frozenset[int]] = []
        scripts: list[bool] = []
        for unit in _named(units):
            if unit.weight < _AGREEING_WEIGHT:
                continue
            passages = frozenset(index for term, _ in unit.terms for index, _ in self._postings.get(term, ()))
            # One idea said in both languages ("챗봇 chatbot") is one word.
            latin = unit.terms[0][0].isascii() and unit.terms[0][0].isalpha()
            if passages and not any(p == passages and h != latin for p, h in zip(found, scripts)):
                found.append(passages)
                scripts.append(latin)
        if len(found) < 2:
            return False
        together = Counter(index for passages in found for index in passages)
        best = max(together.values())
        # Most of them in one passage: a stray known word ("이미") does not undo the rest.
        return best >= 2 and 2 * best >= len(found)

    def _clarity(self, units: Sequence[_Unit]) -> float:
        """How clearly the message names a topic by itself (0..1): the best
        coverage its topic words (not 언제 / 단점 / 나왔어요) reach on their own."""
        topical = [unit for unit in units if not unit.attribute]
        if not topical:
            return 0.0
        coverage, _ = self._coverage(topical)
        return min(1.0, max(coverage.values(), default=0.0))

    def nearest(self, query: str, history: Sequence[ChatMessage] = ()) -> LessonPassage | None:
        """The passage closest to a message no passage answers, if any comes
        reasonably close (a detail the document does not give about an idea
        it does discuss)."""
        units = self.analyse(_CONFIRM_FRAME.sub(" ", query))
        topical = [unit for unit in units if not unit.unknown and not unit.attribute]
        if not topical:
            return None
        coverage, _ = self._coverage(topical)
        best = max(coverage.items(), key=lambda item: (item[1], -item[0]), default=None)
        return self._passages[best[0]] if best and best[1] >= _NEAREST_MIN else None

    def names_known_topic(self, text: str) -> bool:
        """Whether ``text`` names something the pack knows, not only how or why
        it asks ("설명하게", "만들 수 있어요") or words the pack never uses."""
        return bool(_named(self.analyse(text)))

    def names_own_topic(self, text: str) -> bool:
        """Whether a follow-up names a topic of its own. A word most passages
        use ("AI", "모델") does so only when it is all the message asks about
        ("LLM은요?", "데이터는?"); asked with something more ("그 모델은 왜
        그래요?", "AI는 원래 그래요?") it is the subject already under way."""
        units = self.analyse(text)
        return bool(_named(units)) and not self._only_subject(units)

    def _only_subject(self, units: Sequence[_Unit]) -> bool:
        """Whether a message names only the document's subject ("AI", "모델")
        and asks something of it ("그 모델은 왜 그래요?"): a follow-up."""
        named = _named(units)
        rest = [unit for unit in units if unit not in named]
        # What else it says only asks (왜, 언제, 써요, 원래), naming nothing new:
        # not a verb with content of its own ("뭘 배워요") nor a word the pack never uses.
        asking = all(unit.attribute and not unit.unknown
                     and (not unit.predicate or any(term in _ATTRIBUTE_TERMS for term, _ in unit.terms))
                     for unit in rest)
        return bool(named) and bool(rest) and asking and all(self.is_generic(unit) for unit in named)

    def is_generic(self, unit: _Unit) -> bool:
        """Whether a query word is one most passages use (see GENERIC_SHARE)."""
        if unit.unknown or unit.pieces:
            return False
        term = unit.terms[0][0]
        return self._df.get(term, 0) >= GENERIC_SHARE * len(self._passages)

    def continues(self, query: str, topic: LessonPassage) -> bool:
        """Whether the message goes on with ``topic`` (the passage the
        conversation is on) rather than bringing up a subject of its own.

        It does when it names nothing, only asks something about what is
        under way ("그중에 제일 중요한건?", "그래도 쓸만은 한거에요?"), or when
        the topic passage is the one that explains its words best ("번역 말고
        또 어떤 일을 대신해요" after the passage listing those jobs). A word
        the pack never uses with nothing known beside it ("김치찌개로는요?")
        is a subject of its own."""
        units = self.analyse(query)
        named = [unit for unit in units if not (unit.attribute or unit.predicate)]
        if not named:
            return bool(units)
        if topic.id not in self._position or all(unit.unknown for unit in named):
            return False
        coverage, _ = self._coverage(units)
        best = max(coverage.values(), default=0.0)
        return coverage.get(self._position[topic.id], 0.0) >= best - _CONTINUE_MARGIN

    def coverage_of(self, query: str, passage: LessonPassage) -> float:
        """How much of the message's own words ``passage`` explains (0..1)."""
        position = self._position.get(passage.id)
        coverage, _ = self._coverage(self.analyse(query))
        return coverage.get(position, 0.0) if position is not None else 0.0

    def uses_every_known_word(self, query: str, passage: LessonPassage) -> bool:
        """Whether ``passage`` uses every word of the message the pack knows
        as a thing of its own ("빠른" of "그럼 빠른 거예요 느린 거예요?"): the
        words asked are that passage's, whatever else the message says in
        words the pack never uses ("느린")."""
        position = self._position.get(passage.id)
        if position is None:
            return False
        named = [unit for unit in self.analyse(query) if not (unit.unknown or unit.attribute)]
        return all(self._coverage((unit,))[0].get(position, 0.0) > 0 for unit in named)

    def names_one_thing(self, word: str) -> bool:
        """Whether ``word`` names a particular thing of the pack ("인코더"), not one
        nearly every passage speaks of ("AI") nor a word the pack never uses."""
        return any(not (unit.unknown or unit.attribute) and unit.weight >= TELLING_WEIGHT
                   for unit in self.analyse(word))

    def only_asks_about(self, query: str) -> bool:
        """"이유가 몇 개예요?", "단점은요?": the message asks something about a
        topic (why, when, how many) without naming one."""
        return bool(self.analyse(query)) and self._only_asks(query)

    def foreign_words(self, query: str) -> bool:
        """Whether the message holds a noun-like word the pack never uses
        ("김치찌개"): a topic of its own, not the one under way."""
        return any(unit.unknown and not unit.attribute for unit in self.analyse(query))

    def names_unknown(self, query: str) -> bool:
        """Whether the message names something (GPT-5, CNN) the pack never mentions."""
        for name in _NAME.findall(query):
            words = raw_words(name)
            if words and not any(self._resolve(word) for word in words):
                return True
        if has_hangul(query):
            # In a Korean message every Latin word is a name.
            return any(
                not is_hangul_word(word) and not word.isdigit() and self._resolve(word) is None
                and not is_stopword(word)
                for word in raw_words(query)
            )
        return False

    def _top(self, scores: dict[int, float], k: int, threshold: float,
             floor: dict[int, float] | None = None, cap: dict[int, float] | None = None) -> list[Hit]:
        """The best ``k`` above ``threshold``; ``cap`` gives the score to report
        when ``scores`` only ordered them."""
        order = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        hits: list[Hit] = []
        for index, score in order:
            shown = cap.get(index, score) if cap is not None else score
            if floor is not None:
                shown = max(shown, floor.get(index, 0.0))
            if shown >= threshold:
                # A passage the earlier topic lifted but the message's own words
                # do not reach gives way to the next one that they do.
                hits.append(Hit(self._passages[index], round(min(1.0, shown), 4)))
                if len(hits) == k:
                    break
        return hits


_SUGGESTION_LINE = re.compile(r"^\s*(?:[-*•]\s|\d+\.\s|\*\*[^*]+\*\*\s*$)")


def _named(units: Sequence[_Unit]) -> list[_Unit]:
    """The words of a message that name something the pack knows: not how or
    why it asks, not a verb, not a word the pack never uses."""
    return [unit for unit in units if not (unit.unknown or unit.attribute or unit.predicate)]


def _noun_syllable(head: str, tail: str) -> bool:
    """One syllable closing a noun with nothing after it ("사진관", "한복집"):
    part of a longer noun, not a bound word of grammar; those speak with
    a particle after them ("쪽은요") or are stop words. After a verb form
    ("많은지") it is an ending."""
    return (
        len(tail) == 1 and not is_all_endings(tail) and not is_stop_stem(tail) and not makes_verb(tail)
        and not looks_inflected(head) and not is_predicate(head)
        and not is_all_endings(head[-1] + tail)
    )


def _is_glued_stopword(word: str) -> bool:
    """"무슨말", "설명할수", "없었지요": a word that asks or frames, with grammar glued
    on that no single ending explains. A one-syllable stop word ("이", "나") counts
    only before endings, so "이성" or "나무는" stay words of their own; a question
    word ("뭔말인지") before any grammar."""
    if not is_hangul_word(word):
        return False
    for end in range(len(word) - 1, 0, -1):
        head, tail = word[:end], word[end:]
        if not is_stopword(head):
            continue
        if is_all_endings(tail) or ((len(head) >= 2 or head in _ASKING) and is_grammar_tail(tail)):
            return True
    return False


def _answer_body(text: str) -> str:
    """An earlier answer without its lists and headings (suggested questions,
    "You could ask next"): those are about other topics, not this one."""
    return "\n".join(line for line in text.splitlines() if not _SUGGESTION_LINE.match(line))


def _both(*texts: str) -> str:
    return "\n".join(texts)
