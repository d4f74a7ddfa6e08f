"""What an elliptical follow-up is about: the earlier topic it reaches back
to, the time "before" the topic under way, the item an ordinal counts, the
rest of a list, the next figure rather than the same one again, and the
question a bare "and X?" asks again.

Apart from planning because each of these reads the conversation so far,
not the message alone, and they are easier to check side by side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tutor.providers.base import ChatMessage

from . import answering, conversation_focus, selecting
from . import intent as intents
from .pack import LessonPassage
from .retrieval import Hit, Retriever
from .text import detect_language, ends_closed, has_hangul, is_stopword, normalise, raw_words
from .turn_plan import Earlier

# "다른 이유도요", "또 다른 예는요?", "그 밖에 또 어떤 분야가 있습니까?", "other
# reasons?": another of the items a passage lists (its reasons, examples, uses).
_ITEM = r"(?:이유|예|예시|사례|분야|산업|용도|쓰임|장점|단점|문제|문제점|이점|특징)"
_ANOTHER_ITEM = re.compile(
    rf"(?:다른|그\s*밖의|그\s*외의)\s*{_ITEM}|그\s*(?:밖에|외에)\s*(?:또\s*)?(?:어떤|무슨)\s*{_ITEM}"
    r"|\b(?:other|another|more)\s+(?:reasons?|examples?|uses?|fields?|areas?|industries|problems|advantages|benefits|drawbacks)\b",
    re.IGNORECASE,
)
# "그럼 와인을 레드 화이트로 나누는 건요?", "and sorting wine?": a bare "and
# X?" that leaves its question to the learner's turn before.
_AND_WHAT_ABOUT = re.compile(
    r"^\W*(?:그럼|그러면|그리고|근데|그런데)?\s*(?P<thing>.+?)\s*(?:은|는|건|거는|것은)\s*요\s*[?？]*\s*$"
    r"|^\W*(?:and|so|then)?\s*(?:what|how)\s+about\s+(?P<en>.+?)\s*[?!.]*\s*$",
    re.IGNORECASE,
)
AND_WHAT_ABOUT_WORDS = 8
# "고기 많이 팔릴 날 맞추는 것도 그거에요?": whether X is the thing just taught.
_IS_IT_THAT = re.compile(
    r"^\W*(?:그럼|그러면|그리고|근데|그런데)?\s*(?P<thing>.+?)\s*(?:도|는|은)\s*(?:그거|그것|그런\s*거)\s*"
    r"(?:예요|에요|이에요|인가요|맞나요|맞아요|맞죠|죠|임)?\s*[?？]*\s*$"
)
_GENERATIVE_AI = re.compile(r"\s*생성형\s*AI\s*", re.IGNORECASE)
# Of an earlier topic the message reaches back to and a passage it finds by
# itself, one beats the other only when it explains the message's words by this much more.
RECALL_MARGIN = 0.1
# "첨에 말한 노이즈 그거", "아까 친구 얘기한 거", "going back to the conversation
# practice": the learner reaches back past the last answer to something said before it.
# "처음에", "earlier" alone often mean "at first" ("처음에 뭘 보고 시작해요?",
# "earlier models"): only with what was said do they reach back.
_REACHING_BACK = re.compile(
    r"아까|앞에서|(?:처음에|첨에|맨\s*처음에?|앞서|전에)\s*(?:\S+\s+)?(?:말|얘기|이야기|나온|나왔|하신|했던|설명|물어|물었|질문)"
    r"|\b(?:going\s+back|back\s+to|from\s+before|(?:said|mentioned|talked\s+about|asked)\s+(?:earlier|before|first)"
    r"|earlier\s+you|you\s+(?:mentioned|said)|(?:my|the)\s+first\s+question)\b",
    re.IGNORECASE,
)
# Reaching back to the conversation's beginning ("처음에 물어본 거요", "my first question").
_TO_THE_BEGINNING = re.compile(r"처음|첨에|\bfirst\b", re.IGNORECASE)


def reached_back(
    retriever: Retriever, question: str, earlier: Earlier, history: Sequence[ChatMessage],
    covered: Sequence[str] = (),
) -> LessonPassage | None:
    """The earlier topic a message reaches back to ("첨에 말한 노이즈 그거 다시"):
    of the passages earlier answers were about, then of those they also drew
    on ("the RNN thing you mentioned" after an answer on attention that set it
    beside the RNN), the one that explains the words the message names best,
    when that is not the last answer's."""
    if not history or not earlier.topics or not _REACHING_BACK.search(question):
        return None
    named = _named_words(retriever, question)
    latest = retriever.pack.passage(earlier.topics[-1])
    if not named:
        # Nothing named, only where it was: "처음에 물어본 거요" is the first topic.
        first = retriever.pack.passage(earlier.topics[0])
        return first if _TO_THE_BEGINNING.search(question) and first is not latest else None
    best, best_score = None, retriever.coverage_of(named, latest) if latest is not None else 0.0
    # Newest first: of two passages explaining the words as well, the more recent one.
    for pid in dict.fromkeys([*reversed(earlier.topics), *reversed(covered)]):
        passage = retriever.pack.passage(pid)
        if passage is None or passage is latest:
            continue
        score = retriever.coverage_of(named, passage)
        if score > best_score:
            best, best_score = passage, score
    if best is None:
        return None
    # "앞에서 RNN이 바로 앞 단어는 잘 기억한다고 했죠?": a passage the message's
    # words find clearly better by themselves is what it recalls, not the earlier topic.
    found = retriever.search(question, k=1)
    if found and found[0].passage is not best and retriever.coverage_of(named, found[0].passage) > best_score + RECALL_MARGIN:
        return None
    return best


# "Before the Transformer, …", "트랜스포머가 나오기 전에는 …": a sentence telling
# what came before a named thing, and the thing.
_BEFORE_THING = (
    re.compile(r"\bbefore\s+(?:the\s+|a\s+|an\s+)?(?P<thing>[A-Z][\w.\-]*)"),
    re.compile(r"(?P<thing>[가-힣A-Za-z0-9.\-]+?)(?:이|가)?\s+(?:나오기|등장하기|생기기|쓰이기)\s*(?:이\s*)?전"),
)
# A passage telling what was before, in its own words ("예전 모델들이", "그전까지", "Before,").
_TELLS_BEFORE = re.compile(r"예전|이전|옛날|그\s*전|\bbefore\b|\bpreviously\b|\bearlier\s+models\b", re.IGNORECASE)

# Ordinals in either language, by the number they count: "두 번째", "둘째", "second".
_ORDINALS = {
    1: r"첫\s*번\s*째|첫째|\bfirst(?:ly)?\b",
    2: r"두\s*번\s*째|둘째|\bsecond(?:ly)?\b",
    3: r"세\s*번\s*째|셋째|\bthird(?:ly)?\b",
    4: r"네\s*번\s*째|넷째|\bfourth(?:ly)?\b",
    5: r"다섯\s*번\s*째|다섯째|\bfifth(?:ly)?\b",
}
_FIRST_KO = r"첫\s*번\s*째|첫째"
RECENT_LISTS = 3


def _ordinal(text: str) -> int | None:
    """The number an ordinal in ``text`` counts, if it has one."""
    # English "first" mostly means "at first" ("what did it change first?"), not the first item.
    found = (n for n, pattern in _ORDINALS.items() if re.search(pattern if n > 1 else _FIRST_KO, text, re.IGNORECASE))
    return next(found, None)


def _enumerates(passage: LessonPassage, n: int) -> bool:
    """Whether a passage lists items itself, from the first to at least the ``n``-th
    ("첫째, … 둘째, … 셋째, …"); one that only refers to "the third reason"
    of another passage does not."""
    return any(re.search(_ORDINALS[1], text, re.IGNORECASE) and re.search(_ORDINALS[n], text, re.IGNORECASE)
               for text in (passage.text.ko, passage.text.en))


def enumerating_passage(
    retriever: Retriever, query: str, earlier: Earlier, history: Sequence[ChatMessage]
) -> LessonPassage | None:
    """The recent topic whose list an ordinal in a follow-up counts in ("멀티모달이
    AGI랑 왜 연결돼요" / "두번째 이유 예시로 설명해줘요"): the newest of the last
    few topics that lists that many items itself. None when none does (the four
    reasons of another lesson, one passage each, are found by their own words)."""
    n = _ordinal(query) if history and earlier.topics else None
    if n is None:
        return None
    for pid in list(dict.fromkeys(reversed(earlier.topics)))[:RECENT_LISTS]:
        passage = retriever.pack.passage(pid)
        if passage is not None and _enumerates(passage, n):
            return passage
    return None


