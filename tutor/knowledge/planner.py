"""Planning one turn: language, intent, passages and follow-up suggestions.

The plan is plain data that every provider receives the same way: a vendor
model reads the passages as quoted data, the offline tutor composes its
answer from them. Deciding *what* to teach is done here once, so both agree.
This module routes the turn; what a follow-up is about, which fact answers,
the activities and the suggestions each have a module of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from tutor.providers.base import ChatMessage

from . import activity_turns, answering, comparing, conversation_focus, fact_choice, selecting, suggesting, unsaid, what_about
from . import follow_up_resolution as resolution
from . import intent as intents
from .activity_turns import recap_order
from .fact_choice import ELLIPTICAL_WORDS
from .pack import LessonPassage
from .retrieval import Hit, Retriever
from .text import detect_language, english_casual_to_standard, has_hangul, tag_as_claim, is_stopword, raw_words
from .turn_plan import Earlier, TurnPlan, activity_note, plan_hints

# What other modules import from here, wherever it now lives.
__all__ = ["Earlier", "TurnPlan", "activity_note", "hits_of", "plan_hints", "plan_turn", "prepare", "recap_order"]

ATTACK_MARGIN = 0.1
# "…알려 줘" about nothing the document names ("좋은 영화 알려 줘"): answer
# only a passage that matches clearly, not one that shares a word or two.
UNNAMED_REQUEST_MARGIN = 0.3
EXAMPLE_WORDS = {"ko": "예시", "en": "examples"}
# Details a fact gives outright: asked of the conversation's focus, its fact answers.
_DETAIL_KINDS = frozenset(("who", "when", "how_much", "how_many", "where", "which"))

# A comparison is answered by a fact whose question is the learner's, near word for word.
SAME_QUESTION = 0.7

# Passages scoring within this of the third one found are as close to the question.
NEAR_TIE = 0.02
NEAR_TIED = 2


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
    # English chat spellings ("wats", "u", "diff") read as the words they stand for, in every check below.
    question = english_casual_to_standard(question)
    # "…한 종류 아니에요?" puts "…한 종류예요" forward: search and fact choice read that claim.
    question = tag_as_claim(question)
    history = [replace(m, content=english_casual_to_standard(m.content)) if m.role == "user" else m for m in history]
    language = _language(question, history)
    asked = suggesting.asked_questions(question, history)
    # An earlier topic the learner reaches back to ("아까 친구 얘기한 거").
    recalled = resolution.reached_back(retriever, question, earlier, history, covered)

    text, attacked = intents.strip_attacks(question)
    if attacked and not text.strip():
        return activity_turns.without_passages(retriever, language, "attack", covered, asked)
    if not attacked:
        activity = activity_turns.activity_turn(retriever, text, language, covered, asked, earlier)
        if activity is not None:
            return activity
    # "퀴즈 말고 그냥 어텐션 설명해줘": what is asked is the rest of it.
    text = intents.without_declined_quiz(text)
    if intents.is_greeting(text) or (not attacked and intents.is_greeting_with_context(text)):
        intent = "attack" if attacked else ("thanks" if intents.is_thanks(text) else "greeting")
        return activity_turns.without_passages(retriever, language, intent, covered, asked)
    if intents.asks_live_information(text):
        # "오늘 환율로 정확히 얼마예요?" after the chatbot's cost: no rate of today is in the
        # document, but the figure it gives on the topic under way is the nearest thing it says.
        figure = None if attacked else _figure_under_way(retriever, text, earlier, history, language)
        plan = activity_turns.without_passages(retriever, language, "not_given" if figure else "out_of_scope",
                                               covered, asked)
        return replace(plan, nearest=figure.id, hits=(Hit(figure, retriever.threshold),)) if figure else plan

    intent = "question"
    query = intents.without_recalling(text)
    # "그럼 둘이 무슨 관계예요?": the pair the learner just named, in place of "둘".
    query = resolution.the_two_spelled_out(retriever, query, history, earlier)
    # The passage telling what came after the topic under way, when that is what is asked.
    after: LessonPassage | None = None
    # Whether the learner asks what overcame the problem just told ("그걸 누가 해결했어요?").
    solved = False
    # What a question for the other side of the topic asks ("단점은 없어요?": what they are).
    kind_of_downside: str | None = None
    # Whether the learner asked for something beside the topic under way ("GAN 말고 또 있어요?").
    moved_on = False
    rest, simpler = intents.wants_simpler(text)
    if not simpler and history and earlier.topics:
        rest, simpler = resolution.wants_analogy(retriever, text)
    if simpler:
        intent, query = "simpler", rest
    else:
        rest, example = intents.wants_example(text)
        if example:
            intent, query = "example", rest
        else:
            rest, nxt = intents.wants_next(text)
            if nxt and (not retriever.analyse(rest) or intents.is_acknowledgement(rest)):
                if history and not attacked and (dated := resolution.next_in_time(retriever, earlier, history)):
                    # "1906년에 뭐가 있었는데요?" / "그 다음은요?": the next date of that timeline.
                    hits = [Hit(dated[0], retriever.threshold)]
                    return TurnPlan(language=language, intent="question", hits=tuple(hits),
                                    suggestions=suggesting.follow_ups(retriever, hits, language, covered, asked),
                                    covered=tuple(covered), question_kind="when", fact=(dated[0].id, dated[1]))
                return activity_turns.next_turn(retriever, language, covered, asked, earlier)

    # "그중에 첫 번째 거는 어떻게 작동해요?": the first thing the last answer listed, in place of "첫 번째 거".
    query = resolution.the_nth_spelled_out(retriever, query, history)
    if intent == "question" and not attacked \
            and (named := resolution.whose_name_is_asked(retriever, query, earlier, history)) is not None:
        # "영어로는요?" after 분류, "원래 영어 이름이 뭐예요?" after AGI: the name the
        # passage spells out, not a passage whose own words are 영어 or 이름.
        hits = [Hit(named, retriever.threshold)]
        return TurnPlan(language=language, intent="question", hits=tuple(hits),
                        suggestions=suggesting.follow_ups(retriever, hits, language, covered, asked),
                        covered=tuple(covered), question_kind="name")
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
        return activity_turns.without_passages(retriever, language, "attack" if attacked else "task", covered, asked)

    if intent in ("simpler", "example") and not retriever.names_known_topic(query):
        # Nothing the pack knows named in the message ("애한테 설명하게 더 쉽게요",
        # "예를 들면 머 만들 수 있어요?"): the topic is the one we were just on
        # (for an example, a passage of examples about it if there is one).
        hits = retriever.search(EXAMPLE_WORDS[language] if intent == "example" else "", history, follow_up=True)
        topic = resolution.topic_under_way(retriever, earlier, history)
        if intent == "example" and topic is not None and topic.example is not None \
                and (not hits or hits[0].passage.lesson_id != topic.lesson_id
                     or (hits[0].passage is not topic and hits[0].passage.id in covered)):
            # An examples passage of another lesson is not an example of this topic;
            # nor is one of its lesson taught before it ("분류가 정확히 뭔데요?" /
            # "예시 하나만" after what older AI did: examples of 분류).
            hits = [Hit(topic, hits[0].score if hits else 0.0), *(h for h in hits if h.passage is not topic)][:3]
        elif intent == "simpler" and topic is not None:
            # "더 쉽게요": the last answer said more simply, not a passage its
            # words or the earlier turns' happen to reach as well. Asked for an
            # analogy, or for simpler still once its simple version was given,
            # the analogy its lesson builds on when it has none of its own left.
            lead = _simpler_lead(retriever, topic, text, language, history)
            hits = _led_by(lead, hits) if hits else [Hit(lead, retriever.threshold)]
        if not hits and covered and (last := retriever.pack.passage(covered[-1])):
            hits = [Hit(last, 0.0)]
        if recalled is not None and not attacked:
            # "처음에 물어본 거요, 다시 쉽게 설명해 주세요": the earlier topic, not the last one.
            hits = _led_by(recalled, hits) if hits else [Hit(recalled, retriever.threshold)]
            earlier = replace(earlier, topics=(*earlier.topics, recalled.id))
    else:
        hits = _each_question_found(retriever, query, leaning, retriever.search(query, leaning))
        if not hits and leaning and not attacked and resolution.names_before_asking(retriever, query):
            # "The text says some people use ChatGPT to practise English. What
            # else do people use it for?": "it" stands for what a sentence of the
            # message itself named; when leaning on earlier turns finds nothing, its own words may.
            hits = retriever.search(query, follow_up=False)
        thing = resolution.generative_asked_of(retriever, query, earlier, history)
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
        topic = None if attacked else resolution.topic_asked_about(retriever, query, earlier, history)
        if topic is not None and resolution.asks_before(retriever, query) \
                and (dated := resolution.earlier_in_time(retriever, earlier, history)):
            # "그럼 그 전에는 뭐가 있었어요?" after ELIZA (1964): the item before it on
            # the timeline its passage dates (the Markov chain, 1906).
            hits = [Hit(dated[0], retriever.threshold)]
            return TurnPlan(language=language, intent="question", hits=tuple(hits),
                            suggestions=suggesting.follow_ups(retriever, hits, language, covered, asked),
                            covered=tuple(covered), question_kind="when", fact=(dated[0].id, dated[1]))
        before = resolution.before_it(retriever, topic, _newest_names(retriever, history)) \
            if topic is not None and resolution.asks_before(retriever, query) else None
        if before is None and topic is not None and resolution.asks_after(retriever, query):
            # "그게 나오고 뭐가 달라졌어요?", "그 뒤로는요?": the time after the
            # thing the topic is about, told by another passage, which answers alone.
            before = after = resolution.after_it(retriever, topic)
        if before is None and topic is not None and resolution.asks_effect(retriever, query):
            # "그 덕분에 뭐가 좋아졌어요?" after the 2017 paper: the passage telling
            # what the thing just taught changed, which answers alone.
            before = after = resolution.what_it_changed(retriever, topic, query)
        if before is None and topic is not None and resolution.asks_superseded(query):
            # "근데 왜 밀려났어요?" after the RNN: the passage telling what came after it.
            before = resolution.superseded_by(retriever, topic)
        if before is None and topic is not None and resolution.asks_significance(retriever, query):
            # "그게 왜 중요해요?" after what the Transformer changed: the last answer's
            # topic says why, not a passage whose own words are 중요 or 핵심.
            topic = resolution.topic_under_way(retriever, earlier, history) or topic
            hits = _led_by(topic, hits) if hits else [Hit(topic, retriever.threshold)]
        if before is None and topic is not None and (downside := resolution.downside_of(retriever, query, topic)):
            # "단점은 없어요?" after what ChatGPT changed: the worries around it, which
            # answer alone, by what they are rather than by a yes or a no.
            before = after = downside
            kind_of_downside = "what"
        if before is None and not attacked and (mattered := resolution.what_made_it_matter(retriever, query)):
            # "챗GPT가 뭐가 그렇게 대단했던거에요?": what it changed is why it matters.
            hits = _led_by(mattered, hits) if hits else [Hit(mattered, retriever.threshold)]
            topic = mattered
        if before is None and not attacked and intent == "question" \
                and (changed := resolution.changed_by_named(retriever, query)):
            # "트랜스포머가 나와서 뭐가 바뀐건데요?": what the thing the message names
            # brought about, told by a passage of its lesson, answers alone.
            before = after = changed
        solved = before is None and topic is not None and resolution.asks_solved(retriever, query)
        if solved:
            # "그럼 그걸 누가 해결했어요?" after the RNN's weakness: the thing that
            # overcame the problem the answer named, which answers alone.
            before = after = resolution.solved_by(retriever, topic)
        if before is not None:
            # "gpt가머에요" / "그럼 그 전에는 뭘 썼어요?": the time before the thing
            # the topic under way is built on (the Transformer), which another
            # passage tells ("트랜스포머가 나오기 전에는 RNN …"); it is the topic from here on.
            hits = _led_by(before, hits) if hits else [Hit(before, retriever.threshold)]
            topic = before
            earlier = replace(earlier, topics=(*earlier.topics, before.id))
        # "왜 더 좋은건데요?", "why is it better?": the reason of the comparison just made, not "more".
        why_of_measure = answering.question_kind(query) == "why" and comparing.only_the_measure(retriever, query)
        going_on = topic is not None and bool(hits) and (
            retriever.continues(query, topic)
            # "거기 예로 나온 모델 이름들은?": in the answer just given, if that passage speaks of it at all.
            or (intents.points_at_answer(query) and retriever.coverage_of(query, topic) > 0)
            # "그 모델은 음악 말고 또 뭐에 써요?": the topic under way is what it asks more of.
            or intents.subject_points_back(query)
            # "그걸 쓰는 서비스는 뭐 있어요": what uses the topic under way.
            or resolution.told_by_the_topic(query)
            # "그땐 왜 제대로 연구가 안됐어요?" after 1906 and 1964: that time, whatever it asks of it.
            or resolution.at_its_time(query, topic)
            # "예전엔 어땠는데요?": before what was just taught, if that passage speaks of before.
            or (resolution.asks_before(retriever, query) and retriever.coverage_of(query, topic) > 0)
            # "왜 더 좋은건데요?" after diffusion set against GAN: only how they compare, of the topic.
            or why_of_measure)
        # "그거 말고 또?" about a passage partly told asks for its rest;
        # "GAN 말고 또 있어요?" sets the topic itself aside.
        more_of_topic = going_on or (bool(hits) and hits[0].passage is topic and not _titled(topic, aside)
                                     and _has_unsaid(topic, language, history))
        if recalled is not None and hits and (
                hits[0].passage is recalled or resolution.explains_better(retriever, question, recalled, hits[0].passage)):
            # "Going back to the conversation practice — what else …?": the
            # passage reached back to leads, unless the one found explains the
            # message's words as well ("아까 GPT 뜻 물어봤을 때 … 그거 썼다는 게 무슨 말이에요?").
            hits = _led_by(recalled, hits)
            # It is the topic under way for the rest of this turn's planning.
            earlier = replace(earlier, topics=(*earlier.topics, recalled.id))
        elif history and (listing := resolution.listing_passage(retriever, query, aside, topic, earlier, covered,
                                                                language, history)):
            # "다른 이유도요", "음악 말고 또 뭐 해요?": another of the items a passage
            # of this conversation lists, not the next passage.
            hits = _led_by(listing, hits) if hits else [Hit(listing, retriever.threshold)]
            earlier = replace(earlier, topics=(*earlier.topics, listing.id))
        elif history and intents.asks_for_another(query) and not (more_of_topic and hits[0].passage is topic) \
                and not intents.subject_points_back(query) and not why_of_measure:
            # "다른 것도 있어요?"; but "번역 말고 또 어떤 일을 대신해요" asks for
            # more of the passage that already answers it, not for the next one.
            hits = resolution.another_passage(retriever, hits, history)
            moved_on = True
        elif going_on:
            # "데이터도 많이 쓰는거죠?": more about the topic under way, which
            # leads even when a passage elsewhere shares a common word.
            hits = _led_by(topic, hits)
        elif hits and topic is not None and not attacked \
                and (bridge := resolution.bridging_passage(retriever, query, topic, hits, leaning)) is not None:
            # "근데 왜 요즘은 다 트랜스포머 써요?" after the RNN: of the passages
            # about the Transformer, the one that sets it beside the RNN.
            hits = _led_by(bridge, hits)
        if aside and hits:
            # "예측 말고 또 뭐 있어요": the passage about what is set aside does not lead.
            hits = [*(h for h in hits if not _titled(h.passage, aside)), *(h for h in hits if _titled(h.passage, aside))]
    listed = None if attacked else resolution.enumerating_passage(retriever, query, earlier, history)
    if listed is None and not attacked:
        # "그게 멀티모달이랑 무슨 상관이에요?" after AGI: the passage that links the two answers alone.
        listed = resolution.relating_passage(retriever, query, hits, history)
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
        return activity_turns.next_turn(retriever, language, covered, asked, earlier)
    if not hits and not attacked and recalled is not None:
        # "첨에 말한 노이즈 그거 다시 좀 쉽게": words the search does not know
        # (첨에, ㄱㄱ) do not hide the earlier topic the message names.
        hits = [Hit(recalled, retriever.threshold)]
        earlier = replace(earlier, topics=(*earlier.topics, recalled.id))
    if not hits and not attacked and intent == "simpler" \
            and (under_way := resolution.topic_under_way(retriever, earlier, history)) is not None:
        # "평생 서류만 보던 사람이라 어렵습니다. 더 쉽게 비유로 말씀해 주시지요":
        # what the learner says of themselves names nothing any passage answers;
        # the request is still to say the last answer more simply.
        hits = [Hit(_simpler_lead(retriever, under_way, text, language, history), retriever.threshold)]
    short_pointer = intents.points_back(query) and len(raw_words(query)) <= ELLIPTICAL_WORDS + 1
    if not hits and not attacked and history and (intents.points_back(query) or retriever.only_asks_about(query)) \
            and not retriever.names_unknown(query) and (short_pointer or not retriever.foreign_words(query)):
        # "왜 그런 일이 생겨요?": pointing back at what was just taught, even in
        # words the pack does not use, is a question about that topic.
        hits = resolution.topic_of(retriever, earlier, history)
    if not hits and not attacked and history and comparing.points_at_both(query):
        # "그래서 둘중에 뭐가 더 나아요?": the two just compared are what the conversation is on.
        hits = resolution.topic_of(retriever, earlier, history)
    if not hits and not attacked and history and earlier.topics and resolution.subject_left_unsaid(retriever, query):
        # "요즘은 잘 안써요?" after VAE, "뺀건요?" after GPT's decoder: a follow-up
        # leaving its subject unsaid, as Korean does, is about the topic under way.
        hits = resolution.topic_of(retriever, earlier, history)
    if not hits and not attacked and (focus := resolution.focus_explains(retriever, query, earlier, history)):
        # "그럼 비싼 거예요 싼 거예요?" after the chatbot's cost: too weak a match on
        # its own, but the topic under way is what its words speak of.
        hits = [Hit(focus, retriever.threshold)]
    if not hits and not attacked and history and earlier.topics and request != "do":
        # "수요 논리는 어떤 비유로 설명되나요" after the reasons LLMs lead: words
        # the pack never uses (논리) hide a question the conversation's own lesson answers.
        hits = resolution.in_the_lesson_under_way(retriever, query, earlier, history)
    if not hits and not attacked and comparing.asks_either(query) \
            and (known := " ".join(word for word in query.split() if not retriever.foreign_words(word))) != query:
        # "GPT는 구글 거예요 OpenAI 거예요?": an answer offered that the document never
        # names (구글) is the learner's guess, not the topic; the rest is what is asked.
        hits = retriever.search(known, leaning)
    if not hits and not attacked and intents.names_lesson_idea(query):
        # About the document's ideas, but nothing close enough answers it:
        # say so, with the nearest thing the document does say.
        nearest = retriever.nearest(query, history)
        if nearest is not None:
            plan = activity_turns.without_passages(retriever, language, "not_given", covered, asked)
            return replace(plan, nearest=_priced(retriever, query, nearest, language).id)
    if not hits and not attacked and (figure := _figure_under_way(retriever, query, earlier, history, language)):
        # "그때 컴퓨터 한 대 가격은 얼마였어요?": an amount the document does not give; the
        # figure it gives on the topic under way is the nearest thing it says.
        plan = activity_turns.without_passages(retriever, language, "not_given", covered, asked)
        return replace(plan, nearest=figure.id, hits=(Hit(figure, retriever.threshold),))
    if not hits:
        # A wrapped attack whose remainder is not about the lessons is still an attack.
        return activity_turns.without_passages(retriever, language, "attack" if attacked else "out_of_scope", covered, asked)
    # "예시 모델은?": a request for examples asks for examples, whatever was asked before.
    kind = "example" if intent == "example" and answering.asks_what_about(query) else resolution.kind_asked(query, history)
    if kind in ("what", "yes_no") and intents.recalls_a_line(text):
        kind = "meaning"  # "…하는 말이 있었는데 뒷부분이 기억이 안 나요": that line, not the passage's opening
    if kind == "what" and resolution.generative_asked_of(retriever, query, earlier, history):
        kind = "yes_no"  # "사진 보고 뭔지 구분하는 거는 생성형인가요?": 뭔지 is the thing's own job
    if after is not None and kind == "difference":
        kind = "what"  # "그게 나오고 뭐가 달라졌어요?" asks what changed, not how two things differ
    if kind_of_downside is not None and kind == "yes_no":
        kind = kind_of_downside  # "단점은 없어요?": the downsides, not a yes
    if solved and kind == "who":
        kind = "what"  # "그걸 누가 해결했어요?": the thing that overcame it, not a person the document never names
    fact = None
    if intent == "question" and kind == "difference" and unsaid.asks_yes_or_no(asked_part):
        # "GAN이 디퓨전보다 좋죠?": a yes or a no first, from the fact that compares the two.
        # A comparison fact saying the same opens the comparison's answer as it stands.
        answer = fact_choice.direct_answer(retriever, asked_part, "yes_no", language, hits, history, earlier, intent)
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
        comparison = None if own is not None else fact_choice.comparison(retriever, query, language, hits, history, earlier)
        if comparison is not None:
            hits = [Hit(p, hits[0].score) for p in comparison.passages]
            hits += [hit for hit in hits_of(retriever, query, history) if hit.passage not in comparison.passages]
            hits = hits[:3]
            return TurnPlan(language=language, intent=intent, hits=tuple(hits),
                            suggestions=suggesting.follow_ups(retriever, hits, language, covered, asked),
                            covered=tuple(covered),
                            question_kind=kind, statements=comparison.statements, direct=comparison.direct,
                            ranks=comparison.ranks, again=comparison.again)
    if intent == "simpler" and answering.has_question_word(query):
        # "생성형 AI가 뭔지 쉽게 알려 주세요": the passage whose fact asks that
        # question is the one to say more simply.
        match = answering.best_fact(query, [hit.passage for hit in hits[:3]], kind)
        if match is not None:
            hits = sorted(hits, key=lambda hit: hit.passage is not match.passage)
    if intent == "simpler" and hits[0].passage.analogy is None and resolution.asks_analogy(text) \
            and retriever.names_known_topic(query):
        # "수요 얘긴 비유로 한번만요": of the passages the message names, the one the
        # document tells through an analogy.
        told = next((hit.passage for hit in hits[:3] if hit.passage.analogy is not None), None)
        hits = _led_by(told, hits) if told is not None else hits
    if intent == "question" and unsaid.asked_slot(asked_part, kind) == "live" and kind in ("what", "which") \
            and (named := _naming_models(retriever, query, history)) is not None:
        # "요즘 젤 잘나가는 LLM 머에요?": what leads today is not in a document written at
        # one time; the models it names of that kind are the nearest thing it says.
        hits = _led_by(named, hits)
    if intent in ("question", "example"):
        # Passages the message's words reach as well as the third one found
        # ("Why are LLMs the mainstream?": the one listing the reasons ranks
        # fourth by a hair) may hold the fact that answers it.
        tied = [] if moved_on or len(hits) < 3 else [
            hit for hit in retriever.search(query, history, k=NEAR_TIED + 3)[3:]
            if hit.score >= hits[2].score - NEAR_TIE and all(hit.passage is not h.passage for h in hits)]
        # "그거 말고 다른 문제도 있어요?": what is set aside is not what the fact answers.
        asked_part = intents.without_set_aside(asked_part, pointers=False)
        # "VAE는요?" after "GAN은 어디에 써요?": the fact answering where VAE is used, not what it is.
        asked_part = what_about.spelled_out(retriever, asked_part, history)
        answer = None
        # (Of the message's own words: "원화로는요?" after "총 얼마?" asks the amount again.)
        priced = kind == "how_much" and intent == "question" and answering.question_kind(asked_part) == "how_much" \
            and not answering.has_question_word(asked_part)
        if priced and not listed and not after:
            # "텍스트 데이터가 비싸서 구하기 힘든 거 아님?": a guess about cost put forward to be
            # checked, not a question for an amount; a fact saying yes or no to it answers it.
            checked = fact_choice.direct_answer(retriever, asked_part, "yes_no", language, hits, history, earlier, intent, tied)
            if checked is not None and checked[1] is not None \
                    and retriever.pack.passage(checked[1][0]).facts[checked[1][1]].kind == "yes_no":
                answer, kind = checked, "yes_no"
        if answer is None:
            answer = fact_choice.direct_answer(retriever, asked_part, kind, language, hits[:1] if listed or after else hits,
                                               history, earlier if not moved_on else replace(earlier, topics=()), intent,
                                               () if listed or after else tied)
        if answer is not None and (listed or after):
            # The list's own passage answers; the others follow it.
            answer = ([*answer[0], *(hit for hit in hits if all(hit.passage is not h.passage for h in answer[0]))][:3],
                      answer[1])
        if (answer is None or answer[1] is None) and intent == "question" and not listed and not after \
                and not attacked and history:
            # "그거 쓰면 돈 많이 들어요?" after why LLMs lead: no fact of the passages found
            # answers it, but asked of the thing the conversation is on (LLMs), one does.
            answer = _asked_of_the_focus(retriever, asked_part, kind, language, history, earlier,
                                         any_fact=answer is None) or answer
        if answer is None and priced:
            # No amount either: what the document says of the thing answers the guess.
            answer = fact_choice.direct_answer(retriever, asked_part, "yes_no", language, hits, history, earlier, intent, tied)
            kind = "yes_no" if answer is not None else kind
        if answer is None:
            plan = activity_turns.without_passages(retriever, language, "not_given", covered, asked)
            nearest = _priced(retriever, asked_part, hits[0].passage, language)
            return replace(plan, nearest=nearest.id, hits=(hits[0] if nearest is hits[0].passage
                                                          else Hit(nearest, hits[0].score),))
        hits, fact = answer
        if intent == "question" and not listed and not after and hits:
            passage = retriever.pack.passage(fact[0]) if fact is not None else hits[0].passage
            newer = resolution.what_is_new(retriever, query, kind, language, fact, passage or hits[0].passage, history)
            if newer is not None:
                hits, fact = [Hit(newer[0], hits[0].score), *(h for h in hits if h.passage is not newer[0])][:3], \
                    (newer[0].id, newer[1])
        unexplained = fact_choice.unexplained(retriever, asked_part, kind, language, hits) \
            if intent == "question" and fact is None else None
        if unexplained is not None:
            # "인코더는 무슨 일을 해요?": the document names it but never says
            # what it does; say so, with the passage that names it.
            plan = activity_turns.without_passages(retriever, language, "not_given", covered, asked)
            return replace(plan, nearest=unexplained.passage.id, hits=(unexplained,))
    return TurnPlan(
        language=language,
        intent=intent,
        hits=tuple(hits),
        suggestions=suggesting.follow_ups(retriever, hits, language, covered, asked),
        covered=tuple(covered),
        question_kind=kind,
        fact=fact,
    )


def _asked_of_the_focus(retriever: Retriever, asked_part: str, kind: str, language: str,
                        history: Sequence[ChatMessage], earlier: Earlier,
                        any_fact: bool) -> tuple[list[Hit], tuple[str, int] | None] | None:
    """The answer to a follow-up no fact of the passages found answers, asked again
    with the conversation's focus named in place of its pointer or unsaid subject:
    found by those words alone, in a passage naming that focus, by a fact that answers.
    Unless the turn would otherwise be declined (``any_fact``: then the passage
    found answers even without a fact), only a fact giving the very detail asked
    (who, when, how much) replaces the passages' own words."""
    spelled = conversation_focus.spelled_out(retriever, asked_part, history)
    if spelled == asked_part:
        return None
    things = conversation_focus.focus(retriever, history)
    found = [hit for hit in retriever.search(spelled)
             if any(conversation_focus.speaks_of(retriever, hit.passage, thing) for thing in things)]
    answer = fact_choice.direct_answer(retriever, spelled, kind, language, found, history, earlier) if found else None
    if answer is None or (answer[1] is None and not any_fact):
        return None
    fact = retriever.pack.passages[answer[1][0]].facts[answer[1][1]] if answer[1] is not None else None
    if not any_fact and (fact is None or fact.kind != kind or kind not in _DETAIL_KINDS):
        return None
    return answer


