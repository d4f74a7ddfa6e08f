"""What a learner claims when checking their understanding, without the words
that only ask for agreement.

"그러니까 GAN은 생성자랑 판별자가 경쟁하는 구조 그런거죠 맞죠?" claims "GAN은 생성자랑
판별자가 경쟁하는 구조"; "즉 어텐션이 핵심이라는 거네요?" claims "어텐션이 핵심";
"so it's basically trained on text, right?" claims "it's trained on text". The
restating frame and the confirmation words name nothing, yet they count as words
when a claim is compared with what the document says, and a true claim wrapped in
them reads as too little like its answer to be told yes.
"""

from __future__ import annotations

import re

from .answering import has_question_word
from .selecting import main_clause

# A restatement's opening ("그러니까", "즉", "정리하면", "so", "basically"): it
# says the learner is putting something in their own words.
_FRAME_START = re.compile(
    r"^\s*(?:(?:그러니까|그러니깐|그니까|그니깐|그럼|그러면|그렇다면|즉|결국|요컨대|정리하면|요약하면|다시\s*말해|말하자면"
    r"|아하|아|오|음+|흠+|그리고|글고|근데|그래서|암튼|아무튼|so|basically|wait|ok|okay|and|oh)(?![가-힣a-z])[\s,.~!]*)+",
    re.I)
# "제가 이해한 게 맞는지 모르겠는데", "내가 제대로 이해했는지 확인하고 싶은데": asking about
# one's own understanding before the claim itself.
_UNDERSTOOD_FRAME = re.compile(
    r"^\s*(?:제가|내가|저)?\s*(?:제대로\s*|잘\s*)?(?:이해한|이해했|알아들은|알아들었|정리한|정리했|파악한|파악했)"
    r"[^,.?!]{0,12}?(?:맞는지|맞나|는지|건지)[^,.?!]{0,16}?(?:는데|은데|데|지만|서)[\s,.~]*")
# Words after the claim that only ask for agreement ("맞나요 맞죠", "그쵸?", "그런거죠", ", right?").
_CONFIRM_TAIL = re.compile(
    r"[\s,.~!?？ㅋㅎㅠㅜ^]*(?:맞나요|맞나|맞죠|맞져|맞죵|맞지요|맞지예|맞지|맞제|맞아요|맞아|맞니|맞냐|맞습니까|맞음|맞는\s*거죠"
    r"|그쵸|그죠|그렇죠|그렇지요|그렇지|그치|그쳐|그런\s*거\s*맞죠|그런\s*거죠|그런거죠|그런\s*거지|그런거지|그런\s*거네요"
    r"|right|correct|isn[’']?t\s+it|aren[’']?t\s+they)[\s,.~!?？ㅋㅎㅠㅜ^]*$",
    re.I)
# The endings that ask for agreement after "~라는 거" ("…죠?", "…네요", "…구나", "…맞죠"):
# "트랜스포머라는 거요" names a topic and asks nothing of it.
_AGREEING = (r"\s*(?:(?:이)?(?:죠|지요|지|져|죵|네요|네예|네|구요|고요|군요|구나|잖아요|잖아|예요|에요|야|냐|니|맞죠|맞나요|맞지)"
             r"|가\s*맞\S*|이\s*맞\S*)?[\s?？~!.ㅋㅎ]*$")


# The claim's own closing that frames it as something said or meant ("~라는 거죠", "~다는 거네요",
# "~이란 거지", "~잖아요", "~인 거죠", "~된거구요"): what is left is the claim's content.
_SAID_CLOSING = (
    (re.compile(rf"(?:이)?(?:라는|란)\s*(?:거|것|걸|게|건|뜻|말|얘기|소리){_AGREEING}"), ""),
    (re.compile(rf"(?<=[가-힣])다는\s*(?:거|것|걸|게|건|뜻|말|얘기|소리){_AGREEING}"), "다"),
    (re.compile(rf"(?<=[가-힣])단\s*(?:거|것|말|얘기){_AGREEING}"), "다"),
    (re.compile(r"(?<=[가-힣])(?:잖아요|잖아|잖아여|잖습니까|잖수|잖나)[\s?？~!.ㅋㅎ]*$"), ""),
    (re.compile(r"(?<=[가-힣])\s*(?:거|것|건)(?:죠|지요|지|네요|네예|네|구요|고요|군요|잖아요|잖아|예요|에요|이죠|임|다)[\s?？~!.ㅋㅎ]*$"), ""),
)
_BASICALLY = re.compile(r"\b(?:basically|pretty\s+much|essentially)\s+(?:just\s+)?", re.I)