# Detail questions whose answer is a figure (a year, an amount, a count).
FIGURE_KINDS = frozenset(("when", "how_much", "how_many"))
_FIGURE = re.compile(r"\d[\d,.]*\d")


def what_is_new(
    retriever: Retriever, query: str, kind: str, language: str, fact: tuple[str, int] | None,
    passage: LessonPassage, history: Sequence[ChatMessage],
) -> tuple[LessonPassage, int] | None:
    """An elliptical "when / how much" whose answer would give only figures
    already said asks for something new, not the same figures again.
    Pointing at what was just said ("더 싼 모델은요?" / "그건 얼마예요?"), it asks
    the figure of the turn before: the passage's fact of that kind closest to
    it. Otherwise ("그때는 왜 안 됐어요?" / "그럼 언제부터 확 뜬 거예요?") it
    asks what came next: the first fact of that kind with a figure not said
    yet in the passages that follow in the same lesson (the 2010s after 1906
    and 1964). None when the question names its own subject, reaches back to
    an earlier answer, or nothing new is found."""
    if kind not in FIGURE_KINDS or not history or retriever.names_own_topic(query) or _REACHING_BACK.search(query):
        return None
    said = " ".join(m.content for m in history if m.role == "assistant")

    def old_news(text: str) -> bool:
        # Figures of two characters or more (1906, 35, 48,000, 10): a lone digit says little.
        figures = _FIGURE.findall(text)
        return bool(figures) and all(re.search(rf"(?<![\d,.]){re.escape(figure)}(?![\d,.]?\d)", said)
                                     for figure in figures)

    if intents.points_back(query):
        before = follow_up_context(history)
        told = [(index, candidate) for index, candidate in enumerate(passage.facts) if candidate.kind == kind]
        if not told:
            return None
        index, closest = max(told, key=lambda item: answering.similarity(before, item[1].ask.get(language)))
        chosen = fact is not None and fact == (passage.id, index)
        return None if chosen or answering.similarity(before, closest.ask.get(language)) <= 0 else (passage, index)
    # No fact chosen ("그럼 언제부터 본격적으로 터졌어요?" after 1906 and 1964): the
    # passage would tell its own figures again, those of its first fact of that kind.
    told = passage.facts[fact[1]] if fact is not None else next((f for f in passage.facts if f.kind == kind), None)
    if told is None or not old_news(told.answer.get(language)):
        return None
    lesson = retriever.pack.lesson(passage.lesson_id)
    siblings = list(lesson.passages) if lesson else []
    position = next((i for i, p in enumerate(siblings) if p.id == passage.id), len(siblings))
    for following in siblings[position + 1:]:
        for index, candidate in enumerate(following.facts):
            if candidate.kind == kind and not old_news(candidate.answer.get(language)):
                return following, index
    return None


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def next_in_time(
    retriever: Retriever, earlier: Earlier, history: Sequence[ChatMessage]
) -> tuple[LessonPassage, int] | None:
    """"그 다음은요?" right after a question on one dated item of a passage
    that dates several ("1906년에 뭐가 있었는데요?" on the Markov chain and
    ELIZA): the next item of that timeline, the passage's dated fact with the
    earliest year after the one in focus, not the next passage of the course.
    In focus is the year the learner's last question names, else the
    earliest the last answer opens with. None when the last message was
    itself a "next", or nothing later is dated in the passage."""
    last = _last_user(history)
    if not last or intents.wants_next(last)[1]:
        return None
    topic, focus = _dated_focus(retriever, earlier, history)
    if topic is None or focus is None:
        return None
    later = [(min(years), index) for index, fact in enumerate(topic.facts) if fact.kind == "when"
             and (years := [int(y) for y in _YEAR.findall(fact.answer.ko)]) and min(years) > focus]
    return (topic, min(later)[1]) if later else None


def earlier_in_time(
    retriever: Retriever, earlier: Earlier, history: Sequence[ChatMessage]
) -> tuple[LessonPassage, int] | None:
    """"그럼 그 전에는 뭐가 있었어요?" right after one dated item of a passage
    that dates several (ELIZA, 1964): the item before it on that timeline,
    the passage's dated fact on the latest year before the one in focus
    (the Markov chain, 1906), else its lesson's, the mirror of
    ``next_in_time``. None when nothing earlier is dated in the lesson: then
    what came before is told by another passage, if any (``before_it``)."""
    topic, focus = _dated_focus(retriever, earlier, history)
    if topic is None or focus is None:
        return None
    lesson = retriever.pack.lesson(topic.lesson_id)
    # The topic's own timeline first, then its lesson's ("그 전엔요?" after the
    # 2010s: ELIZA, told by the passage on the early days).
    for passage in (topic, *(p for p in (lesson.passages if lesson else ()) if p is not topic)):
        # The latest item before the focus; of facts dating it, one that sets it
        # beside the focus ("1906년 …, ELIZA는 1964년") names both in order.
        before = [((min(years), max(years) == focus), index) for index, fact in enumerate(passage.facts)
                  if fact.kind == "when" and (years := [int(y) for y in _YEAR.findall(fact.answer.ko)])
                  and min(years) < focus and max(years) <= focus]
        if before:
            return passage, max(before)[1]
    return None


def _dated_focus(
    retriever: Retriever, earlier: Earlier, history: Sequence[ChatMessage]
) -> tuple[LessonPassage | None, int | None]:
    """The topic under way and the year in focus on its timeline: the year the
    learner's last question names, else the earliest the last answer opens with."""
    topic = topic_under_way(retriever, earlier, history)
    last = _last_user(history)
    if topic is None or not last:
        return None, None
    answer = next((m.content for m in reversed(history) if m.role == "assistant"), "")
    opening = re.split(r"(?<=[.!?])\s+|\n+", answer.strip())[0] if answer.strip() else ""
    asked = [int(y) for y in _YEAR.findall(last)]
    told = [int(y) for y in _YEAR.findall(opening)]
    if not asked and not told:
        return topic, None
    return topic, (asked[-1] if asked else min(told))


BRIDGE_MARGIN = 0.05
BRIDGE_CANDIDATES = 8


def _title_names(passage: LessonPassage) -> frozenset[str]:
    """The particular things a passage's title names (RNN, 트랜스포머), not "AI"."""
    named = selecting.named_things(passage.title.ko) | selecting.named_things(passage.title.en)
    return frozenset(name.lower() for name in named if name.lower() not in ("ai", "generative", "three", "working"))


def bridging_passage(
    retriever: Retriever, query: str, topic: LessonPassage, hits: Sequence[Hit], leaning: Sequence[ChatMessage]
) -> LessonPassage | None:
    """A follow-up naming a thing of its own (the Transformer) while the
    conversation is on another (the RNN): of the passages its words reach
    about as well as the best one, the one whose title names both, if the
    best one does not already."""
    asked = {name.lower() for name in selecting.named_things(query)}
    own = _title_names(topic)
    if not asked or not own or asked & own:
        return None
    if own & _title_names(hits[0].passage):
        return None
    found = retriever.search(query, leaning, k=BRIDGE_CANDIDATES)
    if not found:
        return None
    bar = max(found[0].score, hits[0].score) - BRIDGE_MARGIN
    return next((hit.passage for hit in found if hit.score >= bar and hit.passage is not topic
                 and (names := _title_names(hit.passage)) & own and names & asked), None)


RECENT_LESSONS = 3


def in_the_lesson_under_way(
    retriever: Retriever, query: str, earlier: Earlier, history: Sequence[ChatMessage]
) -> list[Hit]:
    """A follow-up nothing answers because of words the pack never uses, when
    the words it does know outweigh them: those words alone, searched beside
    the earlier turns, find a passage of a lesson the conversation is on.
    Mostly foreign words ("번역 단가 장당 얼마 받아야 적당해요?") are a new subject."""
    units = retriever.analyse(query)
    known = [unit for unit in units if not unit.unknown and not unit.attribute]
    foreign = [unit for unit in units if unit.unknown and not unit.attribute]
    if not known or not foreign or sum(u.weight for u in known) <= sum(u.weight for u in foreign):
        return []
    kept = " ".join(word for word in query.split() if not retriever.foreign_words(word))
    lessons = {p.lesson_id for pid in list(dict.fromkeys(reversed(earlier.topics)))[:RECENT_LESSONS]
               if (p := retriever.pack.passage(pid)) is not None}
    found = retriever.search(kept, history) if kept.strip() else []
    # The passage speaks of most of what the words it knows weigh ("수요" of "수요 … 비유"),
    # not of one word among several ("병원" of "황달 수치 … 병원").
    weights = {word: sum(u.weight for u in retriever.analyse(word) if not u.unknown and not u.attribute)
               for word in kept.split()}
    total = sum(weights.values())

    def explains(passage: LessonPassage) -> bool:
        covered = sum(weight for word, weight in weights.items() if weight and retriever.coverage_of(word, passage) > 0)
        return total > 0 and covered > total / 2

    return [hit for hit in found if hit.passage.lesson_id in lessons and explains(hit.passage)][:1]


