"""Which sentence answers the question: the asked attribute, then the words.

"상담 한 건에 토큰 몇 개 써요?" asks for a count of tokens: a sentence (or a
fact's answer) holding "토큰 2,000개" answers it, one holding "48원" does not,
however many words they share. A yes/no question is answered yes when a
sentence says what it asks with the same polarity ("안 뽑아도 되죠?" /
"두지 않아도 돼요"), no when it says the opposite. These readings come from
the question's form (몇 + counter, 얼마, 언제, a negated predicate), not from
lists of phrasings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .answering import (HEARD_FRAME, _TEXT_CACHE, _pool, _squashed, coverage, covered, has_question_word, holds_answer_shape, readings_of,
                        readings_with_words, text_readings)
from .pack import LessonPack, per_pack
from .text import (ALIAS_CANON, synonym_members, default_stem, has_hangul, is_hangul_word, is_predicate, is_stopword, looks_inflected,
                   makes_verb, raw_words, synonym)

# "토큰 몇 개", "상담 몇 건": the thing counted and its counter.
_COUNT_KO = re.compile(r"(?:(\S+?)(?:을|를|이|가|은|는|도)?\s*)?몇\s*(개|건|번|명|가지|년|배|살|시간|일|달|분|종류|퍼센트|%)")
_COUNT_EN = re.compile(r"\bhow\s+many\s+(\w+)", re.I)
_MONEY = re.compile(r"\d[\d,.]*\s*(?:달러|원|센트|dollars?|won|cents?)|\$\s*\d|분의\s*[일1]|\b(?:a\s+)?tenth\b", re.I)
_NUMBER_WITH_UNIT = re.compile(r"(\d[\d,.]*)\s*([가-힣%]{1,3}|[a-z]+)?", re.I)
_COUNTERS = frozenset("개 건 번 명 가지 종류".split())
_MONEY_UNITS = ("달러", "원", "센트", "dollar", "won", "cent")

# A predicate said in the negative: "안 뽑아도", "두지 않아도", "못 해요",
# "없어요", "아니에요"; not "밤낮없이" (an adverb) nor "…가 아닌 방식" (a
# noun's modifier, which negates nothing the question asks).
_NEGATION = re.compile(
    # 모르다 is 알다 said in the negative ("순서를 몰라요?"), but not as a modifier ("모르는 사람도").
    r"(?:^|\s)(?:안|못)\s+\S|지\s*(?:않|못)|(?<!상관)없(?!이)|아니(?:에요|예요|야|다|요|죠|라고|고)|아닌(?:가|지|데|\s*거)"
    r"|몰라|몰랐|모릅|모르(?!는)"
    r"|\b(?:not|never|no|cannot)\b|n't\b",
    re.I,
)


def asked_unit(question: str, kind: str) -> tuple[str, str] | None:
    """What the answer must be measured in: ("count", counter or noun),
    ("money", "") or ("year", ""); None for other questions."""
    if kind == "how_many":
        found = _COUNT_KO.search(question)
        if found:
            return ("count", found.group(2))
        english = _COUNT_EN.search(question)
        return ("count", english.group(1).lower()) if english else ("count", "")
    if kind == "how_much":
        return ("money", "")
    if kind == "when":
        return ("year", "")
    return None


# "뭐가 문제예요?", "단점은요?", "what's the catch?": the question asks for a
# weakness, and the sentence saying what was hard or lacking answers it.
_ASKS_PROBLEM = re.compile(r"문제(?:가|는|점|였|이었|예요|에요|야|임|인가|인데|\s*$)|단점|약점|한계|안\s*좋은\s*점|아쉬운\s*점"
                           r"|\b(?:problem|downside|drawback|weakness|limitation|catch)s?\b|what'?s\s+wrong", re.I)
_STATES_PROBLEM = re.compile(r"어렵|어려웠|어려워|한계|약점|단점|부족|힘들|힘든|못했|못하|약했|약해|불만|논란"
                             r"|\b(?:hard|difficult|struggl\w*|limit\w*|weak\w*|lack\w*|couldn't|could\s+not|problem)", re.I)


# "학습이랑 또 뭐를 빠르게 해준다고 했죠?", "…어떻게 됐다고 했어요?": what the lesson said,
# recalled in its own words; the sentence holding those words answers, wherever it stands.
_RECALLS_SAYING = re.compile(r"(?:다|라|냐)고\s*(?:했|하던|하더|그랬|말했|나왔|나오|적혀|써\s*있|되어\s*있|돼\s*있)", re.I)


def recalls_saying(question: str) -> bool:
    """Whether a question asks what the lesson said ("…해준다고 했죠?")."""
    # The recalled words often sit before the asking clause ("…한다고 했던 것 같은데 그게 무슨 소리에요?").
    return bool(_RECALLS_SAYING.search(question))


def asks_problem(question: str) -> bool:
    """Whether a question asks what is wrong with something ("순서대로 처리하면 뭐가 문제예요?")."""
    return bool(_ASKS_PROBLEM.search(main_clause(question)))


def states_problem(sentence: str) -> bool:
    """Whether a sentence says what was hard or lacking ("…고려하기가 어려웠어요")."""
    return bool(_STATES_PROBLEM.search(sentence))


def counted_noun(question: str) -> str:
    """The thing a "how many" question counts ("토큰 몇 개" -> 토큰), if it names one."""
    found = _COUNT_KO.search(question)
    return (found.group(1) or "") if found else ""


def gives_money(text: str) -> bool:
    """Whether a text gives an amount of money ("약 35달러", "$35", "10분의 1")."""
    return bool(_MONEY.search(text))


def unit_fit(question: str, kind: str, text: str) -> int:
    """+1 when ``text`` holds a measure of the kind asked (a count of tokens
    for "토큰 몇 개", an amount for "얼마"), -1 when its only measures are of
    another kind (48원 for a count of tokens), 0 when it says nothing either way."""
    unit = asked_unit(question, kind)
    if unit is None:
        return 0
    what, counter = unit
    numbers = [(m.group(1), (m.group(2) or "").lower()) for m in _NUMBER_WITH_UNIT.finditer(text)]
    money = bool(_MONEY.search(text))
    if what == "money":
        if money:
            return 1
        return -1 if numbers else 0
    if what == "year":
        return 1 if holds_answer_shape("when", text) else 0
    noun = counted_noun(question)
    counts = [n for n in numbers if n[1] and (n[1].startswith(counter) if counter else n[1][:1] in "개건번명가종")]
    if counts and (not noun or noun in text.replace(" ", "")):
        return 1
    if money and not counts:
        return -1  # an amount of money does not say how many
    return 0


# "…트렌드 아니에요?": a tag asking for agreement, not a negative question.
_TAG = re.compile(r"\s*(?:거|것|게|건)?\s*(?:아니에요|아니예요|아닌가요|아니죠|아니야|아냐|아님|아닌지)\s*[?？!.~]*\s*$")


def negated(text: str) -> bool:
    """Whether the text's predicate is said in the negative (a closing tag
    such as "아니에요?" asks for agreement and negates nothing)."""
    return bool(_NEGATION.search(_TAG.sub("", text)))


def support(question: str, text: str) -> float:
    """The share of the words of the question's main clause that ``text``
    holds (0..1); a context clause before it ("작곡하는데요") does not count."""
    return coverage(readings_of(main_clause(question)), text)


def missing_words(question: str, texts: Sequence[str]) -> list[str]:
    """The naming words (nouns, names) of the question's main clause that
    none of ``texts`` holds ("사람 뇌랑 비슷해요?" -> 뇌랑, when ``texts``
    never mention a brain). A context clause before it ("카페 하는데요, …")
    names the learner's situation, not what is asked."""
    joined = " ".join(texts)
    return _missing(question, (_pool(joined), _squashed(joined)))


