"""Turns that are not a question about the document: the learner's activities
(a quiz and its answer, a recap, progress, the course's contents, where to
start, an acknowledgement), moving on to the next passage, and replies
without passages (greetings, declines).

Apart from planning because they are recognised before any search and
never choose a fact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from . import activities, suggesting
from . import intent as intents
from .retrieval import Hit, Retriever
from .turn_plan import Earlier, TurnPlan

# What a message about the course itself asks, by the idea its words carry:
# where to begin, how far the learner has come, what the course holds.
_COURSE_ASKS = (
    ("start", re.compile(r"부터|먼저|시작|순서|입문\S*|초보\S*|\b(?:first|start|begin|beginners?|newbie|order)\b", re.I)),
    ("progress", re.compile(r"어디까지(?:\s*\S+)?|얼마나|남았|남은|진도|\b(?:so\s+far|how\s+far|left|covered|progress)\b", re.I)),
    ("overview", re.compile(r"내용|개요|목차|다뤄|다루|배우|배워|배울|무슨\s*얘기|"
                            r"\b(?:cover|covers|overview|about|topics|learn|contents)\b", re.I)),
)
# The course named as such ("이 글", "강의", "this lesson"), or the learner as a beginner.
_THE_COURSE = re.compile(r"이\s*(?:글|강의|수업|문서|과정|코스|자료)|강의|수업|코스|처음\s*이(?:에요|예요|라)|입문\S*|초보\S*|"
                         r"어디까지|진도|\b(?:lesson|course|document|class|tutorial|beginners?|newbie|so\s+far|how\s+far)\b",
                         re.I)
# ... or only pointed at, which before anything was taught can mean nothing else.
_POINTED_COURSE = re.compile(r"이거|이건|여기|\b(?:this|here)\b", re.I)
# Words a question about the course uses besides those: when they are all it says.
_COURSE_WORDS = re.compile(r"지금|\b(?:so|far|what|is|does|have|i|i'm|am|a|an|the|total|should|do|me|give|can|you)\b", re.I)


def _about_the_course(retriever: Retriever, text: str, under_way: bool) -> str | None:
    """The activity a message asks for when it names none of the document's
    ideas, only the course (or, before anything was taught, "이거", "this")
    and what it asks of it: "start", "progress" or "overview"; else None.
    "순서가 왜 중요해요?" names no course and is a question about word order."""
    # The question is the last sentence ("Hi! I'm from the Philippines, … What is this lesson about?").
    sentences = [part for part in re.split(r"(?<=[.!?。])\s+", text.strip()) if part.strip()]
    text = sentences[-1] if sentences else text
    course = _THE_COURSE.search(text) or (not under_way and _POINTED_COURSE.search(text))
    if not course:
        return None
    activity = next((name for name, words in _COURSE_ASKS if words.search(text)), None)
    if activity is None:
        return None
    rest = text
    for _, words in _COURSE_ASKS:
        rest = words.sub(" ", rest)
    rest = _COURSE_WORDS.sub(" ", _POINTED_COURSE.sub(" ", _THE_COURSE.sub(" ", rest)))
    if intents.names_lesson_idea(rest) or retriever.names_known_topic(rest) or retriever.foreign_words(rest) \
            or retriever.names_unknown(rest):
        return None
    return activity


def _course_activity(
    retriever: Retriever, course: str, language: str, covered: Sequence[str], asked: frozenset[str]
) -> TurnPlan:
    done = tuple(covered)
    if course == "start":
        return TurnPlan(language, "start", (), suggesting.starters(retriever, language, (), asked), activity="overview",
                        covered=done)
    if course == "progress":
        return TurnPlan(language, "progress", (), suggesting.starters(retriever, language, covered, asked),
                        activity="progress", covered=done)
    return TurnPlan(language, "overview", (), suggesting.starters(retriever, language, covered, asked),
                    activity="overview", covered=done)


def activity_turn(
    retriever: Retriever, text: str, language: str, covered: Sequence[str], asked: frozenset[str], earlier: Earlier
) -> TurnPlan | None:
    """A turn that is one of the learner's activities rather than a question:
    answering the quiz just asked, asking for a quiz, a recap, the course's
    contents, where to start, progress, or an acknowledgement."""
    pack = retriever.pack
    done = tuple(covered)
    under_way = bool(covered or earlier.topics)
    # "퀴즈 말고 그냥 설명해줘": neither a quiz nor its answer; the rest is planned as asked.
    no_quiz = intents.declines_quiz(text)
    another = intents.wants_another(text) and earlier.activity in ("quiz", "quiz_result") and not no_quiz
    # "ChatGPT가 퀴즈를 낼 수 있어요?", "생성형 AI는 어디서부터 시작됐어요?": an
    # activity's word said of one of the document's ideas asks about that idea.
    of_idea = _idea_as_subject(retriever, text)
    if (intents.wants_quiz(text) and not of_idea and not no_quiz) or another:
        item = activities.make_quiz(pack, [*covered, *earlier.topics], earlier.asked_quizzes, language)
        if item is not None:
            # No sources: the passage would give the answer away.
            return TurnPlan(language, "quiz", (), (), activity="quiz", quiz=item.stored(), covered=done)
    pending = earlier.pending_quiz if earlier.activity == "quiz" and not no_quiz else None
    if pending and leaves_quiz_unanswered(pending, text):
        pending = None
    if pending and not (intents.wants_recap(text) or intents.wants_overview(text) or intents.wants_progress(text)):
        graded = activities.grade(pending, text)
        verdict = {**pending, "correct": graded == activities.RIGHT}
        if graded == activities.PARTLY:
            verdict["partly"] = True
        passage = pack.passage(pending.get("passage", ""))
        hits = (Hit(passage, 1.0),) if passage is not None else ()
        suggestions = suggesting.quiz_next(language) + suggesting.follow_ups(retriever, hits, language, covered, asked)[:2]
        return TurnPlan(language, "quiz_result", hits, suggestions, activity="quiz_result", quiz=verdict, covered=done)
    if intents.wants_recap(text):
        return TurnPlan(language, "recap", (), suggesting.starters(retriever, language, covered, asked), activity="recap",
                        covered=recap_order(covered, earlier.topics))
    if intents.wants_progress(text) and not of_idea:
        return TurnPlan(language, "progress", (), suggesting.starters(retriever, language, covered, asked),
                        activity="progress", covered=done)
    if intents.wants_start(text) and not of_idea:
        return TurnPlan(language, "start", (), suggesting.starters(retriever, language, (), asked), activity="overview",
                        covered=done)
    if intents.wants_overview(text):
        return TurnPlan(language, "overview", (), suggesting.starters(retriever, language, covered, asked),
                        activity="overview", covered=done)
    if intents.is_acknowledgement(text):
        return TurnPlan(language, "thanks", (), _next_steps(retriever, language, covered, asked, earlier),
                        activity="thanks", covered=done)
    if is_closing(text):
        return TurnPlan(language, "thanks", (), _next_steps(retriever, language, covered, asked, earlier),
                        activity="thanks", covered=done)
    course = requested_activity(retriever, text, under_way) or _about_the_course(retriever, text, under_way)
    if course == "quiz" and no_quiz:
        return None
    if course == "quiz":
        item = activities.make_quiz(pack, [*covered, *earlier.topics], earlier.asked_quizzes, language)
        if item is not None:
            return TurnPlan(language, "quiz", (), (), activity="quiz", quiz=item.stored(), covered=done)
        return None
    if course == "recap":
        return TurnPlan(language, "recap", (), suggesting.starters(retriever, language, covered, asked), activity="recap",
                        covered=recap_order(covered, earlier.topics))
    if course is not None:
        # "What is this lesson about?", "처음 이에요 뭐 부터 해요?", "지금 어디까지
        # 온 거예요?": nothing of the document is named; the course itself is asked about.
        return _course_activity(retriever, course, language, covered, asked)
    return None


def leaves_quiz_unanswered(quiz: dict[str, str], text: str) -> bool:
    """A reply to a quiz that does not try to answer it: a new question of its
    own ("잠깐 근데 트랜스포머가 뭐였죠?") or only an acknowledgement ("알겠어요",
    "cool thx"), unless it holds the answer. "네"/"no" answers a true-or-false question."""
    if activities.judge(quiz, text):
        return False
    if quiz.get("kind") == "yes_no" and activities.says_yes_or_no(text):
        return False
    return intents.asks_a_new_question(text) or intents.is_acknowledgement(text) or is_closing(text)


def recap_order(covered: Sequence[str], topics: Sequence[str]) -> tuple[str, ...]:
    """What a recap lists, in the order it was taught: the passage each answer
    was about (not every passage it also cited). ``topics`` only reaches back
    as far as the history a turn reads; what was covered before that is kept
    as it stands. A topic never covered was only pointed at by a decline
    ("the document does not say; the nearest is …"), not taught."""
    topics = [topic for topic in topics if topic in covered]
    if not topics:
        return tuple(covered)
    taught = set(topics)
    window = min((covered.index(t) for t in taught if t in covered), default=len(covered))
    older = [pid for pid in covered[:window] if pid not in taught]
    return tuple(dict.fromkeys([*older, *topics]))


def _next_steps(
    retriever: Retriever, language: str, covered: Sequence[str], asked: frozenset[str], earlier: Earlier
) -> tuple[str, ...]:
    """After "ㅇㅋ" or "신기하네": questions that go on from the topic under way
    (not the course's first questions again), else where to start."""
    topic = retriever.pack.passage(earlier.topics[-1]) if earlier.topics else None
    if topic is None:
        return suggesting.starters(retriever, language, covered, asked)
    return suggesting.follow_ups(retriever, [Hit(topic, 1.0)], language, covered, asked)


def next_turn(retriever: Retriever, language: str, covered: Sequence[str], asked: frozenset[str],
          earlier: Earlier = Earlier()) -> TurnPlan:
    """The next passage in teaching order after the topic under way that this
    conversation has not cited yet (from the start when there is no topic)."""
    # Passages an answer was about are done; one only cited beside another is still to come.
    done = set(earlier.topics) if earlier.topics else set(covered)
    order = list(retriever.pack.passages.values())
    here = next((i for i, p in enumerate(order) if earlier.topics and p.id == earlier.topics[-1]), -1)
    upcoming = next((p for p in order[here + 1:] + order[:here + 1] if p.id not in done), None)
    if upcoming is None:
        return TurnPlan(language, "next", (), suggesting.starters(retriever, language, (), asked), covered=tuple(covered))
    hits = [Hit(upcoming, 1.0)]
    return TurnPlan(language, "next", tuple(hits), suggesting.follow_ups(retriever, hits, language, covered, asked),
                    covered=tuple(covered))


_ACTIVITY_OF_INTENT = {"attack": "decline", "out_of_scope": "decline", "task": "decline", "not_given": "decline",
                       "greeting": "greeting",
                       "thanks": "thanks"}


def without_passages(
    retriever: Retriever, language: str, intent: str, covered: Sequence[str], asked: frozenset[str]
) -> TurnPlan:
    activity = _ACTIVITY_OF_INTENT.get(intent, "answer")
    return TurnPlan(language, intent, (), suggesting.starters(retriever, language, covered, asked), activity=activity,
                    covered=tuple(covered))


# -- reading an activity request ----------------------------------------------
# A request for an activity is made of few kinds of words: the activity's own
# (퀴즈, 요약, 목차, 처음, 남았), the course or the conversation it is about
# (이 글, 여기, 지금까지, 우리가 배운 거), how it is asked (…해 줘요, 뭐예요?,
# 할래요, can you), and padding (좀, 혹시, ㅋㅋ, 선생님, please). A learner puts
# them in any order, spelling and spacing, after a clause saying why they ask
# ("처음 왔는데 …", "다 까먹겠다 …"). Whatever is left once those are taken out
# must name none of the document's ideas: "환각 문제가 뭐예요?" and "생성형 AI는
# 어디서부터 시작됐어요?" ask about an idea, with an activity's word in it.
_LAUGHTER = re.compile(r"[ㅋㅎㅠㅜㄷ\u110f\u1112\u1172\u116e]+|[~^;♡♥]+|[\u2600-\u27bf\U0001f300-\U0001faff]+")
_PADDING = re.compile(
    r"(?<![가-힣a-z])(?:좀|쫌|한번|한\s*번|혹시|그럼|그러면|그럼요|자|이제|저|저도|제가|나|내가|우리|우리가|저희|선생님|쌤|튜터님|튜터|님|"
    r"다시|간단히|간단하게|짧게|빨리|얼른|쭉|다|전부|같이|함께|복습\s*겸|마지막으로|끝으로|일단|우선|네|넵|음|흠|아|오|"
    r"거|것|걸|게|건|데|곳|수|뭐|뭘|무엇|무엇을|무슨|어떤|"
    r"차근차근|천천히|자세히|쉽게|하나씩|하나하나|제대로|아직|많이|조금|약간|대충|대략|혹시나|정말|진짜|"
    r"please|pls|plz|just|now|ok|okay|so|hey|then|quickly|briefly|a|an|the|quick|some|little|bit)(?![가-힣a-z])",
    re.I,
)
# What the learner and the conversation are called in a request about them.
_CONVERSATION = re.compile(
    r"지금까지|여태(?:까지)?|이때까지|이제까지|여기까지|그동안|오늘|아까|방금|"
    r"(?:배운|배웠던|공부한|공부했던|얘기한|얘기했던|이야기한|나눈|다룬|본|봤던|했던|한|들은|알려\s*준|알려\s*주신|설명해\s*준|설명해\s*주신)"
    r"\s*(?:거|것|걸|게|내용|것들|거랑|부분)?\S*|"
    r"\b(?:so\s+far|today|we|we've|i|i've|my|me|us|our|what|everything|all|covered|learned|learnt|discussed|talked\s+about)\b",
    re.I,
)
_COURSE = re.compile(
    r"이\s*(?:글|강의|수업|문서|과정|코스|자료|튜터|사이트|앱|페이지|공부|책|교재)|여기|이곳|이\s*곳|이거|이건|이게|"
    r"(?<![가-힣])(?:강의|수업|코스|과정|자료|튜터|문서|글)(?=\s|$|[은는이가을를에의도서])|"
    r"\b(?:this|the)\s+(?:course|lesson|document|class|tutorial|site|app|page|article|explainer|thing)\b|"
    r"\b(?:here|course|lesson|document|tutorial)\b",
    re.I,
)
# How a request or a question is put, at its end or around its verb.
_ASKING = re.compile(
    r"(?:해|내|풀어|봐|알려|가르쳐|보여|정리해|요약해|설명해|들려|말해)?\s*(?:줘|주세요|주셔요|주실래요?|주실\s*수|줄래요?|주시겠어요|줄\s*수|주라|주면|주시면|달라|주시는|주는|주신|줄)"
    r"\S*|"
    r"(?:할|볼|풀|낼|들을|갈|해\s*볼|풀어\s*볼|해볼|풀어볼)\s*(?:래|래요|게요|게|까|까요|수\s*있\S*)|"
    r"(?:하자|해요|하죠|해봐요|봐요|봐|하고\s*싶\S*|보고\s*싶\S*|싶어요|싶은데\S*|싶다|고\s*싶\S*)|"
    r"(?:돼요|되나요|될까요|되죠|돼|되요|하면|하나요|해야|해야\s*돼요|해야\s*해요|하는\s*거예요|하는\s*거야|이에요|예요|에요|이야|인가요|죠|나요|있어요|있나요|있어|있을까요)"
    r"|(?<![가-힣])(?:있|되|돼|된)\S*|부탁\S*|ㄱㄱ|고고|가즈아|\?|"
    r"\b(?:can|could|would|will|you|please|give|let'?s|i\s+want|i'd\s+like|do|does|is|are|am|should|me|want|need)\b",
    re.I,
)
# Each activity's own words (its nouns and verbs, any ending after them).
_ACTIVITY_WORDS = {
    "quiz": re.compile(
        r"퀴즈\S*|(?:연습|확인|복습|시험|테스트|예상)?\s*문제\S*|시험\S*|테스트\S*|"
        r"(?:내|출제|풀|맞혀|맞춰|맞춰\s*볼|맞혀\s*볼)(?=\s|$|[가-힣])\S*|"
        r"(?:이해|알아들|알아\s*들|제대로\s*알|잘\s*알|알았|알고\s*있)\S*|확인\S*|체크\S*|점검\S*|"
        r"\b(?:quiz\w*|test|tests|testing|practice|questions?|check|understanding|understood|one)\b",
        re.I,
    ),
    "recap": re.compile(
        r"요약\S*|정리\S*|복습\S*|되짚\S*|짚어\S*|훑어\S*|훑\S*|리캡\S*|한\s*줄로|세\s*줄|몇\s*줄|"
        r"(?:뭐|무슨|무엇|뭘|어떤)\s*(?:얘기|이야기|내용|것|거|걸)?\S*\s*(?:을|를)?\s*"
        r"(?:배웠|배운|공부했|얘기했|이야기했|했|다뤘|나눴|말했|알려\s*줬|설명해\s*줬)\S*|"
        r"\b(?:recap|sum\s+(?:it\s+|this\s+|that\s+|things\s+)?up|summar\w*|review|go\s+over|went\s+over|"
        r"what\s+(?:did|have|had)\s+(?:we|i)\s+(?:learn\w*|cover\w*|discuss\w*|talk\w*\s+about|go\s+over))\b",
        re.I,
    ),
    "overview": re.compile(
        r"전체\S*|전반\S*|구성\S*|목차\S*|커리큘럼\S*|순서\S*|주제들\S*|주제\S*|내용들?\S*|개요\S*|"
        r"(?:다뤄|다루|배우|배워|배울|가르쳐|가르치|알려|공부하)\S*|"
        r"(?:뭐|뭘|무엇|무슨|어떤)\s*(?:하는|얘기|이야기|것|거|걸)\S*|뭐\s*뭐\S*|뭐에\s*대한\S*|뭐에\s*관한\S*|"
        r"\b(?:about|topics?|cover\w*|contents?|overview|outline|syllabus|structure\w*|teach\w*|learn|include\w*|table\s+of\s+contents)\b",
        re.I,
    ),
    "start": re.compile(
        r"(?:맨\s*)?처음\S*|먼저\S*|시작\S*|기초\S*|입문\S*|초보\S*|첫\s*(?:단계|걸음|번째)\S*|"
        r"(?:뭐|뭘|무엇|어디|어디서)\s*(?:부터|먼저)\S*|어디서\S*|어떻게|"
        r"(?:배워|배우|공부해|공부하|읽어|읽으|읽|봐|보|들어|해)\S*|알아야\S*|"
        r"\b(?:first|start\w*|begin\w*|basics|beginning|scratch|where|how|new|total|complete|absolute|beginner|novice|"
        r"get\s+started|learn|read|study|go)\b",
        re.I,
    ),
    "progress": re.compile(
        r"남았\S*|남은\S*|남아\S*|얼마나\S*|어디까지\S*|진도\S*|진행\S*|몇\s*(?:개|퍼센트|%|단원|과|장|가지|번째)?\S*|"
        r"안\s*(?:배운|본|한|나간|들은)\S*(?:\s*(?:거|것|내용|부분|단원|주제)\S*)?|거의\s*(?:다|끝)\S*|끝까지\S*|끝났\S*|끝나\S*|"
        r"(?:배웠|배운|했|한|왔|온|봤|본|나갔|나간|공부했|공부한)\S*|"
        r"\b(?:how\s+far|how\s+much|how\s+many|progress|left|remaining|almost|nearly|done|finished|through|along|topics?|"
        r"lessons?|more|to\s+go|learn|of\s+the|have|did|there)\b",
        re.I,
    ),
}
# The word that makes the request this activity rather than another.
_ACTIVITY_HEAD = {
    # A quiz named, or a question set for the learner: "문제 내 줘", "문제 풀래요", "테스트해 주세요".
    "quiz": re.compile(r"퀴즈|연습\s*문제|확인\s*문제|예상\s*문제|"
                       r"(?:문제|시험|테스트)(?:를|을|로|으로|도|들|하나|한\s*개|몇\s*개|좀|만|더|\s)*"
                       r"(?:내|출제|풀|줘|주세|주실|주시|봐|볼|해|하자|할래|ㄱㄱ)|"
                       r"(?:이해|알아들|알아\s*들|제대로\s*알|잘\s*알)\S*\s*(?:는지|나|했나|한\s*건지)?\s*(?:\S+\s*)?(?:확인|체크|점검)|"
                       r"(?:문제|퀴즈|시험)\S*\s*(?:확인|체크|점검)|"
                       r"\b(?:quiz\w*|test\s+(?:me|my)|practice\s+questions?)\b|"
                       r"\bcheck\s+(?:my\s+understanding|(?:if|whether)\s+i)|ask\s+me\s+(?:a|one|some)\s+questions?", re.I),
    "recap": re.compile(r"요약|정리|복습|되짚|짚어|훑|리캡|\b(?:recap|sum\s+\w*\s*up|sum\s+up|summar\w*|review|go\s+over)\b|"
                        r"(?:뭐|무슨|무엇|뭘|어떤)\s*(?:\S+\s*)?(?:배웠|얘기\s*했|이야기\s*했|얘기\s*나눴|다뤘|나눴)|"
                        r"what\s+(?:did|have|had)\s+(?:we|i)\s+(?:learn|cover|discuss|talk|go\s+over)", re.I),
    "overview": re.compile(r"전체|전반|구성|목차|커리큘럼|순서|주제|개요|무슨\s*내용|어떤\s*내용|뭐\s*뭐|뭐에\s*(?:대한|관한)|"
                           r"뭐\s*하는\s*(?:데|곳|거)|(?:뭘|뭐|무엇을?)\s*(?:\S+\s*)?(?:가르쳐|가르치|다뤄|다루|배우|배워|배울)|"
                           r"\b(?:topics|overview|outline|syllabus|table\s+of\s+contents|what\S*\s+(?:is\s+)?(?:this|the)\s+\w+\s+about)\b", re.I),
    # Where the learner should begin, asked of their own learning: "뭐부터 해요?",
    # "어떻게 시작해요?", "기초부터 알려 주세요"; not "언제 처음 나왔어요?".
    "start": re.compile(r"(?:뭐|뭘|무엇|어디|어디서|어느\s*것|어떤\s*것|어떤\s*거)\s*(?:을|를)?\s*(?:부터|먼저)|어디서\s*시작|"
                        r"(?:어떻게|어디서|뭐로|뭘로)\s*시작\s*(?:해|하|할)|시작(?:은|하려면|하면|할까|해야|할게)|"
                        r"(?:기초|처음|맨\s*처음|맨\s*앞|첫\s*단계|입문)\s*(?:부터|에)?\s*(?:\S+\s*)?(?:알려|가르쳐|설명|시작|배우|배워|공부|읽)|"
                        r"(?:먼저|제일\s*먼저|우선|처음에|맨\s*처음에?)\s*(?:뭘|뭐|무엇|어디)|입문|초보|"
                        r"\b(?:where\s+(?:to|do|should|can|shall)\b.{0,30}\b(?:start|begin)|get\s+started|"
                        r"what\s+(?:should|do|shall)\s+i\s+\w+\s+first|how\s+(?:do|should|can)\s+i\s+(?:start|begin))", re.I),
    "progress": re.compile(r"남았|남은|남아|진도|어디까지|얼마나\s*(?:\S+\s*)?(?:배웠|했|왔|봤|나갔|공부)|"
                           r"몇\s*(?:개|퍼센트|%|단원|과|장|가지)\s*(?:나|이나|를|을)?\s*(?:배웠|했|남|봤)|"
                           r"안\s*(?:배운|본|나간)|거의\s*(?:다|끝)|"
                           r"\b(?:how\s+far|progress|left|remaining|almost\s+(?:done|finished|there)|nearly\s+(?:done|finished))\b|"
                           r"how\s+much\s+(?:have|did|is|more)|how\s+many\s+\w+\s+(?:have|did|are|left)", re.I),
}
# Asking the course itself, not some other thing: an overview names the
# course, its topics as a whole, or what it teaches.
_WHOLE = re.compile(r"주제들|\btopics\b|(?:뭘|뭐|무엇을?|무슨\s*걸)\s*(?:\S+\s*)?(?:가르|다뤄|다루)|목차|커리큘럼|\b(?:syllabus|table\s+of\s+contents)\b", re.I)
# A particle making a word the subject or topic of a question ("환각 문제가",
# "생성형 AI는"): an activity's noun in that place is a thing asked about.
_SUBJECT_OF = re.compile(r"(?:가|이|는|은|점|점은|점이)(?=\s|$)")
# A quiz noun asked about rather than asked for: "문제가 뭐예요", "문제점은".
_QUIZ_NOUN_ASKED = re.compile(r"(?:문제|시험|테스트)(?:점|가|는|이|되|될|된|시|로\s*(?:삼|보))")
# A question word of another question: when, why, who.
_OTHER_ASK = re.compile(r"언제|왜|누가|누구|어째서|\b(?:when|why|who)\b", re.I)


def _plain(text: str) -> str:
    return _LAUGHTER.sub(" ", unicodedata.normalize("NFC", text).lower())


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。])\s+|\n+|(?<=[ㅋㅎㅠㅜ])\s+|(?<=[ㅋㅎㅠㅜ])(?=[가-힣a-z])", text.strip())
    return [part for part in parts if part.strip()]


