"""Whether an answer gives what the question asked, or the document leaves it unsaid.

"Claude 3.5 Sonnet은 어느 회사꺼에요?" asks for a maker: a sentence that only
mentions Claude does not answer it, however many words they share. "토큰이
정확히 뭔데요?" asks for a definition: a term the document names in passing,
never a topic of its own, has none there. "AGI 나오면 일자리 없어짐?" asks what
will follow: an answer that never speaks of jobs does not say. In each case the
honest answer says plainly that the document does not give that detail, then
gives the nearest thing it does say.

The slot asked is read from the question's form (who made it or which
company, "정확히 뭐" / "exactly", a condition or a future ending, "X도
있어요/나와요?", a yes/no about a named thing), and checked against the
answer chosen, not against lists of phrasings.

A yes/no comparison said the other way round ("GAN이 디퓨전보다 좋죠?" when
the document says diffusion tends to do better) is a misconception: the
answer is a plain no, then the sentence that says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .answering import (asks_maker, coverage, covered, has_question_word, holds_answer_shape, readings_of,
                        readings_with_words, reports_belief)
from .intent import points_back
from .pack import LessonPack, per_pack
from .selecting import contradicts, main_clause, names, pack_readings, pack_texts
from .text import has_hangul, is_predicate, is_stopword, looks_inflected, normalise, raw_words

# "정확히 뭐예요", "정의가 뭐예요", "what exactly is": a definition, not a mention.
_EXACTLY = re.compile(r"정확히|정확한|정의|\bexactly\b|\bprecisely\b|\bdefinition\b|\bdefine\b", re.I)
_DEFINED_KINDS = frozenset(("what", "meaning"))
# "논문 제목이 정확히 뭐였죠?", "정확한 이름이 뭐예요?": a name or title, which a quoted name gives.
_NAME_ASKED = re.compile(r"(?:제목|이름|명칭|줄임말|풀네임)$|\b(?:title|name)s?$", re.I)
# "정확히 뭐라고 했어요?": what was said, word for word; not what a thing is.
_EXACT_WORDS = re.compile(r"(?:뭐|머|무엇|무슨\s*말)\s*(?:이?라고|라)\s*(?:했|하|그랬|말했|적|썼|나와|나오|돼|되)"
                          r"|\bwhat\s+(?:exactly\s+)?did\s+\S+(?:\s+\S+)?\s+(?:exactly\s+)?say\b", re.I)
_TOPIC_KO = re.compile(r"^(.+?)(?:이|가|은|는|란|이란|의)?\s*(?:정확히|정확한|정의)")
_TOPIC_EN = re.compile(r"\b(?:what|define)\s+(?:exactly\s+)?(?:is\s+|are\s+)?(?:exactly\s+)?(?:an?\s+|the\s+)?(.+?)(?:\s+exactly)?\s*[?.!]*$",
                       re.I)

# What will follow: a future ending ("잘리겠네요", "will it …"; not "알겠어요", nor a guess
# about the past, "없었겠네요", "했겠죠"), or a condition ("AGI 나오면 …") whose outcome names something the document never speaks of.
# So does a change to come, said without a future ending ("대신하게 될까요", "개발자는 이제
# 필요 없어지는 거예요?", "번역가는 사라지나요?").
_FUTURE = re.compile(r"(?<![알모었았였했됐])겠(?:네|죠|지|어|습|다|나|냐|군)|앞으로|미래에|나중에|게\s*될|(?:없어지|사라지|대체되)(?=[는나ㄹ게])"
                     r"|\bwill\b|\bgoing\s+to\b", re.I)
_CONDITION = re.compile(r"(?:^|\s)\S+(?<![하되])(?:으)?면\s+(.+)$")
_CONSEQUENCE_KINDS = frozenset(("yes_no",))
# A task asked of AI or advice asked for ("추천해 주세요", "찾아 주는지요", "can it book …",
# "recommend"): what is asked is the task or thing named, which the pack's text must speak of.
_TASK = re.compile(r"추천|(?:아|어|해|여)\s*주(?:나요|는지|나|니|냐|ㄹ까|실\s*수|시나요)|(?:아|어|해)\s*줘요\?"
                   r"|\brecommend\w*|\bsuggest\s+(?:a|an|some|any)\b|\bcan\s+(?:it|ai)\s+(?:do|find|book|tell|check)\b", re.I)
# A condition that only names a time ("1964년이면 …", "그때면 …"): it asks how things were then, not what will follow.
_TIME_CONDITION = re.compile(r"(?:\d+\s*(?:년대|년도|년)|그때|그\s*시절|당시|옛날)\s*(?:이|이라)?면(?![가-힣])")
# "X도 있어요?", "X도 나와요?": whether the document has or mentions a thing.
_EXISTS = re.compile(r"^(.+?)(?:도|이|가|은|는)?\s*(?:있어요|있나요|있어|있음|있죠|있습니까|있을까요|나와요|나오나요|나옴|나오죠|나옵니까"
                     r"|언급되|언급돼)\S*\s*[?？]*\s*$")
# "글에", "이 문서에서", "in the text": where a thing would be said, not the thing.
_IN_DOCUMENT = re.compile(r"(?<![가-힣])(?:이\s*)?(?:글|문서|본문)(?:에서?|에는|엔|에도)?\s*$|\bin\s+the\s+(?:text|document|article)\b", re.I)
# A question inside the question: "…맡기면 되는지", "…뭔지", "…할지".
_EMBEDDED = re.compile(r"(?:[는은인을할될일뭔군딘]|던)지$")
_OTHER_WORDS = re.compile(r"(?<![가-힣])(?:또\s*)?(?:다른|딴|그\s*밖의|그\s*외의?)(?![가-힣])|\b(?:other|another|else)\b", re.I)
# How to prevent, reduce or fix something ("환각을 줄이려면 어떻게 해요?", "how do I avoid it?").
_REMEDY = re.compile(r"(?:줄이|막|피하|없애|고치|예방하|방지하|해결하|대처하|대비하)(?:려면|는\s*(?:법|방법)|을\s*(?:수|방법)|ㄹ\s*수)"
                     r"|(?:해결|예방|방지|대처|대비)\s*(?:법|방법|책|하려면)|대책"
                     r"|\bhow\s+(?:do|can|could|should)\s+(?:i|we|you|one|people)\s+(?:reduce|avoid|prevent|fix|stop|deal\s+with|handle)\b"
                     r"|\bhow\s+to\s+(?:reduce|avoid|prevent|fix|stop|deal\s+with|handle)\b", re.I)
# An answer giving a way to do that: it says what to do or what helps.
_A_REMEDY = re.compile(r"(?:줄이|막|피하|없애|고치|예방|방지|해결|대처|대비)|확인해\s*(?:보|야)|\b(?:reduce|avoid|prevent|fix|solve|check)\w*",
                       re.I)
# A figure given roughly ("약 35달러", "48,000원 정도", "수십억 개가 넘는", "about $35"):
# no answer to "exactly how much / how many".
_ROUGH = re.compile(r"약\s*\$?\d|\d[\d,.]*\s*\S{0,3}\s*(?:정도|쯤|가량|남짓|안팎|넘|이상|이하)|(?:수십|수백|수천)\S*\s*(?:개|명|건|원|달러)"
                    r"|\b(?:about|roughly|around|approximately|over|more\s+than|at\s+least)\s+\$?\d|\b(?:billions|millions|thousands)\b", re.I)
# The learner's own case ("우리 가게에 도입하면", "저희 병원은", "for my company"): the
# document works through its own example only. "우리 돈으로" (in won) and "우리나라" are no case of one's own.
_OWN_CASE = re.compile(r"(?<![가-힣])(?:우리|저희)(?!\s*(?:돈|나라|말|글|가\s*배운|가\s*본))\s*[가-힣]+"
                       r"|\b(?:my|our)\s+(?:own\s+)?(?:company|shop|store|business|hospital|school|team|office|cafe|restaurant|clinic|firm)\b",
                       re.I)
# A reason given ("…때문이에요", "…니까요", "…해서", "…하려는 거예요", "because", "so that"):
# an answer to a why holds one, or the document does not say why. Which reasons are the
# document's is the pack's to say (its "why" facts).
_REASON = re.compile(r"때문|덕분|덕에|(?<![가-힣])탓|이유|원인|(?:니|으니)까|기에|(?:위해|려는|려고)(?![가-힣])"
                     r"|(?:아|어|해|여|워|와|져|겨|봐|돼|줘|써|라)서(?:예요|요)?(?=[,.\s]|$)"
                     r"|\b(?:because|since|due\s+to|thanks\s+to|so\s+that|in\s+order\s+to|reasons?|so)\b", re.I)
# What is true now, which a document written at one time cannot give: a price today, the
# best or newest thing now ("오늘 기준 GPT-4o 가격", "요즘 제일 좋은 LLM", "latest version").
_NOW = re.compile(r"오늘|지금|요즘|요새|현재|최신|\b(?:today|now|currently|latest|these\s+days|at\s+the\s+moment)\b", re.I)
# (Casual "젤", "잘나가는", "인기 있는", "대세인": the one ahead now.)
_TOP = re.compile(r"제일|(?<![가-힣])젤|가장|최고|최신|잘\s*나가|인기\s*(?:있|많|좋)|대세|\b(?:best|top|leading|latest|newest|most\s+popular|hottest)\b", re.I)
_LIVE_KINDS = frozenset(("how_much", "what", "which", "who"))
# How a thing works ("스팸 필터는 어떻게 작동해요?", "How does a GAN work?"): the thing asked about.
# Only how it works, not how something changed ("능력은 어떻게 변했어요?") nor how to use it.
_HOW_THING_KO = re.compile(r"^(?:그럼|그러면|근데|그런데|[ㄱ-ㅎ]+|\W)*\s*(.+?)(?:은|는|이|가|을|를|으로|로)?\s*(?:(?:내부적으로|내부에서|속으로)\s*)?(?:어떻게|어케|어떡게)\s*"
                           r"(?=작동|동작|돌아가|작용|계산|학습하|배우|만들어지|처리하)")
_HOW_THING_EN = re.compile(r"\bhow\s+(?:does|do|did|is|are|was|were)\s+(?:an?\s+|the\s+)?(.+?)\s+(?:work|function|operate|calculated|computed|trained)\b",
                           re.I)
# "학습은 내부적으로 어케 돌아가요?", "원리가 뭐예요?": how a thing works inside, which a
# beginner's explainer names without opening up; only a "how" fact of the pack gives it.
_INSIDE = re.compile(r"내부(?:적으로|에서)?|속으로|원리|\b(?:inside|internally|under\s+the\s+hood)\b", re.I)
# A date finer than a year ("몇 월에", "며칠", "정확히 언제", "what month"): the document dates by the year.
_DATE_ASKED = re.compile(r"몇\s*월|며칠|(?<![가-힣])날짜|정확히\s*언제|언제\s*정확히|\b(?:what|which)\s+(?:month|day|date)\b|\bexact\s+date\b",
                         re.I)
_DATE_GIVEN = re.compile(r"\d{1,2}\s*월|\d{1,2}\s*일(?![가-힣])|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.I)
# Hands-on steps or working material ("어떻게 다운받아요?", "API 키는 어디서 받아요?", "코드 좀 알려주세요",
# "수식좀"): an explainer of ideas gives none, only what the thing is.
_PROCEDURE = re.compile(r"다운|설치|가입|발급|구독|결제|로그인|(?:어디서|어디에서)\s*(?:받|구하|구해|사(?!용)|얻)"
                        r"|코드\S*\s*(?:좀\s*)?(?:알려|보여|짜|써\s*줘|주세요|줘)|수식|계산식"
                        r"|\b(?:download|install|sign\s+up|subscribe|api\s+key|formula|equation|source\s+code)\b", re.I)
# What came of an event ("저작권 소송은 어떻게 됐어요?"): only an event the pack speaks of has an outcome there.
_OUTCOME = re.compile(r"어떻게\s*(?:됐|되었|돼\s*가|되어\s*가|끝났|마무리)|\bwhat\s+happened\s+(?:to|with)\b", re.I)
# More than this share of the words naming the thing asked about must be in the answer.
MENTION_SHARE = 0.5
# A name most passages use ("AI", "LLM") is the document's subject, not one thing a claim is about.
GENERIC_NAME_SHARE = 0.25
CONSEQUENCE_SUPPORT = 0.67

# An answer that already says the document leaves it out.
_SAYS_UNSAID = re.compile(
    r"나오지\s*않|나와\s*있지\s*않|다루지\s*않|말하지\s*않|설명하지\s*않|밝히지\s*않|적어\s*두지\s*않|언급하지\s*않"
    r"|doesn't\s+(?:say|cover|give|mention|explain)|does\s+not\s+(?:say|cover|give|mention|explain)|isn't\s+covered",
    re.I,
)
# A yes or no that opened an answer to another question.
# ("네 번째 이유는 …" opens with a number, not a yes.)
_VERDICT = re.compile(r"^(?:(?:네|예|아니요|아뇨)(?:[,.]|(?=\s+(?!번째|번|가지|개|명)))|(?:Yes|No)[,.:])\s+")
_YES_NO_END = re.compile(r"(?:요|죠|까|나|니|냐|야|지|임|음|함)\s*\??\s*$|\?\s*$")


# How long something takes or what share it changes ("몇 초 걸려요?", "몇달",
# "업무시간 몇시간 줄어요?", "몇 퍼센트", "몇프로"): the document gives no such
# measure, so an answer holding none leaves it unsaid.
_MEASURE_ASKED = re.compile(r"몇\s*(?:초|분|시간|일|주|달|개월|년\s*걸|퍼센트|프로|%)|얼마(?:나|동안)?\s*(?:오래|걸리|걸려|걸림)"
                            r"|\bhow\s+long\b|\bwhat\s+percent"
                            # "토큰 1개당 가격은?": the document prices a day of chats, never one token.
                            r"|(?:토큰|개)\s*당\s*(?:가격|비용|요금|값|얼마)|토큰\s*(?:1|한|하나)\s*(?:개)?\s*(?:에|당)\s*(?:얼마|가격|비용)"
                            r"|\bper\s+token\b", re.I)
_MEASURE_GIVEN = re.compile(r"토큰\s*(?:1|한)\s*개(?:에|당)\s*(?:약\s*)?[\d$]|\d\s*(?:초|분|시간|일|주|달|개월|%|퍼센트|프로)(?![가-힣])|\b\d+\s*(?:seconds?|minutes?|hours?|days?|weeks?|months?|percent)\b",
                            re.I)


def asks_own_case(question: str) -> bool:
    """Whether a question asks about the learner's own case ("우리 가게에
    도입하면 얼마 들어요?"), which the document never works through."""
    return bool(_OWN_CASE.search(question))


