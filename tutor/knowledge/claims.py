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

from .answering import has_question_word, readings_of
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
    # "…쓰인다면서요?", "…주류라며?": what the learner heard, put forward to be checked.
    (re.compile(r"(?<=[가-힣])다(?:면서요|면서|며|매)[\s?？~!.ㅋㅎ]*$"), "다"),
    (re.compile(r"(?<=[가-힣])(?:이)?라(?:면서요|면서|며|매)[\s?？~!.ㅋㅎ]*$"), ""),
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


# "건당", "per": the amount before it is what another is counted per.
_PER = re.compile(r"^\s*당(?![가-힣])|^\s*per\b", re.I)


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


# A share of something ("10분의 1", "십분의 일", "1/10", "절반", "a tenth", "half"): a ratio.
_SINO = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9, "십": 10, "백": 100}
_SINO_NUMBER = r"(?:\d+|[일이삼사오육칠팔구]?[십백]|[일이삼사오육칠팔구])"
_FRACTION = re.compile(rf"(?<![\d가-힣])({_SINO_NUMBER})\s*분의\s*({_SINO_NUMBER})(?![\d])"
                       r"|(?<![\d/])(\d+)\s*/\s*(\d+)(?![\d/])")
_HALF = re.compile(r"절반|반값|반\s*가격|\bhalf\b", re.I)
_EN_PARTS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10, "hundredth": 100}
_EN_FRACTION = re.compile(r"\b(?:a|one)\s+(third|quarter|fifth|tenth|hundredth)\b", re.I)
# "열 배 싸다", "10 times cheaper": a multiple said of a lower price, that is a share of it.
_CHEAPER_AFTER = re.compile(r"^\s*(?:더\s*)?(?:싸|저렴|cheaper|less)", re.I)
# "5만원은 넘는", "over $30", "5만원도 안 되는", "less than 50,000 won": an amount said as a bound.
_ABOVE_AFTER = re.compile(r"^\s*(?:은|는|이|가|도|을|를)?\s*(?:넘|이상|초과|훌쩍|웃돌)", re.I)
_BELOW_AFTER = re.compile(r"^\s*(?:은|는|이|가|도|을|를)?\s*(?:채\s*)?(?:안\s*(?:되|돼|됨|들|드)|못\s*(?:미치|되)|미만|이하|아래|밑)", re.I)
_ABOVE_BEFORE = re.compile(r"\b(?:over|above|more\s+than|at\s+least)\s*$", re.I)
_BELOW_BEFORE = re.compile(r"\b(?:under|below|less\s+than|at\s+most)\s*$", re.I)


def _sino(number: str) -> float:
    if number.isdigit():
        return float(number)
    total, digit = 0, 0
    for mark in number:
        value = _SINO[mark]
        if value >= 10:
            total += (digit or 1) * value
            digit = 0
        else:
            digit = value
    return float(total + digit)


def _ratios(text: str) -> list[tuple[int, float]]:
    """Where a text states a share, and the share ("10분의 1" -> 0.1, "절반" -> 0.5)."""
    found = []
    for match in _FRACTION.finditer(text):
        if match.group(1):
            whole, part = _sino(match.group(1)), _sino(match.group(2))
        else:
            part, whole = float(match.group(3)), float(match.group(4))
        if whole:
            found.append((match.start(), part / whole))
    found += [(m.start(), 0.5) for m in _HALF.finditer(text)]
    found += [(m.start(), 1 / _EN_PARTS[m.group(1).lower()]) for m in _EN_FRACTION.finditer(text)]
    return sorted(found)