def _names_something(retriever: Retriever, rest: str, *, foreign: bool = True) -> bool:
    rest = rest.strip()
    if not re.search(r"[가-힣a-z0-9]", rest):
        return False
    return intents.names_lesson_idea(rest) or retriever.names_unknown(rest) or retriever.names_known_topic(rest) \
        or (foreign and retriever.foreign_words(rest))


def _leftover(name: str, sentence: str) -> str:
    rest = _ACTIVITY_WORDS[name].sub(" ", sentence)
    rest = _COURSE.sub(" ", rest)
    rest = _CONVERSATION.sub(" ", rest)
    rest = _ASKING.sub(" ", rest)
    rest = _PADDING.sub(" ", rest)
    return re.sub(r"[^\w\s]|_", " ", rest)


# A sentence that asks or requests something.
_ASKS = re.compile(
    r"\?|뭐|무엇|무슨|왜|어떻게|어떤|언제|어디|누가|누구|얼마|몇|알려|설명|가르쳐|(?:나요|까요|가요|죠|니|냐|[은는]요)\s*[.!]*$"
    r"|\b(?:what|why|how|when|where|who|which|explain|tell)\b",
    re.IGNORECASE,
)
# A sentence's own end ("다 까먹겠다", "처음이에요"): what came before it is not
# the object of the request after it.
_SENTENCE_FINAL = re.compile(r"(?:다|요|죠|네|음|함|임|지|야|어|아)$")


