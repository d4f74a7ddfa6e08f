"""Which of the document's own categories a thing is listed under.

Some passages are named by the category they present ("기존 AI가 해 온 일 ①: 예측",
"②: 분류", "GAN: …", "확산 모델(Diffusion): …"), side by side in one lesson. A learner
checking "날씨 예보는 분류죠?" claims a thing (날씨 예보) belongs to one of them (분류):
the claim holds when that category's passage gives the thing as one of its examples, and
fails when the thing is named only under a sibling category of the same lesson (예측).
Nothing is decided for a thing the categories' passages do not name, for two categories
set side by side ("VAE는 확산 모델이죠?"), for what the categories are of ("기존 AI"), or
for a relation other than belonging ("Stable Diffusion도 GAN 써요?" says what it uses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answering import coverage, has_question_word, readings_of, readings_with_words
from .claims import claim_core
from .pack import LessonPack, LessonPassage, per_pack
from .selecting import main_clause
from .text import is_predicate, looks_inflected, raw_words

# A title's part that names a category: one or two words, no number ("이유 1" is a place in a list).
_LABEL_WORDS = 2
_BRACKETS = re.compile(r"\([^)]*\)|[①-⑩]")

# "X는 C죠?", "X도 C 쪽이겠네요?", "X는 C에 들어가는 거 아니에요?", "X는 기존 AI 중에 C 쪽 맞나요"
# (the confirming tail taken off already): a thing, then the category it is said to belong to.
_KO_BELONGS = re.compile(
    r"^(?P<thing>.+?)(?:는\s*건|은\s*건|건요|건|것도|거도|은|는|이|가|도)\s+(?:\S+(?:\s+\S+)?\s*중(?:에|에서)?\s+)?"
    r"(?P<category>\S.*?)\s*(?:(?:쪽|종류|부류|계열)\s*)?"
    r"(?:(?:이|에)?\s*(?:들어가\S*|속하\S*|속해\S*|속한\S*|포함\S*)|(?:이)?(?:에요|예요|인가요|인가|이죠|죠|이지|지|이야|야|임|일까요|인|이고요|고요"
    r"|이겠네요|겠네요|이겠죠|겠죠|이네요|네요|이구나|구나|이잖아요|잖아요))?"
    r"(?:\s*(?:거|것|건)(?:죠|예요|에요|지|야)?)?(?:\s*(?:아니에요|아니예요|아닌가요|아니죠|아니야|아냐|아님|맞\S*))?[\s?？~!.]*$")
_EN_BELONGS = re.compile(
    r"^(?P<thing>.+?)\s+(?:is|are|counts?\s+as|falls?\s+under|belongs?\s+(?:to|under))\s+"
    r"(?:(?:an?|the)\s+)?(?:(?:kind|type|form|sort|case|example)\s+of\s+)?(?P<category>.+?)[\s?.!]*$", re.I)
# "Is a recommendation engine prediction?": the category is the last word or two.
_EN_LEAD = re.compile(r"^\s*(?:is|are)\s+(?:(?:an?|the)\s+)?(?P<rest>.+?)[\s?.!]*$", re.I)
_EN_KIND = re.compile(r"\s+(?:(?:an?|the)\s+)?(?:(?:kind|type|form|sort|case|example)\s+of)?\s*$", re.I)
# A comparison or a question word is another claim than belonging.
_COMPARES = re.compile(r"보다|\bthan\b|같은|\bsame\b", re.I)
# A sentence saying only that people guess so ("…쓸 거라고 짐작하는 사람이 많아요") lists nothing for sure.
_HEDGE = re.compile(r"짐작|추측|것으로\s*보|것\s*같|\b(?:guess\w*|seems?|probably|apparently|believed)\b", re.I)
_EXAMPLE_FACTS = ("example", "which")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
_CLAUSE_END = re.compile(r"(?<=[.!?。,])\s+|\n+")


@dataclass(frozen=True)
class Listing:
    """A claim that a thing belongs to a category, and what the document says of it."""

    holds: bool
    said: str  # the category the claim names
    under: LessonPassage  # the passage whose category the thing is listed under
    language: str

    @property
    def category(self) -> str:
        """The category the thing is listed under, as the passage's title names it."""
        labels = _labels(self.under.title.get(self.language)) or _labels(self.under.title.ko)
        return labels[0]

    def namings(self, words) -> list[str]:
        """What the passage says of the thing, best first: its example facts naming it, then
        its sentences naming it."""
        facts = [fact.answer.get(self.language) for fact in self.under.facts
                 if fact.kind in _EXAMPLE_FACTS and coverage(words, fact.answer.get(self.language)) == 1.0]
        sentences = [c for c in _SENTENCE_END.split(self.under.text.get(self.language)) if c.strip()]
        return facts + sorted(sentences, key=lambda sentence: -coverage(words, sentence))