# "비유로 설명좀", "an analogy?": the form an explanation should take.
_ANALOGY = re.compile(r"비유|빗대|\banalog(?:y|ies)\b|\bmetaphor\b", re.IGNORECASE)


def wants_analogy(retriever: Retriever, text: str) -> tuple[str, bool]:
    """(the message without the analogy word, whether it asks for the topic under
    way told through an analogy): "비유로 설명좀" names nothing else. "커피 비유는
    뭐에요" names the analogy it asks about, a question of its own."""
    rest = _ANALOGY.sub(" ", text)
    if rest == text or retriever.names_own_topic(rest) and not _by_analogy(text):
        return text, False
    return rest, True


# "수요 얘긴 비유로 한번만요": asked to be told through an analogy (비유로, 비유해서),
# whatever topic it names; "커피 비유는 뭐에요" asks about an analogy, a question of its own.
_BY_ANALOGY = re.compile(r"비유\s*(?:로|해|하)|빗대|\b(?:with|through|using|as)\s+an?\s+analogy\b", re.IGNORECASE)


def _by_analogy(text: str) -> bool:
    """Whether the message asks for the topic it names told through the document's
    analogy, not one of the learner's choosing ("게임으로 비유하면요?")."""
    return bool(_BY_ANALOGY.search(text)) and not _OWN_ANALOGY.search(text)


def asks_analogy(text: str) -> bool:
    """Whether the message asks for an analogy ("비유로 하면요?", "an analogy?")."""
    return bool(_ANALOGY.search(text))


# "나무 다루는 거에 비유해서", "게임으로 비유하면요?", "compared to cooking": what to liken it to.
_OWN_ANALOGY = re.compile(r"[가-힣]+(?:에|으로|로)\s*(?:비유|빗대)|\b(?:analogy|metaphor)\s+(?:with|from|about)\s+\w+",
                          re.IGNORECASE)


def asks_bare_analogy(retriever: Retriever, text: str) -> bool:
    """Whether the message asks for an analogy and names nothing else: "비유로
    설명좀", "비유 같은 거 없어요?", "잠이 덜 깨서 더 쉽게 비유로요" take the
    document's analogy; "나무 다루는 거에 비유해서" asks for one of the
    learner's own choosing."""
    rest = _ANALOGY.sub(" ", text)
    return rest != text and not _OWN_ANALOGY.search(text) and not retriever.names_known_topic(rest)


def simpler_told(topic: LessonPassage, language: str, history: Sequence[ChatMessage]) -> bool:
    """Whether an earlier answer already gave the topic's own simple version
    (its ``simpler``, else its ``analogy``): "더 쉽게요" again asks for
    another way in, not the same words."""
    simple = topic.simpler or topic.analogy
    said = [m.content for m in history if m.role == "assistant"]
    return simple is not None and answering.said_before(simple.get(language), said)


def lesson_analogy(
    retriever: Retriever, topic: LessonPassage, language: str, history: Sequence[ChatMessage]
) -> LessonPassage | None:
    """The passage an analogy of the topic is found in, when the topic has
    none of its own left to give: of its lesson's passages built on an
    analogy ("LLM은 무엇의 줄임말일까" -> "친구와의 대화처럼"), the nearest one
    whose analogy was not said yet. None when the topic's own will do."""
    said = [m.content for m in history if m.role == "assistant"]
    if topic.analogy is not None and not answering.said_before(topic.analogy.get(language), said):
        return None
    lesson = retriever.pack.lesson(topic.lesson_id)
    siblings = list(lesson.passages) if lesson else []
    here = next((i for i, p in enumerate(siblings) if p is topic), 0)
    found = [p for p in siblings if p is not topic and p.analogy is not None
             and not answering.said_before(p.analogy.get(language), said)]
    return min(found, key=lambda p: abs(siblings.index(p) - here), default=None)


def asks_before(retriever: Retriever, query: str) -> bool:
    """Whether a follow-up opens on "before" and names nothing of its own ("그럼
    그 전에는 뭘 썼어요?", "그전엔 머썼는데", "before that?"), however long it is."""
    words = query.split()
    opening = next((n for n in range(1, min(3, len(words)) + 1) if intents.asks_before_it(" ".join(words[:n]))), 0)
    return bool(opening) and not retriever.names_own_topic(" ".join(words[opening:]))


def before_it(retriever: Retriever, topic: LessonPassage, things: Sequence[str] = ()) -> LessonPassage | None:
    """What a follow-up asking about "before" ("그 전에는 뭘 썼어요?", "before
    that?") is about: the passage telling what came before the thing the
    conversation is on (``things``: after "트랜스포머가 뭐예요?", "before the
    Transformer, the RNN"), even when the topic under way speaks of "earlier
    models" in passing; else the topic under way when it tells what was before;
    otherwise the passage telling what came before a thing the topic is built
    on or speaks of ("GPT" names the Transformer it is built on). None when no passage tells it."""
    named = _before_named(retriever, topic, things)
    if named is not None:
        return named
    if any(_TELLS_BEFORE.search(topic.text.get(language)) for language in ("ko", "en")):
        return None
    own = f"{topic.title.ko} {topic.title.en} {topic.text.ko} {topic.text.en}".lower()
    best, best_count = None, 0
    for passage in retriever.pack.passages.values():
        if passage is topic:
            continue
        for language, pattern in (("en", _BEFORE_THING[0]), ("ko", _BEFORE_THING[1])):
            for found in pattern.finditer(passage.text.get(language)):
                thing = found.group("thing").lower()
                count = len(re.findall(rf"(?<![\w]){re.escape(thing)}", own))
                if count > best_count:
                    best, best_count = passage, count
    return best


def _before_named(retriever: Retriever, topic: LessonPassage, things: Sequence[str]) -> LessonPassage | None:
    """The passage (not the topic) saying what came before one of ``things``
    ("트랜스포머가 나오기 전에는 …" for 트랜스포머 or Transformer)."""
    wanted = {term for thing in things for unit in retriever.analyse(thing) for term, _ in unit.terms}
    if not wanted:
        return None
    for passage in retriever.pack.passages.values():
        if passage is topic:
            continue
        for language, pattern in (("en", _BEFORE_THING[0]), ("ko", _BEFORE_THING[1])):
            for found in pattern.finditer(passage.text.get(language)):
                if wanted & {term for unit in retriever.analyse(found.group("thing")) for term, _ in unit.terms}:
                    return passage
    return None


# "그게 나오고 뭐가 달라졌어요?", "그 뒤로는요?", "after that?": the time after
# the thing the topic under way is about, the mirror of "before" above.
_AFTER_IT = re.compile(
    r"^\W*(?:(?:그럼|그러면|근데|그런데|그래서)\s*)?(?:(?:그게|그거|그것이|그것|이게|그|그때)\s*)?"
    r"(?:(?:나오|등장하|생기|발표되|쓰이)고(?:\s*나서)?(?:는|도)?"
    r"|(?:(?:나온|등장한|생긴|발표된)\s*)?(?:뒤|후|이후)(?:에는|에|엔|로는|로|부터)?)(?:요)?(?=\s|[?？.!~]|$)"
    r"|^\W*(?:and\s+|so\s+)?(?:after\s+(?:that|this|it|then)|since\s+then|what\s+(?:happened|came)\s+(?:next|after))\b",
    re.IGNORECASE,
)
# A title telling what its thing changed ("ChatGPT가 가져온 변화", "What the Transformer
# changed"), not what changed from something before it ("What changed from the RNN").
_TELLS_CHANGE = re.compile(r"가져온\s*변화|바꾼|\bwhat\b(?!\s+changed)[^:]*\bchanged\b", re.IGNORECASE)


def asks_after(retriever: Retriever, query: str) -> bool:
    """Whether a follow-up opens on "after it" and names nothing of its own ("그게
    나오고 뭐가 달라졌어요?", "그 뒤로는요?", "after that?"), however long it is."""
    found = _AFTER_IT.search(query)
    return found is not None and not retriever.names_own_topic(query[found.end():])