def _amounts(text: str) -> list[tuple[int, str, float | tuple[float, float]]]:
    """The amounts a text states, each with where it stands, what it measures and its value
    (a range for a vague amount or a bound: "수십억", "5만원은 넘는")."""
    found: list[tuple[int, str, float | tuple[float, float]]] = []
    for match in _AMOUNT.finditer(text):
        dollar, number, unit = match.group(1), match.group(2), match.group(3)
        measure = "dollar" if dollar else _UNITS.get((unit or "").lower())
        value = _value(number) if number else None
        if not measure or value is None:
            continue
        after, before = text[match.end():match.end() + 12], text[max(0, match.start() - 16):match.start()]
        if _PER.match(after):
            continue  # "한 건당 1,000개": what the amount is counted per, not an amount stated
        if measure == "times" and not isinstance(value, tuple) and value and _CHEAPER_AFTER.search(after):
            found.append((match.start(), "ratio", 1 / value))  # "열 배 싸다": a tenth of the price
            continue
        if not isinstance(value, tuple) and measure in ("won", "dollar", "count"):
            if _ABOVE_AFTER.search(after) or _ABOVE_BEFORE.search(before):
                value = (value * (1 + 1e-9), float("inf"))
            elif _BELOW_AFTER.search(after) or _BELOW_BEFORE.search(before):
                value = (0.0, value)
        found.append((match.start(), measure, value))
    found += [(start, "ratio", share) for start, share in _ratios(text)]
    return sorted(found, key=lambda item: item[0])


def stated_amounts(text: str) -> list[tuple[str, float | tuple[float, float]]]:
    """The amounts a text states, each with what it measures (won, dollars, a count,
    times, a share, a year or a decade), in the order said."""
    return [(measure, value) for _, measure, value in _amounts(text)]


# How many words before an amount say what it is an amount of ("인풋 토큰 2,000개").
_NAMING_SPAN = 5
# The two sides of a count that a learner and the document name in other words ("인풋 토큰" /
# "입력 토큰"); kept here, not among the synonyms that find passages, which they would pull aside.
_SIDES = (("입력", "인풋", "input"), ("출력", "아웃풋", "output"))


def _side_of(readings: frozenset[str]) -> frozenset[str]:
    return frozenset(f"≈side{i}" for i, side in enumerate(_SIDES) if readings & set(side))


def _named_amounts(text: str) -> list[tuple[str, float | tuple[float, float], tuple[frozenset[str], ...]]]:
    """The amounts a text states with the readings of the words just before each, back to
    the amount or the clause before it: what it counts ("입력 토큰 1,000개와 출력 토큰 2,000개")."""
    named = []
    previous_end = 0
    for start, measure, value in _amounts(text):
        before = re.split(r"[,.;:!?](?!\d)", text[previous_end:start])[-1]
        words = readings_of(" ".join(before.split()[-_NAMING_SPAN:]))
        named.append((measure, value, tuple(readings | _side_of(readings) for readings in words)))
        match = _AMOUNT.match(text, start)
        previous_end = match.end() if match else start
    return named


def _same(claimed: float | tuple[float, float], given: float | tuple[float, float]) -> bool:
    if isinstance(given, tuple) and isinstance(claimed, tuple):
        # "5만원은 넘는" / "5만 원이 채 안 드는": two ranges agree when one holds the other.
        return claimed == given or claimed[0] <= given[0] and given[1] <= claimed[1] \
            or given[0] <= claimed[0] and claimed[1] <= given[1]
    if isinstance(given, tuple):
        return given[0] <= claimed < given[1]
    if isinstance(claimed, tuple):
        return claimed[0] <= given < claimed[1]
    return abs(claimed - given) <= 1e-9 * max(1.0, abs(given))


def _told_of(claimed: tuple[frozenset[str], ...], told: list) -> list:
    """Of the answer's amounts, those said of what the claimed amount is said of ("인풋 토큰
    2,000개" / "입력 토큰 1,000개와 출력 토큰 2,000개": the 1,000); all of them when the words
    before the amounts tell none apart."""
    pools = [frozenset().union(*words) if words else frozenset() for _, words in told]
    shares = [sum(1 for readings in claimed if readings & pool) for pool in pools]
    best = max(shares, default=0)
    if best == 0 or shares.count(best) == len(shares):
        return [value for value, _ in told]
    return [value for (value, _), share in zip(told, shares) if share == best]