def _newest_names(retriever: Retriever, history: Sequence[ChatMessage]) -> list[str]:
    """The names of the learner's newest turn when it asked what they are ("트랜스포머가
    뭐예요?" -> 트랜스포머); not of a turn on an aspect of them ("트랜스포머 등장을 왜
    창세기적 사건이라 했어요?"), whose answer tells its own "before"."""
    last = next((m.content for m in reversed(history) if m.role == "user"), "")
    if answering.question_kind(last) not in ("what", "meaning"):
        return []
    return conversation_focus.names_in(retriever, last)


def _simpler_lead(retriever: Retriever, topic: LessonPassage, text: str, language: str,
                  history: Sequence[ChatMessage]) -> LessonPassage:
    """The passage a "say it more simply" about ``topic`` is told from: the topic
    itself; asked for an analogy naming nothing else, or for simpler still once
    its simple version was given, the analogy its lesson builds on when it has
    none of its own left."""
    if resolution.simpler_told(topic, language, history) or resolution.asks_bare_analogy(retriever, text):
        return resolution.lesson_analogy(retriever, topic, language, history) or topic
    return topic


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


def _priced(retriever: Retriever, query: str, passage: LessonPassage, language: str) -> LessonPassage:
    """The nearest passage to a question asking what the learner's own case
    would cost ("저희 병원에 도입하면 얼마 들어요?"): ``passage`` if it gives a
    figure at all (a year is nearest to a price of that time), else the passage
    the search ranks first among those giving an amount of money (a cost the
    document works out is nearer than a passage on hospitals). Other amounts
    ("LLM 학습에 전기 얼마나 써요?") keep their own passage: a chatbot's running
    cost is no answer to them."""
    if (answering.question_kind(query) != "how_much" or not unsaid.asks_own_case(query)
            or re.search(r"\d", passage.text.get(language))):
        return passage
    priced = [p for p in retriever.pack.passages.values() if selecting.gives_money(p.text.get(language))]
    ranked = [hit.passage for hit in retriever.search(query, k=len(retriever.pack.passages)) if hit.passage in priced]
    return (ranked or priced or [passage])[0]