def after_it(retriever: Retriever, topic: LessonPassage) -> LessonPassage | None:
    """What a follow-up asking about "after" is about: the passage of the topic's
    lesson telling what its thing changed ("ChatGPT가 가져온 변화" after the GPT
    name); else a passage telling what came after the topic's thing ("before the
    Transformer, the RNN" after the RNN); else the passage that follows the
    topic in the document (the 2010s after 1906 and 1964). None when the topic
    itself tells what changed."""
    if _TELLS_CHANGE.search(f"{topic.title.ko} {topic.title.en}"):
        return None
    lesson = retriever.pack.lesson(topic.lesson_id)
    siblings = list(lesson.passages) if lesson else []
    changed = next((p for p in siblings if p is not topic and _TELLS_CHANGE.search(f"{p.title.ko} {p.title.en}")), None)
    if changed is not None:
        return changed
    came_after = superseded_by(retriever, topic)
    if came_after is not None:
        return came_after
    order = [p for lesson in retriever.pack.lessons for p in lesson.passages]
    position = next((i for i, p in enumerate(order) if p is topic), len(order))
    return order[position + 1] if position + 1 < len(order) else None


# "그걸로 뭘 할 수 있어요?", "그 덕분에 뭐가 가능해졌어요?", "what did that make
# possible?": what the thing just taught brought about.
_ITS_EFFECT = re.compile(
    r"덕분에|덕에|덕택에|(?:그걸로|그거로|그것으로|이걸로)\s*(?:뭘|무엇을|뭐|뭐를|머|멀|어떤\s*걸)"
    r"|(?:뭐가|무엇이|뭐|머가|어떤\s*게|어떤\s*점이)\s*(?:더\s*)?(?:좋아졌|좋아진|나아졌|나아진|가능해졌|가능해진|편해졌|편해진|바뀌었|바뀐)"
    r"|\b(?:make|made|makes)\s+possible\b|\bwhat\s+(?:did|does|has)\s+(?:that|it|this)\s+(?:make\s+possible|change|enable|bring|improve)"
    r"|\bwhat\s+can\s+(?:you|we|it|one)\s+do\s+with\s+(?:that|it|this)\b|\bwhat\s+got\s+better\b",
    re.IGNORECASE,
)
# "뭐가 좋아졌어요?", "what got better?": how the thing improved on what came before it.
_IMPROVED = re.compile(r"좋아졌|좋아진|나아졌|나아진|\bbetter\b|\bimprove", re.IGNORECASE)
# A title telling what changed from what came before ("RNN과 무엇이 달라졌나", "What changed from the RNN").
_TELLS_CHANGE_FROM = re.compile(r"달라졌|\bwhat\s+changed\s+from\b", re.IGNORECASE)


def asks_effect(retriever: Retriever, query: str) -> bool:
    """Whether a follow-up asks what the thing just taught brought about ("그
    덕분에 뭐가 가능해졌어요?", "그걸로 뭘 할 수 있는데요?") and names no subject of its own."""
    found = _ITS_EFFECT.search(query)
    return found is not None and not retriever.names_own_topic(query[:found.start()] + " " + query[found.end():])


def what_it_changed(retriever: Retriever, topic: LessonPassage, query: str) -> LessonPassage | None:
    """The passage of the topic's lesson telling what its thing brought about:
    asked what got better, the one telling how it differs from what came before
    ("트랜스포머 이전의 RNN과 무엇이 달라졌나"); otherwise, or once that is the
    topic, the one telling what it changed ("트랜스포머가 가져온 변화"). The
    topic itself when it tells that; None when its lesson tells neither."""
    lesson = retriever.pack.lesson(topic.lesson_id)
    siblings = list(lesson.passages) if lesson else []

    def titled(pattern: re.Pattern[str]) -> LessonPassage | None:
        return next((p for p in siblings if pattern.search(f"{p.title.ko} {p.title.en}")), None)

    improved = titled(_TELLS_CHANGE_FROM) if _IMPROVED.search(query) else None
    if improved is not None and improved is not topic:
        return improved
    return titled(_TELLS_CHANGE)


# "트랜스포머가 나와서 뭐가 바뀐건데요?", "ChatGPT 나오고 나서 뭐가 달라졌어요?": a thing
# named, its coming out, then what changed; the clause before the verb names the thing.
_NAMED_THEN_CHANGED = re.compile(
    r"^(?P<thing>.+?)\s*(?:이|가|은|는)?\s+"
    r"(?:나와서|나오고(?:\s*나서)?|나온\s*(?:뒤|후|다음)(?:에|로)?|등장해서|등장하고(?:\s*나서)?|등장한\s*(?:뒤|후)(?:에|로)?"
    r"|생겨서|생기고(?:\s*나서)?|덕분에|때문에)"
    r"\s+(?:뭐가|무엇이|뭐|어떤\s*게|어떤\s*것이|무슨\s*일이|세상이|세상은)\s*\S*"
    r"(?:바뀌|바뀐|바꼈|변했|변한|달라|좋아|나아|가능해)"
)


def changed_by_named(retriever: Retriever, query: str) -> LessonPassage | None:
    """For a first question naming a thing and asking what its coming out changed,
    the passage telling what that thing changed (as ``what_it_changed`` does for a
    follow-up); None when the message is not of that shape or names nothing the pack knows."""
    found = _NAMED_THEN_CHANGED.search(normalise(query))
    if found is None or not retriever.names_known_topic(found["thing"]):
        return None
    hits = retriever.search(found["thing"])
    return what_it_changed(retriever, hits[0].passage, query) if hits else None


# "그게 왜 중요해요?", "그게 무슨 의미가 있어요?", "그래서요?", "why does that
# matter?", "so what?": what the last answer's point means, not a new subject.
_ITS_SIGNIFICANCE = re.compile(
    r"(?:그게|그건|그거|그것이|그것은|이게|이건)\s*(?:\S+\s+)?(?:왜|뭐가|무슨|어째서)\s*(?:그렇게\s*)?(?:중요|대단|의미|큰\s*일|대수)"
    r"|^\W*그래서(?:요|는요|요\?|\s*뭐|\s*어쨌|\s*어떻게\s*(?:돼|되|됐))"
    r"|\bwhy\s+(?:does|did|would)\s+(?:that|it|this)\s+matter\b|\bwhy\s+is\s+(?:that|it|this)\s+(?:important|a\s+big\s+deal|significant)\b"
    r"|^\W*so\s+what\b",
    re.IGNORECASE,
)


def asks_significance(retriever: Retriever, query: str) -> bool:
    """Whether a follow-up asks what the point just taught means ("그게 왜
    중요해요?", "그래서요?") and names no subject of its own: the topic under way
    answers it, not a passage that happens to say "중요" or "핵심"."""
    found = _ITS_SIGNIFICANCE.search(query)
    return found is not None and not retriever.names_own_topic(query[:found.start()] + " " + query[found.end():])


# "그걸 쓰는 서비스는 뭐 있어요", "그거 만든 회사는요?", "사람들은 그걸로 뭘 해요?",
# "services that use it?": what is done with the thing just taught.
_OF_THE_TOPIC = re.compile(
    r"^\W*(?:(?:그럼|그러면|근데|그런데|그래서)\s+)?(?:그걸|그거|그것을|이걸|이거)\s+\S*(?:는|은|던|한|든|된|쓴|인)(?=\s)"
    r"|(?<![가-힣])(?:그걸로|그거로|그것으로|이걸로|이거로)(?=\s)"
    r"|\b(?:use|uses|using|used|make|makes|made|built\s+on)\s+(?:it|that|this|them)\b",
    re.IGNORECASE,
)


def told_by_the_topic(query: str) -> bool:
    """Whether what the message asks about is told by what it does with the
    thing just taught ("그걸 쓰는 서비스는 뭐 있어요"): the topic under way answers."""
    return bool(_OF_THE_TOPIC.search(query))


# "ChatGPT가 왜 그렇게 대단해요?", "트랜스포머가 뭐가 그렇게 혁신이에요?", "why was
# ChatGPT such a big deal?": what a named thing changed is why it matters.
_A_BIG_DEAL = re.compile(
    r"(?:왜|뭐가|무엇이|머가|뭐이|어떤\s*점이|어디가)\s*(?:그렇게|그리|이렇게|저렇게|그\s*정도로)?\s*"
    r"(?:대단|중요|유명|혁신|난리|화제|특별|획기|굉장|대박)"
    r"|\bwhy\s+(?:is|was|are|were)\b.+?\b(?:a\s+big\s+deal|so\s+(?:important|famous|special|great|revolutionary))"
    r"|\bwhat\s+(?:is|was|'s)\s+so\s+(?:great|special|important|revolutionary)\s+about\b",
    re.IGNORECASE,
)
# The thing a "what it changed" title is about: "ChatGPT" of "ChatGPT가 가져온 변화".
_CHANGE_SUBJECT = re.compile(r"^(?P<ko>.+?)(?:이|가)\s*가져온\s*변화")