def asked_slot(question: str, kind: str) -> str:
    """The detail a question asks for that a mention cannot give: "who" (a
    maker, author or company), "exact" (an exact amount or count, which a rough
    figure does not give), "definition" (what a thing is, exactly),
    "consequence" (what will follow), "remedy" (how to prevent, reduce or
    fix something), "mention" (whether the document has a thing at all),
    "live" (how things stand today: a price now, the best or newest thing),
    "reason" (a why: a reason about the thing asked) or "mechanism" (how a
    thing works, which only a thing the document teaches has); empty for
    other questions."""
    clause = main_clause(question)
    if kind in _LIVE_KINDS and _NOW.search(clause) and (kind == "how_much" or _TOP.search(clause)):
        return "live"  # "오늘 GPT-4o 가격은?", "요즘 제일 좋은 LLM은?": the document was written at one time
    if kind == "why":
        return "reason"
    if _DATE_ASKED.search(clause):
        return "date"  # "ChatGPT는 정확히 몇 월에 나왔어요?": the year is all the document gives
    if _PROCEDURE.search(clause):
        return "procedure"
    if kind in ("how_much", "how_many") and asks_own_case(question):
        return "own"  # "우리 가게에 도입하면 얼마 들어요?": the document's example, not the learner's case
    if kind in ("how_much", "how_many") and _EXACTLY.search(clause):
        return "exact"  # "GPT-4o 파라미터는 정확히 몇 개예요?": a rough figure does not give it
    if _MEASURE_ASKED.search(clause):
        return "measure"  # "몇 초 걸려요?", "매출 몇 프로 올라요?": a time taken or a share
    if kind in ("difference", "how_much", "how_many", "when"):
        return ""
    if _REMEDY.search(clause):
        return "remedy"
    if _TASK.search(clause):
        return "task"
    if kind == "how" and (how_thing(question) or _INSIDE.search(clause)):
        return "mechanism"  # not "환각을 줄이려면 어떻게 해요?", a remedy
    if _OUTCOME.search(clause):
        return "outcome"
    if kind == "who" and asks_maker(question):
        return "who"  # not "누가 쓸 수 있어요?": people by their job answer that
    if kind in _DEFINED_KINDS and _EXACTLY.search(clause) and not _EXACT_WORDS.search(clause) \
            and not _NAME_ASKED.search(defined_term(question)):
        return "definition"
    if kind in _CONSEQUENCE_KINDS and (_FUTURE.search(clause) or _CONDITION.search(clause)
                                       and not _TIME_CONDITION.search(clause)):
        return "consequence"
    exists = _EXISTS.search(clause.strip())
    # Not "할 수 있어요?" (can it) nor "뭐뭐 있어요?" (which ones: a question word).
    if kind == "yes_no" and exists and not re.search(r"수$|뭐|머|무엇|무슨|어떤|어느", exists.group(1)):
        return "mention"
    if exists and _EMBEDDED.search(exists.group(1)):
        # "어떤 업체에 맡기면 되는지도 나와요?": whether the document says it, whatever it asks inside.
        return "mention"
    return ""