def _missing(question: str, found_in: tuple[frozenset[str], str]) -> list[str]:
    return [word for word, readings in readings_with_words(main_clause(question))
            if _names_a_thing(word) and covered([readings], found_in) == 0.0]


_CLAUSE_END = re.compile(r"(?:는데요?|인데요?|은데요?|던데요?|라서요?|니까요?|거든요?|[,.!?~ㅋㅎㅠ]+)\s+")


# "Is it true that …", "Is it right that …": a frame asking whether what
# follows holds; the words of the frame name nothing.
_TRUE_THAT = re.compile(r"^(?:is\s+it|it\s+is|it's|is\s+that)\s+(?:really\s+|actually\s+)?"
                        r"(?:true|right|correct|the\s+case)\s+that\s+", re.I)


# "I heard that …", "my friend says …": who said what follows; the frame names nothing asked.
_HEARD_THAT = re.compile(rf"^(?:{HEARD_FRAME})\s+(?:that\s+)?", re.I)


def without_heard(text: str) -> str:
    """An English message without the frame saying who said it ("I heard that …")."""
    return _HEARD_THAT.sub("", text.strip(), count=1) or text


# A reason or remark added after the question ("…맞죠? 숫자가 작으니까 옛날꺼라 비쌀거같은데",
# "…뭐가 문제예요? 속기는 순서대로 치는 게 당연한데ㅋㅋ"): it explains why the learner asks.
_AFTERTHOUGHT = re.compile(r"(?:데|니까|거든|라서|어서|아서|해서|여서)요?[\sㅋㅎㅠㅜ~.!^]*$")
_ASKED = re.compile(r"[?？]+")


