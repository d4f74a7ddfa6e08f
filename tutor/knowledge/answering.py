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
from functools import cache, lru_cache

from .intent import points_back, without_described_asking
from .pack import Fact, LessonPassage
from .text import (ALIAS_CANON, ALIAS_PHRASE_WORDS, contracted_stem_forms, default_stem, has_hangul, is_hangul_word, is_predicate, is_stop_stem, is_stopword, looks_inflected,
                   normalise, raw_words, strip_candidates, synonym)

# A turn compares its question with every fact of the closest passages, whose
# texts never change: their readings are computed once, not on every turn.
_TEXT_CACHE = 4096
# Words: the pack's vocabulary and the learners' spellings of it.
_WORD_CACHE = 65536

# Whose it is: "누구 거예요?", "어디 모델이에요?", "같은 회사 거죠?", two owners offered
# ("구글 거예요 OpenAI 거예요?", one of them a Latin name), a company's own ("구글 거 맞죠?").
# "어떤 회사가 만들었어요?", "무슨 기업에서 개발했어요?": which company made it (not "어떤 회사가 써요?").
_MAKER_COMPANY = r"(?:어떤|무슨)\s*(?:회사|기업|업체)\S*\s*(?:\S+\s+){0,2}?(?:만들|개발|발표|내놓|냈|낸)"
_OWNER = (r"(?:누구|어디)\s*(?:거|꺼|것|모델|제품|서비스)|(?:같은|무슨|어떤)?\s*회사\s*(?:거|꺼|것|제품|모델|서비스)(?![리대들래])"
          r"|[A-Z][A-Za-z]+\s*(?:거|꺼)\S*\s+\S+\s*(?:거|꺼)|\S+\s*(?:거|꺼)\S*\s+(?:아니면\s+)?[A-Z][A-Za-z]+\s*(?:거|꺼)"
          # Companies learners name in Hangul: "제미나이는 구글 거 맞죠?" claims who made it.
          r"|(?:구글|메타|마이크로소프트|애플|네이버|카카오|삼성|엔비디아|앤트로픽|오픈\s*에이아이|딥마인드)\s*(?:거|꺼|것|제품|모델|서비스)(?![리대들래])"
          r"|\bwho(?:se|\s+owns)\b")
# Kinds of question, checked in this order (the first that matches wins).
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("when", re.compile(r"언제|몇\s*년|년도|연도|^\W*when\b|\bwhen\s+(?:did|was|were|is|will|does|do|has|had)\b"
                        r"|what\s+year|since\s+when|\bhow\s+old\b|\bhow\s+long\s+ago\b|\bhow\s+long\s+(?:has|have)\b[^?]*\b(?:around|existed|been)\b", re.I)),
    ("how_many", re.compile(r"몇\s*(?:개|가지|건|번|명|시간|종류|단계)|\bhow\s+many\b", re.I)),
    ("why", re.compile(r"왜|어째서|이유|원인|\bwhy\b|how\s+come|what\s+causes", re.I)),
    ("how_much", re.compile(r"얼마|환율|\bexchange\s+rate\b|\bin\s+(?:won|dollars?|euros?|yen)\b|비용|가격|요금|비싸|돈\s*(?:이|을|은)?\s*(?:많이|얼마나|꽤|좀)?\s*(?:들|드|나가|써)|\bhow\s+much\b|\bcosts?\b|\bprice\b|\bexpensive\b", re.I)),
    # "구별되는 핵심", "어떻게 구분돼요?": what tells two things apart.
    ("difference", re.compile(r"(?:구별|구분)\s*(?:되|돼|됩|점|하는\s*(?:핵심|기준|법|방법|포인트))|\bwhich\s+(?:one\s+)?(?:came|comes|was|is|appeared)\s+(?:first|earlier|later|older|newer)\b|(?:뭐가|무엇이|어느\s*(?:게|것이|쪽이))\s*(?:더\s*)?먼저|차이|달라|다른가|다르|(?:뭐가|무엇이|어디가|어떤\s*점이|어떻게)\s*다른\s*(?:거|건|게|지|데|점)|다름(?!\s*(?:이|은)?\s*아니)|비교|나아|낫|보다|중에\s*(?:뭐|어느|어떤|누가|무엇)|어느\s*쪽|더\s*(?:좋|잘|나)|(?:누가|뭐가|무엇이|어느\s*(?:게|것이|쪽이)|어떤\s*게)\s*더\s|\bdiffer\w*|\bcompare\w*|\bvs\.?\b|\bversus\b|\bbetter\b|\bworse\b|\b\w+er\s+(?:to\s+\w+\s+)?than\b|\b(?:more|less)\s+\w+\s+than\b", re.I)),
    ("example", re.compile(r"예를|예시|예로|사례|(?<![가-힣])예(?:가|는|도)(?:요)?(?![가-힣])|뭐가\s*있|뭐뭐|어떤\s*(?:게|것|거)\s*있|\bexamples?\b|\bsuch\s+as\b|\bwhich\s+\w+\s+(?:use|are)", re.I)),
    ("how", re.compile(r"어떻게|원리|작동|방식으로|\bhow\s+(?:does|do|did|is|are|can)\b|\bhow\s+it\s+works?\b", re.I)),
    # Who made or wrote it: a person, or the company it belongs to ("어느 회사 거예요?", "쓴 사람 이름").
    ("who", re.compile(_OWNER + r"|" + _MAKER_COMPANY + r"|누가|누구|누군|\bwho\b|어느\s*(?:회사|기업|곳)|(?:만든|쓴|작문|개발한|발표한)\s*(?:사람|회사|곳)(?!\s*(?:이|가|은|는|도)\s+[^?]*(?:했|하더|라고|다고|라던|다던|말하|말했))"
                       r"|\bwhich\s+company\b", re.I)),
    ("where", re.compile(r"어디|\bwhere\b|어디에\s*써|\bused\s+for\b|\buse\s+(?:[\w-]+\s+){1,3}?for\b", re.I)),
    # "데이터가 많다는 건 무슨 뜻이에요?", "일을 쉽게 했다는 건?": what a
    # claim of the lesson means (a quoted clause, "-다는/-라는 건"), not what a thing is.
    # "다리 역할이라는 게 뭔 말이에요?": what a phrase of the lesson means.
    # "커피 얘기는 뭐예요?", "D&D 비유는 뭐임?": what a story or comparison the lesson told is about.
    # "게임 비유 있었잖아요", "친구에 비유한 거 있었죠?", "5만 원 계산 얘기요": a story
    # of the lesson recalled, without a question word, asks what it was about.
    ("meaning", re.compile(r"(?:얘기|이야기|비유|일화|밈)\s*(?:가|이|도|는|은)?\s*(?:있었|있던|나왔|나오던|나온\s*(?:거|것|게))"
                           r"|(?:비유|빗대|빗댄)\S*\s*(?:거|것|게|건)\s*(?:있었|있던|나왔|뭐|뭔|무슨|머|(?:그거\s*)?(?:다시\s*)?설명)"
                           r"|(?:얘기|이야기|비유|일화)\s*(?:요|이요)\s*\??\s*$|"
                           r"(?:얘기|이야기|비유|일화)\s*(?:는|은|가|이)?\s*(?:뭐|뭔|무슨|무엇|머)|다는\s*(?:건|게|거|것|말|얘기)\s*(?:무슨|뭔|뭐|무엇|어떤|\?|$)|라는\s*(?:건|게|거|것)?\s*(?:무슨|뭔)\s*(?:말|뜻|의미)|\bwhat\s+does\s+(?:it|that|this)\s+mean\b"
                           # "정확히 뭐라고 했어요?", "뭐라고 나와요?": what the lesson says, in its words.
                           r"|(?:뭐|머|무엇|무슨\s*말)\s*(?:이?라고|라)\s*(?:했|하|그랬|말했|적|썼|나와|나오|돼|되)"
                           r"|\bwhat\s+(?:exactly\s+)?did\s+(?:the\s+)?(?:author|writer|document|it|he|she)\s+(?:exactly\s+)?say\b", re.I)),
)
_WH = re.compile(
    r"뭐|뭘|뭔|뭡(?=니|시)|무엇|무슨|어떤|어떻|어땠|어때|어느|왜|언제|얼마|몇(?!\s*(?:십|백|천|만|억))|어디|누가|누구|누군|\b(?:what|which|why|when|where|who|how)\b"
    # Casual 머 for 뭐 ("머였지", "머임"), not the start of 머리 or 머신.
    r"|(?<![가-힣])머(?=[였야임에예냐니지가]|\s|\?|$)",
    re.I,
)
# Words that point back ("거기서", "그거랑"): they name what came before, not something new.
_POINTING = re.compile(r"^(?:거기|여기|저기|그거|이거|저거|그것|이것|저것|그게|이게|그걸|이걸)")
# Numerals and determiners that count a one-syllable noun after them ("한 달", "첫 해").
_COUNTING = frozenset("한 두 세 네 첫 매 각".split())
# The determiners of "뭔 말이에요", "무슨 뜻이죠": the noun after them frames the question.
_WHAT_WORDS = frozenset(("무슨", "뭔", "무엇", "어떤", "what"))
# Laughter or a smile after the question ("없어지나요 ㅎㅎ", "맞죠?ㅋㅋ") does not change what it asks.
_YES_NO_KO = re.compile(r"(?:(?:요|죠|까|나|니|냐|야|지)\s*\??|\?)[\sㅋㅎㅠㅜ\u110f\u1112\u1172\u116e~^]*$")
# "X은요?", "what about X?": the same question about another topic.
# ("and before that?", "and prediction?": the English "X은요?", a short "and …?" that asks nothing itself.)
_WHAT_ABOUT = re.compile(r"^\W*(?:그럼|그러면|그리고|그\s*다음)?\s*\S+(?:\s+\S+)?\s*(?:(?:은|는)요\s*\??|(?:은|는)\s*\?)\s*$|^\W*(?:and\s+)?what\s+about\b"
                         r"|^\W*and\s+(?!(?:is|are|was|were|does|do|did|can|could|will|would|has|have|should|isn'?t|aren'?t|doesn'?t)\b)"
                         r"[^\s?]+(?:\s+[^\s?]+){0,2}\s*\?+\s*$", re.I)
