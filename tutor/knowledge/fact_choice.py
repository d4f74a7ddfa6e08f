"""Which passage fact answers a question directly, and what to say when
none does (a detail the document does not give, a thing it names but never
explains, two things it sets side by side).

Apart from planning because the fact decides how the answer opens, for the
offline tutor and a vendor model alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tutor.providers.base import ChatMessage

from . import answering, comparing, selecting
from . import follow_up_resolution as resolution
from . import intent as intents
from .pack import Fact, LessonPassage
from .retrieval import Hit, Retriever
from .text import is_predicate, looks_inflected, raw_words
from .turn_plan import Earlier

# A fact of a passage other than the best one leads only when it matches this well.
STRONG_FACT = 0.75
FAIR_FACT = 0.45
FACT_MARGIN = 0.1
# A question this short leans on the topic under way ("P는 뭐의 약자예요?").
ELLIPTICAL_WORDS = 4

# "논문 제목 다시 한번만요", "이유가 뭐뭐였죠", "what was it again?": a detail
# asked for again, which the fact already told answers (pointed back to, not skipped).
_ASKS_AGAIN = re.compile(r"다시|한\s*번\s*(?:만|더)|뭐였|뭐더라|였죠|였더라|이었죠|\bagain\b|\bremind\s+me\b", re.I)
# "…몇 개라고 했죠?": the learner recalling that it was said, not part of what is asked.
_SAID_FRAME = re.compile(r"(?:이)?(?:다|라)고\s*(?:했|하셨|그랬|말했|말씀하셨)\S*")

# Questions about a detail of the topic under way ("그럼 GAN보다 나아요?").
DETAIL_KINDS = frozenset(("difference", "yes_no", "why", "how", "how_much", "how_many", "when"))


def direct_answer(
    retriever: Retriever, query: str, kind: str, language: str, hits: list[Hit],
    history: Sequence[ChatMessage], earlier: Earlier, intent: str = "question", tied: Sequence[Hit] = (),
) -> tuple[list[Hit], tuple[str, int] | None] | None:
    """The passages in answering order and the fact that answers the question
    directly, if one does; None when the question asks for an amount, a year
    or a count that no passage found holds (a detail the document does not give)."""
    close = [hit.passage for hit in hits[:3]] + [hit.passage for hit in tied]
    # In a follow-up, the passage the conversation is on may hold the answer
    # ("그럼 GAN보다 나아요?" after diffusion models).
    topic = resolution.topic_asked_about(retriever, query, earlier, history)
    if topic is not None and answering.asks_what_about(query) and retriever.names_known_topic(query) \
            and retriever.coverage_of(query, topic) <= 0:
        # "분류 쪽은?" after examples of prediction: the same question of another
        # topic, which the topic under way does not speak of.
        topic = None
    elliptical = len(raw_words(query)) <= ELLIPTICAL_WORDS
    if topic is not None and topic not in close and (kind in DETAIL_KINDS or elliptical):
        close.append(topic)
    # "네 개 중에 젤 중요한거 몇번이에요?" after one of the reasons: the passage of that
    # lesson whose fact says which of its list matters most is what the turn is about.
    listing = _most_of_list(retriever, query, hits, topic)
    if listing is not None and listing not in close:
        close.append(listing)
    if kind == "when" and answering.claims_time(query):
        # "ChatGPT는 트랜스포머보다 먼저 나왔죠?": the dates of what it names may be told
        # by passages the search ranks lower; the pack's dated facts are few.
        close += [passage for passage in retriever.pack.passages.values()
                  if passage not in close and any(fact.kind == "when" for fact in passage.facts)]
    if kind == "who" and answering.asks_maker(query) and (named := selecting.names(query)):
        # "ChatGPT 누가 만들었어요?": the pack's few "who made it" facts sit in passages
        # the search may rank lower (made, 만들 is what every generative passage says);
        # the one asking of the very thing named is as close as any.
        close += [passage for passage in retriever.pack.passages.values()
                  if passage not in close and any(fact.kind == "who" and _asks_of(named, fact.ask.ko, fact.ask.en)
                                                  for fact in passage.facts)]
    said = [m.content for m in history if m.role == "assistant"]
    # "노이즈 넣었다 빼는 그 모델": a pointer the message itself describes leans on no earlier turn.
    context = "" if intents.turns_around(query) or retriever.points_within(query, described_only=True) \
        else resolution.follow_up_context(history)
    match = answering.best_fact(query, close, kind, context=context, said=said)
    if match is not None and match.passage not in (hits[0].passage, topic, listing) and match.score < STRONG_FACT:
        # Another passage's fact must match clearly to lead the answer, or fairly
        # when the passages the turn is about have no fact for the question at all.
        own = [passage for passage in (hits[0].passage, topic) if passage is not None]
        theirs = answering.best_fact(query, own, kind, context=context, said=said)
        if match.score < FAIR_FACT or (theirs is not None and theirs.score > match.score - FACT_MARGIN):
            match = None
    if kind == "who" and (maker := _maker_of_named(query, close, match, context, said)) is not None:
        # "GPT는 누가 만들었어요?": the pack's fact on whose model GPT-4o is answers it,
        # however little its wording shares with the question's.
        match = maker
    if match is not None and match.passage is not hits[0].passage and _names_only(query, hits[0].passage, match):
        # "GAN은 어떻게 그림을 만들어요?": the fact of the diffusion passage asks
        # the same of another model; the passage about GAN answers, with a fact of its own if it has one.
        match = answering.best_fact(query, [hits[0].passage], kind, context=context, said=said)
    if kind == "why" and (reason := _reason_of_named(query, close, match, context, said)) is not None:
        # "RNN은 왜 안 됐어요?": the reason the pack gives of RNN, not why models' weak points matter.
        match = reason
    if (problem := _problem_told(query, close, match, context, said)) is not None:
        # "걔는 뭐가 문제였는데요?" after the RNN: the fact saying what it struggled with,
        # not the one naming it again (문제 is not a word its facts use).
        match = problem
    if match is None and (_ASKS_AGAIN.search(query) or selecting.recalls_saying(query)):
        # "아까 파라미터가 몇 개라고 했죠?": the fact already told answers again;
        # the answer points back to it briefly and adds what is new.
        match = answering.best_fact(_SAID_FRAME.sub(" ", query), [passage for passage in (hits[0].passage, topic) if passage is not None],
                                    kind, context=context)
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


def _most_of_list(retriever: Retriever, query: str, hits: Sequence[Hit],
                  topic: LessonPassage | None) -> LessonPassage | None:
    """For "which of them matters most?", the passage of the lesson under way (the
    topic's, else the first found's) with a fact asking which of its list matters most."""
    if not hits or not answering.asks_most_among(query):
        return None
    lesson = retriever.pack.lesson((topic or hits[0].passage).lesson_id)
    return next((passage for passage in (lesson.passages if lesson else ())
                 if any(answering.asks_most_among(fact.ask.ko) or answering.asks_most_among(fact.ask.en)
                        for fact in passage.facts)), None)


def _problem_told(query: str, close: Sequence[LessonPassage], match: answering.FactMatch | None,
                  context: str, said: Sequence[str]) -> answering.FactMatch | None:
    """For a question asking what was wrong with something ("걔는 뭐가 문제였는데요?")
    when the fact chosen states no problem (it names the thing again): of the first passage found that has
    one not said yet, the fact whose answer says what was hard or lacking, the
    closest to the question. None when the fact chosen already does."""
    if not selecting.asks_problem(query) or match is None or _states_problem(match.fact):
        return None  # (with no fact chosen, the passage's own sentences say what was hard)
    for passage in close:
        found = [answering.FactMatch(passage, index, score.score)
                 for index, fact in enumerate(passage.facts)
                 if _states_problem(fact) and not any(answering.said_before(fact.answer.get(language), said)
                                                      for language in ("ko", "en"))
                 and (score := answering.best_fact(query, [passage.model_copy(update={"facts": (fact,)})], fact.kind,
                                                   context=context, minimum=0.0)) is not None]
        if found:
            return max(found, key=lambda candidate: candidate.score)
    return None


def _states_problem(fact: Fact) -> bool:
    """Whether a fact's answer says what was hard or lacking."""
    return selecting.states_problem(fact.answer.ko) or selecting.states_problem(fact.answer.en)