def main_clause(question: str) -> str:
    """The last clause of a message: what it asks, after any context; the
    question itself when a reason or remark follows it."""
    text = question.strip()
    asked = list(_ASKED.finditer(text))
    if asked:
        after = text[asked[-1].end():].strip()
        if after and _AFTERTHOUGHT.search(after) and not has_question_word(after):
            text = text[: asked[-1].end()]
    return _HEARD_THAT.sub("", _TRUE_THAT.sub("", _CLAUSE_END.split(text)[-1], count=1), count=1)


@per_pack
def pack_texts(pack: LessonPack) -> tuple[str, ...]:
    """Every text of the pack in both languages: what the tutor can speak of."""
    texts: list[str] = []
    for passage in pack.passages.values():
        for language in ("ko", "en"):
            texts += [passage.title.get(language), passage.text.get(language), *passage.key_points.get(language)]
            texts += [aid.get(language) for aid in (passage.example, passage.simpler, passage.analogy) if aid]
        for fact in passage.facts:
            texts += [fact.ask.ko, fact.ask.en, fact.answer.ko, fact.answer.en]
    return tuple(texts)


@per_pack
def pack_readings(pack: LessonPack) -> tuple[frozenset[str], str]:
    """The ``text_readings`` of every pack text joined, worked out once per pack:
    from the text cache, which every new message churns, they took tens of
    milliseconds to work out again."""
    return text_readings(" ".join(pack_texts(pack)))


def names_unmentioned(question: str, pack: LessonPack) -> list[str]:
    """What the question's main clause names that the pack never mentions
    ("사람 뇌랑 비슷해요?" -> 뇌랑): the document does not speak of it."""
    return _missing(question, pack_readings(pack))


def without_unmentioned(question: str, pack: LessonPack) -> str:
    """The question without the words the pack never mentions ("주차장 CCTV가
    … 생성형인가요?" -> "가 … 생성형인가요?"): the learner's setting."""
    out = question
    for word in names_unmentioned(question, pack):
        out = re.sub(re.escape(word), " ", out, flags=re.IGNORECASE)
    return out if out.strip() else question