def _outcome(question: str) -> tuple[str, bool]:
    """The outcome a question asks about (after its condition, if any) and
    whether it came after a condition rather than a future ending."""
    clause = main_clause(question)
    if _FUTURE.search(clause):
        return clause, False
    condition = _CONDITION.search(clause)
    return (condition.group(1), True) if condition else (clause, False)


def defined_term(question: str) -> str:
    """The thing a "what is it, exactly" question asks about ("토큰이 정확히
    뭔데요?" -> 토큰), or empty when it only points back ("그게 정확히 뭐예요?")."""
    # The asking clause first ("…봐요 ㅠㅠ 생성형ai가 정확히 머에요"), then the others
    # ("환각이 정확히 뭡니까? 정의를 알려주세요").
    clauses = [main_clause(question)] + [c.strip() for c in re.split(r"[?？!.]+\s*", question) if c.strip()]
    found = next((m for c in clauses if (m := _TOPIC_KO.search(c) or _TOPIC_EN.search(c))), None)
    if not found:
        return ""
    term = found.group(1).strip(" ?.!")
    term = re.sub(r"(?:이|가|은|는|란|이란|의)$", "", term) if re.search(r"[가-힣]$", term) else term
    if not term or not readings_of(term):
        return ""  # "그게", "it": a pointer, not a term
    return term