def what_made_it_matter(retriever: Retriever, query: str) -> LessonPassage | None:
    """The passage telling what the thing a message names changed, when the
    message asks why that thing matters so much ("챗GPT가 뭐가 그렇게
    대단했던거에요?": what ChatGPT changed, not a passage that says "좋은")."""
    if not _A_BIG_DEAL.search(query):
        return None
    for passage in retriever.pack.passages.values():
        found = _CHANGE_SUBJECT.match(passage.title.ko)
        if found and answering.coverage(answering.readings_of(found.group("ko")), query) >= 1.0:
            return passage
    return None


# "단점은 없어요?", "안 좋은 점은요?", "문제는 없어요?", "any downsides?": the other
# side of the thing just taught.
_ITS_DOWNSIDE = re.compile(
    r"단점|약점|문제점|부작용|한계|안\s*좋은\s*(?:점|거|것)|나쁜\s*(?:점|거|것)|문제(?:는|도|가)?\s*(?:없|있)|걱정(?:은|도|되는)"
    r"|\b(?:downsides?|drawbacks?|disadvantages?|weakness(?:es)?|problems?\s+with\s+(?:it|that)|any\s+problems?|cons)\b",
    re.IGNORECASE,
)
# A title telling a thing's other side ("ChatGPT를 둘러싼 걱정과 논란", "이 모델들의 약점").
_TELLS_DOWNSIDE = re.compile(r"걱정|논란|약점|단점|한계|\bworr|\bweakness|\bcontrovers", re.IGNORECASE)


def downside_of(retriever: Retriever, query: str, topic: LessonPassage) -> LessonPassage | None:
    """The passage of the topic's lesson telling its thing's other side, when a
    follow-up naming nothing of its own asks for it ("단점은 없어요?" after what
    ChatGPT changed: the worries around it). None when the topic tells it itself,
    or its lesson has no such passage about the same thing."""
    found = _ITS_DOWNSIDE.search(query)
    if found is None or retriever.names_own_topic(query[:found.start()] + " " + query[found.end():]):
        return None
    if _TELLS_DOWNSIDE.search(f"{topic.title.ko} {topic.title.en}"):
        return None
    lesson = retriever.pack.lesson(topic.lesson_id)
    siblings = list(lesson.passages) if lesson else []
    # Of the same thing: "ChatGPT를 둘러싼 걱정" after what ChatGPT changed; the RNN's
    # weakness is told where it is set beside the Transformer, not by "이 모델들의 약점".
    own = _title_names(topic)
    return next((p for p in siblings if _TELLS_DOWNSIDE.search(f"{p.title.ko} {p.title.en}")
                 and own & _title_names(p)), None)


def superseded_by(retriever: Retriever, topic: LessonPassage) -> LessonPassage | None:
    """The passage telling what came after the topic's thing: one whose "before
    X, …" sentence names it ("트랜스포머가 나오기 전에는 RNN …" after the RNN)."""
    own = _title_names(topic)
    for passage in retriever.pack.passages.values():
        if passage is topic or not own:
            continue
        for language, pattern in (("en", _BEFORE_THING[0]), ("ko", _BEFORE_THING[1])):
            text = passage.text.get(language)
            for found in pattern.finditer(text):
                sentence = text[found.start():].split(".")[0].lower()
                if any(re.search(rf"(?<![\w]){re.escape(name)}", sentence) for name in own):
                    return passage
    return None


# "그게 트랜스포머한테 밀린 이유는요?", "근데 왜 밀려났어요?", "why was it replaced?":
# why the topic's thing gave way to what came after it.
_SUPERSEDED = re.compile(
    r"밀리|밀린|밀렸|밀려|뒤처|뒤쳐|자리를?\s*내[주줬준]"
    r"|\b(?:replaced|superseded|overtaken|fell\s+behind|lost\s+out|gave\s+way)\b",
    re.IGNORECASE,
)


def asks_superseded(query: str) -> bool:
    """Whether a follow-up asks why the topic's thing gave way ("왜 밀려났어요?")."""
    return bool(_SUPERSEDED.search(query))


# "그럼 그걸 누가 해결했어요?", "그 문제는 언제 풀렸어요?", "what fixed that?": a
# pointer at the problem the last answer named, and what overcame it.
_SOLVED = re.compile(
    r"해결|극복|보완|개선|고쳤|고친|고쳐|풀렸|풀었|풀린|뛰어넘|넘어섰"
    r"|\b(?:solved?|fixed|overc[ao]me|addressed)\b",
    re.IGNORECASE,
)

# "그 문제는", "그 한계를", "that problem": the problem the last answer named, by a pointer.
_POINTED_PROBLEM = re.compile(
    r"(?:그|이|저)\s*(?:문제|문제점|한계|단점|약점|부분)(?:을|를|은|는|이|가|도)?"
    r"|\b(?:that|this|the)\s+(?:problem|issue|limit(?:ation)?|weakness)\b",
    re.IGNORECASE,
)


def asks_solved(retriever: Retriever, query: str) -> bool:
    """Whether a follow-up asks what overcame the problem just told ("그걸 누가
    해결했어요?") and names no subject of its own: the answer's problem is what
    "그걸" stands for, not the topic word of the learner's last question."""
    if not _SOLVED.search(query) or not intents.points_back(query):
        return False
    # "그 문제", "그 한계" are the answer's problem, not a subject of the learner's own.
    return not retriever.names_own_topic(_POINTED_PROBLEM.sub(" ", query))


def solved_by(retriever: Retriever, topic: LessonPassage) -> LessonPassage | None:
    """The passage telling what overcame the problem of the topic's thing: the
    topic itself when it already sets its thing beside a named thing that came
    after ("before the Transformer, the RNN …"), else what came after it (the Transformer after
    the RNN's short memory, the 2010s after 1906's lack of data and computing)."""
    titled = _title_names(topic)
    if any(found.group("thing").lower() in titled
           for language, pattern in (("en", _BEFORE_THING[0]), ("ko", _BEFORE_THING[1]))
           for found in pattern.finditer(topic.text.get(language))):
        return topic
    return after_it(retriever, topic)


# A Korean follow-up may leave its subject unsaid: "요즘은 잘 안써요?", "뺀건요?",
# "빼도 괜찮아요? 왜요?" are about the topic under way. One that ends on a noun of
# its own with a topic particle ("김치찌개로는요?", "비디오도요?") brings up a new subject.
UNSAID_SUBJECT_WORDS = 4
_OWN_SUBJECT_LAST = re.compile(r"(?:으로는|로는|에서는|에선|은|는|도|이랑|랑|하고)\s*요?$")


def subject_left_unsaid(retriever: Retriever, query: str) -> bool:
    """Whether a short Korean follow-up asks something of a subject it leaves
    unsaid: it names nothing the pack knows, no name the pack lacks, and only one
    word the pack does not know (most often its verb, "안써요", "뺀건요"), it asks,
    and it does not end on a noun set up as a subject of its own."""
    words = [word.strip("?？!.~,ㅋㅎㅠㅜ") for word in query.split()]
    words = [word for word in words if word]
    if not words or len(words) > UNSAID_SUBJECT_WORDS or not has_hangul(query):
        return False
    if not re.search(r"[?？]", query) and not answering.has_question_word(query):
        return False  # "배고파요" says something of the learner, it asks nothing
    if retriever.names_own_topic(query) or retriever.names_unknown(query):
        return False
    if any(not has_hangul(word) for word in words) or _OWN_SUBJECT_LAST.search(words[-1]):
        return False
    return sum(1 for unit in retriever.analyse(query) if unit.unknown) == 1


# A follow-up carried by the topic under way is short: a property or two asked of it.
FOCUS_WORDS = 5


def focus_explains(retriever: Retriever, query: str, earlier: Earlier,
                   history: Sequence[ChatMessage]) -> LessonPassage | None:
    """The topic under way, for a short follow-up no passage matches clearly
    enough by itself ("그럼 비싼 거예요 싼 거예요?" after the chatbot's cost):
    when that topic speaks of the words it asks about, and explains them at
    least as well as any other passage or uses every one of them the pack
    knows ("그럼 빠른 거예요 느린 거예요?" after the Transformer), the learner
    is asking more of it, not about something the document lacks."""
    if not history or not earlier.topics or len(raw_words(query)) > FOCUS_WORDS:
        return None
    topic = topic_asked_about(retriever, query, earlier, history)
    if topic is None or retriever.coverage_of(query, topic) <= 0:
        return None
    if not (retriever.continues(query, topic) or retriever.uses_every_known_word(query, topic)):
        return None
    return topic