# A reason fact naming what a why asks about leads whatever else the question says.
NAMED_REASON = 0.0


def _reason_of_named(query: str, close: Sequence[LessonPassage], match: answering.FactMatch | None,
                     context: str, said: Sequence[str]) -> answering.FactMatch | None:
    """For a why naming a thing (RNN, ChatGPT) that no fact chosen asks of, the
    reason fact of the passages found that does, if any: the pack's reason for
    that thing, however the learner put the rest ("RNN은 왜 안 됐어요?")."""
    named = selecting.names(query)
    if not named or match is not None and _asks_of(named, match.fact.ask.ko, match.fact.ask.en):
        return None
    naming = [passage for passage in close if any(fact.kind == "why" and _asks_of(named, fact.ask.ko, fact.ask.en)
                                                  for fact in passage.facts)]
    found = answering.best_fact(query, naming, "why", context=context, said=said, minimum=NAMED_REASON) if naming else None
    if found is None or found.fact.kind != "why" or not _asks_of(named, found.fact.ask.ko, found.fact.ask.en):
        return None
    # What else the question names must be in the fact ("RNN은 왜 순서 데이터에 강했어요?" is not
    # answered by why RNNs struggled with long sentences, which never speaks of data).
    told = " ".join((found.fact.ask.ko, found.fact.ask.en, found.fact.answer.ko, found.fact.answer.en))
    rest = [readings for word, readings in answering.readings_with_words(query)
            if word.lower() not in named and not is_predicate(word) and not looks_inflected(word)]
    return found if all(answering.coverage([readings], told) > 0 for readings in rest) else None