# Particles that only follow a noun (not "는", "은", "을", "이": a verb's
# modifier ends like them, "중요하다는", "좋은").
_CASE_PARTICLES = tuple(sorted("가 를 의 에 에서 에게 한테 으로 로 와 과 도 만 랑 이랑 보다 처럼 까지 부터".split(),
                               key=len, reverse=True))


def _names_a_thing(word: str) -> bool:
    """A noun the question is about: a Latin name, a Korean word with a
    noun's particle after it ("뇌랑", "직업도"), or a bare Korean word of
    three syllables or more with no ending ("저작권"; a shorter one is as
    often a casual spelling, "마니"); not an adverb or a predicate."""
    if not word:
        return False
    if not is_hangul_word(word):
        return len(word) >= 2 and not word.isdigit()
    if is_predicate(word) or _CONCESSIVE.search(word) or _MUST.search(word) or _VAGUE_NUMBER.match(word):
        return False
    if len(word) >= 3 and word[-1] in "거것" and (ord(word[-2]) - 0xAC00) % 28 in (4, 8) and 0xAC00 <= ord(word[-2]) <= 0xD7A3:
        return False  # "비싼거", "할거": a predicate's modifier and 거 written together, naming nothing
    if word.endswith("지") and is_stopword(word[:-1].removesuffix("이")):
        return False  # "그게 1964년 얘기지?", "같은 말이지?": a plain word and 이지, naming nothing
    return _with_particle(word) or (default_stem(word) == word and not looks_inflected(word) and len(word) >= 3)


# "몇백만", "수십억개": a rough number, an amount stated, naming nothing.
_VAGUE_NUMBER = re.compile(r"^[수몇](?:십|백|천|만|억)+(?:개|원|건|명|배|번)?$")
# "뽑아도", "먹어도", "해도": a verb's "even if" ending, not a noun with the particle 도.
_CONCESSIVE = re.compile(r"\S(?:아|어|여|해|와|워|돼|봐|줘)도$")
# "돈 내야만", "써야만", "알아야": a verb's "must" ending, not a noun with the particle 만.
_MUST = re.compile(r"(?:아|어|여|해|내|와|워|돼|써|봐|줘|려)야만?$")


def _with_particle(word: str) -> bool:
    return any(word.endswith(p) and len(word) > len(p) + 0 for p in _CASE_PARTICLES)


# "A가 B보다 나아요?": B is what A is set against.
_THAN_KO = re.compile(r"(\S+?)보다")
_THAN_EN = re.compile(r"\bthan\s+(?:the\s+|a\s+|an\s+)?(\w+(?:[-.]\w+)*)", re.I)  # "than GPT-3.5"


@lru_cache(maxsize=_TEXT_CACHE)
def _than(text: str) -> re.Match[str] | None:
    """Where a text sets one thing against another: "GAN보다", "than a GAN".
    Kept per text: a turn asks it of the same few fact questions hundreds of times."""
    return _THAN_KO.search(text) or _THAN_EN.search(text)


def reversed_comparison(question: str, other: str) -> bool:
    """Whether two comparisons set the same two things the other way round
    ("확산 모델이 GAN보다 나아요?" / "GAN이 확산 모델보다 나아요?"): the
    second does not answer the first, whatever words they share."""
    mine, theirs = _than(question), _than(other)
    if not mine or not theirs:
        return False
    mine_readings, theirs_readings = readings_of(mine.group(1)), readings_of(theirs.group(1))
    if not mine_readings or not theirs_readings:
        return False
    if coverage(mine_readings, theirs.group(1)) > 0:
        return False  # set against the same thing
    # The question's "than" side is the other's subject, and the reverse.
    return coverage(mine_readings, other) > 0 and coverage(theirs_readings, question) > 0