# Words linking a request to what it is about ("트랜스포머 관련 문제", "복습 겸 퀴즈").
_LINKING = re.compile(r"관련\S*|관한|대한|대해\S*|겸|위주\S*|중심\S*")


def _names_object(name: str, clause: str) -> bool:
    """Whether a word just before the activity's word says what to sum up or
    quiz on, other than the conversation ("보고서 요약해 줘", "수학 문제 내 줘")."""
    head = _ACTIVITY_HEAD[name].search(clause)
    if head is None:
        return False
    for word in reversed(re.sub(r"[^\w\s]|_", " ", clause[:head.start()]).split()):
        if _PADDING.fullmatch(word) or _COURSE.fullmatch(word) or _ASKING.fullmatch(word) \
                or _ACTIVITY_WORDS[name].fullmatch(word) or _LINKING.fullmatch(word) or _ACTIVITY_HEADS.match(word):
            continue
        if not re.search(r"[가-힣]", word):
            return False
        return not _SENTENCE_FINAL.search(word) and not intents.names_lesson_idea(word)
    return False


def requested_activity(retriever: Retriever, text: str, under_way: bool) -> str | None:
    """The activity a message asks for by its words, "quiz", "recap",
    "overview", "start" or "progress", when nothing else is left in it;
    else None. See the note above."""
    plain = _plain(text)
    sentences = _sentences(unicodedata.normalize("NFC", text).lower())
    for name in ("quiz", "recap", "progress", "start", "overview"):
        head = _ACTIVITY_HEAD[name]
        if not head.search(plain):
            continue
        fits = True
        found = False
        for sentence in sentences:
            sentence = _plain(sentence)
            asks = bool(_ASKS.search(sentence))
            if head.search(sentence):
                found = True
            elif asks and not (is_closing(sentence) or intents.is_greeting(sentence)):
                # Another question beside the request ("D&D는 뭐예요? 처음 들어봐요").
                fits = False
                continue
            elif not asks:
                # A sentence saying why the learner asks ("학사팀 직원인데 … 들으래요.")
                # is context, unless it names what to sum up or quiz on.
                if name in ("recap", "quiz") and _names_something(retriever, _leftover(name, sentence), foreign=False):
                    fits = False
                continue
            clause = _plain(intents.without_context_clause(sentence, keep_ideas=False)) if asks else sentence
            if name in ("recap", "quiz") and _CONVERSATION.search(sentence):
                clause = sentence
            if not head.search(clause) and head.search(sentence):
                clause = sentence
            if name == "quiz" and _QUIZ_NOUN_ASKED.search(clause):
                fits = False
            if name == "overview" and head.search(clause) and (not (_COURSE.search(clause) or _WHOLE.search(clause))
                                                               or re.search(r"다음|\bnext\b", clause)):
                fits = False
            if name == "start" and under_way and re.search(r"다시|\bagain\b", clause):
                fits = False
            if name in ("recap", "quiz") and not _CONVERSATION.search(clause) and _names_object(name, clause):
                fits = False
            rest = _leftover(name, clause)
            if _OTHER_ASK.search(rest) or _names_something(retriever, rest):
                fits = False
        if fits and found:
            return name
    return None