def _figure_under_way(retriever: Retriever, query: str, earlier: Earlier, history: Sequence[ChatMessage],
                      language: str) -> LessonPassage | None:
    """The passage under way, when the question asks an amount or a count and
    that passage gives a figure (an amount, a count, a year): the nearest
    thing the document says to an amount it does not give."""
    if not history or answering.question_kind(query) not in ("how_much", "how_many"):
        return None
    topic = resolution.topic_under_way(retriever, earlier, history)
    return topic if topic is not None and re.search(r"\d", topic.text.get(language)) else None


# A product's name: capitalised, with a version number or a hyphened letter ("GPT-4o",
# "Claude 3.5", "Llama 3", "DALL-E"), not a bare acronym ("AI", "LLM").
_MODEL_NAME = re.compile(r"\b[A-Z][A-Za-z]*(?:-?\d[\w.]*|\s\d[\w.]*|-[A-Z]\b)")
# The passages searched for one naming models: a few more than the answer cites.
_MODEL_SEARCH = 6


def _naming_models(retriever: Retriever, query: str, history: Sequence[ChatMessage]) -> LessonPassage | None:
    """Of the passages the question reaches, the first that names two products or
    more ("GPT-4o, Claude 3.5 Sonnet", "Stable Diffusion, Midjourney, DALL-E")."""
    for hit in retriever.search(query, history, k=_MODEL_SEARCH):
        if len(set(_MODEL_NAME.findall(hit.passage.text.en))) >= 2:
            return hit.passage
    return None