# Which way a comparison's predicate points, on each of the scales it can
# measure: more of something (크다, 낫다, 빠르다, 비싸다, 어렵다) or less
# (작다, 못하다, 느리다, 싸다, 쉽다).
_AXES = tuple((re.compile(more, re.I), re.compile(less, re.I)) for more, less in (
    (r"크|큰|커|넓|많|\b(?:bigger|larger|broader|wider|more)\b",
     r"작[아은다게]|좁|적[어은다게]|\b(?:smaller|narrower|less|fewer)\b"),
    (r"좋|낫|나아|나은|뛰어나|우수|강하|강해|\b(?:better|stronger)\b",
     # (떨어지다, 뒤처지다: falls behind, "GAN보다 성능이 떨어진다".)
     r"나쁘|나빠|못하|못해|약하|약해|떨어지|떨어져|떨어진|떨어짐|뒤처|뒤쳐|뒤떨어|\b(?:worse|weaker|inferior)\b"),
    (r"빠르|빨라|빠른|\bfaster\b", r"느리|느려|느린|\bslower\b"),
    (r"비싸|비싼|\bexpensive\b", r"(?<!비)[싸싼]|저렴|\bcheaper\b"),
    (r"높|\bhigher\b", r"낮|\blower\b"),
    (r"길어|긴\s|\blonger\b", r"짧|\bshorter\b"),
    (r"먼저|앞서|\bearlier\b", r"나중|늦|\blater\b"),
    (r"어렵|어려|힘들|힘든|\b(?:harder|difficult)\b", r"쉽|쉬[워운우]|\b(?:easier|easiest|easy)\b"),
))
_MORE = re.compile("|".join(more.pattern for more, _ in _AXES), re.I)
_LESS = re.compile("|".join(less.pattern for _, less in _AXES), re.I)


@lru_cache(maxsize=_TEXT_CACHE)
def comparative_direction(text: str) -> int:
    """+1 when the predicate after "보다"/"than" says more (크다, 낫다, 빠르다),
    -1 when it says less (작다, 못하다, 싸다), 0 when it says neither or both."""
    found = _than(text)
    if not found:
        return 0
    # Korean says it after "보다" ("GAN보다 나아요"), English before "than" ("better than").
    predicate = text[found.end():] if found.re is _THAN_KO else text[: found.start()]
    return _direction(predicate)


def _direction(predicate: str) -> int:
    """+1 for a predicate saying more (크다, 어렵다), -1 for less (작다, 쉽다), on any scale."""
    return _direction_on(_MORE, _LESS, predicate)


def _directions(text: str) -> tuple[int, ...]:
    """Which way a text points on each scale (+1 more, -1 less, 0 neither):
    "쉬워요" is less on difficulty and says nothing on amount."""
    return tuple(_direction_on(more, less, text) for more, less in _AXES)


def _direction_on(more: re.Pattern[str], less: re.Pattern[str], text: str) -> int:
    """+1 when ``text`` says ``more`` and not ``less``, -1 the other way, 0 otherwise."""
    found_more, found_less = bool(more.search(text)), bool(less.search(text))
    return 1 if found_more and not found_less else (-1 if found_less and not found_more else 0)


def opposes(question: str, other: str) -> bool:
    """Whether two plain claims (no comparison) say opposite predicates on a scale
    both speak of ("텍스트는 모으기 어렵다던데요?" / "텍스트 데이터는 모으기 쉬워요?"),
    and the same on none: the yes of the one is the no of the other."""
    if compares(question) or compares(other):
        return False
    products = {mine * theirs for mine, theirs in zip(_directions(question), _directions(other)) if mine and theirs}
    return products == {-1}


def contradicts(question: str, *others: str) -> bool:
    """Whether a comparison asks the opposite of another (of any of
    ``others``: a fact's question in each language): the same two things
    the other way round ("GAN이 확산 모델보다 나아요?" / "확산 모델이 GAN보다
    나아요?") or the same way with the opposite predicate ("확산 모델이
    GAN보다 못해요?"), but not both at once ("GAN이 확산 모델보다 못해요?"
    agrees). The one reading of which way a comparison points: a fact
    turned round and a sentence said the other way both answer "no"."""
    return any(_contradicts(question, other) for other in others)


