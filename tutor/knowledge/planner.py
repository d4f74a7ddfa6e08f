"""Planning one turn: language, intent, passages and follow-up suggestions.

The plan is plain data that every provider receives the same way: a vendor
model reads the passages as quoted data, the offline tutor composes its
answer from them. Deciding *what* to teach is done here once, so both agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from tutor.providers.base import ChatMessage

from . import activities, answering, comparing, selecting, unsaid
from . import intent as intents
from .pack import LessonPack, LessonPassage
from .retrieval import Hit, Retriever
from .text import detect_language, has_hangul, raw_words

SUGGESTIONS = 3
ATTACK_MARGIN = 0.1
# "…알려 줘" about nothing the document names ("좋은 영화 알려 줘"): answer
# only a passage that matches clearly, not one that shares a word or two.
UNNAMED_REQUEST_MARGIN = 0.3
EXAMPLE_WORDS = {"ko": "예시", "en": "examples"}
# A fact of a passage other than the best one leads only when it matches this well.
STRONG_FACT = 0.75
# A comparison is answered by a fact whose question is the learner's, near word for word.
SAME_QUESTION = 0.7
FAIR_FACT = 0.45
FACT_MARGIN = 0.1
# A question this short leans on the topic under way ("P는 뭐의 약자예요?").
ELLIPTICAL_WORDS = 4
# Passages scoring within this of the third one found are as close to the question.
NEAR_TIE = 0.02
NEAR_TIED = 2
# Questions about a detail of the topic under way ("그럼 GAN보다 나아요?").
DETAIL_KINDS = frozenset(("difference", "yes_no", "why", "how", "how_much", "how_many", "when"))
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


@dataclass(frozen=True)
class Earlier:
    """What earlier turns did besides teaching: the last answer's activity, the
    quiz waiting for the learner's answer (with its key), the quiz questions
    already asked in this conversation."""

    activity: str | None = None
    pending_quiz: dict[str, Any] | None = None
    asked_quizzes: tuple[str, ...] = ()
    # The passage each earlier answer was about, oldest first.
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class TurnPlan:
    language: str
    # "question" | "simpler" | "example" | "next" | "greeting" | "thanks" | "out_of_scope" | "attack"
    # | "quiz" | "quiz_result" | "recap" | "overview" | "start" | "progress" | "task"
    intent: str
    hits: tuple[Hit, ...]
    suggestions: tuple[str, ...]
    # What the learner sees this turn was (see activities.ACTIVITIES).
    activity: str = "answer"
    # A quiz turn: the question and its key; a quiz result: the question, the
    # key and the verdict. Stored with the answer; only the question or the
    # verdict goes out.
    quiz: dict[str, Any] | None = None
    # Passage ids this conversation covered, in order (recap and progress).
    covered: tuple[str, ...] = field(default=())
    # What the question asks for (yes_no, how_much, when, why, difference, ...)
    # and the passage fact that answers it directly, as (passage id, index).
    question_kind: str = "what"
    fact: tuple[str, int] | None = None
    # For a detail the document does not give: the passage nearest to it.
    nearest: str | None = None
    # A comparison: the document's statements that answer it, in the learner's
    # language, and whether the document sets the two against each other.
    statements: tuple[str, ...] = ()
    direct: bool = True


def prepare(retriever: Retriever) -> None:
    """Work out, at start-up, the tables of the lesson pack that planning otherwise
    builds on first use: the first comparison a learner asked for took about 100 ms
    longer than the next, once in every process."""
    comparing.prepare(retriever.pack)
    unsaid.prepare(retriever.pack)


def plan_turn(
    retriever: Retriever,
    question: str,
    history: Sequence[ChatMessage] = (),
    covered: Sequence[str] = (),
    earlier: Earlier = Earlier(),
) -> TurnPlan:
    """Decide how to answer ``question`` given earlier turns (oldest first),
    the passage ids already cited in this conversation and what earlier turns
    did besides teaching (a quiz waiting for its answer)."""
    language = _language(question, history)
    asked = _asked(question, history)
    # An earlier topic the learner reaches back to ("아까 친구 얘기한 거").
    recalled = _reached_back(retriever, question, earlier, history)

    text, attacked = intents.strip_attacks(question)
    if attacked and not text.strip():
        return _without_passages(retriever, language, "attack", covered, asked)
    if not attacked:
        activity = _activity(retriever, text, language, covered, asked, earlier)
        if activity is not None:
            return activity
    if intents.is_greeting(text) or (not attacked and intents.is_greeting_with_context(text)):
        intent = "attack" if attacked else ("thanks" if intents.is_thanks(text) else "greeting")
        return _without_passages(retriever, language, intent, covered, asked)
    if intents.asks_live_information(text):
        return _without_passages(retriever, language, "out_of_scope", covered, asked)

    intent = "question"
    query = intents.without_recalling(text)
    # Whether the learner asked for something beside the topic under way ("GAN 말고 또 있어요?").
    moved_on = False
    rest, simpler = intents.wants_simpler(text)
    if not simpler and history and earlier.topics:
        rest, simpler = _wants_analogy(retriever, text)
    if simpler:
        intent, query = "simpler", rest
    else:
        rest, example = intents.wants_example(text)
        if example:
            intent, query = "example", rest
        else:
            rest, nxt = intents.wants_next(text)
            if nxt and (not retriever.analyse(rest) or intents.is_acknowledgement(rest)):
                return _next(retriever, language, covered, asked, earlier)

    # "카페 하는데요 챗봇 돌리면 돈 많이 들어요?": the question alone is searched,
    # unless the clause names something the pack knows ("작곡하는데요 …" is about
    # music); the question alone is always what a fact must answer.
    asked_part = intents.without_context_clause(query, keep_ideas=False)
    # What the search leans on besides the message: earlier turns, and a
    # context clause naming something the pack knows, said just before the question.
    leaning: Sequence[ChatMessage] = history
    if asked_part == query or not retriever.analyse(asked_part):
        asked_part = query
    elif not retriever.names_known_topic(clause := query[: len(query) - len(asked_part)]):
        query = asked_part
    elif retriever.names_known_topic(asked_part) and retriever.search(asked_part):
        # The question finds its answer by itself ("…공부 중인데요, ChatGPT 나오고
        # 나서 어떤 산업들이 덕을 봤어요?"): the clause is what it leans on,
        # as a turn said just before it, not words to search by.
        query = asked_part
        # A pointer in the question ("…틀린 말도 하던데, 그렇게 틀리는 거 뭐라고
        # 불러요?") stands for the clause, not for the turns before it.
        leaning = (ChatMessage("user", clause),) if intents.points_back(asked_part) else (*history, ChatMessage("user", clause))
    # "한 줄로 정의하면요?", "a one-sentence summary of …": how short, not what.
    query, asked_part = intents.without_answer_shape(query), intents.without_answer_shape(asked_part)
    # "생성형이에요 기존꺼에요?": whether it is generative is what is asked.
    query, asked_part = intents.without_older_alternative(query), intents.without_older_alternative(asked_part)
    aside = intents.set_aside(query)
    kept = intents.without_set_aside(intents.without_source_framing(query))
    if history or retriever.names_known_topic(kept):
        query = kept
    request = intents.task_request(query) if intent == "question" else None
    if request == "do":
        # A job for the learner ("메일 써 줘", "recommend me a movie"), even one
        # a lesson mentions as an example of what AI does, is not teaching.
        return _without_passages(retriever, language, "attack" if attacked else "task", covered, asked)

    if intent in ("simpler", "example") and not retriever.names_known_topic(query):
        # Nothing the pack knows named in the message ("애한테 설명하게 더 쉽게요",
        # "예를 들면 머 만들 수 있어요?"): the topic is the one we were just on
        # (for an example, a passage of examples about it if there is one).
        hits = retriever.search(EXAMPLE_WORDS[language] if intent == "example" else "", history, follow_up=True)
        topic = _topic_under_way(retriever, earlier, history)
        if intent == "example" and topic is not None and topic.example is not None \
                and (not hits or hits[0].passage.lesson_id != topic.lesson_id):
            # An examples passage of another lesson is not an example of this topic.
            hits = [Hit(topic, hits[0].score if hits else 0.0), *(h for h in hits if h.passage is not topic)][:3]
        if not hits and covered and (last := retriever.pack.passage(covered[-1])):
            hits = [Hit(last, 0.0)]
        if recalled is not None and not attacked:
            # "처음에 물어본 거요, 다시 쉽게 설명해 주세요": the earlier topic, not the last one.
            hits = _led_by(recalled, hits) if hits else [Hit(recalled, retriever.threshold)]
            earlier = replace(earlier, topics=(*earlier.topics, recalled.id))
    else:
        hits = retriever.search(query, leaning)
        if not hits and leaning and not attacked and _names_before_asking(retriever, query):
            # "The text says some people use ChatGPT to practise English. What
            # else do people use it for?": "it" stands for what a sentence of the
            # message itself named; when leaning on earlier turns finds nothing, its own words may.
            hits = retriever.search(query, follow_up=False)
        thing = _generative_asked_of(retriever, query, earlier, history)
        if thing is not None and not attacked and not any(
                not has_hangul(word) and retriever.names_one_thing(word) for word in raw_words(thing)):
            # (A thing of the document, "챗gpt도 생성형이에요?", is found by its name.)
            # "아파트 CCTV로 사진 구분하는 거는 생성형인가요?": what the thing does
            # (sorting photos: classification) says which kind of AI it is.
            # Described in the message, "그것도" points at that description, not at earlier turns.
            found = retriever.search(thing, () if retriever.names_known_topic(thing) else history, everyday=True)
            hits = [*found, *(hit for hit in hits if all(hit.passage is not f.passage for f in found))][:3]
            # Its everyday words (CCTV, 아파트) are the learner's setting, not what a fact must name.
            asked_part = selecting.without_unmentioned(asked_part, retriever.pack)
        topic = None if attacked else _topic_asked_about(retriever, query, earlier, history)
        before = _before_it(retriever, topic) if topic is not None and _asks_before(retriever, query) else None
        if before is not None:
            # "gpt가머에요" / "그럼 그 전에는 뭘 썼어요?": the time before the thing
            # the topic under way is built on (the Transformer), which another
            # passage tells ("트랜스포머가 나오기 전에는 RNN …"); it is the topic from here on.
            hits = _led_by(before, hits) if hits else [Hit(before, retriever.threshold)]
            topic = before
            earlier = replace(earlier, topics=(*earlier.topics, before.id))
        going_on = topic is not None and bool(hits) and (
            retriever.continues(query, topic)
            # "거기 예로 나온 모델 이름들은?": in the answer just given, if that passage speaks of it at all.
            or (intents.points_at_answer(query) and retriever.coverage_of(query, topic) > 0)
            # "그 모델은 음악 말고 또 뭐에 써요?": the topic under way is what it asks more of.
            or intents.subject_points_back(query)
            # "예전엔 어땠는데요?": before what was just taught, if that passage speaks of before.
            or (_asks_before(retriever, query) and retriever.coverage_of(query, topic) > 0))
        # "그거 말고 또?" about a passage partly told asks for its rest;
        # "GAN 말고 또 있어요?" sets the topic itself aside.
        more_of_topic = going_on or (bool(hits) and hits[0].passage is topic and not _titled(topic, aside)
                                     and _has_unsaid(topic, language, history))
        if recalled is not None and hits and (
                hits[0].passage is recalled or _explains_better(retriever, question, recalled, hits[0].passage)):
            # "Going back to the conversation practice — what else …?": the
            # passage reached back to leads, unless the one found explains the
            # message's words as well ("아까 GPT 뜻 물어봤을 때 … 그거 썼다는 게 무슨 말이에요?").
            hits = _led_by(recalled, hits)
            # It is the topic under way for the rest of this turn's planning.
            earlier = replace(earlier, topics=(*earlier.topics, recalled.id))
        elif history and (listing := _listing(retriever, query, aside, topic, earlier, covered, language, history)):
            # "다른 이유도요", "음악 말고 또 뭐 해요?": another of the items a passage
            # of this conversation lists, not the next passage.
            hits = _led_by(listing, hits) if hits else [Hit(listing, retriever.threshold)]
            earlier = replace(earlier, topics=(*earlier.topics, listing.id))
        elif history and intents.asks_for_another(query) and not (more_of_topic and hits[0].passage is topic) \
                and not intents.subject_points_back(query):
            # "다른 것도 있어요?"; but "번역 말고 또 어떤 일을 대신해요" asks for
            # more of the passage that already answers it, not for the next one.
            hits = _another(retriever, hits, history)
            moved_on = True
        elif going_on:
            # "데이터도 많이 쓰는거죠?": more about the topic under way, which
            # leads even when a passage elsewhere shares a common word.
            hits = _led_by(topic, hits)
        elif hits and topic is not None and not attacked \
                and (bridge := _bridge(retriever, query, topic, hits, leaning)) is not None:
            # "근데 왜 요즘은 다 트랜스포머 써요?" after the RNN: of the passages
            # about the Transformer, the one that sets it beside the RNN.
            hits = _led_by(bridge, hits)
        if aside and hits:
            # "예측 말고 또 뭐 있어요": the passage about what is set aside does not lead.
            hits = [*(h for h in hits if not _titled(h.passage, aside)), *(h for h in hits if _titled(h.passage, aside))]
    listed = None if attacked else _enumerating(retriever, query, earlier, history)
    if listed is not None:
        # "두번째 이유 예시로 설명해줘요", "세번째는요?": the second, third item of
        # the list the conversation is on, not a passage that happens to say "두 번째".
        hits = _led_by(listed, hits) if hits else [Hit(listed, retriever.threshold)]
        earlier = replace(earlier, topics=(*earlier.topics, listed.id))
    if attacked:
        # Next to an attack, answer only what is clearly about the lessons.
        hits = [hit for hit in hits if hit.score >= retriever.threshold + ATTACK_MARGIN]
    elif request == "tell" and _unnamed(retriever, query, history):
        # Only a clear match, or more of the lesson under way ("수요 얘기 더 해 줘").
        current = _current_lesson(retriever, covered)
        bar = retriever.threshold + UNNAMED_REQUEST_MARGIN
        hits = [hit for hit in hits if hit.score >= bar or hit.passage.lesson_id == current]

    if not attacked and earlier.activity == "overview" and intents.points_back(query) \
            and not any(not (u.attribute or u.predicate or u.unknown) for u in retriever.analyse(query)):
        # "ㅇㅋ 그럼 거기부터 알려줘요" right after the course's contents or where to start.
        return _next(retriever, language, covered, asked, earlier)
    if not hits and not attacked and recalled is not None:
        # "첨에 말한 노이즈 그거 다시 좀 쉽게": words the search does not know
        # (첨에, ㄱㄱ) do not hide the earlier topic the message names.
        hits = [Hit(recalled, retriever.threshold)]
        earlier = replace(earlier, topics=(*earlier.topics, recalled.id))
    short_pointer = intents.points_back(query) and len(raw_words(query)) <= ELLIPTICAL_WORDS + 1
    if not hits and not attacked and history and (intents.points_back(query) or retriever.only_asks_about(query)) \
            and not retriever.names_unknown(query) and (short_pointer or not retriever.foreign_words(query)):
        # "왜 그런 일이 생겨요?": pointing back at what was just taught, even in
        # words the pack does not use, is a question about that topic.
        hits = _topic_of(retriever, earlier, history)
    if not hits and not attacked and history and earlier.topics and request != "do":
        # "수요 논리는 어떤 비유로 설명되나요" after the reasons LLMs lead: words
        # the pack never uses (논리) hide a question the conversation's own lesson answers.
        hits = _in_the_lesson_under_way(retriever, query, earlier, history)
    if not hits and not attacked and intents.names_lesson_idea(query):
        # About the document's ideas, but nothing close enough answers it:
        # say so, with the nearest thing the document does say.
        nearest = retriever.nearest(query, history)
        if nearest is not None:
            plan = _without_passages(retriever, language, "not_given", covered, asked)
            return replace(plan, nearest=nearest.id)
    if not hits:
        # A wrapped attack whose remainder is not about the lessons is still an attack.
        return _without_passages(retriever, language, "attack" if attacked else "out_of_scope", covered, asked)
    # "예시 모델은?": a request for examples asks for examples, whatever was asked before.
    kind = "example" if intent == "example" and answering.asks_what_about(query) else _kind_asked(query, history)
    if kind in ("what", "yes_no") and intents.recalls_a_line(text):
        kind = "meaning"  # "…하는 말이 있었는데 뒷부분이 기억이 안 나요": that line, not the passage's opening
    if kind == "what" and _generative_asked_of(retriever, query, earlier, history):
        kind = "yes_no"  # "사진 보고 뭔지 구분하는 거는 생성형인가요?": 뭔지 is the thing's own job
    fact = None
    if intent == "question" and kind == "difference" and unsaid.asks_yes_or_no(asked_part):
        # "GAN이 디퓨전보다 좋죠?": a yes or a no first, from the fact that compares the two.
        # A comparison fact saying the same opens the comparison's answer as it stands.
        answer = _direct_answer(retriever, asked_part, "yes_no", language, hits, history, earlier, intent)
        found = retriever.pack.passage(answer[1][0]).facts[answer[1][1]] if answer and answer[1] else None
        # A yes/no fact that sets nothing against anything ("Does text matter for
        # image AI?") does not answer "Is text easier to handle than images?".
        setting_against = selecting.compares(asked_part) and found is not None \
            and not (selecting.compares(found.ask.ko) or selecting.compares(found.ask.en))
        if found is not None and not setting_against and (
                found.kind == "yes_no" or selecting.contradicts(asked_part, found.ask.ko, found.ask.en)):
            kind = "yes_no"
    if intent == "question" and kind == "difference":
        # A fact asking what the learner asks, near word for word ("둘 중에 뭐가
        # 더 큰 개념이에요?" / "어느 쪽이 더 넓은 말이에요?"), answers it as asked;
        # otherwise the document's sentences on the two side by side do.
        said = [m.content for m in history if m.role == "assistant"]
        own = answering.best_fact(asked_part, [hit.passage for hit in hits[:3]], kind, said=said,
                                  minimum=SAME_QUESTION) if comparing.asks_which(asked_part) else None
        comparison = None if own is not None else _comparison(retriever, query, language, hits, history, earlier)
        if comparison is not None:
            hits = [Hit(p, hits[0].score) for p in comparison.passages]
            hits += [hit for hit in hits_of(retriever, query, history) if hit.passage not in comparison.passages]
            hits = hits[:3]
            return TurnPlan(language=language, intent=intent, hits=tuple(hits),
                            suggestions=_follow_ups(retriever, hits, language, covered, asked), covered=tuple(covered),
                            question_kind=kind, statements=comparison.statements, direct=comparison.direct)
    if intent == "simpler" and answering.has_question_word(query):
        # "생성형 AI가 뭔지 쉽게 알려 주세요": the passage whose fact asks that
        # question is the one to say more simply.
        match = answering.best_fact(query, [hit.passage for hit in hits[:3]], kind)
        if match is not None:
            hits = sorted(hits, key=lambda hit: hit.passage is not match.passage)
    if intent in ("question", "example"):
        # Passages the message's words reach as well as the third one found
        # ("Why are LLMs the mainstream?": the one listing the reasons ranks
        # fourth by a hair) may hold the fact that answers it.
        tied = [] if moved_on or len(hits) < 3 else [
            hit for hit in retriever.search(query, history, k=NEAR_TIED + 3)[3:]
            if hit.score >= hits[2].score - NEAR_TIE and all(hit.passage is not h.passage for h in hits)]
        # "그거 말고 다른 문제도 있어요?": what is set aside is not what the fact answers.
        asked_part = intents.without_set_aside(asked_part, pointers=False)
        answer = _direct_answer(retriever, asked_part, kind, language, hits[:1] if listed else hits, history,
                                earlier if not moved_on else replace(earlier, topics=()), intent,
                                () if listed else tied)
        if answer is not None and listed:
            # The list's own passage answers; the others follow it.
            answer = ([*answer[0], *(hit for hit in hits if all(hit.passage is not h.passage for h in answer[0]))][:3],
                      answer[1])
        if answer is None:
            plan = _without_passages(retriever, language, "not_given", covered, asked)
            return replace(plan, nearest=hits[0].passage.id, hits=(hits[0],))
        hits, fact = answer
        if intent == "question" and not listed and hits:
            passage = retriever.pack.passage(fact[0]) if fact is not None else hits[0].passage
            newer = _what_is_new(retriever, query, kind, language, fact, passage or hits[0].passage, history)
            if newer is not None:
                hits, fact = [Hit(newer[0], hits[0].score), *(h for h in hits if h.passage is not newer[0])][:3], \
                    (newer[0].id, newer[1])
        unexplained = _unexplained(retriever, asked_part, kind, language, hits) if intent == "question" and fact is None else None
        if unexplained is not None:
            # "인코더는 무슨 일을 해요?": the document names it but never says
            # what it does; say so, with the passage that names it.
            plan = _without_passages(retriever, language, "not_given", covered, asked)
            return replace(plan, nearest=unexplained.passage.id, hits=(unexplained,))
    return TurnPlan(
        language=language,
        intent=intent,
        hits=tuple(hits),
        suggestions=_follow_ups(retriever, hits, language, covered, asked),
        covered=tuple(covered),
        question_kind=kind,
        fact=fact,
    )


def _direct_answer(
    retriever: Retriever, query: str, kind: str, language: str, hits: list[Hit],
    history: Sequence[ChatMessage], earlier: Earlier, intent: str = "question", tied: Sequence[Hit] = (),
) -> tuple[list[Hit], tuple[str, int] | None] | None:
    """The passages in answering order and the fact that answers the question
    directly, if one does; None when the question asks for an amount, a year
    or a count that no passage found holds (a detail the document does not give)."""
    close = [hit.passage for hit in hits[:3]] + [hit.passage for hit in tied]
    # In a follow-up, the passage the conversation is on may hold the answer
    # ("그럼 GAN보다 나아요?" after diffusion models).
    topic = _topic_asked_about(retriever, query, earlier, history)
    if topic is not None and answering.asks_what_about(query) and retriever.names_known_topic(query) \
            and retriever.coverage_of(query, topic) <= 0:
        # "분류 쪽은?" after examples of prediction: the same question of another
        # topic, which the topic under way does not speak of.
        topic = None
    elliptical = len(raw_words(query)) <= ELLIPTICAL_WORDS
    if topic is not None and topic not in close and (kind in DETAIL_KINDS or elliptical):
        close.append(topic)
    said = [m.content for m in history if m.role == "assistant"]
    context = "" if intents.turns_around(query) else _context(history)
    match = answering.best_fact(query, close, kind, context=context, said=said)
    if match is not None and match.passage not in (hits[0].passage, topic) and match.score < STRONG_FACT:
        # Another passage's fact must match clearly to lead the answer, or fairly
        # when the passages the turn is about have no fact for the question at all.
        own = [passage for passage in (hits[0].passage, topic) if passage is not None]
        theirs = answering.best_fact(query, own, kind, context=context, said=said)
        if match.score < FAIR_FACT or (theirs is not None and theirs.score > match.score - FACT_MARGIN):
            match = None
    if match is not None and match.passage is not hits[0].passage and _names_only(query, hits[0].passage, match):
        # "GAN은 어떻게 그림을 만들어요?": the fact of the diffusion passage asks
        # the same of another model; the passage about GAN answers, with a fact of its own if it has one.
        match = answering.best_fact(query, [hits[0].passage], kind, context=context, said=said)
    if match is None:
        # "언제부터예요?" wants a year, "얼마예요?" an amount: the first passage
        # holding one answers ("LLM 학습에 전기 얼마나 써요?": none does).
        # In a follow-up the topic under way may hold it ("전에는 누가 했는데요?").
        candidates = hits + ([Hit(topic, hits[0].score)] if topic is not None and topic in close
                             and all(hit.passage is not topic for hit in hits) else [])
        shaped = [hit for hit in candidates if answering.holds_answer_shape(kind, hit.passage.text.get(language), query)]
        if not shaped:
            # "classification 예시 몇개만" asks for examples, not for a count.
            return None if intent == "question" else (hits, None)
        return [shaped[0], *(hit for hit in hits if hit is not shaped[0])][:3], None
    # The passage that answers the question is cited first.
    if all(hit.passage.id != match.passage.id for hit in hits):
        hits = [Hit(match.passage, hits[0].score), *hits][:3]
    ordered = sorted(hits, key=lambda hit: hit.passage.id != match.passage.id)
    return ordered, (match.passage.id, match.index)


def _names_only(query: str, passage: LessonPassage, match: answering.FactMatch) -> bool:
    """Whether the question names a thing (GAN, RNN) that ``passage`` speaks of
    and neither the matched fact's question nor its passage's title or keywords do."""
    named = selecting.names(query)
    if not named:
        return False
    theirs = " ".join((match.fact.ask.ko, match.fact.ask.en, match.passage.title.ko, match.passage.title.en,
                       *match.passage.keywords.ko, *match.passage.keywords.en)).lower()
    own = f"{passage.title.ko} {passage.title.en} {passage.text.ko} {passage.text.en}".lower()

    def says(text: str, name: str) -> bool:
        return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text) is not None

    return not any(says(theirs, name) for name in named) and all(says(own, name) for name in named)


def _reached_back(
    retriever: Retriever, question: str, earlier: Earlier, history: Sequence[ChatMessage]
) -> LessonPassage | None:
    """The earlier topic a message reaches back to ("첨에 말한 노이즈 그거 다시"):
    of the passages earlier answers were about, the one that explains the
    words the message names best, when that is not the last answer's."""
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
    for pid in dict.fromkeys(reversed(earlier.topics)):
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