_ACTIVITY_HEADS = re.compile("|".join(f"(?:{p.pattern})" for p in _ACTIVITY_HEAD.values()), re.I)


# Closing words: thanks, agreeing, leaving for now ("수고하셨어요", "다음 주에
# 또 올게요", "ㅇㅇ", "ty"); a message of nothing else closes a point.
_CLOSING_WORD = re.compile(
    r"(?:ㄳ|ㄱㅅ|ㅇㅋ|ㅇㅇ|ㅇㅎ|ㅇㅈ|ㅂㅂ|ㅃㅃ|ㄱㅊ|감사\S*|고마\S*|고맙\S*|땡큐\S*|알겠\S*|알았\S*|알아들\S*|이해\S*|"
    r"오케이?\S*|오키\S*|넵\S*|네+\S*|예|응+|웅+|어|엉|그래요?|그렇\S*|그랬\S*|아하+\S*|아항\S*|오호\S*|오+|와+|우와\S*|헐|대박\S*|"
    r"좋\S*|굿\S*|최고\S*|신기\S*|재밌\S*|재미있\S*|수고\S*|올게\S*|갈게\S*|가볼게\S*|들어갈게\S*|볼게\S*|뵐게\S*|봬요\S*|뵙겠\S*|쉴게\S*|"
    r"끝낼게\S*|할게요\S*|마칠게\S*|이만\S*|여기까지\S*|오늘은\S*|오늘도\S*|다음(?:에|주에|번에|달에|엔)|나중에|내일|또|"
    r"정말|진짜|너무|완전|많이|잘|덕분\S*|설명\S*|친절\S*|쉽게|재미\S*|유익\S*|도움\S*|됐\S*|되었\S*|했어요|했습니다|"
    r"선생님\S*|쌤\S*|튜터님?\S*|님|요|ㅎ+|ㅋ+|"
    r"thanks?|thank|thx|ty|tysm|cheers|got|it|i|see|makes|sense|understood|cool|nice|great|awesome|perfect|ok|okay|k|"
    r"yes|yeah|yep|yup|sure|alright|right|good|bye|goodbye|later|see|you|for|now|that|this|helps|helped|helpful|so|much|"
    r"a|lot|very|clear|will|i'll|come|back|tomorrow|today|night|all|the|help|gotcha|noted|ah|oh)"
)
_CLOSING_HEAD = re.compile(r"ㄳ|ㄱㅅ|ㅇㅋ|ㅇㅇ|ㅇㅎ|ㅇㅈ|ㅂㅂ|감사|고마|고맙|땡큐|알겠|알았|이해|오케|오키|넵|네|응|그렇|아하|수고|올게|갈게|가볼게|"
                           r"뵐게|봬요|이만|\b(?:thanks?|thx|ty|tysm|got|see|sense|understood|ok|okay|bye|cheers|yes|yeah|yep|yup|sure|gotcha|noted)\b")