def _labels(title: str) -> list[str]:
    if ":" not in title:
        return []
    parts = [" ".join(_BRACKETS.sub(" ", part).split()) for part in title.split(":")]
    return [part for part in parts if part and len(part.split()) <= _LABEL_WORDS and not re.search(r"\d", part)]


@per_pack
def _categories(pack: LessonPack) -> tuple[tuple[LessonPassage, str, str], ...]:
    """Every passage named by a category, with its category in Korean and in English."""
    found = []
    for passage in pack.passages.values():
        ko, en = _labels(passage.title.ko), _labels(passage.title.en)
        if ko:
            found.append((passage, ko[0], en[0] if en else ""))
    return tuple(found)


def _is_label(category: str, label: str) -> bool:
    """Whether a claim names the category and nothing more ("예측 쪽", not "예측만 하는")."""
    if len(raw_words(category)) != len(raw_words(label)) or category.endswith("만"):
        return False
    said, named = readings_of(category), readings_of(label)
    return bool(said) and bool(named) and coverage(said, label) == 1.0 and coverage(named, category) == 1.0


def _claimed(claim: str, language: str) -> list[tuple[str, str]]:
    """The ways a claim reads as a thing and the category it is said to belong to."""
    core = claim_core(main_clause(claim_core(claim))).strip()
    if has_question_word(core) or _COMPARES.search(core):
        return []
    if language != "en":
        found = _KO_BELONGS.match(core)
        return [(found.group("thing").strip(), found.group("category").strip())] if found else []
    found = _EN_BELONGS.match(core)
    if found:
        return [(found.group("thing").strip(), found.group("category").strip())]
    lead = _EN_LEAD.match(core)
    if lead is None:
        return []
    words = lead.group("rest").split()
    return [(_EN_KIND.sub("", " ".join(words[:-n])), " ".join(words[-n:])) for n in (1, 2) if len(words) > n]


def _listed_as_example(words, passage: LessonPassage, language: str) -> bool:
    """Whether the passage gives the thing as an example of its category, plainly: named in a
    clause of its facts giving examples ("기존 AI의 분류는 어디에 쓰였어요?" -> "이미지 분류, 스팸
    메일 걸러내기, 신용 평가, …") that does not only guess it ("Midjourney와 DALL-E도 … 쓸 거라는
    짐작이 많아요"). A thing the passage only mentions (GAN, in the passage on diffusion models,
    as what it does better than) is not listed under it."""
    for fact in passage.facts:
        if fact.kind not in _EXAMPLE_FACTS:
            continue
        clauses = [c for c in _CLAUSE_END.split(fact.answer.get(language)) if c.strip()]
        if any(coverage(words, c) == 1.0 and not _HEDGE.search(c) for c in clauses):
            return True
    return False