# "그중에 젤 중요한 건요?", "이유 중 가장 중요한 건", "which of them matters most?".
_MOST_AMONG = re.compile(r"중(?:에|에서)?\s*(?:서\s*)?(?:젤|제일|가장|최고)|\bwhich\s+(?:one\s+)?of\b.*\bmost\b", re.I)
# A request to be told about a thing, at the message's end ("…부터 알려주세요", "설명해 줄래요?").
_TELL_ME = re.compile(r"(?:알려|설명해|가르쳐|소개해|얘기해|이야기해)\s*(?:줘|줘요|주세요|주실래요|주실래|줄래요|줄래|주시겠어요|주라)"
                      r"[\s?？.!~ㅎㅋ^]*$")
_WHETHER = re.compile(r"[는은인을]지\s*(?:아닌지\s*)?(?:좀\s*)?(?:알려|설명|가르쳐)")
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
    "what": {"what", "which", "who", "example"},
    "meaning": {"meaning", "what", "which", "who"},
    "which": {"which", "what", "example"},
    "who": {"who"},
    "when": {"when"},
    "yes_no": {"yes_no", "compare", "difference", "which", "what", "how_much", "how_many", "example", "where", "who"},
}
KIND_BONUS = 0.12
UNIT_WEIGHT = 0.15
CONTEXT_SHARE = 0.85
CONFIRM_OVERLAP = 0.5
MIN_FACT_WORDS = 0.5
MIN_ASKED_WORDS = 0.34
MIN_MATCH = 0.34
STORY_MATCH = 0.6  # "X 얘기는 뭐예요?" and a fact on what the comparison naming X means
# "커피 얘기", "D&D 비유": a story or comparison the lesson told, asked about.
_STORY = re.compile(r"(?:얘기|이야기|비유|일화|밈)\s*(?:는|은|가|이|도)?\s*(?:뭐|뭔|무슨|무엇|머|있었|있던|나왔|나오던)"
                    r"|(?:비유|빗대|빗댄)\S*\s*(?:거|것|게|건)|(?:얘기|이야기|비유|일화)\s*(?:요|이요)\s*\??\s*$")
# The words that recall a story rather than name it ("있었잖아요", "나왔던", "설명할 때").
_RECALLING = re.compile(r"^(?:있었|있던|있잖|나왔|나오던|나온|했던|하던|설명|말했|말하던|얘기|이야기)")
# A fact asking about a comparison the lesson draws ("커피 비유", "D&D 규칙의 인간에 빗댄 건").
_COMPARISON = re.compile(r"비유|빗대|빗댄|\b(?:compar\w*|analog\w*|likens?)\b", re.I)
QUOTED_MATCH = 0.8
CLAIM_SHARE = 0.8  # a claim about dates and a fact holding every thing it names, in its question or answer  # clear enough to lead from a passage ranked second (fact_choice.STRONG_FACT)


# "반대로 …", "반면에 …", "on the other hand …": the question turns to the other side.
_TURNS_AWAY = re.compile(r"^\W*(?:그럼\s*|그러면\s*|근데\s*|그런데\s*)?(?:반대로|거꾸로|반면에?|그와\s*반대로|on\s+the\s+other\s+hand|conversely)\b", re.I)


def _names_analogy(question: str, passage: LessonPassage) -> bool:
    """Whether the question names something only the passage's comparison
    speaks of ("커피" in the Transformer passage's coffee comparison), in
    Korean or English."""
    if passage.analogy is None:
        return False
    # Only in the part that asks ("AGI가 머에요 ㅋㅋ 게임하다 들었는데": the game is where it was heard).
    asking = " ".join(part for part in re.split(r"[?？!.]+|[ㅋㅎㅠㅜ]{2,}", question) if has_question_word(part))
    for readings in readings_of(asking):
        for language in ("ko", "en"):
            if coverage([readings], passage.analogy.get(language)) and not coverage([readings], passage.text.get(language)):
                return True
    return False


# The thing of a bare "and X?": "그럼 산업 쪽으로는요?" -> 산업 쪽, "industry는요?" -> industry.
_WHAT_ABOUT_THING = re.compile(
    r"^\W*(?:그럼|그러면|그리고|그\s*다음)?\s*(?P<thing>\S+(?:\s+\S+)?)\s*(?:은|는)\s*요?\s*\??\s*$")
_THING_ENDING = re.compile(r"(?:으로|로|에서|에선|에게|한테|이랑|랑|하고|의)?$")


def _what_about_words(question: str) -> tuple[str, ...]:
    """The words naming the thing of a bare "and X?" ("산업 쪽으로는요?" -> 산업, 쪽):
    what the question is about, though short and with no particle of a noun's
    own left once its 은요/는요 is taken off."""
    found = _WHAT_ABOUT_THING.match(question.strip())
    if not found:
        return ()
    words = found.group("thing").split()
    words[-1] = _THING_ENDING.sub("", words[-1], count=1)
    return tuple(word for word in words if word and not is_stopword(word.lower()))


_TOPIC_MARKED = re.compile(r"^([가-힣]{2,})(?:은|는)$")


def _topic_marked(question: str) -> tuple[str, ...]:
    """The Korean words a question marks as its topic with 은/는 ("수요는" -> 수요),
    pointers and chit-chat ("그건", "저는") aside."""
    found = (_TOPIC_MARKED.match(word.strip("?？!.,~")) for word in question.split())
    return tuple(match.group(1) for match in found
                 if match and not match.group(1).endswith("다") and not is_predicate(match.group(0))
                 and not is_stopword(match.group(0)) and not is_stopword(match.group(1))
                 and not points_back(match.group(0)))


def asks_most_among(text: str) -> bool:
    """Whether a question asks which of the things listed matters most ("그중에 젤 중요한 건요?")."""
    return bool(_MOST_AMONG.search(text))


def asks_what_about(text: str) -> bool:
    """"원화로는요?", "디퓨전 모델은요?", "what about X?": a bare "and X?" that
    leaves its question to the turn before."""
    return bool(_WHAT_ABOUT.match(text.strip().lower()))


