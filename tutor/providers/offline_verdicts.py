"""Whether the offline tutor opens a yes/no answer with 네 or 아니요 (Yes or No).

A verdict is a judgement of its own, apart from composing the answer: the claim
the learner checks ("X도 Y예요?", "그러니까 X는 Y라는 거죠?", "~인 줄 알았는데") is set
against the fact or the passage sentence that answers it, and a yes or a no goes
first only when that sentence settles the claim; otherwise the answer opens with
the sentence alone. The words of the verdict are the offline tutor's own, so the
module lives with it rather than in tutor/knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tutor.knowledge import acronyms, categories, comparing, polarity, qualifiers, selecting, unsaid
from tutor.knowledge.answering import (claims_time, confirms, coverage, has_question_word, readings_of, relation_asked, said_before,
                                       says_yes, time_verdict)
from tutor.knowledge.claims import (AMOUNT_SUPPORT, amount_verdict, claim_core, denies_being, keeps_one_of_both, narrows, restricts,
                                    stated_amounts, states_a_year)
from tutor.knowledge.pack import Misconception

# How close a yes/no question must be to a common belief (or its correction)
# to be answered yes or no by it.
BELIEF_MATCH = 0.4
# How much of a yes/no question a sentence must say to be answered yes (or,
# said the other way round, no) by it.
YES_SUPPORT = 0.8
NO_SUPPORT = 0.8
# How much of a negated claim said plainly a yes/no fact's question must hold for its verdict to turn over.
NEGATED_SUPPORT = 0.6
# How much of a claim a sentence saying the opposite end of its scale must hold to answer it no.
OPPOSED_SUPPORT = 0.5
# How much of a plain claim a comparing fact's question must hold for its verdict to carry over.
COMPARED_SUPPORT = 0.6

# The verdict words, per language.
WORDS: dict[str, dict[str, str]] = {
    "ko": {"yes": "네, ", "no": "아니요, ", "turned": "아니요, 반대예요. "},
    "en": {"yes": "Yes. ", "no": "No. ", "turned": "No, it's the other way round. "},
}
# Where the document lists a thing the learner says belongs to one of its categories.
_LISTED = {
    "ko": {True: "네, 글에서 '{category}'의 예로 나와요. {naming}",
           False: "아니요, 글에서는 '{said}' 말고 '{category}'의 예로 나와요. {naming}"},
    "en": {True: "Yes. The document gives it as an example of {category}. {naming}",
           False: "No. The document gives it as an example of {category}, not {said}. {naming}"},
}


def on_category(pack, question: str, language: str, earlier: Sequence[str] = ()) -> str | None:
    """"날씨 예보는 분류죠?": the claim that a thing belongs to one of the document's own
    categories, answered by where the document lists it (with what it says of the thing
    that was not said already); None when it does not settle it."""
    found = categories.listing(pack, question, language)
    if found is None:
        return None
    listed, namings = found
    naming = next((text for text in namings if not said_before(text, earlier)), "")
    return _LISTED[language][listed.holds].format(category=listed.category, said=listed.said, naming=naming).strip()


def on_superlative(pack, question: str, language: str) -> str | None:
    """"GAN이 이미지 생성에서 제일 성능 좋은 거죠?": a claim that a thing is the most of
    something, answered no by the document's statement setting another above it on that
    scale ("확산 모델이 GAN보다 성능이 좋은 경향이 있어요"); None when the document has none."""
    core = claim_core(question)
    found = _SUBJECT.match(core)
    if found is None or not qualifiers.claims_most(core) or has_question_word(core) or selecting.negated(core):
        return None
    named = _subject_words(core)
    predicate = core[found.end():]
    beating = [text for statement in comparing.statements_of(pack, language)
               if not leaves_out(text := without_verdict(statement)) and selecting.beats(text, named, predicate)]
    if not beating:
        return None
    # The statement saying most of the claim, the shorter of two that say as much.
    best = max(beating, key=lambda text: (selecting.support(core, text), -len(text)))
    return WORDS[language]["no"] + best


def _copula(noun: str) -> str:
    """이에요 after a closing consonant (모델이에요, LLM이에요), 예요 after a vowel (AI예요)."""
    last = noun.strip()[-1:]
    if "가" <= last <= "힣":
        return "이에요" if (ord(last) - ord("가")) % 28 else "예요"
    return "이에요" if last in _CLOSED_LETTERS or last in "lmn" else "예요"


# Letters and English words said with a closing consonant in Korean (엘, 엠, 엔, 알; 모델, 제너럴)
# take 은 and 이에요.
_CLOSED_LETTERS = "LMNR"
_CLOSED_ENDINGS = ("l", "m", "n")
_LETTER = {
    "ko": {True: "네, {name}의 {letter}{topic} {word}{copula}. {name}{name_topic} {full}의 약자예요.",
           False: "아니요, {name}의 {letter}{topic} {word}{copula}. {name}{name_topic} {full}의 약자예요.",
           None: "{name}의 {letter}{topic} {word}{copula}. {name}{name_topic} {full}의 약자예요."},
    "en": {True: "Yes. The {letter} in {name} stands for {word}: {name} is short for {full}.",
           False: "No. The {letter} in {name} stands for {word}: {name} is short for {full}.",
           None: "The {letter} in {name} stands for {word}: {name} is short for {full}."},
}


def on_letter(pack, question: str, language: str, earlier: Sequence[str] = ()) -> str | None:
    """"GPT에서 T는 트랜스포머 맞죠?": a claim about what a letter of a spelled-out name stands for,
    answered from the name spelled out (no verdict when the learner's Korean word cannot be set
    against it); None when the question is no such claim."""
    claim = acronyms.letter_claim(pack, question)
    if claim is None:
        return None
    said = _LETTER[language][claim.holds].format(
        name=claim.spelled.name, letter=claim.letter, word=claim.word, full=claim.spelled.full,
        topic="은" if claim.letter in _CLOSED_LETTERS else "는",
        name_topic="은" if claim.spelled.name[-1] in _CLOSED_LETTERS else "는",
        copula="이에요" if claim.word.lower().endswith(_CLOSED_ENDINGS) else "예요")
    first, _, spelled_out = said.partition(". " if language == "ko" else ": ")
    # The name spelled out once in a conversation: the next letter asked gets the letter alone.
    return f"{first}." if said_before(spelled_out, earlier) else said


# The category a thing belongs to, asked for ("날씨 예보는 어디에 속해요?").
_BELONGS = {
    "ko": "'{category}'에 속해요. 글에서 '{category}'의 예로 나와요. {naming}",
    "en": "It belongs to {category}: the document gives it as an example of {category}. {naming}",
}


def on_asked_category(pack, question: str, language: str, earlier: Sequence[str] = ()) -> str | None:
    """"날씨 예보는 어디에 속해요?": the one category of the document that lists the thing,
    with what it says of the thing that was not said already; None when none does."""
    found = categories.asked_category(pack, question, language)
    if found is None:
        return None
    listed, namings = found
    naming = next((text for text in namings if not said_before(text, earlier)), "")
    return _BELONGS[language].format(category=listed.category, naming=naming).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
YES_OPENING = re.compile(r"^\W*(?:네|예|yes)\s*[,.!:;]?\s*", re.IGNORECASE)
# A yes or a no opening a fact's answer: not said to a question asking which or what.
YES_OR_NO_OPENING = re.compile(r"^\W*(?:네|예|아니요|아뇨|yes|no)\s*[,.!:;]\s*", re.IGNORECASE)
# ("네 번째 …", "네 가지 …" open with a number, not a yes.)
VERDICT_KO = re.compile(r"^(네|예|아니요|아뇨)(?!\s*(?:번째|번|가지|개|명))([,.]?\s*)")
VERDICT_EN = re.compile(r"^(Yes|No)\b")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def has_verdict(answer: str) -> bool:
    """Whether an answer opens with 네, 아니요, Yes or No."""
    return bool(VERDICT_KO.match(answer) or VERDICT_EN.match(answer))


def affirmed(question: str) -> str:
    """The question with 모르다 said as 알다, 없다 as 있다 and a plain 안/못 dropped:
    the words it shares with the same question asked the other way round
    ("컴퓨터도 없었겠네요?" / "컴퓨터가 있었어요?")."""
    question = re.sub(r"몰라", "알아", re.sub(r"모르(?!는)", "알", question))
    question = re.sub(r"(?<!상관)없(?!이)", "있", question)
    return re.sub(r"(?:^|\s)(?:안|못)\s+", " ", question)


def leaves_out(answer: str) -> bool:
    """Whether an answer opens by saying the document does not say it ("이 글은 AI가
    사람처럼 생각하는지 직접 말하지 않아요."): no yes or no goes before that."""
    first = re.split(r"(?<=[.!?])\s+", answer.strip(), maxsplit=1)[0]
    return unsaid.says_unsaid(first)


def turn_verdict(answer: str) -> str:
    """An answer's yes made no and its no made yes ("아니요, 순서를 직접 고려하지
    않아요" -> "네, …", "Yes, …" -> "No, …"); unchanged when it opens with neither."""
    if VERDICT_EN.match(answer):
        return VERDICT_EN.sub(lambda m: "No" if m.group(1) == "Yes" else "Yes", answer, count=1)
    return VERDICT_KO.sub(lambda m: ("아니요" if m.group(1) in ("네", "예") else "네") + m.group(2), answer, count=1)


_FURTHER = {"ko": "글은 '{word}'{quote}까지는 말하지 않아요. 글이 말하는 건 이거예요. {said}",
            "en": "The document doesn't go as far as '{word}'. What it does say: {said}"}


def within_document(question: str, opening: str, language: str) -> str:
    """A yes, or no verdict at all, to a claim with a superlative the answer does not state ("VAE는
    의료 분야에서 제일 많이 쓰이는 거죠?" / "네, 의료 같은 분야에서는 주류로 보여요"): the yes goes,
    and the answer says the document does not go that far, then what it does say. Otherwise unchanged."""
    if not says_yes(opening) and (has_verdict(opening) or leaves_out(opening) or has_question_word(question)):
        return opening
    word = qualifiers.unstated(question, opening)
    if not word:
        return opening
    quote = "이라고" if _copula(word) == "이에요" else "라고"
    return _FURTHER[language].format(word=word, quote=quote, said=without_verdict(opening))


def without_verdict(answer: str) -> str:
    """The answer without the yes or no it opens with, its first letter as a sentence starts."""
    rest = YES_OR_NO_OPENING.sub("", answer, count=1)
    return rest[:1].upper() + rest[1:] if rest != answer else answer


def yes_or_no(question: str, sentence: str, language: str) -> str:
    """A yes/no question answered by a sentence: "네," when it says what was
    asked with the same polarity, "아니요," when it says the opposite
    ("안 뽑아도 되죠?" / "…두지 않아도 돼요" is a yes), nothing when it says
    too little of the question to tell."""
    say = WORDS[language]
    if comparing.asks_either(question):
        return sentence  # "인코더만 써요 디코더만 써요?": the sentence names which; no yes or no answers it
    share = selecting.support(question, sentence)
    amount = amount_verdict(question, sentence) if not has_question_word(question) else ""
    if not amount and not has_question_word(question) and states_a_year(question):
        amount = time_verdict(question, sentence)  # "엘리자가 1946년꺼죠?" / "…1906년에, ELIZA는 1964년에"
    if amount == "no" or amount == "yes" and share >= AMOUNT_SUPPORT:
        # "엘리자가 1946년꺼죠?" / "ELIZA는 1964년에 나왔어요": the amount stated settles it.
        return say[amount] + sentence
    same = (selecting.negated(question) or polarity.affirmed(question) is not None) == selecting.negated(sentence)
    if narrows(question, sentence) or keeps_one_of_both(question, sentence):
        # "기존 AI는 예측만 하는 거죠?" / "…예측하거나 분류해서 …": the claim is too narrow;
        # "인코더랑 디코더 둘 다 쓰죠?" / "인코더를 빼고 디코더만": too wide.
        return say["no"] + sentence
    if same and share >= OPPOSED_SUPPORT and selecting.compares(question) and selecting.contradicts(question, sentence):
        # "텍스트 데이터가 이미지보다 모으기 어렵죠?" / "텍스트는 … 가장 쉬운 데이터예요": the
        # comparison's subject is said to be at the other end of the scale.
        return say["no"] + sentence
    if same and share >= OPPOSED_SUPPORT and selecting.opposes(question, sentence):
        # "텍스트 데이터가 모으기 제일 어려운 줄 알았어요" / "…가장 쉬운 데이터예요": the
        # same thing said at the other end of its scale.
        return say["no"] + sentence
    if same and share >= YES_SUPPORT:
        return say["yes"] + sentence
    if not same and share >= NO_SUPPORT:
        return say["no"] + sentence
    return sentence


def denial(question: str, answer: str) -> str:
    """The answer retold from its sentence saying the thing is not what the claim says it is
    ("…생성형 AI는 아니에요."), then its other sentences without their verdict; empty when none does."""
    sentences = _sentences(VERDICT_KO.sub("", VERDICT_EN.sub("", answer, count=1), count=1))
    denying = next((s for s in sentences if denies_being(question, s)), None)
    if denying is None:
        return ""
    return " ".join([denying, *(s for s in sentences if s is not denying)])


# The thing a claim is about, before its topic or subject particle ("GAN은 …", "위치 인코딩은 …").
_SUBJECT = re.compile(r"^\s*(\S+(?:\s+\S+)?)(?:은|는|이|가|도)\s+(?=\S)")


def without_topic(claim: str, topic: str) -> str:
    """A claim without the thing it is about when that is the passage's topic ("GAN은 생성자랑
    판별자가 경쟁하는 구조" -> "생성자랑 판별자가 경쟁하는 구조" in the passage on GAN): the
    passage's sentences say it of that thing without naming it again. The claim itself otherwise."""
    found = _SUBJECT.match(claim)
    if found is None or not topic:
        return claim
    named = readings_of(found.group(1))
    rest = claim[found.end():]
    if not named or coverage(named, topic) < 1.0 or len(readings_of(rest)) < 2:
        return claim
    return rest


def _same_subject(claim: str, asked: str) -> bool:
    """Whether a fact's question is about the thing the claim is about ("GPT-4는 멀티모달 모델이죠?" /
    "GPT-4도 멀티모달이에요?"), not another ("RNN은 긴 문장을 잘 다뤘다는 거죠?" / "트랜스포머가 RNN보다 …")."""
    words, theirs = _subject_words(claim), _SUBJECT.match(asked)
    return bool(words) and theirs is not None and coverage(words, theirs.group(1)) == 1.0


def _subject_named(claim: str, asked: str) -> bool:
    """Whether a fact's question names the thing the claim is about, wherever it stands
    ("GAN은 딥페이크에 쓰이죠?" / "딥페이크도 GAN으로 만들어요?")."""
    words = _subject_words(claim)
    return bool(words) and coverage(words, asked) == 1.0


def _subject_words(claim: str) -> tuple[frozenset[str], ...]:
    """The readings of the thing a claim is about, its subject's last word ("GPT-4" of
    "GPT-4는 멀티모달 모델이죠?", "모델" of "확산 모델이 …"); empty when it opens with no subject."""
    found = _SUBJECT.match(claim)
    return readings_of(found.group(1).split()[-1]) if found is not None else ()


def decided_by_passage(every: Sequence[str], question: str, opening: str, language: str, topic: str = "") -> str | None:
    """A yes/no claim whose fact answer opens with no verdict ("Stable Diffusion도 확산 모델
    써요?" / "확산 모델을 쓰는 대표적인 이미지 생성 서비스예요."): the passage sentence that
    says most of the claim, with its verdict, when that sentence settles it; else None (the
    fact stands alone, and nothing says 네 or 아니요 the document does not decide)."""
    if not every or has_verdict(opening) or has_question_word(question):
        return None
    left_out = leaves_out(opening)
    claim = claim_core(question)  # the restating frame and the words asking agreement say nothing of it
    if left_out and not stated_amounts(claim):
        # (Only a year or an amount the claim states is settled by a passage whose fact
        # says the document leaves out what it is: "ELIZA는 1964년 맞아요?".)
        return None
    if (amounted := _amount_sentence(every, claim)) is not None:
        # "몇백만 개 수준 아니었음?" / "…파라미터의 수가 수십억 개를 넘을 만큼 많아요": the passage's
        # sentence giving an amount of what the claim measures settles it by value.
        verdict, sentence = amounted
        return WORDS[language][verdict] + sentence
    if len(readings_of(selecting.main_clause(claim))) < 2:
        # "그것도 생성형임?": one word of a claim is in many sentences and settles nothing.
        return None
    if not left_out and selecting.opposes(question, opening):
        # "텍스트 데이터가 모으기 제일 어려운 줄 알았어요" / "…가장 쉬운 데이터예요": the
        # opposite end of the same scale.
        return WORDS[language]["no"] + opening
    if not left_out and (whole := yes_or_no(claim, opening, language)) != opening:
        # "어텐션이 트랜스포머의 핵심이라는 거네요?" / "트랜스포머는 … 어텐션이 그 핵심이에요.":
        # the fact says the whole claim.
        return whole
    # The sentence saying most of the claim itself ("제목이 말하듯 트랜스포머의 핵심은 '어텐션'…"),
    # not the one sharing most with its frame.
    sentence = max(every, key=lambda s: selecting.support(claim, s))
    decided = yes_or_no(claim, sentence, language)
    if decided != sentence:
        return decided
    body = without_topic(claim, topic)
    if body == claim:
        return None
    # "GAN은 생성자랑 판별자가 서로 경쟁하는 구조 그런거죠?" / "만드는 쪽(생성자)과 가려내는 쪽
    # (판별자)이 서로 경쟁하며 …": what the claim says of the passage's own topic.
    if not left_out and (whole := yes_or_no(body, opening, language)) != opening:
        return whole
    sentence = max(every, key=lambda s: selecting.support(body, s))
    decided = yes_or_no(body, sentence, language)
    return None if decided == sentence else decided


def _amount_sentence(every: Sequence[str], claim: str) -> tuple[str, str] | None:
    """The verdict of the passage sentence giving an amount of what the claim states one of,
    and that sentence: the only such sentence, or the one saying most of the claim; a yes
    only when it says enough of the claim besides (its amount alone may be of another thing)."""
    if not stated_amounts(claim):
        return None
    told = [(amount_verdict(claim, s), s) for s in every]
    told = [(verdict, s) for verdict, s in told if verdict]
    if not told:
        return None
    shares = [selecting.support(claim, s) for _, s in told]
    best = max(shares)
    if len(told) > 1 and (best == 0 or shares.count(best) > 1):
        return None
    verdict, sentence = told[shares.index(best)]
    if verdict == "yes" and best < AMOUNT_SUPPORT:
        return None
    return verdict, sentence


def on_fact(question: str, kind: str, fact, opening: str, language: str, timeline: str | None) -> tuple[str, bool]:
    """A fact's answer with the verdict the claim calls for: its yes kept, turned over,
    dropped or added ("GAN이 디퓨전보다 좋죠?" answered by the fact "확산 모델이 GAN보다
    나아요? 네, …" loses its yes), and whether the claim turned the fact's question round.
    ``timeline`` is the document's dates in order, for a claim about which came first."""
    say = WORDS[language]
    if kind in ("yes_no", "difference") and fact.kind == "yes_no" and has_verdict(opening) \
            and not lines_up(question, fact.ask.get(language)):
        # "트랜스포머의 핵심은 어텐션이죠?" answered by the fact "어텐션과 트랜스포머는 같은 거예요?
        # 아니요, …": the fact's verdict is to another claim; so is its sentence saying the
        # relation it asked ("같은 건 아니에요."). What it says besides stays.
        sentences = _sentences(without_verdict(opening))
        relation = relation_asked(fact.ask.get(language))
        if relation and len(sentences) > 1 and relation_asked(sentences[0]) == relation:
            sentences = sentences[1:]
        opening = " ".join(sentences)
    # "GAN이 디퓨전보다 좋죠?" answered by the fact "확산 모델이 GAN보다 나아요? 네, …".
    turned = kind in ("yes_no", "difference") and says_yes(opening) \
        and selecting.contradicts(question, fact.ask.ko, fact.ask.en)
    if turned or comparing.asks_which(question) and YES_OR_NO_OPENING.match(opening):
        # ("둘 중에 뭐가 더 좋아요?", "Which is better?" ask which, not whether: no "네," first.)
        opening = (YES_OPENING if turned else YES_OR_NO_OPENING).sub("", opening, count=1)
        opening = opening[:1].upper() + opening[1:]
    elif kind == "yes_no" and says_yes(opening) and (denying := denial(question, opening)):
        # "추천 엔진도 생성형 AI예요?" answered by "네, 추천 엔진은 … AI예요. … 생성형 AI는 아니에요.":
        # the fact's yes is to another claim; its sentence saying what the thing is not answers this one.
        opening = say["no"] + denying
    elif kind == "yes_no" and not leaves_out(opening) and narrows(question, VERDICT_KO.sub("", opening, count=1)):
        # "생성형 AI는 텍스트만 만드는 거죠?" / "글과 그림뿐 아니라 …도 만들어 내요": too narrow, a no.
        opening = say["no"] + VERDICT_KO.sub("", VERDICT_EN.sub("", opening, count=1), count=1)
    elif kind == "yes_no" and fact.kind == "yes_no" and language == "ko" \
            and selecting.negated(question) != selecting.negated(fact.ask.ko) \
            and selecting.support(affirmed(question), fact.ask.ko) >= YES_SUPPORT:
        # "순서를 몰라요?" asks the fact "순서를 알아요? 아니요, …" the other way round
        # (the same words, one said in the negative): a Korean yes or no agrees
        # with the question as asked, so it turns over.
        opening = turn_verdict(opening)
    elif kind == "yes_no" and fact.kind == "yes_no" and language == "ko" and has_verdict(opening) \
            and (plain := polarity.affirmed(question)) is not None and not selecting.negated(fact.ask.ko) \
            and (_same_subject(plain, fact.ask.ko) or not selecting.compares(fact.ask.ko) and _subject_named(plain, fact.ask.ko)) \
            and selecting.support(plain, fact.ask.ko) >= NEGATED_SUPPORT:
        # "GPT-4는 멀티모달 모델이 아니죠?" answered by "GPT-4와 Gemini도 멀티모달이에요? 네, …": the fact
        # answers the claim said plainly; a Korean yes agrees with the negation, so it turns over.
        opening = turn_verdict(opening)
    elif kind == "yes_no" and fact.kind == "yes_no" and not selecting.negated(question) \
            and selecting.opposes(question, fact.ask.get(language)):
        # "텍스트는 모으기 어렵다던데요?" answered by "텍스트 데이터는 모으기 쉬워요? 네, …":
        # the opposite predicate on the same scale, so the verdict turns over.
        opening = turn_verdict(opening)
    elif kind in ("yes_no", "when") and not has_question_word(question) and not leaves_out(opening) \
            and (amount := amount_verdict(question, opening)) \
            and (not has_verdict(opening) or amount == "no" and says_yes(opening)):
        # "LLM 파라미터 1억 개 정도죠?" / "수십억 개가 넘어요", "48만원 드는 거죠?" / "48,000원 정도예요":
        # the amount the learner states settles the claim.
        opening = turn_verdict(opening) if says_yes(opening) else say[amount] + opening
    elif kind == "yes_no" and fact.kind != "yes_no" and not says_yes(opening) and not leaves_out(opening) and (
            confirms(question, opening) or fact.kind in ("example", "which")
            and selecting.states_of_named(question, f"{fact.ask.ko} {fact.answer.ko}")):
        # "Is Gemini multimodal?" answered by the list of multimodal models naming it
        # ("클로드도 LLM이에요?": the list of LLMs worth trying, what it lists said in its question);
        # "GAN은 생성형 AI가 아니죠?" is answered no by the same list.
        opening = say["no" if polarity.affirmed(question) is not None else "yes"] + opening
    elif kind == "yes_no" and fact.kind != "yes_no" and not leaves_out(opening) \
            and selecting.contradicts(question, fact.ask.ko, fact.ask.en):
        # "터보 모델이 더 비싸죠?" answered by "GPT-3.5 turbo를 쓰면 10분의 1 가격이에요".
        opening = say["no"] + opening
    elif kind == "when" and fact.kind == "when" and not has_question_word(question) \
            and (verdict := time_verdict(question, opening)):
        # "트랜스포머 논문은 ChatGPT랑 같은 해에 나왔죠?": the dates settle the claim, yes or no.
        opening = say[verdict] + opening
    elif kind == "when" and not has_question_word(question) and claims_time(question) \
            and not has_verdict(opening) and timeline and (verdict := time_verdict(question, timeline)):
        # "ELIZA가 ChatGPT보다 먼저 나온거죠?": the fact dates one of the two; the document's
        # dates in order settle which came first.
        opening = say[verdict] + timeline
    return opening, turned


def lines_up(claim: str, asked: str) -> bool:
    """Whether a yes/no fact's question claims what the learner's claim does, so its 네 or 아니요
    carries over: not when the fact asks whether two things are one (or one a kind of the other)
    and the claim says something else of them ("트랜스포머의 핵심은 어텐션이죠?" / "어텐션과
    트랜스포머는 같은 거예요?"), nor when the fact compares two things, the claim compares nothing
    and shares too little with it ("트랜스포머도 RNN처럼 차례로 처리하죠?" / "트랜스포머가 RNN보다
    긴 문장을 더 잘 이해해요?")."""
    core = selecting.main_clause(claim_core(claim))
    relation = relation_asked(asked)
    if relation and relation not in (relation_asked(core), relation_asked(claim)) \
            and any(coverage([word], asked) == 0 for word in readings_of(core)):
        # (A claim naming only the two things, "어텐션이 곧 트랜스포머죠?", asks the relation in other words.)
        return False
    if selecting.compares(asked) and not selecting.compares(core) and not _MORE_SAID.search(core):
        return selecting.support(core, asked) >= COMPARED_SUPPORT
    return True


# "더 싸다 아이가?": a comparison whose other side is left unsaid.
_MORE_SAID = re.compile(r"(?<!\S)더\s|\b(?:more|less|better|worse|cheaper)\b", re.I)


def holds_belief(question: str, belief: Misconception) -> bool:
    """Whether a yes/no question is about the common belief a passage corrects. When
    it asks whether two things are one, or one is a kind of the other, it names nothing
    the belief and its correction leave out ("Is ChatGPT the same as an LLM?" is not
    "LLM and generative AI are the same") and the belief or its correction states that
    relation ("LLM이 생성형 AI의 일종이에요?" is the correction said back, a yes)."""
    if restricts(belief.wrong.ko) and not restricts(question) and _names_a_counterexample(question, belief):
        # "GAN도 생성형 AI예요?" is not "생성형 AI 모델은 LLM 하나뿐이다": it names one of the other
        # models the correction lists, and limits nothing.
        return False
    relation = relation_asked(selecting.main_clause(question))
    if not relation:
        return True  # a claim may name more than its belief ("ChatGPT 나오고 처음 생긴 거죠?")
    said = [belief.wrong.ko, belief.wrong.en, belief.right.ko, belief.right.en]
    if selecting.missing_words(question, said):
        return False
    return relation in (relation_asked(belief.wrong.ko), relation_asked(belief.right.ko))


def _names_a_counterexample(question: str, belief: Misconception) -> bool:
    """Whether the question names something the belief's correction names and the belief does not."""
    beyond_belief = selecting.missing_words(question, [belief.wrong.ko, belief.wrong.en])
    beyond_both = selecting.missing_words(question, [belief.wrong.ko, belief.wrong.en, belief.right.ko, belief.right.en])
    return len(beyond_both) < len(beyond_belief)


def belief_verdict(question: str, wrong: float, right: float, belief: Misconception) -> bool:
    """Whether a question matching a passage's belief says the wrong thing (then the
    answer is no): by similarity, unless it asks the relation only the correction states."""
    relation = relation_asked(selecting.main_clause(question))
    if relation and relation_asked(belief.right.ko) == relation != relation_asked(belief.wrong.ko):
        return False
    if relation and relation_asked(belief.wrong.ko) == relation != relation_asked(belief.right.ko):
        return True
    return wrong >= right
