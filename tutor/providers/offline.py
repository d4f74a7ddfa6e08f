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

from tutor.knowledge.pack import LessonPack, LessonPassage
from tutor.knowledge.text import default_stem, is_stopword, raw_words

from .base import ChatRequest, Finish, Passage, StreamEvent, TextDelta, Usage

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")

_PHRASES: dict[str, dict[str, str]] = {
    "ko": {
        "analogy": "**비유하자면** ",
        "correction": "**헷갈리기 쉬운 점** '{wrong}' 하고 생각하기 쉬운데요, {right}",
        "related": "관련해서 **{title}** 내용도 함께 보면 좋아요.",
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
    },
    "en": {
        "analogy": "**An analogy:** ",
        "correction": "**A common mix-up:** it is easy to think '{wrong}', but {right}",
        "related": "It also helps to look at **{title}**.",
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
    question = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
    suggestions = [s for s in request.hints.get("suggestions", "").split("\n") if s.strip()]
    passages = [_lookup(pack, p) for p in request.passages]
    intent = request.hints.get("intent") or ("question" if passages else "out_of_scope")

    if intent == "attack":
        blocks = [say["attack"]]
    elif intent == "greeting":
        blocks = [say["thanks"] if _is_thanks(question) else say["greeting"], say["start"]]
    elif intent == "next" and not passages:
        blocks = [say["next_done"]]
    elif not passages:
        blocks = [say["decline"], say["offer"] if suggestions else _lesson_list(pack, language)]
    elif intent == "simpler":
        blocks = _simpler(passages[0], language)
    elif intent == "example":
        blocks = _example(passages[0], language, question)
    elif intent == "next":
        blocks = _next(passages[0], language)
    else:
        blocks = _explain(passages, language, question)

    if suggestions:
        if intent not in ("attack", "greeting") and passages:
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
    return {default_stem(w) for w in raw_words(text) if not is_stopword(w)}


def _paragraphs(sentences: Sequence[str], per: int = 2) -> list[str]:
    return [" ".join(sentences[i : i + per]) for i in range(0, len(sentences), per)]


def _explain(passages: Sequence[_Material], language: str, question: str) -> list[str]:
    say = _PHRASES[language]
    top = passages[0]
    sentences = _sentences(_text(top, language))
    best = _answer_sentence(sentences, question)
    blocks = [sentences[best]] if sentences else []
    blocks += _paragraphs([s for i, s in enumerate(sentences) if i != best])

    analogy = _field(top, "analogy", language)
    if analogy:
        blocks.append(say["analogy"] + analogy)
    correction = _correction(top, language, question)
    if correction:
        blocks.append(correction)
    if len(passages) > 1:
        blocks.append(say["related"].format(title=_title(passages[1], language)))
    return blocks


# Sentences that lean on the one before them cannot open an answer.
_LEANING = re.compile(
    r"^\W*(?:\S+\s+){0,3}?(?:이|그|저|이런|그런|이렇게|그렇게|이것|그것|이는|그래서|그러나|하지만|또|또한|그리고|반면|"
    r"게다가|즉|덕분에|제목이|its?|this|that|these|those|they|such|so|but|and|also|however|thanks|instead)(?=\s|,|$)",
    re.IGNORECASE,
)


def _answer_sentence(sentences: Sequence[str], question: str) -> int:
    """Answer first: the sentence that shares most with the question and can
    stand alone; the passage's opening sentence wins ties."""
    if not sentences:
        return 0
    asked = _terms(question)

    def rank(i: int) -> tuple[float, int]:
        overlap = len(asked & _terms(sentences[i])) + (2.5 if i == 0 else 0.0)
        standalone = i == 0 or not _LEANING.match(sentences[i])
        return (overlap if standalone else -1.0, -i)

    return max(range(len(sentences)), key=rank)


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


def _simpler(top: _Material, language: str) -> list[str]:
    say = _PHRASES[language]
    blocks = [say["simpler"]]
    simpler = _field(top, "simpler", language) or _field(top, "analogy", language)
    if simpler:
        blocks.append(simpler)
    else:
        blocks += _paragraphs(_sentences(_text(top, language))[:2])
    points = top.source.key_points.get(language) if top.source else ()
    if points:
        point = points[0].rstrip()
        blocks.append(say["in_short"].format(point=point if point.endswith((".", "!", "?", "요")) else point + "."))
    return blocks


def _example(top: _Material, language: str, question: str) -> list[str]:
    say = _PHRASES[language]
    example = _field(top, "example", language)
    if example:
        return [say["example"], example]
    # No example of its own: the passage's explanation is the best we have.
    return _explain([top], language, question)


def _next(top: _Material, language: str) -> list[str]:
    say = _PHRASES[language]
    return [say["next"].format(title=_title(top, language)), *_paragraphs(_sentences(_text(top, language)))]


def _lesson_list(pack: LessonPack, language: str) -> str:
    titles = "\n".join(f"- {lesson.title.get(language)}" for lesson in pack.lessons[1:6])
    return _PHRASES[language]["lessons"] + "\n" + titles


def _is_thanks(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in ("감사", "고마", "땡큐", "thank"))