def has_own_passage(term: str, pack: LessonPack) -> bool:
    """Whether the document treats a term as a topic of its own (a passage
    titled with it), which is where it says what the thing is."""
    words = readings_of(term)
    if not words:
        return True
    return any(coverage(words, f"{p.title.ko} {p.title.en}") >= 1.0 for p in pack.passages.values())


def gives(slot: str, question: str, answer: str, pack: LessonPack) -> bool:
    """Whether ``answer`` fills the slot the question asks: a maker for
    "who", a definition for "exactly what", the consequence itself for
    "what will happen"."""
    if slot == "who":
        return holds_answer_shape("who", answer, question) or _pack_names_maker(question, pack)
    if slot == "definition":
        term = defined_term(question)
        return not term or has_own_passage(term, pack)
    if slot == "consequence":
        asked, conditional = _outcome(question)
        words = readings_with_words(asked)
        if not words:
            return True
        if conditional:
            # "인코더를 빼면 성능이 떨어져요?" is answered in other words ("문제가
            # 없다"); only an outcome the document never speaks of ("배달 일자리") is unsaid.
            return _pack_speaks_of(words, pack)
        return coverage(readings_of(asked), answer) >= CONSEQUENCE_SUPPORT
    if slot == "mention":
        return _mentions_any(question, answer, pack)
    if slot == "remedy":
        return bool(_A_REMEDY.search(answer))
    if slot == "exact":
        return not _ROUGH.search(answer)
    if slot == "measure":
        return bool(_MEASURE_GIVEN.search(answer))
    if slot == "own":
        return False  # the document works through its own example, never the learner's
    if slot == "live":
        return False  # what holds now is never in a document written before it
    if slot == "reason":
        # A reason anywhere in the answer ("…어텐션만으로 … 구조가 있었기에"), of the thing
        # asked: the opening and the paragraph that follows it are one explanation.
        return bool(_REASON.search(answer)) and not _names_missing(question, answer.split("\n")[0], pack)
    if slot == "mechanism":
        return not _INSIDE.search(main_clause(question)) and has_own_passage(how_thing(question), pack)
    if slot == "date":
        return bool(_DATE_GIVEN.search(answer))
    if slot == "procedure":
        return bool(_PROCEDURE.search(answer))
    if slot == "outcome":
        return _pack_speaks_of(readings_with_words(main_clause(question)), pack)
    if slot == "task":
        # Only a task or thing the pack never speaks of ("등기부등본") is unsaid.
        return _pack_speaks_of(readings_with_words(main_clause(question)), pack)
    return True