def _enumerating(
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


def _what_is_new(
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
        before = _context(history)
        told = [(index, candidate) for index, candidate in enumerate(passage.facts) if candidate.kind == kind]
        if not told:
            return None
        index, closest = max(told, key=lambda item: answering.similarity(before, item[1].ask.get(language)))
        chosen = fact is not None and fact == (passage.id, index)
        return None if chosen or answering.similarity(before, closest.ask.get(language)) <= 0 else (passage, index)
    if fact is None or not old_news(passage.facts[fact[1]].answer.get(language)):
        return None
    lesson = retriever.pack.lesson(passage.lesson_id)
    siblings = list(lesson.passages) if lesson else []
    position = next((i for i, p in enumerate(siblings) if p.id == passage.id), len(siblings))
    for following in siblings[position + 1:]:
        for index, candidate in enumerate(following.facts):
            if candidate.kind == kind and not old_news(candidate.answer.get(language)):
                return following, index
    return None


BRIDGE_MARGIN = 0.05
BRIDGE_CANDIDATES = 8


def _title_names(passage: LessonPassage) -> frozenset[str]:
    """The particular things a passage's title names (RNN, 트랜스포머), not "AI"."""
    named = selecting.named_things(passage.title.ko) | selecting.named_things(passage.title.en)
    return frozenset(name.lower() for name in named if name.lower() not in ("ai", "generative", "three", "working"))


def _bridge(
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


def _in_the_lesson_under_way(
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


def _wants_analogy(retriever: Retriever, text: str) -> tuple[str, bool]:
    """(the message without the analogy word, whether it asks for the topic under
    way told through an analogy): "비유로 설명좀" names nothing else. "커피 비유는
    뭐에요" names the analogy it asks about, a question of its own."""
    rest = _ANALOGY.sub(" ", text)
    if rest == text or retriever.names_own_topic(rest):
        return text, False
    return rest, True


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
        return TurnPlan(language, "start", (), _starters(retriever, language, (), asked), activity="overview", covered=done)
    if course == "progress":
        return TurnPlan(language, "progress", (), _starters(retriever, language, covered, asked),
                        activity="progress", covered=done)
    return TurnPlan(language, "overview", (), _starters(retriever, language, covered, asked),
                    activity="overview", covered=done)


def _asks_before(retriever: Retriever, query: str) -> bool:
    """Whether a follow-up opens on "before" and names nothing of its own ("그럼
    그 전에는 뭘 썼어요?", "그전엔 머썼는데", "before that?"), however long it is."""
    words = query.split()
    opening = next((n for n in range(1, min(3, len(words)) + 1) if intents.asks_before_it(" ".join(words[:n]))), 0)
    return bool(opening) and not retriever.names_own_topic(" ".join(words[opening:]))


def _before_it(retriever: Retriever, topic: LessonPassage) -> LessonPassage | None:
    """What a follow-up asking about "before" ("그 전에는 뭘 썼어요?", "before
    that?") is about: the topic under way when it tells what was before;
    otherwise the passage telling what came before a thing the topic is built
    on or speaks of ("GPT" names the Transformer it is built on; "before the
    Transformer, the RNN"). None when no passage tells it."""
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


def _listing(
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
    if _ANOTHER_ITEM.search(query):
        return _topic_under_way(retriever, earlier, history)
    if not aside or not intents.asks_for_another(query) or retriever.names_known_topic(intents.without_set_aside(query)):
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


def _generative_asked_of(
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
    topic = _topic_under_way(retriever, earlier, history)
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


def _names_before_asking(retriever: Retriever, message: str) -> bool:
    """Whether a sentence before the message's last one names something the
    pack knows ("The text says people use ChatGPT to practise English. What
    else …?"): a pointer in the question may stand for it."""
    sentences = [part for part in re.split(r"(?<=[.!?。])\s+", message.strip()) if part.strip()]
    return len(sentences) >= 2 and retriever.names_own_topic(" ".join(sentences[:-1]))


def _named_words(retriever: Retriever, text: str) -> str:
    """The words of a message that name something the pack knows, as one text."""
    return " ".join(word for word in raw_words(text) if retriever.names_known_topic(word))


def _explains_better(retriever: Retriever, question: str, passage: LessonPassage, other: LessonPassage) -> bool:
    """Whether ``passage`` explains the words the message names clearly better than ``other`` does."""
    named = _named_words(retriever, question)
    return retriever.coverage_of(named, passage) > retriever.coverage_of(named, other) + RECALL_MARGIN


def _topic_under_way(retriever: Retriever, earlier: Earlier, history: Sequence[ChatMessage]) -> LessonPassage | None:
    """The passage the conversation is on: the topic of the last answer, if any."""
    return retriever.pack.passage(earlier.topics[-1]) if earlier.topics and history else None


def _topic_asked_about(
    retriever: Retriever, query: str, earlier: Earlier, history: Sequence[ChatMessage]
) -> LessonPassage | None:
    """The topic a follow-up goes on with: the last answer's, unless the
    message names nothing and only asks something that passage never speaks
    of while the topic before it does ("그중에 제일 중요한건?" after a detail
    of one of the reasons just listed: the list is what it asks about)."""
    topic = _topic_under_way(retriever, earlier, history)
    if topic is None or retriever.names_own_topic(query) or retriever.coverage_of(query, topic) > 0:
        return topic
    before = next((pid for pid in reversed(earlier.topics) if pid != topic.id), None)
    previous = retriever.pack.passage(before) if before else None
    return previous if previous is not None and retriever.coverage_of(query, previous) > 0 else topic


def _titled(passage: LessonPassage, words: Sequence[str]) -> bool:
    """Whether the passage's title names one of ``words`` ("예측" / "기존 AI가 한 일: 예측")."""
    title = f"{passage.title.ko} {passage.title.en}"
    return any(answering.coverage(answering.readings_of(word), title) >= 1.0 for word in words)


def _has_unsaid(passage: LessonPassage, language: str, history: Sequence[ChatMessage]) -> bool:
    """Whether earlier answers left some of the passage unsaid: "그거 말고
    또?" about it then asks for the rest of it, not for the next passage."""
    said = [m.content for m in history if m.role == "assistant"]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", passage.text.get(language)) if s.strip()]
    return any(not answering.said_before(sentence, said) for sentence in sentences)


def _led_by(topic: LessonPassage, hits: Sequence[Hit]) -> list[Hit]:
    """``hits`` with the topic under way first (at its own score, if found)."""
    own = next((hit for hit in hits if hit.passage is topic), Hit(topic, hits[0].score))
    return [own, *(hit for hit in hits if hit.passage is not topic)][:3]


def _unexplained(retriever: Retriever, query: str, kind: str, language: str, hits: Sequence[Hit]) -> Hit | None:
    """The passage naming the thing the question asks what it does or how
    it works, when none of the passages found explains it (never its subject).
    A word nearly every passage uses ("AI는 … 어떻게 알아요?") names no one
    thing: the question is about what follows it."""
    texts = []
    for hit in hits:
        texts += [hit.passage.text.get(language), *(fact.answer.get(language) for fact in hit.passage.facts
                                                    if fact.kind != "not_given")]
    thing = selecting.unexplained_subject(query, kind, texts)
    if not thing or not retriever.names_one_thing(thing):
        return None
    naming = (hit for hit in hits if thing.lower() in hit.passage.text.get(language).lower())
    return next(naming, hits[0])


def _comparison(
    retriever: Retriever, query: str, language: str, hits: list[Hit], history: Sequence[ChatMessage], earlier: Earlier
) -> comparing.Comparison | None:
    """"RNN이랑 트랜스포머 차이", "GAN보다 나아요?" (the topic under way being
    the other thing): what the document says of the two side by side."""
    topic = _topic_under_way(retriever, earlier, history)
    said = [m.content for m in history if m.role == "assistant"]
    return comparing.compare(retriever, query, topic, language, said)


def hits_of(retriever: Retriever, query: str, history: Sequence[ChatMessage]) -> list[Hit]:
    return retriever.search(query, history)


def _kind_asked(query: str, history: Sequence[ChatMessage]) -> str:
    """What the question asks for. A bare "and X?" ("원화로는요?" after "그래서
    총 얼마?") asks the learner's last question again, of X."""
    if not answering.asks_what_about(query):
        return answering.question_kind(query)
    earlier = (m.content for m in reversed(history) if m.role == "user" and not answering.asks_what_about(m.content))
    # Of the earlier question itself, not of the clauses that set its scene.
    return answering.question_kind(intents.without_context_clause(next(earlier, query), keep_ideas=False))


def _last_user(history: Sequence[ChatMessage]) -> str:
    return next((m.content for m in reversed(history) if m.role == "user"), "")


def _context(history: Sequence[ChatMessage]) -> str:
    """What an elliptical follow-up leans on: the learner's last message and
    the first sentence of the last answer ("틀린 말도 해요?" / "네, 환각이라고
    해요." makes "그건 왜 그러는거에요" a question about hallucination)."""
    answer = next((m.content for m in reversed(history) if m.role == "assistant"), "")
    opening = " ".join(re.split(r"(?<=[.!?])\s+|\n+", answer.strip())[:2]) if answer else ""
    return f"{_last_user(history)}\n{opening}".strip()


def _activity(
    retriever: Retriever, text: str, language: str, covered: Sequence[str], asked: frozenset[str], earlier: Earlier
) -> TurnPlan | None:
    """A turn that is one of the learner's activities rather than a question:
    answering the quiz just asked, asking for a quiz, a recap, the course's
    contents, where to start, progress, or an acknowledgement."""
    pack = retriever.pack
    done = tuple(covered)
    another = intents.wants_another(text) and earlier.activity in ("quiz", "quiz_result")
    if intents.wants_quiz(text) or another:
        item = activities.make_quiz(pack, [*covered, *earlier.topics], earlier.asked_quizzes, language)
        if item is not None:
            # No sources: the passage would give the answer away.
            return TurnPlan(language, "quiz", (), (), activity="quiz", quiz=item.stored(), covered=done)
    pending = earlier.pending_quiz if earlier.activity == "quiz" else None
    if pending and not (intents.wants_recap(text) or intents.wants_overview(text) or intents.wants_progress(text)):
        correct = activities.judge(pending, text)
        verdict = {**pending, "correct": correct}
        passage = pack.passage(pending.get("passage", ""))
        hits = (Hit(passage, 1.0),) if passage is not None else ()
        suggestions = _quiz_next(language) + _follow_ups(retriever, hits, language, covered, asked)[:2]
        return TurnPlan(language, "quiz_result", hits, suggestions, activity="quiz_result", quiz=verdict, covered=done)
    if intents.wants_recap(text):
        return TurnPlan(language, "recap", (), _starters(retriever, language, covered, asked), activity="recap",
                        covered=recap_order(covered, earlier.topics))
    if intents.wants_progress(text):
        return TurnPlan(language, "progress", (), _starters(retriever, language, covered, asked),
                        activity="progress", covered=done)
    if intents.wants_start(text):
        return TurnPlan(language, "start", (), _starters(retriever, language, (), asked), activity="overview", covered=done)
    if intents.wants_overview(text):
        return TurnPlan(language, "overview", (), _starters(retriever, language, covered, asked),
                        activity="overview", covered=done)
    if intents.is_acknowledgement(text):
        return TurnPlan(language, "thanks", (), _next_steps(retriever, language, covered, asked, earlier),
                        activity="thanks", covered=done)
    course = _about_the_course(retriever, text, bool(covered or earlier.topics))
    if course is not None:
        # "What is this lesson about?", "처음 이에요 뭐 부터 해요?", "지금 어디까지
        # 온 거예요?": nothing of the document is named; the course itself is asked about.
        return _course_activity(retriever, course, language, covered, asked)
    return None


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
        return _starters(retriever, language, covered, asked)
    return _follow_ups(retriever, [Hit(topic, 1.0)], language, covered, asked)


def _quiz_next(language: str) -> tuple[str, ...]:
    return ("Another quiz question, please",) if language == "en" else ("문제 하나 더 내 주세요",)


def _unnamed(retriever: Retriever, query: str, history: Sequence[ChatMessage]) -> bool:
    """A request naming something, but nothing of the document: "수학 숙제 답
    알려 줘". "그거 더 알려 줘" after a lesson names its topic by pointing."""
    if intents.names_lesson_idea(query) or intents.recalls_document(query):
        return False
    pointing = bool(history) and (intents.points_back(query) or not retriever.analyse(query))
    return not pointing


def _topic_of(retriever: Retriever, earlier: Earlier, history: Sequence[ChatMessage]) -> list[Hit]:
    """The passage the conversation is on: the last answer's, else what recent turns point to."""
    passage = retriever.pack.passage(earlier.topics[-1]) if earlier.topics else None
    if passage is not None:
        return [Hit(passage, retriever.threshold)]
    return retriever.search("", history, follow_up=True, k=1)


def _current_lesson(retriever: Retriever, covered: Sequence[str]) -> str | None:
    last = retriever.pack.passage(covered[-1]) if covered else None
    return last.lesson_id if last else None


def _another(retriever: Retriever, hits: list[Hit], history: Sequence[ChatMessage]) -> list[Hit]:
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


def _language(question: str, history: Sequence[ChatMessage]) -> str:
    """The message's language; a bare name ("GPT?", "RNN") keeps the conversation's."""
    language = detect_language(question)
    if language == "en" and not has_hangul(question) and len(question.split()) <= 2:
        for message in reversed(history):
            if message.role == "user" and has_hangul(message.content):
                return detect_language(message.content)
    return language


def _key(text: str) -> str:
    return " ".join(raw_words(text))


def _asked(question: str, history: Sequence[ChatMessage]) -> frozenset[str]:
    return frozenset(_key(m.content) for m in (*history, ChatMessage("user", question)) if m.role == "user")


def _next(retriever: Retriever, language: str, covered: Sequence[str], asked: frozenset[str],
          earlier: Earlier = Earlier()) -> TurnPlan:
    """The next passage in teaching order after the topic under way that this
    conversation has not cited yet (from the start when there is no topic)."""
    # Passages an answer was about are done; one only cited beside another is still to come.
    done = set(earlier.topics) if earlier.topics else set(covered)
    order = list(retriever.pack.passages.values())
    here = next((i for i, p in enumerate(order) if earlier.topics and p.id == earlier.topics[-1]), -1)
    upcoming = next((p for p in order[here + 1:] + order[:here + 1] if p.id not in done), None)
    if upcoming is None:
        return TurnPlan(language, "next", (), _starters(retriever, language, (), asked), covered=tuple(covered))
    hits = [Hit(upcoming, 1.0)]
    return TurnPlan(language, "next", tuple(hits), _follow_ups(retriever, hits, language, covered, asked),
                    covered=tuple(covered))


_ACTIVITY_OF_INTENT = {"attack": "decline", "out_of_scope": "decline", "task": "decline", "not_given": "decline",
                       "greeting": "greeting",
                       "thanks": "thanks"}


def _without_passages(
    retriever: Retriever, language: str, intent: str, covered: Sequence[str], asked: frozenset[str]
) -> TurnPlan:
    activity = _ACTIVITY_OF_INTENT.get(intent, "answer")
    return TurnPlan(language, intent, (), _starters(retriever, language, covered, asked), activity=activity,
                    covered=tuple(covered))


def _starters(
    retriever: Retriever, language: str, covered: Sequence[str], asked: frozenset[str]
) -> tuple[str, ...]:
    """Questions that open lessons not yet covered, in teaching order."""
    done = set(covered)
    out: list[str] = []
    for passage in retriever.pack.passages.values():
        if passage.id in done:
            continue
        for question in passage.follow_ups.get(language):
            if _key(question) in asked or question in out or _target(retriever, question) in done:
                continue
            out.append(question)
            break
        if len(out) == SUGGESTIONS:
            break
    return tuple(out)


def _follow_ups(
    retriever: Retriever,
    hits: Sequence[Hit],
    language: str,
    covered: Sequence[str],
    asked: frozenset[str],
) -> tuple[str, ...]:
    """The top passage's follow-ups the learner has not asked, preferring ones
    that lead somewhere new; topped up from the other hits, then starters."""
    here = {hit.passage.id for hit in hits}
    done = set(covered) | here
    fresh: list[str] = []
    stale: list[str] = []
    leads: set[str | None] = set()
    for hit in hits:
        for question in hit.passage.follow_ups.get(language):
            target = _target(retriever, question)
            # Two suggestions leading to the same passage are one suggestion.
            if _key(question) in asked or (target is not None and target in leads):
                continue
            leads.add(target)
            (stale if target in done else fresh).append(question)
        if len(fresh) >= SUGGESTIONS:
            break
    out = (fresh + stale)[:SUGGESTIONS]
    if len(out) < 2:
        out += [q for q in _starters(retriever, language, covered, asked) if q not in out]
    return tuple(out[:SUGGESTIONS])


@lru_cache(maxsize=16_384)
def _target(retriever: Retriever, question: str) -> str | None:
    """Where a follow-up question leads: the passage retrieval finds for it.

    Worked out the first time a suggestion is considered and remembered, so a
    turn costs a few searches at most, however large the pack.
    """
    hits = retriever.search(question, k=1)
    return hits[0].passage.id if hits else None



def plan_hints(plan: TurnPlan, pack: LessonPack) -> dict[str, str]:
    """The plan as the request's hints: the offline tutor composes the
    activity from them; ``activity_note`` tells a model which activity the
    turn is (it travels to the model beside the learner's message)."""
    hints = {
        "intent": plan.intent,
        "activity": plan.activity,
        "suggestions": "\n".join(plan.suggestions),
        "covered": "\n".join(plan.covered),
        "question_kind": plan.question_kind,
    }
    if plan.fact is not None:
        hints["fact"] = f"{plan.fact[0]}#{plan.fact[1]}"
    if plan.nearest is not None:
        hints["nearest"] = plan.nearest
    if plan.statements:
        hints["statements"] = "\n".join(plan.statements)
        hints["comparison"] = "direct" if plan.direct else "apart"
    if plan.quiz:
        hints.update({f"quiz_{key}": str(value) for key, value in plan.quiz.items()})
    note = activity_note(plan, pack)
    if note:
        hints["activity_note"] = note
    return hints


def activity_note(plan: TurnPlan, pack: LessonPack) -> str:
    """A short instruction for a model: which activity this turn is and the
    data it needs (the quiz question, the verdict, what was covered)."""
    language = plan.language
    covered = activities.covered_passages(pack, plan.covered)
    if plan.activity == "quiz" and plan.quiz:
        return ("This turn is a quiz. Ask the learner exactly this one question, in their language, "
                "without giving away the answer, and nothing else: " + plan.quiz["question"])
    if plan.activity == "quiz_result" and plan.quiz:
        verdict = "right" if plan.quiz.get("correct") else "not right"
        return (f"The learner's message answers the quiz question \"{plan.quiz['question']}\". "
                f"The expected answer: \"{plan.quiz['answer']}\". Their answer was judged {verdict}. "
                "Say so kindly in the first sentence, give the short reason from the expected answer, "
                "and offer another question.")
    if plan.activity == "recap":
        if not covered:
            return "The learner asks for a recap, but nothing has been covered yet: say so and suggest where to start."
        items = "; ".join(f"{p.title.get(language)} ({p.key_points.get(language)[0]})" for p in covered)
        return "The learner asks for a recap. In order, this conversation covered: " + items + "."
    if plan.activity == "progress":
        state = activities.progress(pack, plan.covered)
        upcoming = state.next_passage.title.get(language) if state.next_passage else "nothing: all done"
        return (f"The learner asks about their progress: {state.covered} of {state.total} passages covered, "
                f"in {state.lessons_touched} of {state.lessons_total} lessons. Next up: {upcoming}.")
    if plan.activity == "overview":
        lessons = activities.starting_lessons(pack) if plan.intent == "start" else list(pack.lessons)
        titles = "; ".join(lesson.title.get(language) for lesson in lessons)
        if plan.intent == "start":
            return "The learner asks where a beginner should start. Recommend these first lessons, in order: " + titles
        return "The learner asks what the course covers. Its lessons, in order: " + titles
    if plan.activity == "thanks":
        return "The learner thanks you or says they understood: reply briefly and warmly, and suggest one next step."
    if plan.intent == "not_given" and plan.nearest and (passage := pack.passage(plan.nearest)):
        return ("The tutor's search found no passage that gives this detail. If the document does not give it, "
                "say so plainly, then give the nearest thing it does say: "
                f"{passage.title.get(language)}: {passage.key_points.get(language)[0]}.")
    if plan.intent == "task":
        return ("The learner asks you to do a job for them. Say kindly that you teach this one document and "
                "do not do such jobs, and offer what the document covers instead.")
    return ""