def listing_passage(
    retriever: Retriever, query: str, aside: Sequence[str], topic: LessonPassage | None, earlier: Earlier,
    covered: Sequence[str], language: str, history: Sequence[ChatMessage],
) -> LessonPassage | None:
    """The passage whose list a message asks for more of: "다른 이유도요",
    "그 밖에 또 어떤 분야가 있습니까?" (more reasons, fields, examples of the
    last answer's passage, even one told whole: after "하드웨어가 중요했어요?"
    the other reasons are the rest of that list, not a passage before it that
    uses the word 이유, nor the next one); "수학 말고
    또 뭐에 써요?" naming nothing else (the recent passage that lists what
    is set aside, unless a passage is about it: "GAN 말고 또 있어요?")."""
    if (another := _ANOTHER_ITEM.search(query)):
        # "다른 이유도 있어요?" after "이유 1: …": the next reason; "또 다른 예는요?" more of the topic.
        under_way = topic_under_way(retriever, earlier, history)
        if under_way is None:
            return None
        listed = _ITEM_TITLE.match(under_way.title.ko)
        named = re.search(_ITEM, another.group(0))
        same_list = listed is not None and named is not None and named.group(0) in listed.group("list")
        return (next_item(retriever, under_way, earlier) if same_list else None) or under_way
    if not aside or retriever.names_known_topic(intents.without_set_aside(query)):
        return None
    # "예측 말고 또 어떤 거 있어요?": the other item of the list whose item it sets aside.
    items = [p for p in retriever.pack.passages.values() if _ITEM_TITLE.match(p.title.ko)
             and any(_ITEM_TITLE.sub("", p.title.ko).strip().lower() == word.lower() for word in aside)]
    if len(items) == 1:
        return next_item(retriever, items[0], earlier)
    if not intents.asks_for_another(query):
        return None
    titles = [f"{passage.title.ko} {passage.title.en}".lower() for passage in retriever.pack.passages.values()]
    if any(word.lower() in title for word in aside for title in titles):
        return None  # a subject of its own, not an item of a list ("GAN 말고 또 있어요?")
    recent = dict.fromkeys([*([topic.id] if topic else []), *reversed(earlier.topics[-3:]), *reversed(covered[-3:])])
    best, best_score = None, 0.0
    for pid in recent:
        passage = retriever.pack.passage(pid)
        if passage is None:
            continue
        score = min(retriever.coverage_of(word, passage) for word in aside)
        if score > best_score:
            best, best_score = passage, score
    return best


# "이유 2: 트랜스포머가 …", "기존 AI가 해 온 일 ①: 예측": one item of a list told a passage an item.
_ITEM_TITLE = re.compile(r"^(?P<list>\S.*?)\s*(?:\d+|[①②③④⑤⑥⑦⑧⑨])\s*:")


def next_item(retriever: Retriever, topic: LessonPassage, earlier: Earlier) -> LessonPassage | None:
    """Another item of the list the topic is one item of ("다른 이유도 있어요?" after
    "이유 1: 배울 데이터가 많다"): the first item after it not taught yet, else
    one before it. None when the topic is no such item, or every item was taught."""
    own = _ITEM_TITLE.match(topic.title.ko)
    lesson = retriever.pack.lesson(topic.lesson_id)
    if own is None or lesson is None:
        return None
    items = [p for p in lesson.passages
             if (m := _ITEM_TITLE.match(p.title.ko)) is not None and m.group("list") == own.group("list")]
    here = items.index(topic) if topic in items else 0
    untaught = [p for p in items[here + 1:] + items[:here] if p is not topic and p.id not in earlier.topics]
    return untaught[0] if untaught else None


def generative_asked_of(
    retriever: Retriever, query: str, earlier: Earlier, history: Sequence[ChatMessage]
) -> str | None:
    """The everyday thing a message asks is generative AI or not: named so
    ("그것도 생성형이에요?"), asked again of it ("… 건요?" after such a question),
    or pointed at as the topic under way when that topic is generative AI itself
    ("생성형 AI가 뭐예요?" / "고기 많이 팔릴 날 맞추는 것도 그거에요?")."""
    thing = intents.generative_asked_of(query) or _asked_again_of_generative(query, history)
    if thing is not None:
        return thing
    found = _IS_IT_THAT.match(query)
    topic = topic_under_way(retriever, earlier, history)
    if not found or topic is None or not _GENERATIVE_AI.fullmatch(topic.title.ko.split(":")[0]):
        return None
    return found.group("thing").strip() or None


def _asked_again_of_generative(query: str, history: Sequence[ChatMessage]) -> str | None:
    """The thing a bare "and X?" asks the learner's last question of, when that
    question was whether something is generative AI ("추천해 주는 AI도 생성형
    AI예요?" / "그럼 와인을 레드 화이트로 나누는 건요?"): X, asked the same."""
    found = _AND_WHAT_ABOUT.match(query)
    thing = (found.group("thing") or found.group("en") or "").strip() if found else ""
    if not thing or answering.has_question_word(thing) or len(raw_words(query)) > AND_WHAT_ABOUT_WORDS:
        return None
    last = _last_user(history)
    return thing if last and intents.generative_asked_of(last) is not None else None


def names_before_asking(retriever: Retriever, message: str) -> bool:
    """Whether a sentence before the message's last one names something the
    pack knows ("The text says people use ChatGPT to practise English. What
    else …?"): a pointer in the question may stand for it."""
    sentences = [part for part in re.split(r"(?<=[.!?。])\s+", message.strip()) if part.strip()]
    return len(sentences) >= 2 and retriever.names_own_topic(" ".join(sentences[:-1]))


def _named_words(retriever: Retriever, text: str) -> str:
    """The words of a message that name something the pack knows, as one text."""
    return " ".join(word for word in raw_words(text) if retriever.names_known_topic(word))


def explains_better(retriever: Retriever, question: str, passage: LessonPassage, other: LessonPassage) -> bool:
    """Whether ``passage`` explains the words the message names clearly better than ``other`` does."""
    named = _named_words(retriever, question)
    return retriever.coverage_of(named, passage) > retriever.coverage_of(named, other) + RECALL_MARGIN


def topic_under_way(retriever: Retriever, earlier: Earlier, history: Sequence[ChatMessage]) -> LessonPassage | None:
    """The passage the conversation is on: the topic of the last answer, if any."""
    return retriever.pack.passage(earlier.topics[-1]) if earlier.topics and history else None


def topic_asked_about(
    retriever: Retriever, query: str, earlier: Earlier, history: Sequence[ChatMessage]
) -> LessonPassage | None:
    """The topic a follow-up goes on with: the last answer's, unless the
    message names nothing and only asks something that passage never speaks
    of while the topic before it does ("그중에 제일 중요한건?" after a detail
    of one of the reasons just listed: the list is what it asks about)."""
    topic = topic_under_way(retriever, earlier, history)
    if topic is None or retriever.names_own_topic(query) or retriever.coverage_of(query, topic) > 0:
        return topic
    before = next((pid for pid in reversed(earlier.topics) if pid != topic.id), None)
    previous = retriever.pack.passage(before) if before else None
    return previous if previous is not None and retriever.coverage_of(query, previous) > 0 else topic


# "그중에 젤 중요한건요", "네 개 중에 제일 좋은 건?", "which of those matters most?".
_AMONG_THEM = re.compile(
    r"(?:그|이|저|둘|셋|넷|\S+\s*개)\s*중(?:에|에서)?\s*(?:서\s*)?(?:젤|제일|가장|최고)"
    r"|\b(?:which|what)\s+(?:one\s+)?of\s+(?:them|those|these)\b",
    re.IGNORECASE,
)


def kind_asked(query: str, history: Sequence[ChatMessage]) -> str:
    """What the question asks for. A bare "and X?" ("원화로는요?" after "그래서
    총 얼마?") asks the learner's last question again, of X."""
    # "그중에 젤 중요한건요?" after "LLM이 왜 주류예요?": which of the reasons just listed,
    # a fact of the kind the list answered.
    among = bool(_AMONG_THEM.search(query)) and bool(history)
    if not answering.asks_what_about(query) and not among:
        return answering.question_kind(query)
    earlier = (m.content for m in reversed(history) if m.role == "user" and not answering.asks_what_about(m.content)
               and not _AMONG_THEM.search(m.content))
    # Of the earlier question itself, not of the clauses that set its scene.
    return answering.question_kind(intents.without_context_clause(next(earlier, query), keep_ideas=False))