def how_thing(question: str) -> str:
    """The thing a "how does it work" question asks about ("스팸 필터는 어떻게
    작동해요?" -> 스팸 필터), or empty when it names none of its own ("어떻게 해요?")."""
    clause = main_clause(question)
    found = _HOW_THING_EN.search(clause) or _HOW_THING_KO.search(clause)
    thing = found.group(1).strip(" ?.!") if found else ""
    return thing if thing and readings_of(thing) else ""


def asked_names(question: str, pack: LessonPack) -> list[str]:
    """The names a question asks about ("RNN", "GPT-4", "미드저니"), Korean or
    English, the document's own subject ("AI", "LLM") aside."""
    clause = main_clause(question)
    # A Korean question's names are its Latin words; an English question's are written with
    # capitals or digits ("GPT-4", "RNN", "DALL-E").
    found = set(names(clause)) if has_hangul(clause) else {
        word for token in re.findall(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9.\-]*", clause)
        for word in raw_words(token) if not word.isdigit()}
    generic = _generic_names(pack)
    return [name for name in found if name not in generic and not is_stopword(name)]


# What a Korean why is asked of: the words before 왜 ("그럼 이미지 데이터는 왜 비싸요?" -> 이미지 데이터).
_BEFORE_WHY = re.compile(r"^(.*?)(?<![가-힣])왜")