def claim_core(text: str) -> str:
    """The claim a confirming message puts forward, without its restating frame and
    confirmation words; the text itself when it has none of them."""
    core = _UNDERSTOOD_FRAME.sub("", text.strip(), count=1)
    core = _FRAME_START.sub("", core, count=1)
    previous = None
    while previous != core:
        previous = core
        core = _CONFIRM_TAIL.sub("", core, count=1)
    for pattern, replacement in _SAID_CLOSING:
        shorter = pattern.sub(replacement, core, count=1)
        if shorter != core:
            core = shorter
            break
    core = _BASICALLY.sub("", core)
    return core.strip(" ,.~") or text


# An amount as people write it: digits with commas ("48,000원", "$35"), Korean units
# ("48만원", "3만5천원", "1억 개", "천건", "열배") or a vague order of size ("수십억 개").
_KO_DIGITS = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4, "다섯": 5, "여섯": 6,
              "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "백": 100, "천": 1000, "만": 10_000}
_SCALES = (("억", 100_000_000), ("만", 10_000), ("천", 1000), ("백", 100))
_VAGUE = {"수십억": (1e9, 1e11), "수억": (1e8, 1e9), "수백만": (1e6, 1e7), "수천만": (1e7, 1e8), "수십만": (1e5, 1e6),
          "수만": (1e4, 1e5), "수천": (1e3, 1e4), "수백": (100, 1000), "수십": (10, 100)}
# "몇백만 개" says what "수백만 개" says.
_VAGUE.update({"몇" + number[1:]: size for number, size in list(_VAGUE.items())})
_UNITS = {"원": "won", "달러": "dollar", "불": "dollar", "개": "count", "건": "count", "배": "times",
          "년대": "decade", "년": "year", "번": "count", "dollars": "dollar", "dollar": "dollar", "won": "won"}
_AMOUNT = re.compile(
    r"(?<![\d가-힣])(\$\s*)?((?:[수몇](?:십억|억|백만|천만|십만|만|천|백|십))"
    r"|(?:\d[\d,]*(?:\.\d+)?\s*(?:억|만|천|백)?\s*)+|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|백|천|만)(?=\s*(?:배|개|건|번)))"
    r"\s*(년대|년|원|달러|불|개|건|배|번|dollars?\b|won\b)?", re.I)


def _value(number: str) -> float | tuple[float, float] | None:
    """"48,000" -> 48000, "3만5천" -> 35000, "1억" -> 1e8, "천" -> 1000, "수십억" -> (1e9, 1e11)."""
    number = number.replace(",", "").replace(" ", "")
    if number in _VAGUE:
        return _VAGUE[number]
    if number in _KO_DIGITS:
        return float(_KO_DIGITS[number])
    total, rest = 0.0, number
    for mark, scale in _SCALES:
        if mark in rest:
            head, rest = rest.split(mark, 1)
            total += (float(head) if head else 1.0) * scale
    if rest:
        try:
            total += float(rest)
        except ValueError:
            return None
    return total


def stated_amounts(text: str) -> list[tuple[str, float | tuple[float, float]]]:
    """The amounts a text states, each with what it measures (won, dollars, a count,
    times, a year or a decade), in the order said."""
    found = []
    for match in _AMOUNT.finditer(text):
        dollar, number, unit = match.group(1), match.group(2), match.group(3)
        measure = "dollar" if dollar else _UNITS.get((unit or "").lower())
        value = _value(number) if number else None
        if measure and value is not None:
            found.append((measure, value))
    return found


def _same(claimed: float | tuple[float, float], given: float | tuple[float, float]) -> bool:
    if isinstance(given, tuple):
        return not isinstance(claimed, tuple) and given[0] <= claimed < given[1] or claimed == given
    if isinstance(claimed, tuple):
        return claimed[0] <= given < claimed[1]
    return abs(claimed - given) <= 1e-9 * max(1.0, abs(given))