def _contradicts(question: str, other: str) -> bool:
    if not compares(other):
        return _against_a_plain_claim(question, other)
    turned = reversed_comparison(question, other)
    opposite = comparative_direction(question) * comparative_direction(other) == -1
    if not turned and opposite:
        # The same two things the same way round, with opposite predicates.
        return same_pair(question, other)
    return turned and not opposite


def _against_a_plain_claim(question: str, other: str) -> bool:
    """Whether a Korean comparison says the opposite of a plain claim about
    its subject: "글이 사진보다 모으기 어렵죠?" against "텍스트 데이터는
    모으기 쉬워요?" (text is easy, so not harder than photos), "터보 모델이
    더 비싸죠?" against "GPT-3.5 turbo 같은 더 싼 모델을 쓰면?"; or the
    same of the side it is set against ("사진이 글보다 모으기 쉽죠?": the
    document's easy one is text)."""
    found = _THAN_KO.search(question) or _MORE_SO.search(question)
    if not found:
        return False
    # Only on a scale both speak of: "더 쉽죠?" says nothing against "많아요".
    products = {mine * theirs for mine, theirs in zip(_directions(question[found.end():]), _directions(other))
                if mine and theirs}
    subject = readings_of(question[: found.start()])
    against = readings_of(found.group(1)) if found.re is _THAN_KO else ()
    about_subject = bool(subject) and coverage(subject, other) > 0.5
    about_against = bool(against) and coverage(against, other) > 0.5
    if about_subject == about_against:
        return False
    # Said of the subject, the claim must point the other way; said of the
    # thing it is set against, the same way ("사진이 글보다 모으기 쉽죠?":
    # the document's easy one is text).
    return products == {-1 if about_subject else 1}


# "터보 모델이 더 비싼거죠?": a comparison whose other side is left unsaid.
_MORE_SO = re.compile(r"(?<!\S)더\s")


def compares(text: str) -> bool:
    """Whether a text sets one thing against another ("…보다", "than")."""
    return _than(text) is not None


def same_pair(question: str, other: str) -> bool:
    """Whether two comparisons set the same thing against another ("…보다"),
    either way round."""
    mine, theirs = _than(question), _than(other)
    if not mine or not theirs:
        return False
    return reversed_comparison(question, other) or coverage(readings_of(mine.group(1)), theirs.group(1)) > 0


@lru_cache(maxsize=_TEXT_CACHE)
def names(text: str) -> frozenset[str]:
    """The Latin names a Korean message speaks of ("RNN은 순서대로 읽죠?" ->
    rnn; "트랜스포머" -> transformer, its alias): the things it is about.
    Empty for an English message, whose every word is Latin."""
    if not has_hangul(text):
        return frozenset()
    # One name written two ways ("large" in "Large Language Model") is one name.
    return frozenset(ALIAS_CANON.get(word, word) for word in raw_words(text) if not is_hangul_word(word)
                     and len(word) >= 2 and not word.isdigit() and not is_stopword(word))


_CAPITALISED = re.compile(r"(?<=[\s(\"'])[A-Z][A-Za-z0-9.\-]*[A-Za-z0-9]")


def named_things(text: str) -> frozenset[str]:
    """The names a message speaks of, in either language: its Latin words in
    Korean ("Gemini도 멀티모달이에요?" -> gemini), its capitalised words
    past the first in English ("is Gemini multimodal?" -> gemini)."""
    if has_hangul(text):
        return names(text)
    found = set()
    for word in _CAPITALISED.findall(f" {text}"):
        for piece in raw_words(word):
            # "English", "Korean": capitalised, yet ideas with everyday synonyms, not names.
            if len(piece) >= 2 and not piece.isdigit() and not is_stopword(piece) and not synonym(piece):
                found.add(ALIAS_CANON.get(piece, piece))
    return frozenset(found)