def _names_missing(question: str, answer: str, pack: LessonPack) -> bool:
    """Whether the answer leaves out a name the question asks about: a reason
    given of another thing ("미드저니는 왜 확산 모델 쓴다고 해요?" answered with
    why noise is added, never naming Midjourney; "이미지 데이터는 왜 비싸요?"
    with why text is cheap) is no reason for it."""
    words = {word.lower() for word in raw_words(answer)} | set(raw_words(normalise(answer)))
    squashed = re.sub(r"[^0-9a-z가-힣]", "", answer.lower())
    if any(name not in words and name not in squashed for name in asked_names(question, pack)):
        return True
    before = _BEFORE_WHY.search(main_clause(question))
    generic = _generic_names(pack)
    subject = [readings for word, readings in readings_with_words(before.group(1) if before else "")
               if word.lower() not in generic and not is_predicate(word) and not looks_inflected(word)
               and not points_back(word)]  # "그땐 왜 …": the topic under way, which the fact chosen is about
    return bool(subject) and coverage(subject, answer) <= MENTION_SHARE


def _pack_speaks_of(words: Sequence[tuple[str, frozenset[str]]], pack: LessonPack) -> bool:
    """Whether the pack's text speaks of every word (a predicate or an inflected
    form aside): an outcome or a task it never names is unsaid."""
    known = pack_readings(pack)
    return all(covered([readings], known) > 0 or is_predicate(word) or looks_inflected(word)
               for word, readings in words)