@lru_cache(maxsize=_TEXT_CACHE)
def question_kind(text: str) -> str:
    """"yes_no", "why", "when", "how_much", "how_many", "difference",
    "example", "meaning", "how", "who", "where" or "what"."""
    lowered = normalise(without_described_asking(text))
    bare = _BARE_WHY.match(lowered)
    if bare and has_question_word(lowered[bare.end():]):
        # "왜요? 머가 다른데요": a bare "왜요?" then the question it means.
        return question_kind(lowered[bare.end():])
    if asks_what_about(text):
        return "what"  # "디퓨전 모델은요?": a new topic, not a yes or no
    if _MEANING_FRAME.search(lowered) and not _OTHER_WH.search(lowered):
        # "비용 측면 얘기가 나오던데 그건 무슨 말이에요?": what a phrase means,
        # whatever it names (비용 is not "how much").
        return "meaning" if _KINDS[-1][1].search(lowered) else "what"
    if not has_question_word(lowered) and (reports_belief(lowered) or _RIGHT_TAG.search(lowered)):
        # "텍스트는 모으기 어렵고 비싸다던데요?", "I heard it just searches the web": a belief
        # heard elsewhere is a claim to check, yes or no, whatever words it holds (비싸 is no
        # "how much"); a comparison, a date or a reason claimed keeps its own kind.
        found = next((kind for kind, pattern in _KINDS if pattern.search(lowered)), "")
        if found not in ("difference", "when", "why") and not claims_time(lowered):
            return "yes_no"
    if not has_question_word(lowered) and claims_time(lowered):
        # "트랜스포머는 ChatGPT보다 먼저 나온 거죠?", "Is ChatGPT older than the Transformer?":
        # a claim about when things came out is answered by their dates.
        return "when"
    if not has_question_word(lowered) and _states_share(lowered) \
            and (_YES_NO_EN.match(lowered) or _YES_NO_KO.search(lowered.strip()) or _RIGHT_TAG.search(lowered)):
        # "GPT-3.5 turbo 쓰면 절반 가격이죠?": a share put forward to be checked is answered yes or
        # no by the share the document gives (가격 is no "how much").
        return "yes_no"
    for kind, pattern in _KINDS:
        if pattern.search(lowered):
            if kind == "how" and _WHAT_IT_COMES_TO.search(lowered) and not _OTHER_WH.search(lowered.replace("어떻게", " ")):
                return "what"  # "조건이 어떻게 되는데요?", "나이가 어떻게 되세요?": what it is, not how it works
            return kind
    if has_question_word(lowered) or _DEFINE.search(lowered):
        return "what"  # "멀티헤드 어텐션을 정의하면요?" asks what it is
    if _TELL_ME.search(lowered) and not _WHETHER.search(lowered):
        # "생성형 AI 알려주세요", "GAN 설명해 주세요": asked to be told, not asked yes or
        # no; "…쓰는지 알려주세요" still asks whether.
        return "what"
    if _YES_NO_EN.match(lowered) or _YES_NO_KO.search(lowered.strip()):
        return "yes_no"
    if any(_YES_NO_KO.search(part + "?") for part in re.split(r"[?？]", lowered)[:-1] if part.strip()):
        # "LLM = 생성형 AI 맞죠? 병원에서 다들 그렇게 말하던데": the yes/no asked
        # first, then where the learner heard it.
        return "yes_no"
    return "what"


# A condition before what is asked ("하루 48,000원이면 …", "if it costs $35 …").
_IF_CLAUSE = re.compile(r"^.*\S면\s+|^.*\bif\b[^,]*,?", re.I)


def _states_share(text: str) -> bool:
    """Whether a message states a share of something ("10분의 1", "절반", "열 배 싸다"): a price
    said as a share is a claim to check, not a question of how much."""
    from .claims import stated_amounts  # (claims reads this module: imported where it is used)

    asked = _IF_CLAUSE.sub("", text, count=1)  # "48,000원이면 비싼 거예요?" asks of the amount, not whether
    return any(measure == "ratio" for measure, _ in stated_amounts(asked))


# Who said what follows, in English ("I heard", "my friend says"): the frame of a reported belief.
HEARD_FRAME = (r"I(?:'ve)?\s+(?:heard|read|thought)|(?:they|people|everyone)\s+say"
               r"|(?:my\s+\w+|someone|somebody)\s+(?:says|said|told\s+me|thinks)")
# A belief the learner reports hearing or being told ("…다고 들었어요", "…라던데요",
# "…라고 배웠는데", "I heard …", "my friend says …") or held until now ("…인 줄 알았는데",
# "I thought …"): a claim put forward to be checked.
_REPORTED = re.compile(
    r"(?:다|라|냐)고\s*(?:들었|듣|하던|하더|하대|하네|배웠|알고\s*있|그러던|그러더|그랬)"
    r"|[가-힣]\s*줄\s*알았"
    r"|(?:다|라)던데|(?:다|라)더라|(?:다|라)면서|(?:다|라)며\s*[?？]"
    rf"|\b(?:{HEARD_FRAME})\b", re.I)


# "So X costs $35 a day, right?": a statement put forward for agreement, a claim like a belief.
_RIGHT_TAG = re.compile(r"[\s,]\s*(?:right|correct|isn[’']?t\s+it|aren[’']?t\s+they|yeah)\s*\?+\s*$", re.I)


# "A랑 B 같은 거예요?", "A = B 맞죠?", "Is A the same as B?": whether two things are one.
_SAME = re.compile(r"같은\s*(?:거|것|건|게|말|뜻|개념|의미|얘기)|같은거|똑같|동일|(?<!\S)=(?!\S)|\bsame\b|\bidentical\b", re.I)
# "A가 B의 일종이에요?", "A도 B에 들어가요?", "Is A a kind of B?": whether one is a kind of the other.
_KIND_OF = re.compile(r"일종|한\s*종류|종류(?:예요|에요|인가|야|죠|임|이에요)|(?:에|안에)\s*(?:들어가|들어있|속하|속해|포함)"
                      r"|\b(?:a\s+)?(?:kind|type|form|sort)\s+of\b", re.I)


# "비용은 얼마고 더 싸게 하려면요?", "GAN이 뭐고 어떻게 작동해요?": two questions joined by
# "-고" (after a question word or a verb), each asking its own thing.
_TWO_PARTS = re.compile(r"^(?P<first>.+?[가-힣])(?:이)?고\s+(?P<second>\S.*)$")
# A quote ("좋다고 나와요?", "뭐라고 해요?": 다고/라고/냐고/자고 tell what is said) or a verb
# going on ("쓰고 있어요?", "알고 싶어요"): the second part asks nothing of its own.
_ONE_GOING_ON = re.compile(r"[다라냐자]고\s+\S|고\s+(?:있|싶|계시|계셔|나서)")


def two_questions(text: str) -> tuple[str, str] | None:
    """The two questions asked in one turn ("비용은 얼마고 더 싸게 하려면요?" ->
    ("비용은 얼마예요?", "더 싸게 하려면요?")), when its first part asks something
    of its own (a question word) and the second asks too; None otherwise."""
    found = _TWO_PARTS.match(text.strip())
    if found is None:
        return None
    first, second = found.group("first"), found.group("second")
    if not has_question_word(first) or not readings_of(first):
        return None  # "LLM하고 트랜스포머는 무슨 관계예요?" joins two things, not two questions
    if not (has_question_word(second) or re.search(r"[?？]\s*$|려면|주세요|줘|줄래|해\s*봐", second)):
        return None
    return (f"{first}예요?" if re.search(r"(?:뭐|무엇|얼마|언제|누구|어디)$", first) else f"{first}?"), second


def separate_questions(text: str) -> tuple[str, str] | None:
    """``two_questions``, when each part asks a thing of its own: not a quote
    or a verb going on, whose second part ("나와요?", "있어요?") is only the ending."""
    parts = two_questions(text)
    found = _TWO_PARTS.match(text.strip())
    if parts is None or found is None or _ONE_GOING_ON.search(text[len(found.group("first")) - 1:]):
        return None
    return parts


def first_of_two(text: str) -> str:
    """The first of two questions asked in one turn ("비용은 얼마예요?"); empty when there are not two."""
    parts = two_questions(text)
    return parts[0] if parts else ""