def _last_user(history: Sequence[ChatMessage]) -> str:
    return next((m.content for m in reversed(history) if m.role == "user"), "")


def follow_up_context(history: Sequence[ChatMessage]) -> str:
    """What an elliptical follow-up leans on: the learner's last message and
    the first sentence of the last answer ("틀린 말도 해요?" / "네, 환각이라고
    해요." makes "그건 왜 그러는거에요" a question about hallucination)."""
    answer = next((m.content for m in reversed(history) if m.role == "assistant"), "")
    opening = " ".join(re.split(r"(?<=[.!?])\s+|\n+", answer.strip())[:2]) if answer else ""
    return f"{_last_user(history)}\n{opening}".strip()


def topic_of(retriever: Retriever, earlier: Earlier, history: Sequence[ChatMessage]) -> list[Hit]:
    """The passage the conversation is on: the last answer's, else what recent turns point to."""
    passage = retriever.pack.passage(earlier.topics[-1]) if earlier.topics else None
    if passage is not None:
        return [Hit(passage, retriever.threshold)]
    return retriever.search("", history, follow_up=True, k=1)


def another_passage(retriever: Retriever, hits: list[Hit], history: Sequence[ChatMessage]) -> list[Hit]:
    """"다른 것도 있어요?": not the passage just taught, but its next sibling
    in the same lesson, then whatever else the message points to."""
    topic_hits = retriever.search("", history, follow_up=True, k=1)
    if not topic_hits:
        return hits
    topic = topic_hits[0].passage
    lesson = retriever.pack.lesson(topic.lesson_id)
    siblings = list(lesson.passages) if lesson else []
    position = next((i for i, p in enumerate(siblings) if p.id == topic.id), -1)
    following = siblings[position + 1 :] + siblings[:position]
    out = [Hit(following[0], topic_hits[0].score)] if following else []
    out += [hit for hit in hits if hit.passage.id != topic.id and all(hit.passage.id != o.passage.id for o in out)]
    return out[:3]


# "그럼 둘이 무슨 관계예요?", "둘의 관계는요?", "how are the two related?": "the two"
# stands for a pair just named, not "둘 중" (which of them) nor "둘 다" (both).
_THE_TWO = re.compile(
    r"(?<![가-힣])(?:(?:그|이)\s*)?둘(?P<particle>이|은|는|의|을|를)?(?![가-힣])(?!\s*(?:중|다)(?![가-힣]))"
    r"|\b(?:the|these|those)\s+two\b(?!\s+(?:of|reasons?|things?))|\bboth\s+of\s+them\b",
    re.IGNORECASE,
)
# "어느 쪽이 더 나아요?", "어떤 게 더 좋아요?", "which one is better?": which of
# two things, named nowhere in the message.
_WHICH_OF_THEM = re.compile(
    r"(?<![가-힣])(?:어느|어떤|어떤\s*거|어떤\s*것)\s*(?:쪽|것|거|게|걸|애)?(?:이|가)?\s*(?=더\s*\S)"
    r"|\bwhich\s+(?:one\s+)?(?=(?:is|was|does|works|performs)\s+better\b)",
    re.IGNORECASE,
)
# Where a message joins two things: "A랑 B", "A와 B", "A하고 B", "A and B".
_PAIR_JOIN = re.compile(r"(?<=[\w)])(?:이랑|랑|하고|와|과)(?=\s)|\s+(?:and|vs\.?|versus)\s+", re.IGNORECASE)
_TRAILING_PARTICLE = re.compile(r"(?<=[\w)])(?:을|를|이|가|은|는|의|도|에|이랑|랑)$")
PAIR_WORDS = 2


def _named_pair(retriever: Retriever, text: str) -> tuple[str, str] | None:
    """The two things a message joins ("생성형 AI랑 LLM을 왜 구분해요?" ->
    생성형 AI, LLM): the words naming something just before the first join, and the word just after it."""
    pieces = _PAIR_JOIN.split(text, maxsplit=1)
    if len(pieces) != 2:
        return None
    before, after = pieces[0].split(), pieces[1].split()
    first: list[str] = []
    for word in reversed(before):
        if len(first) == PAIR_WORDS or not retriever.names_known_topic(word):
            break
        first.insert(0, word)
    second = _TRAILING_PARTICLE.sub("", after[0]) if after else ""
    if not first or not second or not retriever.names_known_topic(second):
        return None
    return " ".join(first), second


def the_two_spelled_out(retriever: Retriever, query: str, history: Sequence[ChatMessage],
                        earlier: Earlier = Earlier()) -> str:
    """A follow-up asking about "the two" ("그럼 둘이 무슨 관계예요?" after "생성형 AI랑
    LLM을 왜 구분해요?") asks about the pair the learner's last message joined;
    when it joined none ("GAN이 뭐예요?" / "디퓨전은요?" / "둘이 뭐가 달라요?"), the
    things the last two answers taught: the message with that pair named in
    place of "둘". Unchanged when it joins two things itself, or no pair is at hand."""
    found = _THE_TWO.search(query)
    # (Whether the rest names a topic of its own is asked only of a "which of them".)
    which = _WHICH_OF_THEM.search(query) if found is None else None
    if which is not None and retriever.names_own_topic(_WHICH_OF_THEM.sub(" ", query)):
        which = None
    if (found is None and which is None) or not history or _named_pair(retriever, query) is not None:
        return query
    pair = _named_pair(retriever, _last_user(history))
    if pair is None and answering.question_kind(query) == "difference":
        # Set side by side, "the two" are the last two things taught; "둘이 싸운다는
        # 거예요?" after GAN is the two inside what was just taught, not those.
        pair = _last_two_taught(retriever, earlier, detect_language(query))
    if pair is None:
        return query
    if which is not None:
        # "그럼 어느 쪽이 더 나아요?": which of the two, named before it.
        among = f"{_with_rang(pair[0])} {pair[1]} 중에 " if has_hangul(which.group(0)) else f"Of {pair[0]} and {pair[1]}, "
        return query[:which.start()] + among + query[which.start():]
    if has_hangul(found.group(0)):
        particle = {"의": "의", "을": "를", "를": "를"}.get(found.group("particle") or "", "는")
        if ends_closed(pair[1]):
            particle = {"는": "은", "를": "을"}.get(particle, particle)
        named = f"{_with_rang(pair[0])} {pair[1]}{particle}"
    else:
        named = f"{pair[0]} and {pair[1]}"
    return query[:found.start()] + named + query[found.end():]


def _with_rang(word: str) -> str:
    """"GAN랑" reads as a name joined to what follows; "확산 모델이랑" after a final consonant."""
    return f"{word}이랑" if ends_closed(word) else f"{word}랑"


def _last_two_taught(retriever: Retriever, earlier: Earlier, language: str) -> tuple[str, str] | None:
    """The short names of the two latest distinct topics, older first ("GAN", "확산 모델")."""
    latest = list(dict.fromkeys(reversed(earlier.topics)))[:2]
    passages = [retriever.pack.passage(pid) for pid in latest]
    if len(passages) != 2 or any(p is None for p in passages):
        return None
    names = [_short_name(p, language) for p in reversed(passages)]  # type: ignore[arg-type]
    return (names[0], names[1]) if all(names) and names[0] != names[1] else None


def _short_name(passage: LessonPassage, language: str) -> str:
    """What a passage's title calls its thing: "GAN" of "GAN: 만드는 쪽과 …",
    "확산" of "확산 모델(Diffusion): …", "예측" of "기존 AI가 해 온 일 ①: 예측",
    "어텐션" of "어텐션과 멀티헤드 어텐션: …"."""
    title = passage.title.get(language)
    head, _, tail = title.partition(":")
    name = tail if _ITEM_TITLE.match(title) else head
    name = re.sub(r"\([^)]*\)", "", name)
    name = _PAIR_JOIN.split(name, maxsplit=1)[0]
    name = re.sub(r"(?:이란|란)$", "", name.strip())
    # "확산 모델" is found by "확산": "모델" alone would name every model.
    return re.sub(r"\s+(?:모델|models?)$", "", name.strip(), flags=re.IGNORECASE).strip()


# "그땐 왜 안 됐어요?", "그 당시에는요?", "back then?": the time of the topic under way.
_BACK_THEN = re.compile(
    r"(?<![가-힣])(?:그\s*때|그땐|그\s*당시|당시|그\s*시절|그\s*무렵|그\s*시기|그\s*시대)"
    r"|\bback\s+then\b|\bat\s+(?:that|the)\s+time\b|\bin\s+those\s+days\b|\bin\s+that\s+era\b",
    re.IGNORECASE,
)