def _mentions_any(question: str, answer: str, pack: LessonPack) -> bool:
    """Whether an answer to "X도 있어요?" speaks of most of what names X:
    "새로 생기는 직업" is not answered by a sentence on jobs replaced, nor
    "집값 예측하는 AI" by one on prediction in general. Names nearly every
    passage uses ("AI") name nothing in particular."""
    found = _EXISTS.search(main_clause(question).strip())
    if not found:
        return True
    # "…대체할 수 있다는 말이 문서에 있나요?": the claim quoted is what is asked about.
    asked = re.split(r"(?:다는|라는|단|란)\s*(?:말|얘기|이야기|내용|거|게|것)", found.group(1))[0]
    # "다른 문제도 있어요?": more of a kind; "other" is no word the answer must say.
    asked = _OTHER_WORDS.sub(" ", asked)
    # "…AI도 글에 나와요?": where it would be said (the document) is not the thing asked about.
    asked = _IN_DOCUMENT.sub(" ", asked)
    generic = _generic_names(pack)
    naming = [readings for word, readings in readings_with_words(asked) if word.lower() not in generic]
    return not naming or sum(coverage([readings], answer) > 0 for readings in naming) > MENTION_SHARE * len(naming)


def prepare(pack: LessonPack) -> None:
    """Work out the pack's tables now, not in the first answer that needs them."""
    _generic_names(pack)
    pack_texts(pack)
    pack_readings(pack)


@per_pack
def _generic_names(pack: LessonPack) -> frozenset[str]:
    """Latin names most passages use ("ai", "llm"): the document's subject.
    Worked out once per pack."""
    passages = [{w.lower() for w in raw_words(p.text.ko)} for p in pack.passages.values()]
    counts: dict[str, int] = {}
    for words in passages:
        for word in words:
            if word.isascii():
                counts[word] = counts.get(word, 0) + 1
    return frozenset(word for word, n in counts.items() if n > GENERIC_NAME_SHARE * len(passages))


def _pack_names_maker(question: str, pack: LessonPack) -> bool:
    """Whether any sentence of the pack naming the thing asked about ("Llama
    3는 누가 만들었어요?") also names its maker: then the document gives it,
    even when this answer missed it."""
    things = names(question) or frozenset(
        w.lower() for w in re.findall(r"(?<=\s)[A-Z][\w.-]+", question) if not is_stopword(w.lower()))
    if not things:
        return False
    for text in pack_texts(pack):
        for sentence in re.split(r"(?<=[.!?])\s+", text or ""):
            words = {w.lower() for w in raw_words(sentence)}
            if things & words and holds_answer_shape("who", sentence, question):
                return True
    return False


_NAMED_DETAIL_KINDS = frozenset(("yes_no", "how_many", "how_much", "when"))


def unnamed_subject(question: str, kind: str, answer: str, pack: LessonPack) -> bool:
    """A yes/no question about a named thing ("ChatGPT가 AGI임?") whose
    answer (with the question of the fact it opens with) never names it:
    the answer is about something else, and the document does not say
    what was asked of that thing. So is a count, an amount or a year asked of
    a named thing ("GPT-4o는 파라미터 정확히 몇 개야?") answered only of
    LLMs in general."""
    if kind not in _NAMED_DETAIL_KINDS:
        return False
    asked = asked_names(question, pack)
    # "멀티헤드" is multihead; "개인용 컴퓨터" names a PC.
    words = {word.lower() for word in raw_words(answer)} | set(raw_words(normalise(answer)))
    squashed = re.sub(r"[^0-9a-z가-힣]", "", answer.lower())  # "DALL-E(달리)" and "DALL-E는" alike
    return any(name not in words and name not in squashed for name in asked)


