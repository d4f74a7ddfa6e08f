"""The embedded tutor: answers from the lesson pack with no model and no key.

It is what a new user meets first, so it teaches like a patient teacher in
the learner's language: the answer first, then the explanation, the
document's analogy, a gentle correction of a common misunderstanding, and
questions to ask next. It reads only the turn plan (passage ids, intent,
suggestions) and the learner's message; it never repeats ``request.system``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Sequence

from tutor.knowledge.claims import amount_verdict
from tutor.knowledge.pack import LessonPack, LessonPassage
from tutor.knowledge import intent as intents
from tutor.knowledge import comparing, selecting, unsaid
from tutor.knowledge.follow_up_resolution import SPELLED_NAME
from tutor.knowledge.answering import (claims_time, coverage, has_question_word, holds_answer_shape, readings_of,
                                       said_before, similarity, time_verdict)
from tutor.knowledge.answering import best_fact, question_kind, readings_with_words, separate_questions, two_questions
from tutor.knowledge.text import ALIAS_CANON, ends_closed, default_stem, english_casual_to_standard, tag_as_claim, is_predicate, is_stopword, looks_inflected, raw_words

from . import offline_verdicts as verdicts
from .base import ChatRequest, Finish, Passage, StreamEvent, TextDelta, Usage

# How much more of the question the sentence said before must hold than anything
# left unsaid for the answer to point back to it rather than open with the rest.
POINT_BACK_MARGIN = 1.0
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")

_PHRASES: dict[str, dict[str, str]] = {
    "ko": {
        "analogy": "**비유하자면** ",
        "correction": "**헷갈리기 쉬운 점** '{wrong}' 하고 생각하기 쉬운데요, {right}",
        "related": "관련해서 **{title}** 내용도 함께 보면 좋아요.",
        "as_said": "앞에서 말한 것처럼, {point}",
        "not_given": "그 부분은 이 글에 나오지 않아서, 지어내서 답하지는 않을게요.",
        "nearest": "글에서 가장 가까운 내용은 이거예요. **{title}**: {point}",
        **verdicts.WORDS["ko"],
        "not_here": "그 질문의 답은 글에 나오지 않아요. 가장 가까운 내용은 이거예요.",
        "unsaid_who": "이 글에는 누가 만들거나 썼는지, 그 사람이나 회사의 이름이 나오지 않아요. 가장 가까운 내용은 이거예요.",
        "unsaid_definition": "{term}의 정확한 정의는 이 글에 나오지 않아요. 가장 가까운 내용은 이거예요.",
        "unsaid_consequence": "앞으로 어떻게 될지는 이 글에 나오지 않아요. 가장 가까운 내용은 이거예요.",
        "unsaid_remedy": "어떻게 막거나 줄이는지는 이 글에 나오지 않아요. 가장 가까운 내용은 이거예요.",
        "unsaid_own": "그 경우에 얼마나 드는지는 이 글에 나오지 않아요. 글에 나온 예는 이거예요.",
        "unsaid_exact": "정확한 숫자는 이 글에 나오지 않아요. 글이 주는 건 대략의 숫자예요.",
        "unsaid_reason": "글에는 왜 그런지는 나와 있지 않아요. 글이 말하는 건 이거예요.",
        "unsaid_live": "지금은 어떤지는 이 글에 나와 있지 않아요. 글은 쓰인 때를 기준으로 하니까요. 글이 말하는 건 이거예요.",
        "unsaid_mechanism": "어떻게 작동하는지는 이 글에 나와 있지 않아요. {term}에 대해 글이 말하는 건 이거예요.",
        "unsaid_date": "정확한 날짜는 이 글에 나오지 않아요. 글이 주는 건 이거예요.",
        "times": "{times}배예요. 글은 거꾸로 말해요. ",
        "turned_advantage": "그쪽이 더 나은 점은 이 글에 나오지 않아요. 글은 오히려 반대로 말해요. ",
        "apart": "글에서 둘을 직접 견주지는 않지만, 각각 이렇게 설명해요.",
        "apart_ranked": "둘 중 어느 쪽이 더 나은지는 이 글에 나오지 않아요. 글이 각각에 대해 하는 말은 이거예요.",
        "hedged": "글도 단정하지는 않아요. {sentence}",
        "all_listed": "글에 나오는 건 앞에서 말한 것이 다예요. {items}",
        "not_so": "아니요, 그렇지 않아요. {right}",
        "so": "네, 맞아요. {right}",
        "suggest": "**이어서 물어볼 만한 것**",
        "simpler": "더 쉽게 말해 볼게요.",
        "in_short": "**한 줄로 정리하면** {point}",
        "example": "예를 들어 볼게요.",
        "next": "다음 순서는 이 주제예요: **{title}**",
        "next_done": "이 글의 내용을 처음부터 끝까지 함께 살펴봤어요! 헷갈렸던 부분이 있으면 언제든 다시 물어보세요.",
        "decline": (
            "그 내용은 제가 가르치는 글에는 나오지 않아요. 저는 '생성형 AI와 LLM 이야기'라는 글을 "
            "함께 공부하는 튜터라서, 글에 없는 내용을 지어내서 답하지는 않을게요."
        ),
        "offer": "대신 글에 나오는 이런 내용은 자세히 알려 드릴 수 있어요.",
        "decline_again": "그것도 이 글에서는 다루지 않아요. 글에 나오는 내용이라면 뭐든 물어보세요.",
        "offer_again": "예를 들면 이런 것들이요.",
        "decline_more": "이 질문 역시 글에 나오지 않는 이야기라 답해 드리기 어려워요.",
        "attack": (
            "그 부탁은 들어드리기 어려워요. 저는 '생성형 AI와 LLM 이야기'를 함께 읽고 이해하도록 돕는 튜터예요. "
            "궁금한 점이 있으면 편하게 물어보세요."
        ),
        "greeting": (
            "안녕하세요, 반가워요! 저는 '생성형 AI와 LLM 이야기'를 쉽게 풀어 드리는 튜터예요. "
            "기술을 전혀 몰라도 괜찮아요. 궁금한 것을 편하게 물어보세요."
        ),
        "thanks": "천만에요! 도움이 되었다니 기뻐요. 더 궁금한 게 생기면 언제든 물어보세요.",
        "start": "이런 질문부터 시작해 볼까요?",
        "lessons": "이 글에서 함께 배울 수 있는 주제예요.",
        "task": (
            "그건 제가 대신 해 드리는 일이 아니에요. 저는 '생성형 AI와 LLM 이야기'라는 글을 함께 공부하는 튜터라서, "
            "글을 써 드리거나 무언가를 골라 드리는 작업은 하지 않아요. 대신 글에 나오는 내용은 뭐든 쉽게 설명해 드릴게요."
        ),
        "quiz": "**퀴즈** {question}",
        "quiz_hint": "생각나는 대로 답을 적어 보세요. 잘 모르겠으면 '모르겠어요'라고 해도 괜찮아요.",
        "quiz_none": "지금은 더 낼 문제가 없어요. 새로운 주제를 함께 보고 나서 다시 문제를 내 드릴게요.",
        "quiz_right": "정답이에요! 잘 기억하고 계시네요.",
        "quiz_wrong": "아쉽지만 정답은 아니에요. 괜찮아요, 같이 확인해 봐요.",
        "quiz_partly": "절반은 맞았어요! 빠진 부분까지 정답을 같이 볼게요.",
        "quiz_unknown": "괜찮아요, 같이 확인해 봐요.",
        "quiz_answer": "**정답** {answer}",
        "quiz_more": "한 문제 더 풀고 싶으면 '하나 더'라고 말해 주세요.",
        "recap": "지금까지 함께 본 내용을 순서대로 정리해 볼게요.",
        "recap_none": "아직 함께 살펴본 내용이 없어요. 처음이라면 아래 질문부터 시작해 보세요.",
        "progress": "이 글은 모두 {total}개 주제로 되어 있는데, 지금까지 그중 {covered}개를 함께 봤어요. {lessons_total}개 단원 중 {lessons_touched}개 단원을 다룬 셈이에요.",
        "progress_next": "다음 순서는 **{title}**이에요. '다음은 뭐 배워요?'라고 물어보면 이어서 설명해 드릴게요.",
        "progress_done": "글의 모든 주제를 한 번씩 봤어요! '문제 내 주세요'로 복습해 보는 것도 좋아요.",
        "overview": "이 글은 이런 순서로 배워요.",
        "start_intro": "처음이라면 앞에서부터 이 순서로 시작하는 게 좋아요.",
        "start_then": "그다음에는 트랜스포머, ChatGPT, LLM 이야기로 차례차례 넘어가면 돼요.",
        "ack": "좋아요! 잘 따라오고 계세요.",
        "ack_next": "다음으로 이런 걸 물어봐도 좋고, '문제 내 주세요'라고 하면 배운 걸 퀴즈로 확인해 볼 수도 있어요.",
        "ack_again": "네, 좋아요!",
        "thanks_again": "별말씀을요! 저도 즐거워요.",
        "ack_next_again": "이어서 볼 만한 질문이에요. 지금까지 본 걸 한눈에 보고 싶으면 '정리해 줘'라고 해 보세요.",
    },
    "en": {
        "analogy": "**An analogy:** ",
        "correction": "**A common mix-up:** it is easy to think '{wrong}', but {right}",
        "related": "It also helps to look at **{title}**.",
        "as_said": "As I said earlier: {point}",
        "not_given": "The document doesn't say that, so I won't make up an answer.",
        "nearest": "The nearest thing it covers is **{title}**. {point}",
        **verdicts.WORDS["en"],
        "not_here": "The document doesn't say. The nearest thing it does say is this.",
        "unsaid_who": "The document doesn't name who made or wrote it. The nearest thing it does say is this.",
        "unsaid_definition": "The document doesn't define {term} exactly. The nearest thing it does say is this.",
        "unsaid_consequence": "The document doesn't say what will happen. The nearest thing it does say is this.",
        "unsaid_remedy": "The document doesn't say how to prevent or reduce it. The nearest thing it does say is this.",
        "unsaid_own": "The document doesn't work it out for your own case. The example it gives is this.",
        "unsaid_exact": "The document doesn't give an exact figure, only a rough one.",
        "unsaid_reason": "The document doesn't say why. What it does say is this.",
        "unsaid_live": "The document doesn't say how things stand now: it was written at one point in time. What it does say is this.",
        "unsaid_mechanism": "The document doesn't say how {term} works. What it does say is this.",
        "unsaid_date": "The document doesn't give the exact date. What it does give is this.",
        "times": "{times} times. The document puts it the other way round: ",
        "turned_advantage": "The document doesn't say it is better at anything; it says the opposite. ",
        "apart": "The document doesn't set the two side by side, but here is what it says of each.",
        "apart_ranked": "The document doesn't say which of the two is better; here is what it says of each.",
        "hedged": "The document doesn't say it for certain. {sentence}",
        "all_listed": "What the document names is what I said before: {items}",
        "not_so": "No, that's not quite right. {right}",
        "so": "Yes, that's right. {right}",
        "suggest": "**You could ask next**",
        "simpler": "Let me put it more simply.",
        "in_short": "**In one line:** {point}",
        "example": "Here is an example.",
        "next": "Next up is **{title}**.",
        "next_done": "We have gone through the whole document together! Ask again about anything that felt unclear.",
        "decline": (
            "That isn't covered in the document I teach. I'm a tutor for one explainer, "
            "'Generative AI and LLMs', so I won't make up an answer about things it doesn't contain."
        ),
        "offer": "I can explain these parts of it in detail instead.",
        "decline_again": "That one is not in the document either. Ask me about anything it does cover.",
        "offer_again": "For example:",
        "decline_more": "This question is not covered by the document either, so I can't answer it.",
        "attack": (
            "I can't help with that request. I'm a tutor who helps you read and understand "
            "'Generative AI and LLMs'. Feel free to ask about it."
        ),
        "greeting": (
            "Hello, nice to meet you! I'm a tutor for the explainer 'Generative AI and LLMs'. "
            "No technical background needed: ask me anything about it."
        ),
        "thanks": "You're welcome! I'm glad it helped. Ask again whenever something comes up.",
        "start": "Shall we start with one of these?",
        "lessons": "Topics we can learn together from the document:",
        "task": (
            "That's not something I do for you: I'm a tutor for one explainer, 'Generative AI and LLMs', "
            "so I don't write, pick or make things on request. I'm happy to explain anything the document covers instead."
        ),
        "quiz": "**Quiz:** {question}",
        "quiz_hint": "Type your answer. It's fine to say 'I don't know'.",
        "quiz_none": "I have no new question right now. Let's look at another topic first, then I'll quiz you on it.",
        "quiz_right": "That's right! Well remembered.",
        "quiz_wrong": "Not quite, but that's fine: let's check it together.",
        "quiz_partly": "Partly right! Here is the whole answer, with the part that was missing.",
        "quiz_unknown": "No problem, let's check it together.",
        "quiz_answer": "**Answer:** {answer}",
        "quiz_more": "Say 'another one' if you'd like one more question.",
        "recap": "Here is what we have covered so far, in order.",
        "recap_none": "We haven't covered anything yet. If you're new, you could start with one of these.",
        "progress": "The document has {total} topics and we have covered {covered} of them so far, in {lessons_touched} of its {lessons_total} lessons.",
        "progress_next": "Next up is **{title}**. Ask 'what's next?' and I'll explain it.",
        "progress_done": "We have been through every topic! A quiz ('quiz me') is a good way to review.",
        "overview": "The document teaches these topics, in this order.",
        "start_intro": "If you're new, start at the beginning, in this order.",
        "start_then": "After that, move on step by step to the Transformer, ChatGPT and LLMs.",
        "ack": "Great, you're following well!",
        "ack_next": "You could ask one of these next, or say 'quiz me' to check what you've learned.",
        "ack_again": "Nice!",
        "thanks_again": "Any time, glad to help!",
        "ack_next_again": "Here is where we could go next, or say 'recap' to see what we've covered so far.",
    },
}


class OfflineProvider:
    """A Provider that composes answers from the lesson pack itself."""

    name = "offline"
    model = "offline-tutor"
    # It follows the planner: a message the lessons do not cover is declined, by its own rules.
    judges_scope = False

    def __init__(self, pack: LessonPack, *, chunk_chars: int = 12, delay: float = 0.0):
        self.pack = pack
        self.chunk_chars = max(1, chunk_chars)
        self.delay = delay

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        answer = compose_answer(self.pack, request)
        for start in range(0, len(answer), self.chunk_chars):
            yield TextDelta(answer[start : start + self.chunk_chars])
            # Even with no delay, let other streams run between pieces.
            await asyncio.sleep(self.delay)
        yield Usage(input_tokens=_input_tokens(request), output_tokens=estimate_tokens(answer))
        yield Finish("stop")

    async def aclose(self) -> None:
        return None


def estimate_tokens(text: str) -> int:
    """Roughly what a vendor tokenizer would count: a token per non-ASCII
    character (Hangul), one per four ASCII characters."""
    ascii_chars = sum(1 for ch in text if ch < "\x80")
    return (len(text) - ascii_chars) + (ascii_chars + 3) // 4


def _input_tokens(request: ChatRequest) -> int:
    parts = [request.system, *(m.content for m in request.messages)]
    parts += [p.title + p.text for p in request.passages]
    return sum(estimate_tokens(part) for part in parts)


def compose_answer(pack: LessonPack, request: ChatRequest) -> str:
    """The whole answer for one turn, as plain text with light Markdown."""
    language = "en" if request.language == "en" else "ko"
    say = _PHRASES[language]
    # What the learner sets aside ("그거 말고 …") is not what the answer must speak to;
    # how short it should be ("한 줄로 정의하면요?") is no part of what is asked.
    question = intents.without_answer_shape(intents.without_set_aside(tag_as_claim(english_casual_to_standard(
        next((m.content for m in reversed(request.messages) if m.role == "user"), ""))), pointers=False))
    suggestions = [s for s in request.hints.get("suggestions", "").split("\n") if s.strip()]
    passages = [_lookup(pack, p) for p in request.passages]
    intent = request.hints.get("intent") or ("question" if passages else "out_of_scope")

    activity = request.hints.get("activity", "")
    if intent == "attack":
        blocks = [say["attack"]]
    elif intent == "task":
        blocks = [say["task"], say["offer"] if suggestions else _lesson_list(pack, language)]
    elif activity in _ACTIVITY_COMPOSERS:
        blocks = _ACTIVITY_COMPOSERS[activity](pack, request, language, question)
        if activity == "quiz":
            suggestions = []
    elif intent in ("greeting", "thanks"):
        blocks = [say["thanks"] if _is_thanks(question) else say["greeting"], say["start"]]
    elif intent == "next" and not passages:
        blocks = [say["next_done"]]
    elif intent == "not_given" and (near := pack.passage(request.hints.get("nearest", ""))) is not None:
        sentences = _sentences(near.text.get(language))
        # "GPT-4o 파라미터는 정확히 몇 개예요?": the nearest sentence holds a count if one does.
        kind = question_kind(question)
        best = _answer_sentence(sentences, question, kind) if sentences else 0
        best = _naming_what_is_asked(sentences, best, question, kind)
        # "That comes to about $35 a day": the figure asked may be in a sentence leaning on the one before.
        leaning = _leaning_answer(sentences, best, question, kind) if sentences and kind != "yes_no" else None
        point = " ".join(sentences[leaning - 1:leaning + 1]) if leaning else sentences[best] if sentences else ""
        blocks = [say["not_given"], say["nearest"].format(title=near.title.get(language), point=point)]
    elif not passages and (declined := _declines_before(request, say)):
        # A later decline in one conversation says it shorter, not word for word again;
        # from the third on it offers the lessons, as the same suggestions were just offered.
        if declined == 1:
            blocks = [say["decline_again"], say["offer_again"] if suggestions else _lesson_list(pack, language)]
        else:
            blocks, suggestions = [say["decline_more"], _lesson_list(pack, language)], []
    elif not passages:
        blocks = [say["decline"], say["offer"] if suggestions else _lesson_list(pack, language)]
    elif intent == "simpler":
        blocks = _simpler(passages[0], language, question, _earlier_answers(request))
    elif intent == "example":
        blocks = _example(passages, language, question, request, pack)
    elif intent == "next":
        blocks = _next(passages[0], language)
    elif request.hints.get("statements"):
        blocks = _comparison(request, language)
    else:
        blocks = _explain(passages, language, question, request, pack)
        if blocks and request.hints.get("question_kind") == "yes_no":
            # "VAE는 의료 분야에서 제일 많이 쓰이는 거죠?": no yes to more than the document says.
            blocks[0] = verdicts.within_document(question, blocks[0], language)
    if intent in ("question", "example") and passages and activity not in _ACTIVITY_COMPOSERS:
        blocks = _unsaid(blocks, question, request, pack, language, passages)
        blocks = _both_parts(blocks, question, language, passages)
        blocks = _times_asked(blocks, question, language)

    if suggestions:
        if intent not in ("attack", "greeting", "thanks") and passages and activity != "quiz_result":
            blocks.append(say["suggest"])
        blocks.append("\n".join(f"- {s}" for s in suggestions[:3]))
    return "\n\n".join(b.strip() for b in blocks if b and b.strip()) + "\n"


class _Material:
    """A passage's teaching fields in one language (or just a passage's text
    when its id is not in the pack)."""

    def __init__(self, passage: LessonPassage | None, fallback: Passage):
        self.source = passage
        self.title = fallback.title
        self.text = fallback.text


def _lookup(pack: LessonPack, passage: Passage) -> _Material:
    return _Material(pack.passage(passage.id), passage)


def _field(material: _Material, name: str, language: str) -> str | None:
    value = getattr(material.source, name, None) if material.source else None
    return value.get(language).strip() if value is not None else None


def _text(material: _Material, language: str) -> str:
    return _field(material, "text", language) or material.text.strip()


def _title(material: _Material, language: str) -> str:
    return _field(material, "title", language) or material.title


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _terms(text: str) -> set[str]:
    """The content words of a text; a name written in both scripts ("멀티모달
    multimodal") is one term, so one shared name is not counted twice."""
    return {default_stem(ALIAS_CANON.get(w, w)) for w in raw_words(text) if not is_stopword(w)}


def _paragraphs(sentences: Sequence[str], per: int = 2) -> list[str]:
    return [" ".join(sentences[i : i + per]) for i in range(0, len(sentences), per)]


def _declines_before(request: ChatRequest, say: dict[str, str]) -> int:
    """How many earlier answers in this conversation declined (0 when none did)."""
    openings = (say["decline"], say["decline_again"], say["decline_more"])
    return sum(answer.startswith(openings) for answer in _earlier_answers(request))


def _earlier_answers(request: ChatRequest) -> list[str]:
    return [m.content for m in request.messages[:-1] if m.role == "assistant"]


def _fact(pack: LessonPack, request: ChatRequest):
    """The passage fact the planner chose to open the answer with, if any."""
    pointer = request.hints.get("fact", "")
    passage_id, _, index = pointer.partition("#")
    passage = pack.passage(passage_id) if passage_id else None
    if passage is None or not index.isdigit() or int(index) >= len(passage.facts):
        return None
    return passage.facts[int(index)]


def _explain(
    passages: Sequence[_Material], language: str, question: str, request: ChatRequest, pack: LessonPack
) -> list[str]:
    """Answer first (the fact that answers the question, when there is one),
    then at most one supporting paragraph; the analogy only when a new idea
    is being explained. Nothing said in an earlier answer is said again."""
    say = _PHRASES[language]
    top = passages[0]
    earlier = _earlier_answers(request)
    kind = request.hints.get("question_kind", "what")
    fact = _fact(pack, request)
    sentences = [s for s in _sentences(_text(top, language)) if not said_before(s, earlier)]
    blocks: list[str] = []

    timeline = _timeline(pack, language, earlier) if kind == "when" and _ASKS_ALL_DATES.search(question) else None
    if timeline is not None:
        # "연도별로 정리해 주세요", "연도 다 알려줘": every date the document gives, in order,
        # not the one year of the passage found first.
        return [timeline]

    if kind == "yes_no" and selecting.names_unmentioned(question, pack) \
            and (fact is None or intents.generative_asked_of(question) is None):
        # (Whether an everyday thing, "아파트 CCTV", is generative AI is answered
        # by what it does; the CCTV is only where the learner saw it.)
        # "AGI는 사람 뇌랑 비슷해요?": the document never speaks of a brain, so
        # neither a fact nor a yes: say so, then the nearest thing it says
        # (pointing back to it when it was said already).
        if sentences:
            return [say["not_here"], sentences[_answer_sentence(sentences, question, kind)]]
        every = _sentences(_text(top, language))
        return [say["not_here"], say["as_said"].format(point=every[_answer_sentence(every, question, kind)])]
    if kind == "name" and (named := _name_told(top, language, question)) is not None:
        # "영어로는요?" after 분류: the sentence spelling the name out ("이걸 '분류(classification)'라고 해요").
        return [say["as_said"].format(point=named) if said_before(named, earlier) else named]
    hedged = _hedged(_sentences(_text(top, language)), question) if kind == "yes_no" else None
    if hedged is not None:
        # "VAE가 의료에서 주류라는 거 확실해요?": the document itself only says it seems so.
        return [say["hedged"].format(sentence=hedged)]
    outdone = verdicts.on_superlative(pack, question, language) if kind == "yes_no" else None
    if outdone is not None:
        # "GAN이 이미지 만드는 데 제일 좋죠?": the document sets another above it on that scale.
        return [outdone]
    letter = verdicts.on_letter(pack, question, language, earlier) if kind in ("yes_no", "what") else None
    if letter is not None:
        # "GPT에서 T는 트랜스포머 맞죠?": the letter checked against the name spelled out.
        return [letter]
    listed = verdicts.on_category(pack, question, language, earlier) if kind == "yes_no" \
        else verdicts.on_asked_category(pack, question, language, earlier)
    if listed is not None:
        # "날씨 예보는 분류죠?": the document lists 날씨 예보 under 예측, its sibling category.
        return [listed]
    belief = top.source.misconception if top.source is not None and kind == "yes_no" else None
    if belief is not None and not verdicts.holds_belief(question, belief):
        belief = None
    if fact is not None and belief is not None and fact.kind != "not_given":
        # "LLM은 결국 개발자들이나 쓰는 도구 아니에요?": the common belief the
        # passage corrects matches the question better than any fact's question.
        wrong = max(similarity(question, belief.wrong.ko), similarity(question, belief.wrong.en))
        asked = max(similarity(question, fact.ask.ko), similarity(question, fact.ask.en))
        right = max(similarity(question, belief.right.ko), similarity(question, belief.right.en))
        if wrong >= verdicts.BELIEF_MATCH and wrong > asked and verdicts.belief_verdict(question, wrong, right, belief):
            return [say["not_so"].format(right=belief.right.get(language))]
    if fact is not None:
        opening = fact.answer.get(language)
        if kind == "what" and fact.kind == "what" and language == "ko":
            opening = _defined(fact.ask.ko, opening)
        opening, turned = verdicts.on_fact(question, kind, fact, opening, language, _timeline(pack, language, ()))
        decided = verdicts.decided_by_passage(_sentences(_text(top, language)), question, opening, language,
                                                topic=_title(top, language)) \
            if kind == "yes_no" and fact.kind != "not_given" and not turned and not comparing.asks_which(question) else None
        if decided is not None:
            # "GPT도 LLM이죠?" answered by the fact "LLM은 Large Language Model …": the fact says what
            # the thing is, one sentence of the passage says the claim; that sentence's verdict opens.
            opening = decided if decided.endswith(opening) or said_before(fact.answer.get(language), earlier) \
                or verdicts.leaves_out(opening) \
                else decided + " " + opening
        if comparing.asks_either(question) and not turned:
            # "GPT는 인코더만 써요 디코더만 써요?": the learner offered two answers; the
            # fact's sentence names the right one, and a yes or a no would answer neither.
            opening = verdicts.without_verdict(opening)
        if said_before(opening, earlier):
            opening = say["as_said"].format(point=opening)
        if turned:
            opening = say["turned"] + opening
        blocks.append(opening)
        if fact.kind == "not_given":
            return blocks
        support = _support(sentences, question + " " + opening, opening, _title(top, language))
        if support:
            blocks.append(support)
        elif kind == "why" and (example := _field(top, "example", language)) and not said_before(example, earlier):
            # A reason whose passage was all said before: the passage's worked example shows it
            # ("…데이터도, 계산해 줄 기계의 힘도 없었어요" after "데이터도 연산 능력도 부족했기 때문이에요").
            blocks.append(example)
        return blocks

    differs = _lesson_difference(pack, top, question, earlier) if kind == "difference" else None
    if differs is not None:
        # "왜요? 머가 다른데요" after an answer on prediction: what the topic's lesson says sets
        # it apart ("기존 AI는 … 예측하고 분류하는 일을 주로 했고, 생성형 AI는 … 새로운 것을 만들어 내요").
        return [differs.answer.get(language), *([" ".join(sentences[:2])] if sentences else [])]
    listed = _list_told(top, language, earlier, _learner_said(request, question))
    if listed is not None:
        # "그 밖에 또 어떤 분야가 있습니까?" after the list of industries was given:
        # those are all the document names; then what the passage says besides.
        return [say["all_listed"].format(items=listed), *([" ".join(sentences[:2])] if sentences else [])]
    correction = _correction(top, language, question)
    if correction and kind == "yes_no" and top.source is not None and top.source.misconception is not None \
            and verdicts.holds_belief(question, top.source.misconception):
        belief = top.source.misconception
        wrong = max(similarity(question, belief.wrong.ko), similarity(question, belief.wrong.en))
        right = max(similarity(question, belief.right.ko), similarity(question, belief.right.en))
        if max(wrong, right) >= verdicts.BELIEF_MATCH:
            template = say["not_so"] if verdicts.belief_verdict(question, wrong, right, belief) else say["so"]
            return [template.format(right=belief.right.get(language))]
    if not sentences:
        # Everything in this passage was said already: point back, then add what is new.
        return _nothing_new(top, language, earlier, passages, question, kind)
    every = _sentences(_text(top, language))
    if selecting.asks_problem(question) and not any(selecting.states_problem(x) for x in sentences):
        told = next((x for x in every if selecting.states_problem(x) and said_before(x, earlier)), None)
        if told is not None:
            # "뭐가 문제예요?" when the difficulty was said already: point back to it, then what is new.
            return [say["as_said"].format(point=_without_connective(told)), *([" ".join(sentences[:2])] if sentences else [])]
    best_said = _answer_sentence(every, question, kind)
    best = _answer_sentence(sentences, question, kind)
    said_rank = _sentence_rank(every, best_said, question, kind)[0]
    if said_before(every[best_said], earlier) and said_rank > _sentence_rank(sentences, best, question, kind)[0] \
            and (kind in _SHAPED_KINDS or kind in ("yes_no", "why") or _only_said_holds(question, every[best_said])
                 or selecting.recalls_saying(question)
                 or said_rank >= POINT_BACK_MARGIN + _sentence_rank(sentences, best, question, kind)[0]
                 and not _MORE_ITEMS.search(_learner_said(request, question))):
        # The detail asked (or what a yes/no question checks: "24시간 가능하단 거죠?")
        # was said before: point back to it briefly, then what is new.
        # A recalled claim is pointed back to whole: its other half is what the learner forgot.
        whole = (selecting.recalls_saying(question) or kind == "why") and kind not in _SHAPED_KINDS and kind != "yes_no"
        point = every[best_said] if whole else _clause(every[best_said], question, kind)
        if kind not in _SHAPED_KINDS and kind not in ("yes_no", "why") and not selecting.recalls_saying(question):
            # Only what is left unsaid says less of the question than what was said: the
            # answer is what was said, pointed back to whole, with the sentence that went on from it.
            point = every[best_said]
        pointer = say["as_said"].format(point=point)
        if kind == "yes_no":
            verdict = verdicts.yes_or_no(question, every[best_said], language)
            pointer = verdict[: len(verdict) - len(every[best_said])] + pointer  # "네, " when it says so
        blocks.append(pointer)
        rest = [s for s in sentences if s != every[best_said]][:2]
        return blocks + ([" ".join(rest)] if rest else [])
    problem = _problem_told(sentences, question, best)
    if problem is not None:
        # "순서대로 처리하면 뭐가 문제예요?": what was hard, with the sentence it leans on
        # ("이 방식은 … 어려웠어요" after "RNN은 … 차례차례 처리했어요").
        blocks.append(" ".join(sentences[problem[0] : problem[1] + 1]))
        rest = list(sentences[problem[1] + 1 : problem[1] + 3])  # what the passage says next: how it was solved
        return blocks + ([" ".join(rest)] if rest else [])
    reason = _reason_before(every, sentences[best]) if kind == "why" else None
    if reason is not None:
        # "…라고 부르는 것도 이 때문이에요": the reason is what the passage said just before.
        blocks.append(f"{reason} {sentences[best]}")
        rest = [s for i, s in enumerate(sentences) if i != best and s != reason][:2]
        return blocks + ([" ".join(rest)] if rest else [])
    leaning = _leaning_answer(sentences, best, question, kind) if kind != "yes_no" else None
    if leaning is not None:
        # "이 부분은 …" holds what was asked, but says it of the sentence before: both open the answer.
        blocks.append(" ".join(sentences[leaning - 1 : leaning + 1]))
        rest = [s for i, s in enumerate(sentences) if i not in (leaning - 1, leaning)][:2]
        return blocks + ([" ".join(rest)] if rest else [])
    # "그래서 지금도 … 쓰이고 있어요" opens an answer as "지금도 … 쓰이고 있어요".
    opening = _without_connective(sentences[best]) if best > 0 else sentences[best]
    if kind == "when" and not has_question_word(question) and claims_time(question) \
            and (dated := time_verdict(question, opening) or amount_verdict(question, opening)):
        # "어텐션 논문 2015년에 나온거 맞죠?" / "…2017년에 발표된 논문": the dates settle the claim.
        opening = _PHRASES[language][dated] + opening
    answered = verdicts.yes_or_no(question, opening, language) if kind == "yes_no" else opening
    if kind == "yes_no" and answered == opening and (decided := verdicts.decided_by_passage(every, question, opening, language,
                                                                                              topic=_title(top, language))):
        # A restatement ("즉 …라는 거죠?"): the sentence found for the words asked, frame and
        # all, does not settle it; the one saying most of the claim itself may.
        answered = decided
    blocks.append(answered)
    rest = [sentences[i] for i in _asked_window(sentences, question, [i for i in range(len(sentences)) if i != best],
                                                 sentences[best], best, topic=_title(top, language))
            if sentences[i] not in answered]
    unpacks = kind == "meaning" or kind == "what" and selecting.recalls_saying(question)
    if unpacks and sentences[best + 1 : best + 3]:
        rest = sentences[best + 1 : best + 3]  # what the passage says next unpacks the claim
    elif unpacks and best > 0:
        rest = sentences[max(0, best - 2) : best]  # a closing claim: what led up to it
    if rest:
        blocks.append(" ".join(rest))
    analogy = _field(top, "analogy", language)
    if analogy and kind in ("what", "how", "meaning") and not said_before(analogy, earlier):
        blocks.append(say["analogy"] + analogy)
    if correction:
        blocks.append(correction)
    return blocks


# Asking for the dates as a list: "연도별로 정리", "연도 다 알려줘", "순서대로", "all the years".
_ASKS_ALL_DATES = re.compile(r"정리|순서|차례|별로|(?<![가-힣])다\s*(?:알려|말해|뭐|얘기|적어)|전부|모두|모든|연표|타임라인"
                             r"|\btimeline\b|\ball\b|\bin\s+order\b|\blist\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")


def _timeline(pack: LessonPack, language: str, earlier: Sequence[str]) -> str | None:
    """The pack's fact giving the document's dates in order (the "when" fact naming
    the most years, three at least), unless it was said already."""
    dated = [fact for passage in pack.passages.values() for fact in passage.facts if fact.kind == "when"]
    if not dated:
        return None
    best = max(dated, key=lambda fact: len(set(_YEAR.findall(fact.answer.ko))))
    answer = best.answer.get(language)
    if len(set(_YEAR.findall(best.answer.ko))) < 3 or said_before(answer, earlier):
        return None
    return answer


def _lesson_difference(pack: LessonPack, top: _Material, question: str, earlier: Sequence[str]):
    """For "뭐가 달라요?" naming nothing but the topic (a word at most), the fact of the
    topic's lesson that says how its thing differs from another, if one is new."""
    if top.source is None or len(readings_of(selecting.main_clause(question))) > 1:
        return None
    lesson = [p for p in pack.passages.values() if p.lesson_id == top.source.lesson_id]
    found = [f for p in sorted(lesson, key=lambda p: p is not top.source) for f in p.facts
             if f.kind == "difference" and not said_before(f.answer.ko, earlier) and not said_before(f.answer.en, earlier)]
    return found[0] if found else None


# "GAN은 뭐예요?", "위치 인코딩이 뭐예요?": what one thing (a word or two, no "의") is.
_DEFINITION_ASK = re.compile(r"^([^\s의]+(?:\s[^\s의]+)?)(은|는|이|가)\s*(?:뭐예요|뭐야|무엇이에요|무엇인가요|뭔가요)\?*$")


def _defined(ask: str, answer: str) -> str:
    """A definition said as one ("만드는 쪽과 … 생성 모델이에요" for "GAN은
    뭐예요?" -> "GAN은 만드는 쪽과 … 생성 모델이에요"): the thing named first,
    with the particle the fact's question gives it, unless the answer names it."""
    found = _DEFINITION_ASK.match(ask.strip())
    # "RNN과 LSTM" is named in "RNN(…)과 LSTM(…)은 …" once the brackets are left out.
    if not found or found.group(1) in answer or found.group(1) in re.sub(r"\([^)]*\)", "", answer):
        return answer
    particle = {"이": "은", "가": "는"}.get(found.group(2), found.group(2))
    return f"{found.group(1)}{particle} {answer}"


def _unsaid(blocks: list[str], question: str, request: ChatRequest, pack: LessonPack, language: str,
            passages: Sequence[_Material]) -> list[str]:
    """An answer that does not give what was asked (a maker, a definition,
    what will follow) opens by saying the document does not give it, then
    the nearest thing it says; a yes/no comparison the document makes the
    other way round opens with a plain no."""
    say = _PHRASES[language]
    if not blocks:
        return blocks
    if blocks[0].startswith((say["not_so"].split("{")[0], say["so"].split("{")[0])):
        # A belief the passage itself corrects was recognised in the question: its
        # yes or no answers what was asked ("생성형 AI는 ChatGPT 나오고 처음 생긴 거죠?").
        return blocks
    sentences = [s for block in blocks for s in _sentences(block)]
    reverse = unsaid.reversed_claim(question, sentences, topic=_title(passages[0], language))
    if reverse and unsaid.without_verdict(blocks[0]) == blocks[0]:  # not when it already opens with a yes or no
        clause = next((c for c in _clauses(reverse) if "보다" in c or " than " in c), reverse)
        clause = unsaid.without_verdict(clause)
        if language == "ko" and not selecting.contradicts(question, clause):
            clause = unsaid.with_subject(clause, _title(passages[0], language))
        rest = [" ".join(s for s in _sentences(block) if s != reverse) for block in blocks]
        lead = say["turned_advantage"] if unsaid.asks_advantage(question) else say["no"]
        return [lead + clause[:1].upper() + clause[1:], *(block for block in rest if block)]
    kind = request.hints.get("question_kind", "what")
    if kind == "yes_no" and verdicts.has_verdict(blocks[0]) and not has_question_word(question) \
            and amount_verdict(question, blocks[0]):
        # "GPT-3.5 turbo 쓰면 절반 가격이죠?" / "아니요, … 10분의 1 가격이에요": the amount the claim
        # states is settled by the answer, whatever else the claim's words might ask.
        return blocks
    if kind == "yes_no" and _only_what_is_set_aside(_learner_said(request, question), pack, passages[0]) \
            and not unsaid.says_unsaid(blocks[0]):
        # "GAN 말고 다른 모델도 딥페이크에 쓰입니까?": only the passage on GAN speaks of deepfakes.
        return [say["not_here"], unsaid.without_verdict(blocks[0]), *blocks[1:]]
    fact = _fact(pack, request)
    if fact is not None and intents.generative_asked_of(question) is not None:
        # "아파트 CCTV로 …는 생성형인가요?": the CCTV is where the learner saw it, not what is asked.
        question = selecting.without_unmentioned(question, pack)
    slot = unsaid.missing_slot(question, kind, "\n".join(blocks), pack, fact_kind=fact.kind if fact else "",
                               about=f"{fact.ask.ko if fact else ''} {_text(passages[0], language)}",
                               asked_as=fact.ask.get(language) if fact else "")
    if not slot:
        return blocks
    if slot == "reason" and (reason := _reason_after(blocks[0], passages, language)):
        # "왜 텍스트 데이터가 중요해요?" opened with "글은 … 중요해요": the passage's next
        # sentence gives the reason ("…필요하니까요"), which is the answer, not a gap.
        return [f"{blocks[0]} {reason}", *(block for block in blocks[1:] if reason not in block)]
    opening = say["not_here"] if slot in ("claim", "not_given", "mention", "task", "measure", "procedure", "outcome") else \
        say["unsaid_" + slot].format(term=unsaid.how_thing(question) if slot == "mechanism" else unsaid.defined_term(question))
    return [opening, unsaid.without_verdict(blocks[0]), *blocks[1:]]


def _reason_after(opening: str, passages: Sequence[_Material], language: str) -> str:
    """The sentence of the opening's passage that follows its last sentence and gives
    its reason ("…자막이나 대본이 있어야 하니까요"), if there is one."""
    last = (_sentences(opening) or [""])[-1]
    for material in passages:
        sentences = _sentences(_text(material, language))
        if last in sentences:
            at = sentences.index(last)
            following = sentences[at + 1] if at + 1 < len(sentences) else ""
            return following if _GIVES_REASON.search(following) else ""
    return ""


# "몇 배 비싸요?", "how many times": a ratio asked as a multiple.
_TIMES_ASKED = re.compile(r"몇\s*배|\bhow\s+many\s+times\b", re.I)
# "10분의 1", "십분의 일", "1/10", "a tenth": the same ratio said as a fraction.
_FRACTION = re.compile(r"(\d+|십|열)\s*분의\s*(?:1|일|하나)|(?<![\d.])1\s*/\s*(\d+)|\b(?:one|a)[\s-]+(half|third|quarter|fifth|tenth)\b",
                       re.I)
_FRACTION_WORDS = {"십": "10", "열": "10", "half": "2", "third": "3", "quarter": "4", "fifth": "5", "tenth": "10"}
_MULTIPLE_SAID = re.compile(r"\d+\s*배|\b\d+\s*times\b", re.I)


def _times_asked(blocks: list[str], question: str, language: str) -> list[str]:
    """"4o는 3.5 터보보다 몇 배 비싸요?" answered with the document's "그 10분의
    1 가격이에요": the multiple asked comes first ("10배예요"), then the fraction the
    document gives the other way round."""
    if not blocks or not _TIMES_ASKED.search(question) or _MULTIPLE_SAID.search(blocks[0]):
        return blocks
    found = _FRACTION.search(blocks[0])
    if not found:
        return blocks
    part = next(g for g in found.groups() if g)
    times = _FRACTION_WORDS.get(part.lower(), part)
    return [_PHRASES[language]["times"].format(times=times) + blocks[0], *blocks[1:]]


# A fact's answer sharing this much of its words with the opening is said there already.
SAID_SHARE = 0.5
# How close a fact must be to the first of two questions, among the passages found for both.
FIRST_PART_MATCH = 0.25
# A figure in a sentence: "35", "48,000", "2022", "3.5".
_FIGURE = re.compile(r"\d[\d,.]*\d|\d")


def _both_parts(blocks: list[str], question: str, language: str, passages: Sequence[_Material]) -> list[str]:
    """Two questions in one turn ("비용은 얼마고 더 싸게 하려면요?", "챗gpt 언제
    나왔고 GPT는 무슨 뜻이에요?"): the answer chosen speaks to the whole, often to
    one part only; a part whose own fact (of the passages found) the opening does
    not give is answered up front too, the first before the opening, the second after it."""
    parts = two_questions(question)
    if parts is None or not blocks:
        return blocks
    sources = [m.source for m in passages if m.source is not None]
    # (The second only when it asks a thing of its own: "좋다고 나와요?" is one question.)
    told = [_untold(parts[0], blocks, language, sources),
            _untold(parts[1], blocks, language, sources) if separate_questions(question) else ""]
    return [*([told[0]] if told[0] else []), blocks[0], *([told[1]] if told[1] else []), *blocks[1:]]


def _untold(part: str, blocks: Sequence[str], language: str, sources: Sequence[LessonPassage]) -> str:
    """The answer of the fact closest to one of two questions, when the opening does not give it already."""
    # "비용은 얼마예요?" says little of its own; the passages found already hold its topic.
    match = best_fact(part, sources, minimum=FIRST_PART_MATCH)
    if match is None:
        return ""
    answer = match.fact.answer.get(language)
    # Its first sentence is its point; the rest often says what the opening says too
    # ("GAN이 뭐고 어디에 써요?": what it is ends on where it is used).
    point = _sentences(answer)[0] if _sentences(answer) else answer
    # An amount or a year the opening does not hold is not told, however alike the words.
    figures_told = all(figure in blocks[0] for figure in _FIGURE.findall(point))
    if answer in "\n".join(blocks) or (figures_told and coverage(readings_of(point), blocks[0]) >= SAID_SHARE):
        return ""  # the opening already gives it, in its own words
    return answer


def _comparison(request: ChatRequest, language: str) -> list[str]:
    """A comparison: what the document says of the two side by side (or of
    each, saying that it never sets them against each other)."""
    statements = [s for s in request.hints.get("statements", "").split("\n") if s.strip()]
    if request.hints.get("comparison") in ("apart", "apart_ranked"):
        return [_PHRASES[language][request.hints["comparison"]], *statements]
    if request.hints.get("comparison") == "again" and statements:
        # Said before: recalled as such, then what is new of the two.
        return [_PHRASES[language]["as_said"].format(point=statements[0]), *statements[1:]]
    return [" ".join(statements)]


def _support(sentences: Sequence[str], about: str, opening: str, topic: str = "") -> str:
    """One supporting paragraph (up to two sentences) from the passage: the
    ones sharing most with the question and its answer, not repeating the answer;
    what the question names beyond the answer, when one part of the passage holds it."""
    asked = _terms(about)
    said = _terms(opening)
    fresh = [i for i, s in enumerate(sentences) if len(_terms(s) - said) >= 2]
    ranked = sorted(fresh, key=lambda i: (-len(asked & _terms(sentences[i])), i))
    chosen = sorted(ranked[:2])
    question = about[: len(about) - len(opening)] if about.endswith(opening) else about
    return " ".join(sentences[i] for i in _asked_window(sentences, question, fresh, opening, None, chosen, topic))


# A sentence giving the reason for the one before it ("…주거든요", "…하니까요").
_GIVES_REASON = re.compile(r"(?:거든요|니까요|기\s*때문이에요)\W*$|^\W*(?:because|that's\s+because)\b", re.I)
# A sentence opening one point of a list ("셋째, …", "두 번째 이유는 …", "Third, …").
_ORDINAL = re.compile(r"^\W*(?:첫|둘|두|셋|세|넷|네|다섯)(?:째|\s*번째)|^\W*(?:first|second|third|fourth|fifth)\b", re.I)


def _within_point(sentences: Sequence[str], candidates: Sequence[int], start: int) -> list[int]:
    """The candidates going on from sentence ``start`` up to the next point of a list."""
    out = []
    for i in candidates:
        if i <= start:
            continue
        if _ORDINAL.match(sentences[i]):
            break
        out.append(i)
    return out


def _asked_window(sentences: Sequence[str], question: str, candidates: Sequence[int], opening: str,
                  after: int | None, default: Sequence[int] | None = None, topic: str = "") -> list[int]:
    """The supporting paragraph's sentences (up to two, in the passage's order).
    When the question names something the opening does not say and only part of
    the passage says ("학습능력 얘기는 좀 더 자세히요": the third reason, written
    "학습 능력"), the paragraph is where the passage says it: that sentence and the
    one going on from it (or leading to it, when it leans back or ends the passage);
    a point's heading ("셋째, …") with what it says of that point, not the next one.
    A question naming nothing of the kind ("더 쉽게요", "세번째는요?") keeps the
    passage's flow: what goes on from the opening when it opens a point of its own
    ("셋째, …"), else ``default`` (the passage's first sentences)."""
    if default is None:
        default = list(candidates[:2])
    if not candidates:
        return []
    # What the asking clause names (not how it asks: "써요", "나와있어", "그쵸"), beyond the opening.
    # A word is found as written (whatever the spacing), not by a loose synonym ("쓰이는" / "써요");
    # the topic itself (a word of the passage's title) points at no part of the passage.
    words = [literal for word, readings in readings_with_words(selecting.main_clause(question))
             if (literal := frozenset(r for r in readings if not r.startswith("≈")))
             and not is_predicate(word) and not looks_inflected(word) and not intents.points_back(word)
             and not _LEANING.match(word) and not coverage([literal], f"{opening} {topic}")]
    found = {i: [bool(coverage([w], sentences[i])) for w in words] for i in candidates}
    # A word every candidate says (the topic itself) points at no part of the passage.
    telling = [k for k in range(len(words)) if not all(found[i][k] for i in candidates)]
    score = {i: sum(found[i][k] for k in telling) for i in candidates}
    top = max(score.values(), default=0)
    if top == 0 or len(candidates) <= 2 and top <= max((score[i] for i in default), default=0):
        if after is not None and _ORDINAL.match(opening):
            # "셋째, …": the point goes on in what follows it, not in the points before.
            following = _within_point(sentences, candidates, after)[:2]
            if following:
                return following
        return sorted(default)

    def distance(i: int) -> int:
        return abs(i - after) if after is not None else 0
    anchor = min((i for i in candidates if score[i] == top), key=lambda i: (distance(i), i))
    if _ORDINAL.match(sentences[anchor]):
        # The heading of a point ("셋째, 더 강한 학습 능력이에요"): what it names is said after it.
        return [anchor, *_within_point(sentences, candidates, anchor)[:2]]
    leans = bool(_LEANING.match(_without_connective(sentences[anchor])))
    # Its neighbour in the passage, not a sentence from elsewhere (nor the opening).
    before = [i for i in candidates if i == anchor - 1]
    later = [i for i in candidates if i == anchor + 1 and not _ORDINAL.match(sentences[i])]  # not the next point
    window = [*before[-1:], anchor] if before and (leans or not later) else [anchor]
    if later and (len(window) == 1 or _GIVES_REASON.search(sentences[later[0]])):
        # ("트랜스포머가 바로 그 역할을 해요. … 빠르고 효율적으로 만들어 주거든요": its reason stays with it.)
        window.append(later[0])
    return window


# "(classification)", "(Multi-head Attention)": an English name alone in brackets, after its Korean one.
_ENGLISH_IN_BRACKETS = re.compile(r"\((?P<english>[A-Za-z][A-Za-z .\-]*)\)")
_HANGUL_WORD = re.compile(r"^[가-힣]+$")
# At most this many Korean words before the brackets are the name ("멀티헤드 어텐션", "확산 모델").
NAME_WORDS = 2


def _name_told(top: _Material, language: str, question: str) -> str | None:
    """The passage's own words for its thing's name in English or in full, the
    ones closest to the question when it has several: "영어로는 classification,
    우리말로는 분류라고 해요" of "이걸 '분류(classification)'라고 해요" (the sentence
    leans on the one before it), else the sentence spelling it out ("AGI는
    'Artificial General Intelligence'의 줄임말로 …"). In English, the sentence quoting it."""
    every = _sentences(_text(top, language))
    spelled = [s for s in every if re.search(r"'[^']+'", s)] if language == "en" else []
    spelled = spelled or [s for s in every if SPELLED_NAME.search(s)]
    if not spelled:
        return None
    sentence = spelled[_answer_sentence(spelled, question, "what")]
    pairs = [pair for found in _ENGLISH_IN_BRACKETS.finditer(sentence)
             if (pair := _korean_name_before(sentence[:found.start()], found.group("english")))] \
        if language == "ko" else []
    if not pairs:
        return sentence
    asked = "".join(question.split())
    # "멀티헤드는 영어로요?": the pair whose Korean name the question names, else the first.
    word, english = max(pairs, key=lambda pair: sum(part in asked for part in pair[0].split()))
    return f"영어로는 {english}, 우리말로는 {word}{'이라고' if ends_closed(word) else '라고'} 해요."


def _korean_name_before(before: str, english: str) -> tuple[str, str] | None:
    """The Korean name written just before an English one in brackets, with as
    many words as the English has, up to ``NAME_WORDS`` ("멀티헤드 어텐션" of
    "Multi-head Attention"); None when a Korean word is not right before it."""
    words = before.split()
    if not words or before[-1:].isspace():
        return None
    wanted = min(len(english.split()), NAME_WORDS)
    name: list[str] = []
    for word in reversed(words[-wanted:]):
        word = word.lstrip("'\"‘“")
        if not _HANGUL_WORD.match(word):
            break
        name.insert(0, word)
    return (" ".join(name), english) if name else None


def _nothing_new(top: _Material, language: str, earlier: Sequence[str], passages: Sequence[_Material],
                 question: str = "", kind: str = "what") -> list[str]:
    """Everything in the passage was said: point back to the sentence that
    answers the question (with its yes or no), then something new about it."""
    say = _PHRASES[language]
    every = _sentences(_text(top, language))
    best = every[_answer_sentence(every, question, kind)] if question else every[0]
    pointer = say["as_said"].format(point=best)
    if kind == "yes_no":
        verdict = verdicts.yes_or_no(question, best, language)
        pointer = verdict[: len(verdict) - len(best)] + pointer
    blocks = [pointer]
    for name in ("example", "simpler", "analogy"):
        aid = _field(top, name, language)
        if aid and not said_before(aid, earlier):
            blocks.append(aid)
            break
    else:
        if top.source is not None:
            points = [p for p in top.source.key_points.get(language) if not said_before(p, earlier)]
            if points:
                blocks.append(say["in_short"].format(point=points[-1].rstrip(".") + "."))
    if len(passages) > 1:
        blocks.append(say["related"].format(title=_title(passages[1], language)))
    return blocks


_SHAPED_KINDS = frozenset(("how_much", "how_many", "when", "who"))
_REASON = re.compile(r"때문|이유|덕분|위해|그래서|\b(?:because|since|so\s+that|reason|thanks\s+to)\b", re.IGNORECASE)
# Sentences that lean on the one before them cannot open an answer.
# A linking word that only joins a sentence to the one before ("그래서", "그리고"):
# without it, the sentence still says the same thing on its own.
_CONNECTIVE = re.compile(r"^(?:그래서|그리고|또한|게다가|and\s+so|so|and|also)\s*,?\s+(?=\S)", re.IGNORECASE)


def _without_connective(sentence: str) -> str:
    rest = _CONNECTIVE.sub("", sentence, count=1)
    return rest[:1].upper() + rest[1:] if rest != sentence and rest[:1].isascii() else rest


_LEANING = re.compile(
    r"^\W*(?:\S+\s+){0,3}?(?:이|그|저|이런|그런|이렇게|그렇게|이것|그것|이것이|그것이|이것은|그것은|이게|그게|이는|그래서|그러나|하지만|또|또한|그리고|반면|"
    r"게다가|즉|덕분에|제목이|its?|this|that|these|those|they|such|so|but|and|also|however|thanks|instead)(?=\s|,|$)",
    re.IGNORECASE,
)


_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


# "확실해요?", "is that certain?": whether the document says it for sure.
_ASKS_CERTAINTY = re.compile(r"확실|\b(?:sure|certain|confirmed|definite(?:ly)?)\b", re.I)
# A sentence that says something only seems so, or that people guess it.
_HEDGE = re.compile(r"것으로\s*보|짐작|추측|것\s*같|\b(?:guess\w*|seems?|probably|apparently)\b", re.I)


def _hedged(sentences: Sequence[str], question: str) -> str | None:
    """For a question asking whether something is certain, the passage's
    sentence that says it only seems so (or that people guess it), when its
    hedged clause speaks of what was asked more than any plain clause does
    ("Stable Diffusion은 확실히 …?" is said plainly; "DALL-E는 확실히 …?" only
    guessed); None otherwise."""
    if not _ASKS_CERTAINTY.search(question):
        return None
    asked = readings_of(_ASKS_CERTAINTY.sub(" ", question))
    if not asked:
        return None
    hedged: list[tuple[float, int]] = []
    plain = 0.0
    for i, sentence in enumerate(sentences):
        for clause in _clauses(sentence):
            if _HEDGE.search(clause):
                hedged.append((coverage(asked, clause), -i))
            else:
                plain = max(plain, coverage(asked, clause))
    if not hedged or max(hedged)[0] <= plain:
        return None
    return sentences[-max(hedged)[1]]


def _only_what_is_set_aside(message: str, pack: LessonPack, top: _Material) -> bool:
    """Whether "X 말고 다른 …도 …?" asks of others what only the passage on X
    says: no other passage speaks of everything the question names beside X
    (deepfakes are spoken of only where GAN is)."""
    aside = intents.set_aside(message)
    if not aside or not intents.asks_for_another(message) or top.source is None:
        return False
    rest = intents.without_set_aside(message, pointers=False)
    named = [readings for word, readings in readings_with_words(rest)
             if not is_predicate(word) and not looks_inflected(word) and not intents.points_back(word)]
    if not named or not coverage(named, top.source.text.ko):
        return False
    return not any(coverage(named, passage.text.ko) >= 1.0
                   for passage in pack.passages.values() if passage.id != top.source.id)


def _learner_said(request: ChatRequest, question: str) -> str:
    """The learner's message as typed (with what it sets aside)."""
    return next((m.content for m in reversed(request.messages) if m.role == "user"), question)


# "그 밖에", "다른 건", "what else": more items of a list ("또 뭐예요?" alone may ask what a new thing is).
_MORE_ITEMS = re.compile(r"그\s*밖에|그\s*외에?|다른\s*(?:건|것|거|게|분야|예|데|일)|\b(?:what|anything)\s+else\b|\bother\s+\w+s\b",
                         re.IGNORECASE)


def _list_told(top: _Material, language: str, earlier: Sequence[str], message: str) -> str | None:
    """Asked for more items ("그 밖에 또 어떤 분야가 있어요?", "음악 말고 또 …"),
    the passage's list (a fact naming three or more examples, kinds or uses,
    the one naming what is set aside if any) when an earlier answer gave it
    already: the learner has had all the document names. None otherwise."""
    aside = intents.set_aside(message)
    if top.source is None or not (aside or _MORE_ITEMS.search(message)):
        return None
    named = readings_of(" ".join(aside))
    lists = [fact.answer.get(language) for fact in top.source.facts if fact.kind in _EXAMPLE_FACTS]
    lists = [items for items in lists if _sentences(items)[0].count(",") >= 2 and said_before(items, earlier)
             and (not named or coverage(named, items) > 0)]
    return lists[0] if lists else None


def _only_said_holds(question: str, said: str) -> bool:
    """Whether the question names a number ("1906년이면 뭐가 나온건가요")
    that the sentence said before holds: when that sentence answers better
    than anything left unsaid, it is the answer, to point back to."""
    numbers = _NUMBER.findall(question)
    return bool(numbers) and all(n in said for n in numbers)


def _naming_what_is_asked(sentences: Sequence[str], best: int, question: str, kind: str) -> int:
    """"ELIZA는 누가 만들었어요?": the nearest thing said of a thing the document
    does not tell all about is a sentence naming it (1964), not one sharing
    only the verb (만들어 내는); ``best`` when it names it already or none does."""
    asked = selecting.names(question)
    if not asked or not sentences:
        return best
    naming = [i for i, sentence in enumerate(sentences)
              if asked & {word.lower() for word in raw_words(intents.normalise(sentence))}]
    if not naming or best in naming:
        return best
    return max(naming, key=lambda i: _sentence_rank(sentences, i, question, kind))


def _answer_sentence(sentences: Sequence[str], question: str, kind: str = "what") -> int:
    """Answer first: the sentence that shares most with the question and can
    stand alone. For "what is it" the passage's opening sentence (its
    definition) wins ties; for a detail (how much, when, who, why) the
    sentence holding that kind of answer (an amount, a year, a person, a
    reason) comes first, not the passage's opening."""
    if not sentences:
        return 0
    return max(range(len(sentences)), key=lambda i: _sentence_rank(sentences, i, question, kind))


def _problem_told(sentences: Sequence[str], question: str, best: int) -> tuple[int, int] | None:
    """For a question asking what is wrong ("뭐가 문제예요?", "단점은요?"), the
    first sentence saying what was hard or lacking (from the one it leans on,
    if it leans back), when the best-ranked sentence does not say it already."""
    if not selecting.asks_problem(question) or selecting.states_problem(sentences[best]):
        return None
    found = next((i for i, s in enumerate(sentences) if selecting.states_problem(s)), None)
    if found is None:
        return None
    leans = found > 0 and bool(_LEANING.match(_without_connective(sentences[found])))
    return (found - 1 if leans else found, found)


# A comma between clauses, not one inside brackets ("GAN(Generative Adversarial Networks, 생성적 적대 신경망)").
_CLAUSE_COMMA = re.compile(r",\s+(?![^()]*\))")


def _clauses(sentence: str) -> list[str]:
    """A sentence cut at its commas, keeping what brackets hold whole."""
    return _CLAUSE_COMMA.split(sentence)


def _clause(sentence: str, question: str, kind: str) -> str:
    """The part of a sentence said before that holds the detail asked: a
    brief pointer back, not the sentence again."""
    clauses = [c.strip() for c in _clauses(sentence) if c.strip()]
    shaped = [c for c in clauses if holds_answer_shape(kind, c)]
    if len(clauses) < 2 or not shaped:
        return sentence
    asked = _terms(question)
    best = max(shaped, key=lambda c: len(asked & _terms(c)))
    return best if best.endswith((".", "!", "?", "요")) else best + "…"


def _sentence_rank(sentences: Sequence[str], i: int, question: str, kind: str,
                   leaning_ok: bool = False) -> tuple[float, int]:
    """How well sentence ``i`` answers the question (see _answer_sentence)."""
    words = readings_of(question)
    opening_bonus = 2.5 if kind in ("what", "how", "example") and not selecting.recalls_saying(question) else 0.5
    overlap = coverage(words, sentences[i]) * len(words) + (opening_bonus if i == 0 else 0.0)
    asked = readings_of(selecting.main_clause(question))
    if len(asked) < len(words):
        # "아까 두 번째 이유였던 트랜스포머요, 학습이랑 또 뭐를 빠르게 해준다고 했죠?": the words
        # of the asking clause weigh more than those pointing at the topic.
        overlap += 0.5 * coverage(asked, sentences[i]) * len(asked)
    if kind in _SHAPED_KINDS and holds_answer_shape(kind, sentences[i]):
        overlap += 4.0  # an amount for "how much", a year for "when": the answer itself
    elif kind == "why" and _REASON.search(sentences[i]):
        overlap += 1.0
    overlap += 2.0 * selecting.unit_fit(question, kind, sentences[i])  # 2,000 tokens, not 48 won
    numbers = _NUMBER.findall(question)
    if numbers and all(n in sentences[i] for n in numbers):
        overlap += 3.0  # "1906년이면 뭐가 나온건가요": the sentence holding 1906
    standalone = i == 0 or not _LEANING.match(_without_connective(sentences[i]))
    return (overlap if standalone or leaning_ok else -1.0, -i)


def _leaning_answer(sentences: Sequence[str], best: int, question: str, kind: str) -> int | None:
    """A sentence leaning on the one before it ("이 부분은 …", "이것이 …") that
    holds clearly more of what was asked than the best sentence standing alone:
    it opens the answer together with that sentence. None otherwise."""
    if len(sentences) < 2:
        return None
    alone = _sentence_rank(sentences, best, question, kind)[0]
    i = max(range(1, len(sentences)), key=lambda j: _sentence_rank(sentences, j, question, kind, leaning_ok=True))
    if not _LEANING.match(_without_connective(sentences[i])):
        return None
    with_it = _sentence_rank(sentences, i, question, kind, leaning_ok=True)[0]
    return i if with_it >= alone + _LEANING_MARGIN else None


_LEANING_MARGIN = 0.25


# "이 때문이에요", "that's why": a sentence whose reason is the one before it.
_BECAUSE_OF_THAT = re.compile(r"(?:이|그|이것|그것)\s*때문|\b(?:that|this)(?:'s|\s+is)\s+why\b", re.IGNORECASE)


def _reason_before(every: Sequence[str], sentence: str) -> str | None:
    """The sentence before ``sentence`` in its passage when ``sentence`` gives
    its reason by pointing back to it; None otherwise."""
    if not _BECAUSE_OF_THAT.search(sentence) or sentence not in every:
        return None
    position = every.index(sentence)
    return every[position - 1] if position > 0 else None


def _correction(material: _Material, language: str, question: str) -> str | None:
    """A gentle correction, only when the question carries the passage's misconception."""
    if material.source is None or material.source.misconception is None:
        return None
    wrong = material.source.misconception.wrong
    asked = _terms(question)
    shared = max(len(asked & _terms(wrong.ko)), len(asked & _terms(wrong.en)))
    needed = min(len(_terms(wrong.get(language))), len(asked))
    if shared < 2 or shared * 2 < needed:
        return None
    template = _PHRASES[language]["correction"]
    return template.format(
        wrong=wrong.get(language).rstrip(".。 "),
        right=material.source.misconception.right.get(language),
    )


_ASKS_ANALOGY = re.compile(r"비유|빗대|\banalog(?:y|ies)\b|\bmetaphor\b", re.IGNORECASE)


def _simpler(top: _Material, language: str, question: str = "", earlier: Sequence[str] = ()) -> list[str]:
    """The same topic said simply, then in one line the key point the learner
    stumbled on ("노이즈를 넣었다 뺐다 한다는 게 이해가 안 가요": the one on adding
    and removing noise), or the passage's first when the message names none of them.
    Asked again ("더 쉽게요" after its simple version), another way in not said
    yet: its analogy, else its example."""
    say = _PHRASES[language]
    blocks = [say["simpler"]]
    ways = [_field(top, "simpler", language), _field(top, "analogy", language), _field(top, "example", language)]
    if _ASKS_ANALOGY.search(question):
        # "비유로 설명좀": the passage's analogy, when it has one.
        ways.insert(0, ways.pop(1))
    ways = [way for way in ways if way]
    simpler = next((way for way in ways if not said_before(way, earlier)), ways[0] if ways else None)
    if simpler:
        blocks.append(simpler)
    else:
        blocks += _paragraphs(_sentences(_text(top, language))[:2])
    points = top.source.key_points.get(language) if top.source else ()
    if points:
        point = points[_point_asked(points, question)].rstrip()
        blocks.append(say["in_short"].format(point=point if point.endswith((".", "!", "?", "요")) else point + "."))
    return blocks


def _point_asked(points: Sequence[str], question: str) -> int:
    """The key point holding most of the learner's words; the first one on a
    tie or when the message names none of them."""
    asked = readings_of(question)
    found = [coverage(asked, point) for point in points]
    best = max(range(len(points)), key=lambda i: (found[i], -i)) if asked else 0
    return best if found[best] > 0 else 0


_EXAMPLE_FACTS = ("example", "which", "where")


def _example(
    passages: Sequence[_Material], language: str, question: str, request: ChatRequest, pack: LessonPack
) -> list[str]:
    say = _PHRASES[language]
    fact = _fact(pack, request)
    top = passages[0] if fact is not None else _example_subject(passages, question, language)
    earlier = _earlier_answers(request)
    example = _field(top, "example", language)
    if (fact is None or fact.kind not in _EXAMPLE_FACTS) and top.source is not None:
        # "예를 들면?" on a topic: the examples its passage names ("DALL-E, GPT-4, Gemini"), if any.
        fact = next((f for f in top.source.facts if f.kind == "example"
                     and not said_before(f.answer.get(language), earlier)), fact)
    if fact is not None and fact.kind in _EXAMPLE_FACTS and not said_before(fact.answer.get(language), earlier):
        # The examples the document names, then the worked example if it is new.
        blocks = [fact.answer.get(language)]
        if example and not said_before(example, earlier):
            blocks.append(example)
        return blocks
    asked = request.hints.get("question_kind", "what")
    if fact is not None and fact.kind not in _EXAMPLE_FACTS and unsaid.says_unsaid(fact.answer.get(language)) \
            and coverage(readings_of(fact.ask.ko), question) >= 0.5 and not said_before(fact.answer.get(language), earlier):
        # "그 단점이 구체적으로 뭔데요? 예를 들어 GAN 단점 같은 거요": the fact answering it
        # says the document leaves that out; an example of something else is no answer.
        return [fact.answer.get(language)]
    if fact is not None and asked in ("meaning", "why", "how") and not said_before(fact.answer.get(language), earlier):
        # "시장이 크다는 게 무슨 말이에요? 예시 좀": what it means, then the example.
        return [fact.answer.get(language), *([example] if example and not said_before(example, earlier) else [])]
    if example and not said_before(example, earlier):
        return [say["example"], example]
    # No (new) example of its own: the fact or the explanation is the best we have.
    return _explain(passages, language, question, request, pack)


def _example_subject(passages: Sequence[_Material], question: str, language: str) -> _Material:
    """The passage whose examples are asked for: the first found, unless
    another one with examples of its own is what the asking clause names
    in its title ("글에서 예측의 예시로는 무엇이 나오나요?": the passage on
    prediction, though one on LLMs was found first)."""
    asked = readings_of(intents.wants_example(selecting.main_clause(question))[0])
    if not asked:
        return passages[0]

    def named(material: _Material) -> tuple[float, float]:
        if material.source is None:
            return (0.0, 0.0)
        title = _title(material, language)
        return (coverage(asked, title), coverage(asked, " ".join([title, *material.source.key_points.get(language)])))

    def has_examples(material: _Material) -> bool:
        return material.source is not None and (material.source.example is not None
                                                or any(f.kind == "example" for f in material.source.facts))

    best = max(range(len(passages)), key=lambda i: (named(passages[i]), -i))
    return passages[best] if has_examples(passages[best]) and named(passages[best]) > named(passages[0]) else passages[0]


def _next(top: _Material, language: str) -> list[str]:
    say = _PHRASES[language]
    # The start of the passage, not all of it: the learner asks on from there.
    return [say["next"].format(title=_title(top, language)), *_paragraphs(_sentences(_text(top, language))[:4])]


def _lesson_list(pack: LessonPack, language: str) -> str:
    titles = "\n".join(f"- {lesson.title.get(language)}" for lesson in pack.lessons[1:6])
    return _PHRASES[language]["lessons"] + "\n" + titles


def _is_thanks(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in ("감사", "고마", "땡큐", "thank"))


# -- activities ---------------------------------------------------------------


def _quiz(pack: LessonPack, request: ChatRequest, language: str, question: str) -> list[str]:
    say = _PHRASES[language]
    asked = request.hints.get("quiz_question")
    if not asked:
        return [say["quiz_none"]]
    # The how-to line once per conversation: the next quiz is just its question.
    hint = say["quiz_hint"] if not said_before(say["quiz_hint"], _earlier_answers(request)) else ""
    return [say["quiz"].format(question=asked), hint]


def _quiz_result(pack: LessonPack, request: ChatRequest, language: str, question: str) -> list[str]:
    from tutor.knowledge.intent import says_dont_know

    say = _PHRASES[language]
    if request.hints.get("quiz_correct") == "True":
        opening = say["quiz_right"]
    elif request.hints.get("quiz_partly") == "True":
        opening = say["quiz_partly"]
    else:
        opening = say["quiz_unknown"] if says_dont_know(question) else say["quiz_wrong"]
    more = say["quiz_more"] if not said_before(say["quiz_more"], _earlier_answers(request)) else ""
    return [opening, say["quiz_answer"].format(answer=request.hints.get("quiz_answer", "")), more]


def _covered(pack: LessonPack, request: ChatRequest) -> list[LessonPassage]:
    ids = [pid for pid in request.hints.get("covered", "").split("\n") if pid]
    return [p for pid in dict.fromkeys(ids) if (p := pack.passage(pid)) is not None]


def _recap(pack: LessonPack, request: ChatRequest, language: str, question: str) -> list[str]:
    say = _PHRASES[language]
    covered = _covered(pack, request)
    if not covered:
        return [say["recap_none"]]
    lines = []
    for number, passage in enumerate(covered, 1):
        point = passage.key_points.get(language)[0].rstrip(". ")
        lines.append(f"{number}. **{passage.title.get(language)}**: {point}")
    return [say["recap"], "\n".join(lines)]


def _progress(pack: LessonPack, request: ChatRequest, language: str, question: str) -> list[str]:
    from tutor.knowledge.activities import progress

    say = _PHRASES[language]
    state = progress(pack, [p.id for p in _covered(pack, request)])
    blocks = [say["progress"].format(total=state.total, covered=state.covered,
                                     lessons_total=state.lessons_total, lessons_touched=state.lessons_touched)]
    if state.next_passage is None:
        blocks.append(say["progress_done"])
    else:
        blocks.append(say["progress_next"].format(title=state.next_passage.title.get(language)))
    return blocks


def _overview(pack: LessonPack, request: ChatRequest, language: str, question: str) -> list[str]:
    from tutor.knowledge.activities import starting_lessons

    say = _PHRASES[language]
    if request.hints.get("intent") == "start":
        first = starting_lessons(pack)
        lines = "\n".join(
            f"{n}. **{lesson.title.get(language)}**: {lesson.summary.get(language)}" for n, lesson in enumerate(first, 1)
        )
        return [say["start_intro"], lines, say["start_then"]]
    lines = "\n".join(f"{n}. {lesson.title.get(language)}" for n, lesson in enumerate(pack.lessons, 1))
    return [say["overview"], lines]


def _thanks(pack: LessonPack, request: ChatRequest, language: str, question: str) -> list[str]:
    say = _PHRASES[language]
    # Said again in one conversation, the reply is another, shorter one, not the same words twice.
    earlier = _earlier_answers(request)
    again = sum(said_before(say[line], [answer]) for answer in earlier for line in ("ack_next", "ack_next_again")) % 2
    if again:
        return [say["thanks_again"] if _is_thanks(question) else say["ack_again"], say["ack_next_again"]]
    opening = say["thanks"] if _is_thanks(question) else say["ack"]
    return [opening, say["ack_next"]]


_ACTIVITY_COMPOSERS = {
    "quiz": _quiz,
    "quiz_result": _quiz_result,
    "recap": _recap,
    "progress": _progress,
    "overview": _overview,
    "thanks": _thanks,
}