def listing(pack: LessonPack, claim: str, language: str = "ko") -> tuple[Listing, list[str]] | None:
    """Whether a claim that a thing belongs to one of the document's categories holds, with
    the passage that lists the thing and what that passage says of it; None when the claim
    names no category of the document, or the categories' passages do not settle it."""
    categories = _categories(pack)
    for thing, category in _claimed(claim, language):
        named = [passage for passage, ko, en in categories if _is_label(category, ko if language != "en" else en or ko)]
        words = readings_of(thing)
        if len(named) != 1 or not words:
            continue
        if any(_is_label(thing, ko if language != "en" else en or ko) for _, ko, en in categories):
            return None  # "VAE는 확산 모델이죠?": two categories side by side, not a thing and its category
        said_under = named[0]
        lesson = pack.lesson(said_under.lesson_id)
        if lesson is not None and coverage(words, lesson.title.get(language)) == 1.0:
            return None  # "기존 AI는 예측이죠?": what the categories are of, not one of its examples
        listing_it = [passage for passage, _, _ in categories if coverage(words, passage.text.get(language)) == 1.0]
        if said_under in listing_it:
            if not _listed_as_example(words, said_under, language):
                return None
            listed = Listing(True, category, said_under, language)
            return listed, listed.namings(words)
        siblings = [passage for passage in listing_it if passage.lesson_id == said_under.lesson_id]
        if siblings and len(siblings) == len(listing_it):
            listed = Listing(False, category, siblings[0], language)
            return listed, listed.namings(words)
        return None
    return None


# "날씨 예보는 어디에 속해요?", "스팸 거르는 건 무슨 종류 AI예요?", "시즈널리티는 뭐에 해당돼요?":
# a thing, then a question for the category it belongs to.
_KO_WHICH = re.compile(
    r"^(?P<thing>.+?)(?:는\s*건|은\s*건|건|은|는|이|가|도)\s+"
    r"(?:(?:어디|어느\s*(?:쪽|것|거)|뭐|무엇|머)\s*(?:에|에요|예요|이에요|야|임|일까요|인가요)?\s*(?:속|들어가|해당|포함|분류|들어)"
    r"|(?:무슨|어떤|어느)\s*(?:종류|부류|계열|유형|카테고리|쪽|범주)"
    r"|어디\s*(?:쪽|소속|계열))")
_EN_WHICH = re.compile(
    r"^(?:where\s+(?:does|do|would)\s+(?P<thing>.+?)\s+(?:belong|fall|fit|go)"
    r"|(?:what|which)\s+(?:kind|type|sort|category|group)\s+(?:of\s+(?:ai|model|task)\s+)?(?:is|are|does)\s+(?P<thing2>.+?)"
    r"(?:\s+(?:belong\s+to|fall\s+under|in))?)[\s?.!]*$", re.I)


def asked_category(pack: LessonPack, question: str, language: str = "ko") -> tuple[Listing, list[str]] | None:
    """"날씨 예보는 어디에 속해요?": the category of the document whose passage names the thing
    best (예측), among categories set side by side in one lesson, with what it says of it; None
    when the question asks no category, or no one category names the thing more than the rest."""
    core = main_clause(question).strip()
    found = (_EN_WHICH if language == "en" else _KO_WHICH).match(core)
    if found is None:
        return None
    thing = next(group for group in found.groups() if group)
    # The thing's own words: "스팸 메일 거르는" is about 스팸 메일.
    words = [readings for word, readings in readings_with_words(thing)
             if not (is_predicate(word) or looks_inflected(word))] or readings_of(thing)
    if not words:
        return None
    categories = _categories(pack)
    lessons = [passage.lesson_id for passage, _, _ in categories]
    scored = sorted(((_naming_share(words, passage, language), passage, ko, en) for passage, ko, en in categories
                     if lessons.count(passage.lesson_id) > 1 and not _is_label(thing, ko if language != "en" else en or ko)),
                    key=lambda row: -row[0])
    if not scored or scored[0][0] < _NAMING_SHARE or len(scored) > 1 and scored[1][0] >= scored[0][0]:
        return None
    _, passage, ko, en = scored[0]
    listed = Listing(True, ko if language != "en" else en or ko, passage, language)
    return listed, listed.namings(words)


# How much of a thing a category's passage must name, in one clause, to be where it belongs.
_NAMING_SHARE = 0.5


def _naming_share(words, passage: LessonPassage, language: str) -> float:
    """The most of the thing one clause of the passage (its text or its example facts) names
    plainly; what is only guessed ("…쓸 거라는 짐작이 많아요") counts for nothing."""
    texts = [passage.text.get(language), *(fact.answer.get(language) for fact in passage.facts if fact.kind in _EXAMPLE_FACTS)]
    clauses = [c for text in texts for c in _CLAUSE_END.split(text) if c.strip() and not _HEDGE.search(c)]
    return max((coverage(words, clause) for clause in clauses), default=0.0)
