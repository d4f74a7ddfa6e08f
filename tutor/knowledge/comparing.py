"""Comparisons: "RNN이랑 트랜스포머 차이", "GAN보다 나아요?", "그거랑 VAE는 뭐가 달라요?".

A comparison names two things: both in the message (split where 랑 / 하고 /
와 / 보다 / and / than join them), or one in the message and the other the
topic under way ("GAN보다 나아요?" after diffusion models). The answer is
the statement of the lesson pack that mentions both, preferring one that
says how they differ (보다, 달리, 반면, than, unlike): a fact's answer, a
sentence of a passage, a correction. A sentence of a thing's own passage
speaks of it even without naming it ("대체로 GAN보다 성능이 좋은 편이에요"
in the passage on diffusion models). When the document never sets the two
side by side, each is said in a sentence of its own.

Which things a message names is left to the retriever's analysis (its
vocabulary, stems and synonyms), so casual spelling works here as it does
for search; nothing in this module lists topics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from .answering import has_question_word, relation_asked
from .pack import LessonPack, LessonPassage, per_pack
from .retrieval import TELLING_WEIGHT, Retriever, _Unit
from .selecting import main_clause
from .text import index_terms, is_hangul_word

_WHICH_EN = re.compile(r"^\W*(?:which|what|who)\b", re.I)


def _without_verdict(line: str) -> str:
    rest = _YES_OR_NO_OPENING.sub("", line, count=1)
    return rest[:1].upper() + rest[1:] if rest != line else line


def only_the_measure(retriever: Retriever, question: str) -> bool:
    """Whether a message names no thing, only how things compare ("왜 더 좋은건데요?",
    "그렇게 싸요?", "why is it better?"): it is about the things the conversation is on."""
    return bool(_EVALUATIVE.search(question)) and not _topical(retriever.analyse(_EVALUATIVE.sub(" ", question)))


def ranks_two(question: str) -> bool:
    """Whether a message asks which of two is better ("뭐가 더 나아요?", "LLM이 VAE보다 좋아요?",
    "which is better?"), not how they differ ("차이 알려 주시면 좋겠어요")."""
    return bool(_RANKING.search(question)) or bool(_THAN.search(question) and _GOOD.search(question))


def points_at_both(question: str) -> bool:
    """Whether a message points at the two things just compared ("둘 중에 뭐가 나아요?", "both")."""
    return bool(_BOTH.search(question))


def asks_which(question: str) -> bool:
    """Whether a question asks which or what ("둘 중에 뭐가 더 좋아요?", "Which
    is better, GAN or diffusion?"), not whether: a yes or a no does not answer it."""
    return has_question_word(main_clause(question)) or bool(_WHICH_EN.match(question))


# "A예요 B예요?", "A인가요 아니면 B인가요?", "A야 B야?": two answers offered, one to pick.
# The first clause closes like a question (요, 야, 냐, 임, …), not like a remark the learner
# makes before asking ("그렇군요", "모르겠는데요", "문과라서요").
_OFFERED_KO = re.compile(
    r"(?P<first>[가-힣A-Za-z0-9)]+(?:요|야|냐|니|나|임|음|까))\s*,?\s+(?:아니면|혹은|또는|아님)?\s*"
    r"(?P<second>(?:\S+\s+){0,3}?[가-힣A-Za-z0-9)]+(?:요|야|냐|니|나|임|음|까))[\s?？~ㅋㅎ.]*$")
_REMARK_END = re.compile(r"(?:군요|네요|구나|거든요|는데요|은데요|인데요|던데요|서요|니까요|고요|지요|죠|세요|어요\s*그럼"
                         r"|겠어요|싶어요|었어요|았어요|했어요|였어요|궁금해요|있잖아요|잖아요|래요|대요|맞아요|알겠어요|그래요|좋아요|고마워요|감사해요)$")
# "Is GPT from Google or OpenAI?", "is diffusion for images or text?" (not "… or not?").
_OFFERED_EN = re.compile(r"^\W*(?:is|are|was|were|does|do|did|can|could|will|would|should)\b[^?]*\bor\b(?!\s+(?:not|no)\b)", re.I)
_ASKS_FOR = re.compile(r"(?:주세요|줘요|줘|주라|주실래요|해\s*봐요?)[\s?？~.]*$")


def asks_either(question: str) -> bool:
    """Whether a question offers two answers to pick from ("GPT는 구글 거예요 OpenAI 거예요?",
    "비싼 거예요 싼 거예요?", "Is GPT from Google or OpenAI?"): the answer names the right
    one; a yes or a no answers neither."""
    text = main_clause(question.strip()) if not _OFFERED_EN.search(question) else question
    if _OFFERED_EN.search(text):
        return True
    found = _OFFERED_KO.search(question.strip())
    if found is None or has_question_word(question) or _ASKS_FOR.search(question):
        return False
    if found.group("first")[-1] != found.group("second")[-1]:
        return False  # "높아야 쓸 수 있는 거 아닌가요?": 높아야 is a condition, not an answer offered
    before = question.strip()[: found.start("first")]
    return not _REMARK_END.search(found.group("first")) and not (found.group("first") == "있어요" and before.rstrip().endswith("고"))


# "네, …", "아니요, …", "Yes, …": the opening of an answer to a yes/no question.
_YES_OR_NO_OPENING = re.compile(r"^\s*(?:네|예|아니요|아뇨|yes|no)\s*[,.:]\s*", re.I)

# Where two things are joined: "A랑 B", "A하고 B", "A와 B", "A보다", "A vs B", "A and B", "than A".
_JOIN = re.compile(
    r"(?<=[\w)\]'\"])\s*(?:이랑|랑|하고|와|과|보다는?|에\s*비해서?|에\s*비하면|이나|vs\.?|versus)(?=\s|$|[?!.,])"
    r"|\s+(?:and|or|vs\.?|versus|than|compared\s+(?:to|with)|over)\s+",
    re.IGNORECASE,
)
# A subject's particle closing its word: "LLM이 VAE보다" is LLM set against VAE.
_SUBJECT_END = re.compile(r"(?<=[\w)\]'\"])(?:이|가|은|는)\s+")
_THAN = re.compile(r"(?<=[\w)\]'\"])\s*(?:보다는?|에\s*비해서?|에\s*비하면)(?=\s|$|[?!.,])|\s+(?:than|compared\s+(?:to|with))\s+",
                   re.IGNORECASE)
# How one compares ("더 좋아요?", "better"): what is asked, not a thing compared.
_EVALUATIVE = re.compile(
    r"(?:더\s*|덜\s*)?(?:좋|나아|나은|낫|뛰어나|우수|똑똑|빠르|빨라|느리|느려|강하|강해|약하|약해|싸|비싸|잘\s*하|잘해)\S*"
    r"|(?<![가-힣])비교(?:하|해|했|하면|해서|해\s*보)\S*(?:\s*(?:어때|어떻)\S*)?"
    r"|(?:뭐가|어느\s*(?:게|것이|쪽이))?\s*(?:더\s*)?(?:먼저|나중|일찍|늦게)\s*(?:나왔|나온|나와|생겼|생긴|등장|발표)?\S*|\s중에|\s중에서"
    r"|\b(?:better|worse|good|best|faster|slower|cheaper|stronger|weaker|smarter|smart)\b"
    r"|\bwhich\s+(?:one\s+)?(?:came|comes|was|is|appeared)\s+(?:first|earlier|later|older|newer)\b|\b(?:in\s+)?which\s+years?\b|\bfor\s+my\s+notes\b",
    re.IGNORECASE,
)
# Asking which is better ("더 좋아요?", "뭐가 나아요?", "smarter"), not how two things differ.
# A bare 좋 ("알려 주시면 좋겠어요") ranks nothing: it needs 더, 뭐가, 어느 쪽, or a 보다 (see ranks_two).
_RANKING = re.compile(r"(?:더|뭐가|어느\s*(?:게|쪽이?|것이?))\s*(?:더\s*)?(?:좋|나아|나은|낫|뛰어나|뛰어난|우수|똑똑|잘)"
                      r"|나아요|나아\?|나은가|낫|뛰어나|우수|\b(?:better|worse|best|smarter|superior)\b", re.IGNORECASE)
_GOOD = re.compile(r"좋|나아|나은|똑똑|잘")
# Pointing at the two things just compared: "둘 중에", "둘 다", "두 개 중", "양쪽", "both", "the two".
_BOTH = re.compile(r"둘\s*(?:중|다|이|의|은|는|을|가)|두\s*(?:개|모델|개념)\s*중|양쪽|"
                   r"\b(?:both|the\s+two|of\s+the\s+two|which\s+of\s+them)\b", re.IGNORECASE)
# A fact saying first what the document leaves out ("GAN의 단점은 이 글에 나오지 않아요"): a comparison's last resort.
_UNSAID = re.compile(r"^[^.!?]*(?:나오지\s*않|다루지\s*않|doesn't\s+(?:say|list|give)|does\s+not\s+(?:say|list|give))",
                     re.IGNORECASE)
# A statement that says how two things differ.
_CONTRAST = re.compile(
    r"보다|비해|달리|다르|다른\s*점|반면|차이|대신|더\s|덜\s|만\s*쓰|"
    r"\b(?:than|unlike|whereas|while|instead|differ\w*|rather|only|more|less|better|worse)\b",
    re.IGNORECASE,
)
# Saying outright how two things differ or which does better.
# What one thing changed of another ("원래 … 인코더를 빼고", "drops the original …") says how they differ too.
_STRONG_CONTRAST = re.compile(
    r"보다|비해|달리|다르|다른\s*(?:점|말|것|개념)|반면|차이|대신|원래|빼고|바꾼|바꿨|고친|"
    r"\b(?:than|unlike|whereas|instead|differ\w*|original(?:ly)?|drops?|dropped|modified)\b",
    re.IGNORECASE
)
# Sentences that lean on the one before them ("이 방식은…", "그래서…").
_LEANING = re.compile(r"^\W*(?:(?:이|그|저|이런|그런|이렇게|그렇게|이것|그것|그래서|하지만|또|또한|그리고|즉|게다가|this|that|these|so|but|and)(?=\s|,)"
                      r"|이걸|이를|이건|이게|그걸|그건|그게|그중|그\s*중)",
                      re.IGNORECASE)
_LIST_MARK = re.compile(r"[,·、]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
_COMPARE_FACTS = frozenset(("difference", "compare", "which"))
# A statement from a thing's own passage speaks of it, if less surely than one naming it.
_HOME_CREDIT = 0.6


@dataclass(frozen=True)
class Side:
    """One of the things compared: its informative words and its own passage."""

    units: tuple[_Unit, ...]
    home: LessonPassage | None
    # Whether a passage title names it (a thing the document is about, not a stray word).
    titled: bool = True

    @cached_property
    def terms(self) -> frozenset[str]:
        """Every term of its units: a comparison tests each statement of the pack against them."""
        return frozenset(term for unit in self.units for term, _ in unit.terms)


@dataclass(frozen=True)
class Statement:
    passage: LessonPassage
    text: str
    terms: frozenset[str]
    fact_kind: str | None  # the fact's kind, None for a sentence of the passage
    ask_terms: frozenset[str] = frozenset()  # a fact's question
    before: str = ""  # the sentence before it in its passage


@dataclass(frozen=True)
class Comparison:
    """What answers a comparison: the statement(s) to open with, and the
    passages they come from (cited first)."""

    statements: tuple[str, ...]
    passages: tuple[LessonPassage, ...]
    # False: the document never sets the two against each other; each is said on its own.
    direct: bool = True
    # Whether the learner asks which of the two is better ("뭐가 더 나아요?"), not only how they differ.
    ranks: bool = False
    # The comparison was said already: it is recalled as such, with what is new of the two after it.
    again: bool = False


def sides(retriever: Retriever, text: str, topic: LessonPassage | None) -> list[Side]:
    """The things ``text`` compares, in the order named; the topic under way
    stands in for one it only points at ("그거랑", "it")."""
    found: list[Side] = []
    # "Is text easier than images or video?": what follows "than" is one side, however many it lists.
    against = [p for p in _THAN.split(text) if p and p.strip()]
    split = against if len(against) == 2 else _JOIN.split(text)
    if len(against) == 2 and not _topical(retriever.analyse(_EVALUATIVE.sub(" ", against[1]))):
        # "LLM이 VAE보다 좋아요?": what follows 보다 only says how they compare; the two
        # are before it, the subject marked by its particle (이, 가, 은, 는).
        split = [*_SUBJECT_END.split(against[0]), against[1]]
    if len(against) != 2 and len(split) == 2 and not _topical(retriever.analyse(_EVALUATIVE.sub(" ", split[1]))):
        # "VAE는 GAN이랑 비교하면 어때요?": what follows 이랑 only asks how they compare;
        # the two are before it, the subject marked by its particle.
        split = [*_SUBJECT_END.split(split[0]), split[1]]
    pieces = [_EVALUATIVE.sub(" ", p) for p in split if p and p.strip()]
    for piece in pieces:
        units = _topical(retriever.analyse(piece))
        if not units:
            continue
        home, titled = _home(retriever, piece, units)
        found.append(Side(units, home, titled))
    if len(found) == 1 and topic is not None and found[0].home is not topic:
        # The topic stands in for a thing left unnamed; a message already
        # naming the topic's thing ("LLM이 대형이고 생성형AI가 소형?" after
        # LLM's size) sets it against nothing unnamed.
        own = _names(retriever, topic)
        named = {term for unit in found[0].units for term, _ in unit.terms}
        if not any(term in named for unit in own for term, _ in unit.terms):
            found.append(Side(own, topic))
    return _distinct(found)


def _home(retriever: Retriever, piece: str, units: Sequence[_Unit]) -> tuple[LessonPassage | None, bool]:
    """The passage about a thing: the best hit whose title names it ("VAE는
    뭐가 달라요" is about the VAE passage, not the overview that lists it)."""
    hits = retriever.search(piece, k=5)
    terms = {term for unit in units for term, _ in unit.terms}
    order = {pid: i for i, pid in enumerate(retriever.pack.passages)}
    naming = _naming_terms(retriever.pack)
    titled = [hit.passage for hit in hits if terms & naming[hit.passage.id][0]]
    if titled:
        # A passage whose title sets the thing beside another ("생성형 AI와 LLM을 먼저 구분해야
        # 하는 이유") is about the two, not its home; then the passage that introduces
        # the thing comes first in teaching order.
        return min(titled, key=lambda passage: (_joins_two(retriever, passage), order.get(passage.id, 0))), True
    named = [hit.passage for hit in hits if terms & naming[hit.passage.id][1]]
    return (named[0] if named else (hits[0].passage if hits else None)), False


@per_pack
def _naming_terms(pack: LessonPack) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per passage: the terms of its two titles, and of its two texts; worked out once per pack,
    not for every passage found on every comparison."""
    return {pid: (frozenset(index_terms(p.title.ko)) | frozenset(index_terms(p.title.en)),
                  frozenset(index_terms(p.text.ko)) | frozenset(index_terms(p.text.en)))
            for pid, p in pack.passages.items()}


def _joins_two(retriever: Retriever, passage: LessonPassage) -> bool:
    """Whether a passage's title joins two things ("기존 AI와 생성형 AI의 차이")."""
    pieces = [piece for piece in _JOIN.split(passage.title.ko) if piece and piece.strip()]
    return len(pieces) >= 2 and all(_topical(retriever.analyse(piece)) for piece in pieces[:2])


def _a_name(side: Side) -> bool:
    """Whether a side is a name written in Latin letters ("DALL-E", "ChatGPT-3.5"):
    a thing, even where no title names it."""
    return any(not is_hangul_word(term) and len(term) >= 3 and unit.weight >= TELLING_WEIGHT
               for unit in side.units for term, _ in unit.terms if not term.startswith(("≈", "§")))


def _topical(units: Sequence[_Unit]) -> tuple[_Unit, ...]:
    return tuple(unit for unit in units if not unit.attribute and not unit.predicate and not unit.unknown)


def _names(retriever: Retriever, passage: LessonPassage, keep: int = 3) -> tuple[_Unit, ...]:
    """The words of a passage's title that name its thing: those its Korean
    and English titles share (GAN, 확산 모델 / diffusion, RNN), else the rarest few."""
    lesson = retriever.pack.lesson(passage.lesson_id)
    titles = [(passage.title.ko, passage.title.en)]
    if lesson is not None:
        # The lesson's name too: "2017년 논문 'Attention is All You Need'" is about the Transformer.
        titles.append((lesson.title.ko, lesson.title.en))
    shared: list[_Unit] = []
    for korean_title, english_title in titles:
        if ":" in korean_title and ":" in english_title:
            # "트랜스포머: 오늘날 LLM을 가능하게 한 구조" is about the Transformer, not LLMs.
            korean_title, english_title = korean_title.split(":")[0], english_title.split(":")[0]
        korean = _topical(retriever.analyse(korean_title))
        english_terms = {term for unit in _topical(retriever.analyse(english_title)) for term, _ in unit.terms}
        shared += [unit for unit in korean if any(term in english_terms for term, _ in unit.terms)]
    if shared:
        return tuple(shared)
    units = _topical(retriever.analyse(passage.title.ko)) + _topical(retriever.analyse(passage.title.en))
    return tuple(sorted(units, key=lambda unit: -unit.weight)[:keep])


def _distinct(found: list[Side]) -> list[Side]:
    """Words both sides share ("AI" in "생성형 AI랑 기존 AI") tell them apart from nothing;
    nor do words nearly every passage uses ("AI" in "기존 AI: 분류" against "생성형")."""
    if len(found) < 2:
        return found
    out: list[Side] = []
    for i, side in enumerate(found):
        others = {term for j, o in enumerate(found) if j != i for unit in o.units for term, _ in unit.terms}
        units = tuple(unit for unit in side.units if not any(term in others for term, _ in unit.terms))
        telling = tuple(unit for unit in units if unit.weight >= TELLING_WEIGHT)
        units = telling or units
        if units:
            out.append(Side(units, side.home, side.titled))
    return out


def prepare(pack: LessonPack) -> None:
    """Work out every statement of the pack now (about 50 ms a language), not in
    the first comparison a learner asks for."""
    for language in ("ko", "en"):
        _statements(pack, language)
    _naming_terms(pack)


@per_pack
def _statements(pack: LessonPack, language: str) -> tuple[Statement, ...]:
    """Every statement of the pack in one language: facts' answers, the
    passages' sentences, the corrections of common misconceptions."""
    out: list[Statement] = []
    for passage in pack.passages.values():
        for fact in passage.facts:
            if fact.kind != "not_given":
                text = fact.answer.get(language)
                asked = frozenset(index_terms(fact.ask.ko)) | frozenset(index_terms(fact.ask.en))
                out.append(Statement(passage, text, frozenset(index_terms(text)), _compared_as(fact.kind, fact.ask.ko), asked))
        texts = [s for s in _SENTENCE_END.split(passage.text.get(language)) if s.strip()]
        if passage.misconception is not None:
            texts.append(passage.misconception.right.get(language))
        for i, text in enumerate(texts):
            out.append(Statement(passage, text.strip(), frozenset(index_terms(text)), None,
                                 before=texts[i - 1].strip() if i else ""))
    return tuple(out)


def _compared_as(kind: str, ask: str) -> str:
    """A fact's kind as a comparison reads it: "ChatGPT와 GPT는 같은 거예요? 아니요, GPT는 …,
    ChatGPT는 …" tells how the two differ, as a "what's the difference" fact does."""
    return "difference" if kind == "yes_no" and relation_asked(ask) == "same" else kind


def _mentions(statement: Statement, side: Side) -> float:
    if not side.terms.isdisjoint(statement.terms):
        return 1.0
    if not side.terms.isdisjoint(statement.ask_terms):
        return 1.0  # a fact's answer speaks of what its question names ("GPT 구조의 특징은?")
    return _HOME_CREDIT if side.home is not None and statement.passage.id == side.home.id else 0.0


def _score(statement: Statement, a: Side, b: Side) -> float:
    first = _mentions(statement, a)
    if not first:
        return 0.0
    second = _mentions(statement, b)
    if not second or max(first, second) < 1.0:
        return 0.0
    score = first + second
    if _CONTRAST.search(statement.text):
        score += 0.5
    if len(_LIST_MARK.findall(statement.text)) >= 2:
        score -= 0.8  # a list naming both ("GAN, 확산 모델, VAE, …") says nothing of how they differ
    if statement.fact_kind in _COMPARE_FACTS:
        score += 0.3
    if statement.fact_kind is not None:
        score += 0.1  # a fact's answer stands on its own
    elif _LEANING.match(statement.text):
        score -= 0.3
    return score


def compare(retriever: Retriever, text: str, topic: LessonPassage | None, language: str,
            said: Sequence[str] = (), asked_before: Sequence[str] = ()) -> Comparison | None:
    """The statement that compares the two things ``text`` names (with what
    each one is, when it leaves one unnamed), or, when the document never
    sets them against each other, each one's defining sentence; None unless
    two things are found."""
    most = superlative(retriever, text, language, said)
    if most is not None:
        return most
    things = sides(retriever, text, topic)
    if len(things) < 2 and points_at_both(text):
        # "둘 중에 뭐가 더 좋아요?": the two are those the learner's last question set side by side.
        things = next((found for earlier in asked_before[:2]
                       if len(found := sides(retriever, earlier, None)) == 2), things)
    if len(things) != 2:
        return None
    if not all(side.titled or _a_name(side) for side in things) and len({side.home for side in things}) > 1:
        # A stray word ("나은 점이") is not a thing compared: leave the question to the passages found.
        return None
    statements = _statements(retriever.pack, language)
    scored = [(s, _score(s, *things)) for s in statements]
    ranks = ranks_two(text)
    homes = {side.home.id for side in things if side.home is not None}
    # "둘 중에 뭐가 나아요?": a sentence naming both without setting one above the other does not
    # answer it; one naming both with a "more" ("멀티모달 모델은 LLM의 기능을 넓혀 더 풍부한 …") does.
    contrasts = sorted(((s, score) for s, score in scored if score > 0
                        and (_contrasts(s, things) or (ranks and _names_both(s, things)))
                        and (not ranks or _CONTRAST.search(s.text))),
                       key=lambda item: (not _STRONG_CONTRAST.search(item[0].text), bool(_UNSAID.match(item[0].text)),
                                         -item[1], item[0].passage.id not in homes))
    # Asked which, "네, 글에 따르면 …" would be said as "글에 따르면 …": said already if that was.
    which = asks_which(text)
    fresh = [s for s, _ in contrasts if not _said(s.text, said) and not (which and _said(_without_verdict(s.text), said))]
    if contrasts and not fresh:
        # "둘 중에 뭐가 더 좋아요?" right after "GAN이랑 확산 모델 뭐가 달라요?": everything the
        # document sets the two against each other with was said. Recall it, then say what
        # is new of either one; with nothing new, leave the question to the passages found.
        new = [own for side in things if (own := _defining(statements, side)) is not None
               and not _said(own.text, said) and own.text != contrasts[0][0].text]
        if not new:
            return None
        best = contrasts[0][0]
        line = _without_verdict(best.text) if asks_which(text) else best.text
        return Comparison((line, new[0].text), tuple(dict.fromkeys((best.passage, new[0].passage))),
                          direct=True, ranks=ranks, again=True)
    if fresh:
        best = fresh[0]
        lines = [best.text]
        for side in things:
            if _mentions(best, side) < 1.0 and (own := _defining(statements, side)) is not None:
                # What the unnamed one is comes first: the comparison then reads as about it.
                lines.insert(0, own.text)
        if _EVALUATIVE.search(best.text) and not _EVALUATIVE.search(text):
            # "둘이 뭐가 달라요?" is not answered by which one does better alone:
            # what each one is follows it, side by side, even if each was told on its own before.
            lines += [own.text for side in things if (own := _defining(statements, side)) is not None]
        passages = [best.passage, *(side.home for side in things if side.home is not None)]
        if asks_which(text):
            # "둘 중에 뭐가 더 좋아요?" asks which, not whether: no "네," before the answer.
            lines = [_without_verdict(line) for line in lines]
        return Comparison(tuple(dict.fromkeys(lines)), tuple(dict.fromkeys(passages)), direct=True)
    # Never set against each other: what each one is, from its own passage.
    own = [_defining(statements, side) for side in things]
    if any(s is None for s in own):
        return None
    return Comparison(tuple(dict.fromkeys(s.text for s in own if s is not None)),
                      tuple(dict.fromkeys(s.passage for s in own if s is not None)), direct=False, ranks=ranks)


def _names_both(statement: Statement, things: Sequence[Side]) -> bool:
    """Whether a statement names each of the two, not as items of a list."""
    return len(_LIST_MARK.findall(statement.text)) < 2 and all(
        any(term in statement.terms for unit in side.units for term, _ in unit.terms) for side in things)


def _contrasts(statement: Statement, things: Sequence[Side]) -> bool:
    """Whether a statement sets the two against each other: a fact asking
    how these two differ, or a sentence saying so (not a list naming both)."""
    if statement.fact_kind == "which" and len(_LIST_MARK.findall(statement.text)) >= 2:
        return False  # "GAN, 확산 모델, VAE, …이 있어요" lists them; it sets nothing against anything
    if statement.fact_kind in _COMPARE_FACTS:
        # A side is spoken of when the fact's question names it, or its answer does and the
        # fact belongs to the side's lesson ("기존 AI와 생성형 AI는 뭐가 달라요?" answers
        # "분류, 예측과 생성형 AI는 뭐가 달라요?" with "예측하고 분류하는 일").
        # At least one side must be one the question asks about: "예측이랑 분류는 뭐가 달라요?"
        # is not answered by how older AI differs from generative AI.
        asked = [any(term in statement.ask_terms for unit in side.units for term, _ in unit.terms)
                 or (side.home is not None and side.home.id == statement.passage.id) for side in things]
        return any(asked) and all(
            own or (side.home is not None and side.home.lesson_id == statement.passage.lesson_id
                    and any(term in statement.terms for unit in side.units for term, _ in unit.terms))
            for own, side in zip(asked, things))
    if len(_LIST_MARK.findall(statement.text)) >= 2:
        return False
    if _STRONG_CONTRAST.search(statement.text):
        return True
    # Two things of one passage (RNN and LSTM): the sentence naming both is what it says of them.
    homes = {side.home.id if side.home is not None else None for side in things}
    return len(homes) == 1 and all(_mentions(statement, side) == 1.0 for side in things)


def _defining(statements: Sequence[Statement], side: Side) -> Statement | None:
    """What a thing is, in a sentence of its own passage that names it."""
    if side.home is None:
        return None
    own = [s for s in statements if s.passage.id == side.home.id and _mentions(s, side) == 1.0
           and len(_LIST_MARK.findall(s.text)) < 2]
    if not own:
        return None
    # A "what is it" fact first, then the passage's sentences in order.
    best = min(own, key=lambda s: 0 if s.fact_kind == "what" else (1 if s.fact_kind is None else 2))
    if best.fact_kind is None and _LEANING.match(best.text) and best.before:
        # "이걸 '분류'라고 해요" needs the sentence before it.
        return Statement(best.passage, f"{best.before} {best.text}", best.terms, None)
    return best


def _said(text: str, said: Sequence[str]) -> bool:
    from .answering import said_before

    return said_before(text, said)


# "가장 쉬운 데이터", "the easiest": one thing is the most … of its kind.
_SUPERLATIVE = re.compile(r"가장|제일|최고로|\bmost\b|\b(?:easiest|largest|biggest|best|cheapest|fastest|greatest)\b",
                          re.IGNORECASE)
# "A가 B보다 …": B is what A is measured against; "A is …er than B".
_AGAINST_KO = re.compile(r"([^\s?!.,]+?)\s*(?:보다는?|에\s*비해서?|에\s*비하면)(?=\s|$)")
_AGAINST_EN = re.compile(r"^(.*?)\b(?:\w+er|more\s+\w+|less\s+\w+)\b(.*?)\bthan\b(.*)$", re.IGNORECASE)


def superlative(retriever: Retriever, text: str, language: str, said: Sequence[str] = ()) -> Comparison | None:
    """"글이 그림보다 쉬워요?" when the document says text is the easiest kind
    of data: a statement that one side is the most … answers whether it is
    more … than the other (yes), or whether the other is (no). The measure
    (쉬운 / 수월 / easier) must be the one asked; the statement must name one
    side only."""
    from .unsaid import asks_yes_or_no

    english = _AGAINST_EN.match(text)
    korean = _AGAINST_KO.search(text)
    if english is not None:
        subject, rest, against = english.group(1), english.group(2), english.group(3)
    elif korean is not None:
        against = korean.group(1)
        subject = text[: korean.start()] + " " + text[korean.end():]
        rest = ""
    else:
        return None
    subject_units, against_units = _topical(retriever.analyse(subject)), _topical(retriever.analyse(against))
    if not subject_units or not against_units:
        return None
    a_terms = {term for unit in subject_units for term, _ in unit.terms}
    b_terms = {term for unit in against_units for term, _ in unit.terms}
    a_terms -= b_terms
    # The measure asked: the message's words naming neither side ("쉬워", "easier", "모으기").
    measure = (set(index_terms(text)) | set(index_terms(rest))) - a_terms - b_terms
    measure = {term for term in measure if not term.startswith("§")}
    if not a_terms or not measure:
        return None
    for statement in _statements(retriever.pack, language):
        if statement.fact_kind is not None or not _SUPERLATIVE.search(statement.text):
            continue
        names_a, names_b = bool(a_terms & statement.terms), bool(b_terms & statement.terms)
        if names_a == names_b or not (measure & statement.terms) or _said(statement.text, said):
            continue
        if not any(term.startswith("≈") or len(term) > 1 for term in measure & statement.terms):
            continue
        line = statement.text
        if asks_yes_or_no(text):
            line = (("네, " if language == "ko" else "Yes. ") if names_a else ("아니요, " if language == "ko" else "No. ")) + line
        return Comparison((line,), (statement.passage,), direct=True)
    return None