def amount_verdict(claim: str, answer: str) -> str:
    """"no" when a claim states an amount the answer gives otherwise ("48만원 드는 거죠?" /
    "48,000원 정도예요", "파라미터 1억 개죠?" / "수십억 개가 넘어요", "2000년대에 터진 거죠?" /
    "2010년대에"), "yes" when every amount it states is the answer's, empty when the answer
    gives none of what it measures. Years are compared only when the answer gives one
    year: which thing each of several years dates is for the dated claims' own check."""
    stated = stated_amounts(claim_core(claim))
    given = stated_amounts(answer)
    verdicts = []
    for measure in dict.fromkeys(m for m, _ in stated):
        claimed = [v for m, v in stated if m == measure]
        told = [v for m, v in given if m == measure]
        if not told or measure == "year" and len(told) > 1:
            continue
        if any(not any(_same(c, t) for t in told) for c in claimed):
            verdicts.append(False)
        elif len(claimed) > 1 and len(told) == len(claimed):
            # "인풋 2000개 아웃풋 1000개" / "인풋 1,000개, 아웃풋 2,000개": the same amounts, swapped.
            verdicts.append(all(_same(c, t) for c, t in zip(claimed, told)))
        else:
            verdicts.append(True)
    if not verdicts:
        return ""
    return "yes" if all(verdicts) else "no"


# How much of a claim the answering sentence must hold for its stated amount to make a yes.
AMOUNT_SUPPORT = 0.6
# A year stated as such ("1946년꺼죠?"), not a decade ("2000년대").
_YEAR_STATED = re.compile(r"(?:19|20)\d\d\s*년(?!대)")


def states_a_year(claim: str) -> bool:
    """Whether a claim states a year ("엘리자가 1946년꺼죠?"): the dates then settle it."""
    return bool(_YEAR_STATED.search(claim))


# "예측만", "텍스트만", "only": a claim that narrows; a sentence that names the thing as one of two
# ("예측하거나 분류해서") or says it is not alone ("글과 그림뿐 아니라") says the claim is too narrow.
_WIDENED = re.compile(r"뿐\s*(?:만\s*)?아니라|만이\s*아니|만은\s*아니|\bnot\s+only\b|\bas\s+well\s+as\b", re.I)
_NARROWED = re.compile(r"(?<![가-힣])([가-힣]{2,}?)(?:들)?(?<![지수십백천억그이])(?<!정도)만(?![가-힣])")


def narrows(claim: str, sentence: str) -> bool:
    """Whether a claim limits something to one thing ("기존 AI는 예측만 하는 거죠?", "생성형 AI는
    텍스트만 만드는 거죠?") that the sentence names among others or says is not alone."""
    core = claim_core(main_clause(claim))
    narrowed = _NARROWED.search(core)
    if narrowed is None or has_question_word(core):
        return False
    if _WIDENED.search(sentence):
        return True
    stem = re.escape(narrowed.group(1))
    if re.search(rf"{stem}\S*만(?![가-힣])", sentence):
        return False  # "디코더만 쓰도록": the sentence narrows it too
    # "예측하거나 분류해서": the thing named as one of two things done.
    return bool(re.search(rf"{stem}\S*?거나\s", sentence))


# A claim that says what something is ("스팸 메일 거르는 것도 생성형 AI예요?", "클로드도 LLM이죠?"):
# the words before the copula are what it is said to be.
_IS_A = re.compile(r"(?:^|\s)((?:[가-힣A-Za-z0-9-]+\s+)?[가-힣A-Za-z0-9-]+?)\s*(?:이)?(?:에요|예요|인가요|이죠|죠|이야|야|임|일까요|인\s*거)"
                   r"[\s?？~!.]*$")


def said_to_be(claim: str) -> str:
    """What a claim says a thing is ("스팸 메일 거르는 것도 생성형 AI예요?" -> "생성형 AI"); empty
    when it does not end on a copula ("확산 모델 써요?")."""
    found = _IS_A.search(claim_core(claim))
    if found is None:
        return ""
    words = found.group(1).split()
    if len(words) == 2 and re.search(r"\S(?:도|은|는|이|가|을|를)$", words[0]):
        words = words[1:]  # "클로드도 LLM": the thing, then what it is said to be
    return " ".join(words)


def denies_being(claim: str, sentence: str) -> bool:
    """Whether a sentence says the thing is not what the claim says it is ("…생성형 AI는
    아니에요" against "스팸 메일 거르는 것도 생성형 AI예요?")."""
    what = said_to_be(claim)
    if not what:
        return False
    for found in re.finditer(rf"(?:^|(\S+)\s+){re.escape(what)}\s*(?:은|는|이|가)?\s*아니(?:에요|예요|야|다|라)", sentence):
        # "…않으니 생성형 AI는 아니에요" denies "생성형 AI"; it does not deny "AI" ("생성형" is part of the name).
        if found.group(1) is None or _BOUNDARY.search(found.group(1)):
            return True
    return False


# A word that ends a clause or a noun's part of it ("않으니", "모델은", "그러니까,"): what follows starts anew.
_BOUNDARY = re.compile(r"(?:니|서|고|면|만|데|도|은|는|이|가|을|를|에|요|[,.!?])$")