def at_its_time(query: str, topic: LessonPassage) -> bool:
    """Whether a follow-up asks about the time of the topic under way ("그땐 왜
    제대로 연구가 안됐어요?" after the 1906 and 1964 beginnings): it points at
    "then", names no thing of its own, and the topic is dated. Its other words
    ("연구") are what it asks of that time, not a subject that leads elsewhere."""
    if not _BACK_THEN.search(query) or selecting.named_things(query):
        return False
    return any(_YEAR.search(topic.text.get(language)) for language in ("ko", "en"))


# "그중에 첫 번째 거는 어떻게 작동해요?", "두 번째 건요?", "the second one?": an
# ordinal that counts no item noun of its own ("두 번째 이유" counts reasons).
_BARE_ORDINAL = re.compile(
    r"(?:(?<![가-힣])(?:그|이)\s*중에?서?\s*|(?<![가-힣])거기서\s*)?"
    r"(?P<ko>첫\s*번\s*째|두\s*번\s*째|세\s*번\s*째|네\s*번\s*째|다섯\s*번\s*째|첫째|둘째|셋째|넷째|다섯째)"
    r"\s*(?:거|것|꺼|모델)?(?P<particle>은|는|이|가|을|를|도|건|걸|게)?(?=\s*요|[\s?？!.,]|$)"
    r"|\bthe\s+(?P<en>first|second|third|fourth|fifth)(?:\s+one)?\b",
    re.IGNORECASE,
)
_ORDINAL_NUMBER = {"첫": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4, "다섯": 5,
                   "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
# How many answers back a list an ordinal counts in is looked for.
LIST_ANSWERS = 3
_PARTICLE_PAIR = {"은": ("은", "는"), "는": ("은", "는"), "건": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"),
                  "게": ("이", "가"), "을": ("을", "를"), "를": ("을", "를"), "걸": ("을", "를"), "도": ("도", "도")}


# What may stand between two things of a list: "GAN, 확산 모델(Diffusion), VAE, 그리고 RNN과 LSTM", "예측과 분류".
_LIST_GAP = re.compile(r"^(?:\s*(?:모델|models?)?\s*(?:\([^)]*\))?\s*(?:,|·|/|와|과|이랑|랑|하고|이나|및|그리고|and|or)\s*)+$",
                       re.IGNORECASE)


def listed_things(retriever: Retriever, text: str) -> list[str]:
    """The things a sentence lists, in order and as it spells them ("GAN, 확산
    모델(Diffusion), VAE, 그리고 RNN과 LSTM이 있어요" -> GAN, 확산, VAE, RNN, LSTM;
    "예측과 분류를 주로 했어요" -> 예측, 분류): the longest run of names of the pack
    (its Latin names, the things its passages are titled by) joined only by
    commas and words like 와, 그리고, and. A name given in two spellings is one thing."""
    spans: list[tuple[int, int, set[str]]] = []
    names = set(conversation_focus.names_in(retriever, text))
    names.update(_short_name(p, language) for p in retriever.pack.passages.values() for language in ("ko", "en"))
    for name in sorted((n for n in names if len(n) >= 2 and not is_stopword(n.lower())), key=len, reverse=True):
        terms = {term.lstrip("≈") for unit in retriever.analyse(name) for term, _ in unit.terms}
        for found in re.finditer(rf"(?<![\w가-힣]){re.escape(name)}", text, re.IGNORECASE):
            if any(start <= found.start() < end for start, end, _ in spans):
                continue
            # "DALL" of "DALL-E", "GPT-4" of "GPT-4o": the whole Latin name as written.
            end = found.end() + len(re.match(r"[\w.\-]*", text[found.end():]).group(0)) if name.isascii() else found.end()
            spans.append((found.start(), end, terms))
    spans.sort(key=lambda span: span[0])
    runs: list[list[tuple[int, int, set[str]]]] = []
    for span in spans:
        last = runs[-1][-1] if runs else None
        if last is not None and span[2] & last[2]:
            continue  # "확산 모델(Diffusion)": one thing, two spellings
        if last is not None and _LIST_GAP.match(text[last[1]:span[0]]):
            runs[-1].append(span)
        else:
            runs.append([span])
    longest = max(runs, key=len, default=[])
    return [text[start:end] for start, end, _ in longest] if len(longest) >= 2 else []


def the_nth_spelled_out(retriever: Retriever, query: str, history: Sequence[ChatMessage]) -> str:
    """A follow-up pointing at the n-th thing the last answer listed ("GAN, 확산
    모델, VAE, RNN과 LSTM이 있어요" / "그중에 첫 번째 거는 어떻게 작동해요?") asks
    about that thing: the message with its name in place of the ordinal. Unchanged
    when the message names a thing of its own, or the last answer listed fewer
    than two things or fewer than n (the ordinal then counts something else, the
    items of a passage that enumerates them itself)."""
    found = _BARE_ORDINAL.search(query)
    if found is None or not history or conversation_focus.names_in(retriever, query):
        return query
    word = (found.group("ko") or found.group("en") or "").lower()
    n = next((number for stem, number in _ORDINAL_NUMBER.items() if word.startswith(stem)), None)
    # The newest of the last few answers that opened with a list ("두 번째 건요?" /
    # "세 번째 거는요?": the third of the list before the answer on the second).
    answers = [m.content for m in reversed(history) if m.role == "assistant"][:LIST_ANSWERS]
    listed = next((things for answer in answers if (things := listed_things(retriever, answer.strip().split("\n\n")[0]))), [])
    if n is None or len(listed) < n:
        return query
    name = listed[n - 1]
    if found.group("en"):
        return query[:found.start()] + name + query[found.end():]
    pair = _PARTICLE_PAIR.get(found.group("particle") or "")
    particle = "" if pair is None else (pair[0] if ends_closed(name) else pair[1])
    return query[:found.start()] + name + particle + query[found.end():]


# How a passage spells a name out: "분류(classification)", "'Artificial General Intelligence'의 줄임말".
SPELLED_NAME = re.compile(r"\((?=[^)]*[A-Za-z])[^)]*\)|'[A-Z][A-Za-z .\-]+'")


def whose_name_is_asked(
    retriever: Retriever, query: str, earlier: Earlier, history: Sequence[ChatMessage]
) -> LessonPassage | None:
    """The passage spelling out the name a message asks for in English or in
    full: of the thing it names ("LSTM은 영어로 풀면 뭐예요?"), else of the topic
    under way ("영어로는요?" after 분류 is 'classification'). None when the message
    asks no name, or that passage spells none out (the question is then searched
    as any other)."""
    if not intents.asks_english_name(query):
        return None
    rest = intents.without_name_request(query)
    if retriever.names_known_topic(rest):
        candidates = [hit.passage for hit in retriever.search(rest)]
    else:
        under_way = topic_under_way(retriever, earlier, history)
        candidates = [under_way] if under_way is not None else []
    return next((passage for passage in candidates if SPELLED_NAME.search(passage.text.ko)), None)


# "그게 멀티모달이랑 무슨 상관이에요?", "what does it have to do with X?": how the thing
# pointed at and X are linked.
_RELATION = re.compile(
    r"(?:이랑|랑|와|과|하고)\s*(?:무슨|어떤|뭔)\s*(?:상관|관계|관련|연관)"
    r"|\b(?:to\s+do\s+with|related\s+to|relat\w*\s+(?:to|with)|connect\w*\s+(?:to|with))\b",
    re.IGNORECASE,
)


def relating_passage(
    retriever: Retriever, query: str, hits: Sequence[Hit], history: Sequence[ChatMessage]
) -> LessonPassage | None:
    """The passage that links the thing a follow-up points at with the one it
    names ("그게 멀티모달이랑 무슨 상관이에요?" after AGI: the passage on why
    multimodality matters for AGI, not the one defining multimodality): of the
    passages found, the one speaking most of both. None when the message asks
    no such link, points at nothing, or no passage found speaks of both."""
    if not history or not _RELATION.search(query) or not intents.points_back(query):
        return None
    focus = conversation_focus.focus(retriever, history)[:1]
    named = [word for word in raw_words(query) if retriever.names_known_topic(word)]
    if not focus or not named:
        return None
    # Of those speaking of both, the one that speaks of the less covered of the two most.
    linked = {hit.passage.id: min(retriever.coverage_of(name, hit.passage) for name in (*focus, *named)) for hit in hits}
    best = max(hits, key=lambda hit: linked[hit.passage.id], default=None)
    return best.passage if best is not None and linked[best.passage.id] > 0 else None