def relation_asked(text: str) -> str:
    """"same" when a question asks whether two things are one ("ChatGPT랑 GPT 같은
    거죠?"), "kind" when it asks whether one is a kind of the other ("LLM이 생성형
    AI의 일종이에요?"), empty otherwise. A yes to the one is no answer to the other."""
    if _SAME.search(text):
        return "same"
    return "kind" if _KIND_OF.search(text) else ""


def reports_belief(text: str) -> bool:
    """Whether a message puts forward something heard elsewhere ("…다고 들었어요",
    "…라던데요?", "I heard …"): a claim, answered yes or no."""
    return bool(_REPORTED.search(text))


# "왜요?", "why?" said alone before the question that says what it asks.
_BARE_WHY = re.compile(r"^\W*(?:왜\s*(?:요|죠)?|\bwhy)\s*[?？!.]+\s*(?=\S)", re.I)
# "N이 어떻게 돼요?": the polite Korean way of asking what N is.
_WHAT_IT_COMES_TO = re.compile(r"\S(?:이|가|은|는)\s*어떻게\s*(?:되(?!었)|돼(?!서)|됩|되세요)")
# Question words asking something other than a meaning.
_OTHER_WH = re.compile(r"얼마|몇|언제|왜|어떻게|누가|누구|어디|\b(?:how|when|why|who|where)\b", re.I)
# ("멀티모달 정의 좀요", "LLM 정의?": the word 정의 alone, not 정의로운, asks what a thing is.)
_DEFINE = re.compile(r"정의(?:하면|해\s*(?:줘|주세요|보면)|를\s*내리면|가\s*(?:뭐|어떻게)|(?:만|는|요)?(?=\s|[?!.]|$))|\bdefin(?:e|ition)\b", re.I)
_YES = re.compile(r"^\W*(?:네|예|맞아요|yes)\b", re.I)


_MEANING_FRAME = re.compile(r"(?:무슨|뭔|무엇|어떤)\s*(?:뜻|의미|말|소리)|(?:뭘|뭐를|무엇을|뭐)\s*(?:뜻|의미)\s*하|\bmean(?:s|ing)?\b", re.I)


@lru_cache(maxsize=_TEXT_CACHE)
def asks_meaning(text: str) -> bool:
    """Whether a question asks what something means ("무슨 뜻이에요?"), not what it is."""
    return bool(_MEANING_FRAME.search(text)) or question_kind(text) == "meaning"


# When things came out, said as a claim: one before, after or with another, or in a year.
_RELEASED = (r"(?:나왔|나온|나오|발표|등장|생겼|생긴|알려졌|알려진|만들어졌|만들어진|시작|공개"
             r"|\bcame\s+out|\bcome\s+out|\breleased?|\bpublished|\bappeared|\bintroduced|\binvented)")
_ORDER = (r"(?:먼저|나중에|늦게|같은\s*해|같은\s*(?:년도|연도|시기|때)|같이|동시에|함께"
          r"|\bbefore\b|\bafter\b|\bearlier\b|\blater\b|\btogether\b|\bsame\s+(?:year|time)\b)")
_YEAR_SAID = r"(?:19|20)\d\d\s*(?:년대|년|s\b)?"
_TIME_CLAIM = re.compile(
    rf"{_ORDER}[^?.!]{{0,3}}{_RELEASED}|{_RELEASED}[^?.!]{{0,8}}{_ORDER}|{_YEAR_SAID}[^?.!]{{0,12}}{_RELEASED}"
    rf"|{_RELEASED}[^?.!]{{0,12}}\bin\s+{_YEAR_SAID}|\b(?:older|newer)\s+than\b"
    # "ChatGPT 나온 게 2022년 맞죠?", "발표된 건 2017년이죠?": the year said after the verb.
    rf"|{_RELEASED}\S*\s*(?:게|건|거|것|때|해|시기)?\s*{_YEAR_SAID}", re.I)