_VERSION = re.compile(r"(?<=[a-z])\d+[a-z]?$")


def states_of_named(question: str, answer: str) -> bool:
    """Whether ``answer`` speaks of every name the question asks about (and
    there is one): "DALL-E, GPT-4, Gemini가 대표적인 멀티모달 모델이에요"
    answers "Gemini도 멀티모달이에요?" with a yes."""
    asked = named_things(question)
    if not asked:
        return False
    words = {ALIAS_CANON.get(word, word) for word in raw_words(answer)}
    # A version names its model ("Claude 3.5 Sonnet" is a Claude).
    words |= {ALIAS_CANON.get(bare, bare) for word in words if (bare := _VERSION.sub("", word)) != word}
    return asked <= words


def about_something_else(question: str, other: str) -> bool:
    """Whether the two speak of different named things ("RNN은 순서대로
    읽죠?" / "멀티헤드 어텐션은 순서를 알아요?"): then one does not answer the other."""
    mine, theirs = names(question), names(other)
    return bool(mine) and bool(theirs) and not any(same_family(a, b) for a in mine for b in theirs)


def same_family(name: str, other: str) -> bool:
    """Whether two names are one thing or a family and one of its versions
    ("gpt" and "gpt4o", "llama" and "llama3"): a question about GPT is about
    GPT-4o too. Two versions ("gpt35", "gpt4o") or a service built on a name
    ("chatgpt") are other things."""
    short, long = sorted((name, other), key=len)
    return short == long or long.startswith(short) and long[len(short)].isdigit()


# "인코더는 …", "확산 모델(…)은 …": the thing as the subject of a sentence, which
# is where a text says what it does or how it works.
_SUBJECT_PARTICLE = r"(?:\s*\([^)]*\))?(?:\s+[가-힣]+)?(?:\s*\([^)]*\))?\s*(?:은|는|이|가)(?![가-힣])"
_ASKED_SUBJECT = re.compile(r"^(\S+?)(?:은|는|이|가)$")
_WH_START = re.compile(r"^(?:뭐|뭔|뭘|무엇|무슨|머|어떤|어떻)")


def unexplained_subject(question: str, kind: str, texts: Sequence[str]) -> str:
    """The thing a question asks what it does or how it works ("인코더는 원래
    무슨 일을 하는데요", "트랜스포머는 어떻게 작동해요?") when ``texts`` name
    it but never make it the subject of a sentence: they mention it without
    explaining it. Empty when the texts do explain it, or the question asks
    something else (what a thing is: "X는 뭐예요?")."""
    clause = main_clause(question)
    words = re.sub(r"[?？!.~ㅋㅎㅠ]+", " ", clause).split()
    if len(words) < 2 or not has_hangul(clause):
        return ""
    last = words[-1]
    # "무슨 일을 해요", "뭘 하는데요": what it does, said with 하다.
    asks_doing = kind == "how" or (kind == "what" and makes_verb(last) and not _WH_START.match(last))
    if not asks_doing:
        return ""
    subjects = (found.group(1) for word in words[:-1] if (found := _ASKED_SUBJECT.match(word)))
    thing = next((word for word in subjects if len(word) >= 2 and _names_a_thing(word)), "")
    if not thing:
        return ""
    joined = " ".join(texts).lower()
    forms = {thing.lower(), *(word.lower() for word in raw_words(thing) if len(word) >= 2)}  # its aliases
    if not any(form in joined for form in forms):
        return ""
    # The thing under another of its everyday names ("텍스트" / "글은 … 다리 역할을 해요") is explained too.
    kin = {member for form in forms for member in synonym_members(form)}
    if any(re.search(r"(?<![가-힣])" + re.escape(form) + _SUBJECT_PARTICLE, joined) for form in kin) \
            or any(re.search(re.escape(form) + _SUBJECT_PARTICLE, joined) for form in forms):
        return ""
    return thing