def amount_verdict(claim: str, answer: str) -> str:
    """"no" when a claim states an amount the answer gives otherwise ("48만원 드는 거죠?" /
    "48,000원 정도예요", "파라미터 1억 개죠?" / "수십억 개가 넘어요", "2000년대에 터진 거죠?" /
    "2010년대에", "절반 가격이죠?" / "10분의 1 가격", "5만원은 넘죠?" / "48,000원"), "yes" when
    every amount it states is the answer's, empty when the answer gives none of what it
    measures. Years are compared only when the answer gives one year: which thing each of
    several years dates is for the dated claims' own check. Of several amounts of one measure,
    a claimed amount is compared with those said of the same thing ("인풋 토큰 2,000개")."""
    stated = _named_amounts(claim_core(claim))
    given = _named_amounts(answer)
    verdicts = []
    for measure in dict.fromkeys(m for m, _, _ in stated):
        claimed = [(v, w) for m, v, w in stated if m == measure]
        told = [(v, w) for m, v, w in given if m == measure]
        if measure == "decade" and not told:
            # "1970년대 프로그램이죠?" / "1964년에 나온": the decade of the one year given.
            # Of several years, the one said of what the claim dates ("ELIZA는 …" / "…, ELIZA는 1964년에").
            years = [(float(int(v) // 10 * 10), w) for m, v, w in given if m == "year" and not isinstance(v, tuple)]
            named = {value for _, words in claimed for value in _told_of(words, years)} if years else set()
            if len(named) != 1:
                continue
            told = [(named.pop(), ())]
        if not told or measure == "year" and len(told) > 1:
            continue
        if any(not any(_same(c, t) for t in _told_of(words, told)) for c, words in claimed):
            verdicts.append(False)
        elif len(claimed) > 1 and len(told) == len(claimed):
            # "인풋 2000개 아웃풋 1000개" / "인풋 1,000개, 아웃풋 2,000개": the same amounts, swapped.
            verdicts.append(all(_same(c, t) for (c, _), (t, _) in zip(claimed, told)))
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


# "뿐", "밖에", "항상", "only": a claim that limits or generalises (beside "X만", above).
_LIMITS = re.compile(r"뿐|밖에|항상|언제나|무조건|전부|모두|\b(?:only|just|always|never|all)\b", re.I)


# "누구나 쓸 수 있어요", "anyone can": a sentence saying it of everyone, against a claim keeping it to some.
_EVERYONE = re.compile(r"누구나|누구든|모든\s*사람|모두가|\b(?:anyone|everyone|anybody|everybody)\b", re.I)


def restricts(text: str) -> bool:
    """Whether a claim limits something to one thing or says it of all ("LLM 하나뿐이다",
    "개발자만 쓸 수 있다", "항상 맞는 말만 한다")."""
    return bool(_LIMITS.search(text) or _NARROWED.search(_WIDENED.sub(" ", text)))


def narrows(claim: str, sentence: str) -> bool:
    """Whether a claim limits something to one thing ("기존 AI는 예측만 하는 거죠?", "생성형 AI는
    텍스트만 만드는 거죠?") that the sentence names among others or says is not alone, or
    names before keeping only another ("인코더만" / "인코더를 빼고 디코더만")."""
    core = claim_core(main_clause(claim))
    narrowed = _NARROWED.search(core)
    if narrowed is None or has_question_word(core):
        return False
    if _WIDENED.search(sentence) or _EVERYONE.search(sentence):
        return True
    stem = re.escape(narrowed.group(1))
    if re.search(rf"{stem}\S*만(?![가-힣])", sentence):
        return False  # "디코더만 쓰도록": the sentence narrows it too
    other = _NARROWED.search(sentence)
    if other is not None and re.search(stem, sentence[: other.start()]):
        # "GPT는 인코더만 쓰죠?" / "인코더를 빼고 디코더만 쓰도록": the sentence names the claimed
        # thing and keeps only another.
        return True
    # "예측하거나 분류해서": the thing named as one of two things done.
    return bool(re.search(rf"{stem}\S*?거나\s", sentence))


# "둘 다", "both": a claim that two things both hold; "빼고", "없이", "only": a sentence keeping one.
_BOTH = re.compile(r"둘\s*다|양쪽\s*(?:다|모두)|\bboth\b", re.I)
_LEAVES_OUT = re.compile(r"빼고|제외하고|없이|\b(?:only|without)\b", re.I)


def keeps_one_of_both(claim: str, sentence: str) -> bool:
    """Whether a claim says both of two things ("GPT는 인코더랑 디코더 둘 다 쓰죠?") and the
    sentence keeps only one of them ("인코더를 빼고 디코더만 쓰도록")."""
    if not _BOTH.search(claim_core(claim)):
        return False
    return bool(_LEAVES_OUT.search(sentence) or _NARROWED.search(_WIDENED.sub(" ", sentence)))


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