def _each_question_found(retriever: Retriever, query: str, leaning: Sequence[ChatMessage],
                         hits: list[Hit]) -> list[Hit]:
    """Two questions in one turn ("챗gpt 언제 나왔고 GPT는 무슨 뜻이에요?"): the words of
    both together may find a passage neither asks about; the passage each finds on its
    own is among those answering, the last question's first. The second leans on the
    first for a subject it leaves unsaid ("GAN이 뭐고 어디에 써요?")."""
    parts = answering.separate_questions(query)
    if parts is None or not hits:
        return hits
    first = retriever.search(parts[0], leaning, k=1)
    second = retriever.search(parts[1], (*leaning, ChatMessage("user", parts[0])), k=1)
    if not first or not second:
        return hits
    leads = [second[0], *(first if first[0].passage is not second[0].passage else ())]
    return [*leads, *(hit for hit in hits if all(hit.passage is not lead.passage for lead in leads))][:3]


def _led_by(topic: LessonPassage, hits: Sequence[Hit]) -> list[Hit]:
    """``hits`` with the topic under way first (at its own score, if found)."""
    own = next((hit for hit in hits if hit.passage is topic), Hit(topic, hits[0].score))
    return [own, *(hit for hit in hits if hit.passage is not topic)][:3]


def hits_of(retriever: Retriever, query: str, history: Sequence[ChatMessage]) -> list[Hit]:
    return retriever.search(query, history)