def missing_slot(question: str, kind: str, answer: str, pack: LessonPack, *, fact_kind: str = "",
                 about: str = "", asked_as: str = "") -> str:
    """What the answer leaves unsaid, if anything: "not_given" (the fact
    chosen is itself about what the document leaves out, without saying
    so plainly), "who", "definition", "consequence" or "claim" (a yes/no
    about a thing neither the answer nor ``about``, the fact's question and
    the passage it comes from, names); empty when it answers."""
    if says_unsaid(answer):
        return ""  # it already says so
    if fact_kind == "not_given":
        return "not_given"
    slot = asked_slot(question, kind)
    if slot == "reason" and fact_kind == "why":
        # A reason the pack gives: it answers, if it is about what was asked.
        return "reason" if _names_missing(question, f"{answer.splitlines()[0] if answer else ''} {asked_as}", pack) else ""
    if slot == "mechanism" and fact_kind == "how":
        return ""  # the pack says how it works
    # "다른 문제도 있어요?" answered by the fact asking "어떤 문제가 있어요?" (``asked_as``) names the thing.
    if slot and not gives(slot, question, f"{answer} {asked_as}" if slot == "mention" else answer, pack):
        return slot
    if unnamed_subject(question, kind, f"{answer} {about}", pack):
        return "claim"
    return ""


def says_unsaid(text: str) -> bool:
    """Whether a text already says the document leaves something out ("…는 이 글에 나오지 않아요")."""
    return bool(_SAYS_UNSAID.search(text))


def without_verdict(opening: str) -> str:
    """An opening without the yes or no it gave to another question."""
    return _VERDICT.sub("", opening, count=1)


def asks_yes_or_no(question: str) -> bool:
    """A question in yes/no form: no question word, a yes/no ending."""
    clause = main_clause(question)
    if not has_question_word(clause) and reports_belief(question):
        return True  # "…보다 떨어진다고 들었어요", "I heard …": a claim heard elsewhere, to be checked
    return not has_question_word(clause) and bool(_YES_NO_END.search(clause.strip()) or re.match(
        r"^\s*(?:is|are|was|were|does|do|did|can|could|will|would|has|have|should)\b", clause, re.I))


def with_subject(clause: str, topic: str) -> str:
    """A clause whose subject was left unsaid, with it put back from its
    passage's title ("확산 모델(Diffusion): …" + "대체로 GAN보다 좋은 편이에요"
    -> "확산 모델(Diffusion)은 대체로 GAN보다 좋은 편이에요")."""
    subject = topic.split(":")[0].strip()
    plain = re.sub(r"\([^)]*\)", "", subject).strip()
    if not plain or not re.search(r"[가-힣]$", plain) or plain in clause:
        return clause
    particle = "은" if (ord(plain[-1]) - 0xAC00) % 28 else "는"  # after a final consonant, 은
    return f"{subject}{particle} {clause}"


# "GAN이 확산 모델보다 나은 점은 뭐예요?", "what is X better at than Y?": an advantage of
# one over the other asked, which a sentence saying the other way round does not give.
_ADVANTAGE = re.compile(r"(?:나은|좋은|앞서는|뛰어난|유리한|잘하는)\s*(?:점|부분|게|거)|장점"
                        r"|\b(?:advantages?|strengths?|better\s+at|edge)\b", re.I)


def asks_advantage(question: str) -> bool:
    """Whether a question asks what one thing does better than another
    ("GAN이 확산 모델보다 나은 점은 뭐예요?"), not whether it is better."""
    clause = main_clause(question)
    return bool(_ADVANTAGE.search(clause)) and not asks_yes_or_no(question)


def reversed_claim(question: str, sentences: Sequence[str], topic: str = "") -> str:
    """The sentence saying the opposite of the question's comparison (the
    other way round, "GAN이 디퓨전보다 좋죠?" / "확산 모델이 GAN보다 나은
    경향이 있어요", or with the opposite predicate, "디퓨전이 GAN보다
    못하죠?"), when the question asks it as a yes/no; empty otherwise. A sentence
    whose subject is left unsaid ("대체로 GAN보다 좋은 편이에요") is read
    with the ``topic`` it is about (its passage's title). An advantage asked
    the other way round ("GAN이 확산 모델보다 나은 점은?") is met the same way."""
    if not asks_yes_or_no(question) and not asks_advantage(question):
        return ""
    return next((s for s in sentences if contradicts(question, s)
                 or topic and contradicts(question, f"{topic}: {s}")), "")