# "OpenAI 거예요", "Google 꺼": a name offered as the owner.
_OFFERED_OWNER = re.compile(r"([A-Za-z][\w.-]*)\s*(?:거|꺼|것)(?=$|[\s?？.!]|예요|에요|이에요|죠|야|임|요|인가|일까)")


def _maker_of_named(query: str, close: Sequence[LessonPassage], match: answering.FactMatch | None,
                    context: str, said: Sequence[str]) -> answering.FactMatch | None:
    """For "who made X" ("GPT는 어느 회사 거예요?"), the fact of the passages found that
    asks who made X or a version of it (GPT-4o), when the fact chosen asks no such thing."""
    # An owner the learner offers ("구글 거예요 OpenAI 거예요?") is a guess at the answer, not what is asked of.
    named = selecting.names(query) - selecting.names(" ".join(_OFFERED_OWNER.findall(query)) + " 것")
    if not named or not answering.asks_maker(query) \
            or match is not None and match.fact.kind == "who" and _asks_of(named, match.fact.ask.ko, match.fact.ask.en):
        return None
    naming = [passage for passage in close if any(fact.kind == "who" and _asks_of(named, fact.ask.ko, fact.ask.en)
                                                  for fact in passage.facts)]
    found = answering.best_fact(query, naming, "who", context=context, said=said, minimum=NAMED_REASON) if naming else None
    return found if found is not None and found.fact.kind == "who" else None


def _asks_of(named: frozenset[str], *asks: str) -> bool:
    """Whether a fact's question names every one of ``named``."""
    text = " ".join(asks).lower()
    squashed = re.sub(r"[^0-9a-z가-힣]", "", text)
    return all(name in squashed for name in named)


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


def unexplained(retriever: Retriever, query: str, kind: str, language: str, hits: Sequence[Hit]) -> Hit | None:
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


def comparison(
    retriever: Retriever, query: str, language: str, hits: list[Hit], history: Sequence[ChatMessage], earlier: Earlier
) -> comparing.Comparison | None:
    """"RNN이랑 트랜스포머 차이", "GAN보다 나아요?" (the topic under way being
    the other thing): what the document says of the two side by side."""
    topic = resolution.topic_under_way(retriever, earlier, history)
    said = [m.content for m in history if m.role == "assistant"]
    asked_before = [m.content for m in reversed(history) if m.role == "user"]
    return comparing.compare(retriever, query, topic, language, said, asked_before)