def _unnamed(retriever: Retriever, query: str, history: Sequence[ChatMessage]) -> bool:
    """A request naming something, but nothing of the document: "수학 숙제 답
    알려 줘". "그거 더 알려 줘" after a lesson names its topic by pointing."""
    if intents.names_lesson_idea(query) or intents.recalls_document(query):
        return False
    pointing = bool(history) and (intents.points_back(query) or not retriever.analyse(query))
    return not pointing


def _current_lesson(retriever: Retriever, covered: Sequence[str]) -> str | None:
    last = retriever.pack.passage(covered[-1]) if covered else None
    return last.lesson_id if last else None


def _says_english(text: str) -> bool:
    """Whether a message without Hangul is English words rather than a bare
    name ("GPT?", "RNN"): three words or more, or an English grammar word
    ("simpler pls", "whats hallucination", "why tho")."""
    words = raw_words(text)
    return len(text.split()) > 2 or any(is_stopword(word) for word in words if word.isalpha())


def _language(question: str, history: Sequence[ChatMessage]) -> str:
    """The message's language; a bare name ("GPT?", "RNN", "example?") keeps
    the language the learner was speaking last, Korean or English."""
    language = detect_language(question)
    if language == "en" and not has_hangul(question) and not _says_english(question):
        for message in reversed(history):
            if message.role != "user":
                continue
            if has_hangul(message.content):
                return detect_language(message.content)
            if _says_english(message.content):
                return "en"
    return language