_EARLIER = re.compile(r"먼저|앞서|\bbefore\b|\bearlier\b|\bolder\b|\bfirst\b", re.I)
_LATER = re.compile(r"나중|늦게|\bafter\b|\blater\b|\bnewer\b", re.I)
_SAME_TIME = re.compile(r"같은\s*(?:해|년도|연도|시기|때)|같이|동시에|함께|\btogether\b|\bsame\s+(?:year|time)\b", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")


def _without_time_words(text: str) -> str:
    """A claim about dates without its verbs of coming out, its order words and its years:
    the things it names are what a fact must share with it."""
    return re.sub(rf"{_RELEASED}\S*|{_ORDER}|{_YEAR_SAID}|\b(?:older|newer)\b|\bthan\b", " ", text, flags=re.I)


def claims_time(text: str) -> bool:
    """Whether a message claims when something came out: before, after or with
    another thing ("ChatGPT 나온 해에 같이 발표됐잖아요"), or in a year."""
    return bool(_TIME_CLAIM.search(text))


def _dated_clauses(answer: str) -> list[tuple[str, int]]:
    """The clauses of a dated answer with the year each gives ("트랜스포머 논문은
    2017년에, ChatGPT는 2022년에 나왔어요" -> (…논문은 2017년에, 2017), (ChatGPT는 …, 2022))."""
    dated = []
    for piece in re.split(r"[.;:]\s+|\s+and\s+|그리고", answer):
        parts = re.split(r",\s*", piece) if len(_YEAR.findall(piece)) > 1 else [piece]
        dated += [(part, int(years[0])) for part in parts if len(years := _YEAR.findall(part)) == 1]
    return dated


def _dates_unnamed(question: str, answer: str) -> bool:
    """Whether an answer giving several dates also dates something the question does not name."""
    asked = readings_of(_without_time_words(question))
    clauses = _dated_clauses(answer)
    if len(clauses) < 2:
        return False  # one date: that of the thing the fact is about
    return any(not any(coverage([readings], clause) > 0 for readings in asked) for clause, _ in clauses)


def time_verdict(question: str, answer: str) -> str:
    """"yes" or "no" to a claim about when things came out, from the years a
    dated answer gives each thing the claim names; empty when they do not settle it.
    The first thing named is the claim's subject: "X는 Y보다 먼저 나왔죠?",
    "Is X older than Y?", "X came out in 2017 together with Y"."""
    dated = _dated_clauses(answer)
    if not dated:
        return ""
    named: list[int] = []
    for _, readings in readings_with_words(_without_time_words(question)):
        years = {year for clause, year in dated if coverage([readings], clause) > 0}
        if len(years) == 1:
            named.append(years.pop())
    given = sorted({year for _, year in dated})
    if not named and len(given) == 1:
        named = given  # "ChatGPT는 2017년에 나왔죠?" / "2022년이에요.": the fact dates the thing asked about
    if not named:
        return ""
    subject = named[0]
    # The other thing: named as well, or, pointed at ("그거보다 먼저"), the answer's other year.
    others = [year for year in named[1:] if year != subject] or named[1:]
    if not others and len(given) == 2:
        others = [year for year in given if year != subject]
    claimed = {int(y) for y in _YEAR.findall(question)}
    verdicts = []
    if claimed:
        verdicts.append(subject in claimed)
    other = others[0] if others else None
    if other is not None and _SAME_TIME.search(question):
        verdicts.append(other == subject)
    elif other is not None and _EARLIER.search(question):
        verdicts.append(subject < other)
    elif other is not None and _LATER.search(question):
        verdicts.append(subject > other)
    if not verdicts:
        return ""
    return "yes" if all(verdicts) else "no"


def says_yes(answer: str) -> bool:
    """Whether an answer opens with a plain yes ("네, …", "Yes, …")."""
    return bool(_YES.match(answer))


def has_question_word(text: str) -> bool:
    """Whether a text holds a question word (뭐, 왜, 언제, casual 머, what, why …):
    then it is not asked as a yes or no."""
    return bool(_WH.search(text))


@lru_cache(maxsize=_TEXT_CACHE)
def _bigrams(text: str) -> frozenset[str]:
    squashed = "".join(raw_words(text))
    return frozenset(squashed[i : i + 2] for i in range(len(squashed) - 1))


@lru_cache(maxsize=_TEXT_CACHE)
def readings_of(text: str) -> tuple[frozenset[str], ...]:
    """Per informative word, every plausible stem of it ("계산한거에요" ->
    계산한거, 계산한, 계산) and its synonym group: two phrasings share a word
    if any reading agrees."""
    return tuple(readings for _, readings in readings_with_words(text))


@lru_cache(maxsize=_TEXT_CACHE)
def readings_with_words(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """``readings_of`` with the word each came from."""
    return tuple(_word_readings(text))


def _word_readings(text: str) -> Iterable[tuple[str, frozenset[str]]]:
    previous = ""
    before = ""
    for word in raw_words(text):
        asker, before = before, word
        if asker in _COUNTING and len(word) == 1 and is_hangul_word(word) and not is_stopword(word):
            # "한 달", "두 번": a numeral and its one-syllable noun, written apart, read as one ("한달").
            word = asker + word
        skipped, stop_stem, canon, kept, readings = _word_facts(word)
        if skipped or asker in _WHAT_WORDS and stop_stem:
            continue  # "뭔 말이에요", "무슨뜻이죠": the question's frame, not its topic
        # "트랜스포머 transformer" (one name written both ways) is one word.
        if canon == previous:
            continue
        previous = kept
        if readings:
            yield kept, readings


# Per word, not per text: a long text (a passage, the facts of the closest passages joined)
# is read on the turn it is first compared with, and its words are mostly the pack's own,
# read on every earlier turn too.
@lru_cache(maxsize=_WORD_CACHE)
def _word_facts(word: str) -> tuple[bool, bool, str, str, frozenset[str]]:
    """What ``_word_readings`` asks of one word, whatever stands around it: whether it is
    passed over (a stop word, or a what-word run into its frame: "무슨뜻"), whether it is a
    stop stem (passed over after a what-word: "뭔 말이에요"), the one spelling of its name
    ("트랜스포머" and "transformer"), the word it is kept as ("model" alone stays "model",
    not the "model" of "llm large language model") and that word's readings."""
    skipped = is_stopword(word) or is_stopword(default_stem(word)) or _frames_what(word)
    canon = ALIAS_CANON.get(word, word)
    kept = word if word in ALIAS_PHRASE_WORDS else canon
    return skipped, is_stop_stem(word), canon, kept, frozenset() if skipped else _readings_of_word(kept)


@lru_cache(maxsize=_WORD_CACHE)
def _frames_what(word: str) -> bool:
    """"무슨뜻", "뭔말": a what-word and a stop stem written as one word."""
    return any(word.startswith(what) and len(word) > len(what) and is_stop_stem(word[len(what):])
               for what in _WHAT_WORDS)


@lru_cache(maxsize=_WORD_CACHE)
def _readings_of_word(word: str) -> frozenset[str]:
    """Every plausible stem of one word and its synonym group (empty when none is informative)."""
    # Two layers of endings come off too: "역할이라는게" -> 역할이라는 -> 역할.
    stems = {default_stem(word), *strip_candidates(word)}
    stems |= {inner for stem in list(stems) if stem != word for inner in strip_candidates(stem)}
    readings = {stem for stem in stems if len(stem) >= 2 and not is_stopword(stem)}
    # "싼건" (싸 + ㄴ + 건) and "싸게": forms of one short verb stem read alike.
    if len(word) == 2 and word[1] in "건거게걸":
        readings |= {form for form in contracted_stem_forms(word) if len(form) >= 2}
    group = synonym(word)
    if group:
        readings.add(group)
    return frozenset(readings)


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
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
    """How close a learner's question is to a fact's question (0..1). A
    question naming only a topic ("트랜스포머가 뭐라고요?", "디퓨전 모델은요?")
    does not ask a detail fact about it ("트랜스포머 이전에는 뭘 썼어요?")."""
    asked, fact = readings_of(question), readings_of(ask)
    asked_found, fact_found = coverage(asked, ask), coverage(fact, question)
    if len(asked) <= 1 and fact and fact_found < MIN_FACT_WORDS:
        return 0.0
    shared = 0.35 * asked_found + 0.65 * fact_found
    if asked_found < MIN_ASKED_WORDS:
        # The fact holds too little of what was asked, unless the question
        # holds all of the fact's words (a long question with a context clause).
        if not fact or fact_found < 1.0:
            return 0.0
        return 0.5 * shared
    return (0.5 * _dice(_bigrams(question), _bigrams(ask)) + 0.5 * shared) * _narrowness(question, ask, fact)


def _narrowness(question: str, ask: str, fact: Sequence[frozenset[str]]) -> float:
    """1.0, or less when a fact naming one thing ("LLM은 뭐예요?") meets a
    question asking more about it ("LLM 써 볼 만한 거 뭐 있어요?"): the
    share of the question's main clause the fact holds (a context clause
    before it, "딸이 물어보는데", does not count)."""
    if len(fact) != 1:
        return 1.0
    from .selecting import main_clause

    main = readings_of(main_clause(question))
    if len(main) < 2:
        return 1.0
    return 0.5 + 0.5 * coverage(main, ask)


def quotes(question: str, answer: str) -> bool:
    """Whether a question about what a claim means quotes ``answer``: every
    word of the claim (two at least) is in it ("트랜스포머가 일을 쉽게
    했다는 건?" / "트랜스포머 구조가 일을 쉽게 만들었다는 거예요"), or all
    but one of a longer claim's (a helping verb: "만들어 줬다는")."""
    claim = readings_of(question)
    if len(claim) < 2:
        return False
    missing = round((1.0 - coverage(claim, answer)) * len(claim))
    return missing == 0 or (missing == 1 and len(claim) >= 4)


def _found(words: Sequence[frozenset[str]], other: Sequence[frozenset[str]]) -> float:
    pool = set().union(*other) if other else set()
    return sum(1 for readings in words if readings & pool) / len(words) if words else 0.0


@lru_cache(maxsize=_TEXT_CACHE)
def _squashed(text: str) -> str:
    return "".join(raw_words(text))


def _hangul_prefix(readings: frozenset[str]) -> str:
    """The first two syllables of a long Korean word's shortest reading
    ("계산한거에요" -> 계산): the stem that "계산했어요" shares with it."""
    words = [r for r in readings if not r.startswith("≈") and len(r) >= 3 and is_hangul_word(r)]
    return min(words, key=len)[:2] if words else ""


@lru_cache(maxsize=_TEXT_CACHE)
def _hangul_probes(readings: frozenset[str]) -> tuple[tuple[str, ...], str]:
    """A word's Korean readings of two syllables or more and its two-syllable
    prefix: what ``coverage`` looks for in a squashed text, worked out once per
    word rather than once per fact it is compared with."""
    hangul = tuple(reading for reading in readings if len(reading) >= 2 and is_hangul_word(reading))
    return hangul, _hangul_prefix(readings)


@lru_cache(maxsize=_TEXT_CACHE)
def _pool(text: str) -> frozenset[str]:
    """Every reading of every word of ``text``, for a quick shared-reading test."""
    return frozenset().union(*readings_of(text))


def coverage(words: Sequence[frozenset[str]], text: str) -> float:
    """The share of ``words`` (readings of one text) found in ``text``. A
    word is found by a shared reading or synonym, or, for Korean, a stem
    written inside the text whatever the spacing ("한건에" in "상담 한 건에")
    or ending ("계산한거에요" / "계산했어요"). One plain loop: it runs for
    every fact of the closest passages on every turn."""
    if not words:
        return 0.0
    return covered(words, (_pool(text), _squashed(text)))


def text_readings(text: str) -> tuple[frozenset[str], str]:
    """What ``coverage`` looks for in ``text``: every reading of its words and
    the text squashed, for whoever keeps them for one long text compared with
    often. Worked out without the text caches, which would also hold the
    readings of each of its words (megabytes, for the whole pack)."""
    pool: set[str] = set()
    for _, readings in _word_readings(text):
        pool |= readings
    return frozenset(pool), "".join(raw_words(text))


def covered(words: Sequence[frozenset[str]], text_read: tuple[frozenset[str], str]) -> float:
    """``coverage`` of a text whose ``text_readings`` are given."""
    if not words:
        return 0.0
    pool, squashed = text_read
    found = 0
    for readings in words:
        if not pool.isdisjoint(readings):
            found += 1
            continue
        hangul, prefix = _hangul_probes(readings)
        if (prefix and prefix in squashed) or any(reading in squashed for reading in hangul):
            found += 1
    return found / len(words)


def best_fact(
    question: str, passages: Iterable[LessonPassage], kind: str | None = None, *, context: str = "",
    said: Sequence[str] = (), minimum: float = MIN_MATCH,
) -> FactMatch | None:
    """The fact (of ``passages``, in rank order) whose question is closest to
    ``question``, if it is close enough; a fact of the kind asked wins ties.
    ``context`` (the learner's previous message) helps an elliptical
    follow-up ("그건 왜 생겨요?") reach the fact about the earlier topic."""
    from . import selecting, unsaid

    kind = kind or question_kind(question)
    allowed = _COMPATIBLE.get(kind, {kind})
    # A claim about when things came out is matched by the things it names, not by
    # its verbs of coming out or its years; the fact whose dates settle it is best.
    claim = question if kind == "when" and claims_time(question) else ""
    if claim:
        question = _without_time_words(question)
    learner, _, said_last = context.partition("\n")
    if _TURNS_AWAY.match(normalise(question)):
        learner = ""  # "반대로 비판은 없어요?": the other side, not more of the last question
    widened = f"{learner} {question}" if learner else ""
    # A question naming at most one thing of its own leans on what came before.
    elliptical = bool(context) and len(readings_of(question)) <= 1 and kind not in ("what", "example", "meaning")
    context_readings = readings_of(f"{learner} {said_last} {question}") if elliptical else []
    passages = list(passages)
    # The things an elliptical question names that the passages speak of ("학습능력 얘기는
    # 좀 더 자세히요"; a casual verb, "별로였음", names nothing they know): then it is
    # answered by what it names, not by the turns before it.
    # (These read the passages' texts joined, new text on most turns: each is worked out
    # the first time a fact needs it, and not at all when none does; of the question as
    # asked, before a belief heard is cut down to what was heard.)
    asked = question

    @cache
    def known() -> str:
        return " ".join(f"{p.text.ko} {p.text.en} " + " ".join(f"{f.ask.ko} {f.answer.ko}" for f in p.facts)
                        for p in passages) if elliptical else ""

    thing_words = _what_about_words(question) if elliptical else ()

    @cache
    def own() -> list[frozenset[str]]:
        return [readings for word in (selecting.missing_words(asked, [""]) if elliptical else ())
                if word not in thing_words for readings in readings_of(word) if coverage([readings], known()) > 0]

    # The thing of a bare "and X?" ("그럼 산업 쪽으로는요?"): the turns before it help only
    # a fact that speaks of it ("원화로는요?" after "how much?": the fact saying 48,000원).
    @cache
    def thing() -> list[frozenset[str]]:
        return [readings for word in thing_words for readings in readings_of(word) if coverage([readings], known()) > 0]

    # What the question sets up as its topic ("수요는 왜 크다는 건가요" -> 수요): the turns
    # before it help only a fact whose question speaks of that.
    @cache
    def subject() -> list[frozenset[str]]:
        named = [readings for word in _topic_marked(asked) for readings in readings_of(word)] if widened else []
        if not named:
            return named
        # Only a thing the passages speak of ("학습능력 얘기는": 얘기 is no such thing).
        spoken = " ".join(f"{p.text.ko} {p.text.en}" for p in passages)
        return [readings for readings in named if coverage([readings], spoken) > 0]

    story = tuple(readings for word, readings in readings_with_words(question) if not _RECALLING.match(word)) \
        if kind == "meaning" and _STORY.search(normalise(question)) else ()
    asks_which = has_question_word(selecting.main_clause(question))
    # "네 개 중에 젤 중요한 건 머예요?": which of the things listed matters most, asked
    # whatever the question before it was; a fact asking the same of its list answers.
    among = asks_most_among(question)
    reported = kind == "yes_no" and reports_belief(question)
    topic_words = cache(lambda: _topic_words(asked, passages) if kind == "yes_no" else ())
    if reported:
        question = selecting.without_heard(question)  # "I heard that …": what was heard is what is checked
    relation = relation_asked(selecting.main_clause(question)) if kind == "yes_no" else ""
    best: FactMatch | None = None
    for rank, passage in enumerate(passages):
        for index, fact in enumerate(passage.facts):
            # The cheap reasons to pass a fact over come before its similarity.
            quoting = kind == "meaning" and quotes(question, fact.answer.ko)
            most_of_list = among and any(asks_most_among(ask) for ask in (fact.ask.ko, fact.ask.en))
            if not quoting and not most_of_list and fact.kind not in allowed and fact.kind != kind:
                continue  # "환각이 뭐예요?" is not "환각은 왜 생겨요?"
            if fact.kind == "not_given" and kind in ("why", "how") and question_kind(fact.ask.ko) in ("why", "how") \
                    and question_kind(fact.ask.ko) != kind:
                continue  # "왜 요즘은 덜 써요?" is not "VAE는 어떻게 작동해요?", which the document leaves out
            if fact.kind == "yes_no" and kind != "yes_no" and asks_which:
                continue  # "둘 중에 뭐가 더 커요?" is not answered by a yes or a no
            if relation and fact.kind == "yes_no" \
                    and relation != (relation_asked(fact.ask.ko) or relation_asked(fact.ask.en) or "kind"):
                # "LLM이 생성형 AI의 일종이에요?" is not "같은 말이에요? 아니요", nor is
                # "ChatGPT랑 GPT 같은 거죠?" answered by "ChatGPT도 LLM이에요? 네": being a
                # kind of a thing is not being the same thing.
                continue
            # "LLM이 생성형 AI의 한 종류 아니에요?": a fact asking that same relation
            # ("LLM도 생성형 AI에 들어가요?") answers it better than one that merely names both.
            same_relation = bool(relation) and fact.kind == "yes_no" \
                and relation == (relation_asked(fact.ask.ko) or relation_asked(fact.ask.en))
            if said and said_before(fact.answer.ko, said) or said and said_before(fact.answer.en, said):
                continue  # already said: another fact, or the passage, says something new
            # The other reasons to pass a fact over, which do not depend on its score, before it too.
            if selecting.contradicts(question, fact.ask.ko, fact.ask.en):
                # "B가 A보다 나아요?" is not "A가 B보다 나아요?", but a fact saying yes to
                # the one says no to the other (the tutor turns its yes round).
                # A plain claim said against the question still answers it, with a no.
                if selecting.compares(fact.ask.ko) and not ((reported or unsaid.asks_yes_or_no(question))
                                                            and says_yes(fact.answer.ko)):
                    continue
            # A belief heard elsewhere ("텍스트는 모으기 어렵고 비싸서 LLM이 힘들다던데요?")
            # says more than a fact's question; what it names must be in the fact or its passage.
            about = [fact.ask.ko, fact.ask.en] + ([fact.answer.ko, fact.answer.en, passage.text.ko, passage.text.en]
                                                  if reported else [])
            if fact.kind == "yes_no" and kind == "yes_no" and not (
                    says_yes(fact.answer.ko) and selecting.states_of_named(question, fact.answer.ko)) and any(
                    not _POINTING.match(word) for word in selecting.missing_words(question, about)):
                continue  # a yes or no about another thing: "음악도 만들어요?" is not "아무것도 없이 만들어요?"
            if fact.kind == "yes_no" and kind == "yes_no" and topic_words() \
                    and not any(coverage(topic_words(), said) > 0 for said in (fact.ask.ko, fact.ask.en, fact.answer.ko, fact.answer.en)):
                continue  # "문제점은 없어요?" after ChatGPT's launch is not "ChatGPT도 LLM이에요?"
            if fact.kind == "yes_no" and kind == "yes_no" and _names_another(fact.ask.ko, passage, question, context):
                continue  # "와인 추천하는 AI도 생성형이에요?" is not "챗GPT도 생성형 AI예요?"
            # "빼도 괜찮아요? 왜요?", "그때는 왜 제대로 안 됐대요?": a why naming nothing of its
            # own beyond the topic under way asks the reason its passage gives.
            reason_of_topic = kind == "why" and fact.kind == "why" and rank == 0 and bool(context) \
                and _asks_reason_of_topic(question, passage, fact, passages)
            if not reason_of_topic and selecting.about_something_else(question, fact.answer.ko if quoting else fact.ask.ko):
                continue  # "RNN은 순서대로 읽죠?" is not answered by a fact on attention
            if claim:
                # What the fact dates is in its question and its answer ("논문" in
                # "2017년이에요. '…'라는 논문으로 알려졌어요").
                score = max(similarity(question, _without_time_words(fact.ask.ko)),
                            similarity(question, _without_time_words(fact.ask.en)),
                            CLAIM_SHARE * coverage(readings_of(question), f"{fact.ask.ko} {fact.answer.ko}"),
                            CLAIM_SHARE * coverage(readings_of(question), f"{fact.ask.en} {fact.answer.en}"))
            else:
                score = max(similarity(question, fact.ask.ko), similarity(question, fact.ask.en))
            # A yes or no is given to what the question itself says: "ChatGPT가 세법 질문에 답한 건
            # 다 맞는 거죠?" after "생성형 AI는 뭘 하는건데요" is not "챗GPT도 생성형 AI예요?".
            # Naming a thing or a topic of its own ("그럼 산업 쪽으로는요?" after ChatGPT's
            # problems, "수요는 왜 …" after the reasons), it leans on what came before only for a fact about it.
            if widened and (elliptical or kind != "yes_no" or fact.kind != "yes_no") and not own() \
                    and (not thing() or coverage(thing(), f"{fact.ask.ko} {fact.answer.ko} {fact.ask.en} {fact.answer.en}") > 0) \
                    and (not subject() or coverage(subject(), f"{fact.ask.ko} {fact.ask.en}") > 0):
                score = max(score, CONTEXT_SHARE * max(similarity(widened, fact.ask.ko),
                                                       similarity(widened, fact.ask.en)))
                if elliptical:
                    # "그건 왜 그러는거에요" after an answer on hallucination: the
                    # fact's topic is in what came just before.
                    score = max(score, CONTEXT_SHARE * _found(readings_of(fact.ask.ko), context_readings))
            if same_relation:
                score += KIND_BONUS
            if most_of_list:
                score = max(score, MIN_MATCH) + KIND_BONUS
            if quoting:
                # "트랜스포머가 일을 쉽게 했다는 건?": the answer that says so explains it,
                # best that of the passage about that claim (titled with it), not a list naming it.
                score = max(score, QUOTED_MATCH) + (KIND_BONUS if quotes(question, passage.title.ko) else 0.0)
            if kind in ("what", "meaning") and passage.analogy is not None \
                    and _COMPARISON.search(f"{fact.ask.ko} {fact.ask.en}") and _names_analogy(question, passage):
                # "커피 마신 인간 이건 뭔 소리임": words only the passage's comparison uses.
                score = max(score, STORY_MATCH)
            # A fact on what a comparison means covers the comparison's own words
            # ("게임 비유 있었잖아요": the D&D comparison, told by a gamer).
            told = f"{fact.ask.ko} {fact.answer.ko}"
            if story and passage.analogy is not None and _COMPARISON.search(f"{fact.ask.ko} {fact.ask.en}"):
                told = f"{told} {passage.analogy.ko}"
            if story and asks_meaning(fact.ask.ko) and coverage(story, told) >= 1.0:
                # "D&D 얘기는 뭐임?": the fact explaining the comparison that names it.
                score = max(score, STORY_MATCH)
            if (fact.kind == kind or (fact.kind == "not_given" and kind in ("why", "how"))
                    or (kind == "meaning" and fact.kind == "what")) \
                    and asks_meaning(question) == asks_meaning(fact.ask.ko):
                # "논문 제목이 뭐였죠?" asks the title, "그 제목이 무슨 뜻이에요?" what it means.
                score += KIND_BONUS
            # The measure asked: "토큰 몇 개" is not answered by "48원".
            score += UNIT_WEIGHT * selecting.unit_fit(question, kind, f"{fact.answer.ko} {fact.answer.en}")
            if kind == "yes_no" and fact.kind in ("example", "which") and selecting.states_of_named(question, fact.answer.ko) \
                    and max(coverage(readings_of(fact.ask.ko), question), coverage(readings_of(fact.ask.en), question)) > 0:
                # "Gemini도 멀티모달이에요?": the list of multimodal models naming it says yes.
                score = max(score, MIN_MATCH) + KIND_BONUS
            if selecting.same_pair(question, fact.ask.ko) or selecting.same_pair(question, fact.ask.en):
                score += KIND_BONUS  # a comparison of the same two things, whichever way round
            elif selecting.compares(fact.ask.ko) and not selecting.compares(question):
                # "Is every generative AI an LLM?" is less "Is generative AI bigger than LLM?"
                # than "Are they the same thing?".
                score -= KIND_BONUS
            if reason_of_topic:
                score = max(score, MIN_MATCH)
            if kind == "what" and _asks_attribute_of(question, fact.ask.ko):
                score -= KIND_BONUS  # "RNN이 뭐예요?" asks what RNN is, not "RNN의 단점은 뭐예요?"
            dated = fact.answer.ko if has_hangul(claim) else fact.answer.en
            if claim and time_verdict(claim, dated):
                # "ChatGPT 나온 해에 같이 발표됐잖아요": the fact dating both settles it,
                # whichever passage tells it; best one dating nothing else besides.
                score += -KIND_BONUS if _dates_unnamed(claim, dated) else KIND_BONUS
            else:
                score -= 0.04 * rank
            if best is None or score > best.score:
                best = FactMatch(passage, index, score)
    return best if best is not None and best.score >= minimum else None


def _topic_words(question: str, passages: Sequence[LessonPassage]) -> tuple[frozenset[str], ...]:
    """The words of a question's main clause that name something the passages speak of
    ("문제점은 없어요?" -> 문제점): not a pointer, a question word or a predicate. A yes or
    no answers the question only when its fact (question or answer) shares one of them."""
    from .selecting import main_clause

    known = " ".join(f"{p.text.ko} {p.text.en} " + " ".join(f"{f.ask.ko} {f.ask.en}" for f in p.facts)
                     for p in passages)
    return tuple(readings for word, readings in readings_with_words(main_clause(question))
                 if not points_back(word) and not has_question_word(word) and not is_predicate(word)
                 and not _POINTING.match(word) and coverage([readings], known) > 0)


# A why naming more than this many words its passage's reason does not hold asks something of its own.
_REASON_UNNAMED = 2
# 하다 and 되다 ("해도", "돼요", "됐대"): light verbs, naming nothing.
_LIGHT_VERB = re.compile(r"^(?:하|해|했|한|할|되|돼|됐|된|될)[가-힣]?$")


def _asks_reason_of_topic(question: str, passage: LessonPassage, fact: Fact, passages: Sequence[LessonPassage]) -> bool:
    """Whether a why question leaves what it asks the reason of to the topic under way:
    every word it says that neither the reason (the fact's question and answer) nor what
    the passage is about (its title and key points) holds is a pointer ("그때는"), a light
    verb ("해도"), or a word (a casual verb, "괜찮아요") that no passage found speaks of,
    and there are two of those at most. A word the passage says only in passing
    ("도발적이라는 건 왜요?") asks the reason of that remark; one another passage says
    ("그림은 왜요?") is about that one."""
    told = " ".join((fact.ask.ko, fact.answer.ko, fact.ask.en, fact.answer.en, passage.title.ko, passage.title.en,
                     *passage.key_points.ko, *passage.key_points.en))
    unnamed = 0
    for word, readings in readings_with_words(question):
        if points_back(word) or has_question_word(word) or _LIGHT_VERB.match(word) or coverage([readings], told):
            continue
        if any(coverage([readings], f"{other.text.ko} {other.text.en}") for other in passages):
            return False
        unnamed += 1
    return unnamed <= _REASON_UNNAMED


def _names_another(ask: str, passage: LessonPassage, question: str, context: str) -> bool:
    """Whether a yes/no fact asks about a thing by name (챗GPT, GAN) that neither the
    question nor the turn before it names, nor the passage itself speaks of: its yes
    or no is about that thing, not about what was asked."""
    from .selecting import names

    own = names(f"{question} {context}") | _passage_names(f"{passage.title.ko} {passage.text.ko}")
    return bool(names(ask) - own - _GENERIC_NAMES)


@lru_cache(maxsize=_TEXT_CACHE)
def _passage_names(text: str) -> frozenset[str]:
    from .selecting import names

    return names(text)


_GENERIC_NAMES = frozenset(("ai",))


# "RNN의 단점", "GAN의 한계": a thing and one attribute of it.
_ATTRIBUTE = re.compile(r"(\S+)의\s+(\S+)")


def _asks_attribute_of(question: str, ask: str) -> bool:
    """Whether a fact asks about one attribute of a thing the question names
    ("RNN의 단점은 뭐예요?") when the question does not ask that attribute
    ("RNN이 뭐예요?"): a narrower question than the one asked."""
    for owner, attribute in _ATTRIBUTE.findall(ask):
        if owner in _WHAT_WORDS or owner.startswith(("무엇", "뭐")):
            continue  # "무엇의 약자예요?": the question's frame
        if coverage(readings_of(owner), question) > 0 and not coverage(readings_of(attribute), question):
            return True
    return False


# Someone who made, wrote or released something: a name (not a quoted title), a lab, a company.
_MAKER = (r"(?<![\w'‘\"“])(?:[A-Z][A-Za-z]+|연구진|연구자|연구팀|과학자|회사|기업|개발사)(?![\w\s]*['’\"”])\S*\s*(?:\S+\s+){0,3}?\S*"
          r"(?:만들|만든|개발|발표|내놓|공개|제안|선보|썼|쓴)"
          r"|\b(?:created|developed|made|released|introduced|proposed|wrote|written|built)\s+by\b"
          # A company's own model: "OpenAI의 GPT-4o", "OpenAI's GPT-4o".
          r"|(?<![\w'‘\"“])[A-Z][A-Za-z]+(?:의|'s)\s+[A-Z][A-Za-z]*-?\d[\w.-]*"
          # "OpenAI의 최신 모델", "OpenAI's latest model": whose model it is.
          r"|(?<![\w'‘\"“])[A-Z][A-Za-z]+(?:의|'s)\s+(?:\S+\s+)?(?:모델|서비스|model|service)")
# People by their job: "개발자들이 주로 컴퓨터를 다뤘어요" answers "전에는 누가 했어요?".
_DOER = r"개발자|엔지니어|프로그래머|전문가|\b(?:developers?|engineers?|programmers?|experts?)\b"
# What an answer to a detail question must hold: an amount, a count, a year.
_ANSWER_SHAPES = {
    "how_much": re.compile(r"\d[\d,.]*\s*(?:달러|원|센트|%|퍼센트|배|분의)|\$\s*\d|\d+\s*(?:dollars?|won|cents?)|분의\s*[일1]|\b(?:a\s+)?(?:tenth|half)\b", re.I),
    "how_many": re.compile(r"\d|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|여러|수십|수백|수천|수십억)\s*(?:가지|개|건|명|번|종류)|\b(?:one|two|three|four|five|several|billions?|millions?|thousands?)\b", re.I),
    "when": re.compile(r"(?:19|20)\d\d|\d+\s*년대|\b(?:19|20)\d0s\b", re.I),
    # Someone who made, wrote or released something: a name (not a quoted title), a lab, a company.
    "who": re.compile(_MAKER + r"|" + _DOER),
}
# Who made it: "어느 회사 거예요?", "쓴 사람", "누가 만들었어요?". People by their job do not answer it.
_ASKS_MAKER = re.compile(_OWNER + r"|" + _MAKER_COMPANY + r"|어느\s*(?:회사|기업|곳)|(?:만든|쓴|작문|개발한|발표한)\s*(?:사람|회사|곳)|누가\s*(?:\S+\s+)?(?:만들|썼|개발|발표)"
                         r"|\bwhich\s+company\b|\bwho\s+(?:made|wrote|built|created|developed)\b", re.I)
_MAKER_SHAPE = re.compile(_MAKER)


def asks_maker(question: str) -> bool:
    """Whether a question asks who made or wrote something, or which company it is from."""
    return bool(_ASKS_MAKER.search(question))


def holds_answer_shape(kind: str, text: str, question: str = "") -> bool:
    """Whether ``text`` could answer a detail question of this kind at all
    (an amount for "how much", a year for "when", a maker for "which
    company made it"); True for other kinds."""
    shape = _MAKER_SHAPE if kind == "who" and asks_maker(question) else _ANSWER_SHAPES.get(kind)
    if kind == "how_much" and _ASKS_SIZE.search(question) and _ANSWER_SHAPES["how_many"].search(text):
        # "얼마나 거대한데요?" asks how big, not a price: "수십억 개" says it.
        return True
    if kind == "how_many" and (counted := _COUNTED.search(question)):
        # "상담원 몇 명이 잘릴까요?" wants a number of people: "24시간" is no answer.
        # "분야는 몇 개나 나와요?": a list the document gives is counted by naming its items.
        # A particle may follow a counter of its own ("1,000건을"); after a counter of anything
        # ("토큰 1,000개와") it would count whatever the sentence names, not what was asked.
        end = r"(?![가-힣])" if counted.group(1) in _LISTED_COUNTERS else _COUNTER_END
        return bool(re.search(_COUNT_WORD + r"\s*" + counted.group(1) + end, text)) \
            or counted.group(1) in _LISTED_COUNTERS and _lists_asked(text, question)
    return shape is None or bool(shape.search(text))


# "얼마나 커요/많아요/거대해요", "how big": a size asked, which a count can give.
_ASKS_SIZE = re.compile(r"얼마나\s*(?:많|크|큰|커|거대|방대|길|긴|넓)|\bhow\s+(?:big|large|huge|many)\b", re.I)
# "몇 명", "몇 개", "몇 가지": the counter a count must come with.
_COUNTED = re.compile(r"몇\s*(명|개|건|번|가지|종류)")
_LISTED_COUNTERS = frozenset(("개", "가지", "종류"))
# Three or more short items in a row ("반도체, 에너지, 파운데이션 모델, …").
_LIST = re.compile(r"[가-힣A-Za-z0-9·()]+(?:\s[가-힣A-Za-z0-9·()]+)?,\s*[가-힣A-Za-z0-9·()]+(?:\s[가-힣A-Za-z0-9·()]+)?,\s*\S")

# "써요", "나와요", "있죠": a verb's ending, not a name of what is counted.
_VERB_ENDING = re.compile(r"(?:요|죠|까|니|냐|다|어|해)$")


def _lists_asked(text: str, question: str) -> bool:
    """Whether a sentence of ``text`` lists items of what the question names
    ("산업적 가치 있다는 분야는 몇 개나" / "반도체, 에너지, … 산업 전반에도 가치가"):
    a list of something else ("헤드는 몇 개" / a list of costs) counts nothing asked."""
    asked = [readings for word, readings in readings_with_words(question)
             if not (is_predicate(word) or looks_inflected(word) or _VERB_ENDING.search(word))]
    return bool(asked) and any(_LIST.search(sentence) and coverage(asked, sentence) > 0
                               for sentence in re.split(r"(?<=[.!?])\s+", text))


# After a counter of its own, a particle or nothing: "1,000건을" counts, "건물" is no "건".
_COUNTER_END = r"(?:을|를|이|가|은|는|에|의|도|만|씩|으로|과|와|까지|이나|나|이에요|예요|이고|이며)?(?![가-힣])"
_COUNT_WORD = r"(?:\d[\d,.]*|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|여러|수십|수백|수천|수만|수십억|몇)"


def confirms(question: str, answer: str) -> bool:
    """Whether a yes/no question states what the answer says ("생성형 AI가
    더 넓은 말이에요?" / "생성형 AI가 더 넓은 말이에요."): then it is a yes."""
    first = re.split(r"(?<=[.!?])\s+", answer.strip(), maxsplit=1)[0]
    return _dice(_bigrams(question), _bigrams(first)) >= CONFIRM_OVERLAP


def said_before(sentence: str, earlier: Sequence[str]) -> bool:
    """Whether a sentence (spacing and punctuation aside) was already said."""
    key = _squashed(sentence)
    return len(key) >= 8 and key in _all_squashed(tuple(earlier))


@lru_cache(maxsize=64)
def _all_squashed(texts: tuple[str, ...]) -> str:
    """The texts squashed, one a line: a squashed sentence (letters and digits
    only) is in one of them exactly when it is in this. A turn checks every
    sentence and fact it may say against the same earlier answers."""
    return "\n".join(_squashed(text) for text in texts)