def is_closing(text: str) -> bool:
    """"수고하셨어요", "고마워요 선생님, 다음 주에 또 올게요", "ㅇㅇ", "ty":
    only thanks, agreement or leave-taking; nothing asked."""
    plain = unicodedata.normalize("NFC", text).lower().strip()
    plain = re.sub(r"다음\s+(주|번|달)에", r"다음\1에", plain)
    if "?" in plain:
        return False
    words = [w for w in re.split(r"[\s,.!~^]+", plain) if w and not re.fullmatch(r"[ㅎㅋㅠㅜ]+", w)]
    return 0 < len(words) <= 12 and all(_CLOSING_WORD.fullmatch(w) for w in words) \
        and any(_CLOSING_HEAD.match(w) for w in words)


# The learner spoken of as a person ("처음 하는 사람은 뭐부터 봐요?", "초보는"):
# whoever asks, never one of the document's ideas.
_LEARNER = re.compile(r"사람|분|초보자?|입문자|저|제|나|내|우리|학생|어른|애들?")


def _idea_as_subject(retriever: Retriever, text: str) -> bool:
    """Whether the noun before a subject or topic particle names one of the
    document's ideas ("ChatGPT가", "모델 성능은", "이미지 생성은"), not the
    course ("이 글은") nor the learner ("저는")."""
    plain = _plain(text)
    for found in re.finditer(r"(?:(\S+)\s+)?(\S+?)\s*(?:가|이|는|은)(?=[\s?.!,]|$)", plain):
        word = found.group(2)
        if found.group(0).endswith("이") and len(word) == 1 and not intents.names_lesson_idea(word):
            continue  # "많이", "같이": an adverb, not a noun and its particle
        if _COURSE.fullmatch(word) or _CONVERSATION.fullmatch(word) or _PADDING.fullmatch(word) or _LEARNER.fullmatch(word):
            continue
        # A bare noun just before it is part of the same name ("모델 성능").
        words = [found.group(1), word] if found.group(1) and not _SUBJECT_OF.search(found.group(1)) else [word]
        phrase = " ".join(words)
        if intents.names_lesson_idea(phrase) or retriever.names_unknown(phrase) or retriever.names_known_topic(phrase):
            return True
    return False
