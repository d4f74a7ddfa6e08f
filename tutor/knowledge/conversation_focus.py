"""The thing a conversation is on: the model, person or idea last named.

The passage last taught is not always what a follow-up is about. After "GPT가
무슨 뜻이에요?" the learner's "그게 누구 거예요?" asks about GPT, and after
"LLM이 뭐예요?" / "그게 뭘 잘해요?" the learner's "그거 쓰면 돈 많이 들어요?" asks
the price of an LLM, which another passage gives. So the conversation keeps a
focus: the names (GPT, LLM, 트랜스포머, ELIZA) of the newest learner turn that
named any, or, when the learner only asked ("그걸 쓴 대표적인 모델은요?"), those
the answer to it opened with. A follow-up that points back (그거, 걔, it) or
leaves its subject unsaid, naming nothing of its own, is searched with that
focus spelled out in place of the pointer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tutor.providers.base import ChatMessage

from . import intent as intents
from .pack import LessonPack, LessonPassage, per_pack
from .retrieval import Retriever
from .text import is_stopword, raw_words

# Names most passages use ("AI"): the document's subject, never a focus of its own.
_SUBJECT_TERMS = frozenset(("ai",))
# How many earlier learner turns a focus is looked for in, newest first.
_TURNS = 3
# Pointing words a focus stands in for ("그거 누가 만들었어요?" -> "GPT-4o 누가 만들었어요?").
_POINTER = re.compile(
    r"(?<![가-힣])(?:그것|그거|그게|그걸|그건|걔네|걔|얘|이거|이게|저거|그\s*모델|그\s*회사)"
    r"(?:들|는|은|이|가|를|을|도|만|랑|이랑|하고|에|의|로|으로|보다|처럼|부터|까지)?(?![가-힣])"
    r"|\b(?:it|its|they|them|their)\b",
    re.IGNORECASE,
)


# "뭘로 배워요?", "어떤 걸 써요?", "which one …": a turn asking for a thing, which its answer names.
_ASKS_FOR_A_THING = re.compile(
    r"뭘로|뭐로|무엇으로|뭘\s*(?:썼|써|쓰|사용)|(?:어떤|어느|무슨)\s*(?:걸|거|것|모델|서비스|데이터|회사|기술)"
    r"|\bwhich\b|\bwhat\s+(?:kind|model|data|company|did|was\s+used|came)\b", re.IGNORECASE)


@per_pack
def _pack_names(pack: LessonPack, retriever: Retriever) -> frozenset[str]:
    """The index terms of the names the pack's Korean text writes in Latin
    letters (GPT, RNN, Transformer, ELIZA): the particular things it speaks of.
    Worked out once per pack."""
    words = {word for passage in pack.passages.values() for word in re.findall(r"[A-Za-z][\w.-]*", passage.text.ko)
             if len(word) >= 2 and not is_stopword(word.lower())}
    terms = set()
    for word in sorted(words):
        for unit in retriever.analyse(word):
            # An acronym (LLM, GPT) is a name however often it comes up; a word most
            # passages use ("Model", "Generative") is the document's subject matter.
            if word.isupper() or not retriever.is_generic(unit):
                terms.update(term for term, _ in unit.terms if not term.startswith("≈") and term not in _SUBJECT_TERMS)
    return frozenset(terms)


def names_in(retriever: Retriever, text: str) -> list[str]:
    """The particular things ``text`` names, in order, as written: names the
    pack writes in Latin letters, in either spelling (트랜스포머 -> transformer),
    not the document's subject ("AI") nor everyday words (그림, 회사, image)."""
    known = _pack_names(retriever.pack, retriever)
    found: list[str] = []
    for word in raw_words(text):
        if word in found or is_stopword(word.lower()):
            continue
        if any(not (unit.unknown or unit.attribute or unit.predicate) and any(term in known for term, _ in unit.terms)
               for unit in retriever.analyse(word)):
            found.append(word)
    return found


def speaks_of(retriever: Retriever, passage: LessonPassage, name: str) -> bool:
    """Whether ``passage`` itself names ``name`` (any of its spellings)."""
    return retriever.coverage_of(name, passage) > 0


def focus(retriever: Retriever, history: Sequence[ChatMessage]) -> list[str]:
    """The names the conversation is on, newest exchange first: for a learner turn
    asking for a thing ("트랜스포머 전에는 뭘 썼어요?"), the first new name its answer
    opened with (RNN); else the names the learner's turn gave (GPT-4o). None when
    the newer turn was on an idea rather than a name ("수요가 크다는게 무슨말이에요")."""
    answer = ""
    seen = 0
    for message in reversed(history):
        if message.role == "assistant":
            answer = message.content
            continue
        # "원래 영어 이름이 뭐예요?" asked for a name: 영어 and 이름 are no idea of its own.
        message = ChatMessage("user", intents.without_name_request(message.content))
        # "그럼 GAN보다 나아요?" after diffusion: GAN is what diffusion is set against, not the focus.
        own = [name for name in names_in(retriever, message.content) if not _set_against(name, message.content)]
        if _ASKS_FOR_A_THING.search(message.content):
            told = [name for name in names_in(retriever, _opening(answer)) if name not in own]
            return told[:1]
        if own:
            return own
        if retriever.names_own_topic(message.content) and not _POINTER.search(message.content):
            # "수요가 크다는게 무슨말이에요": on an idea of its own, not on an older name;
            # "근데 왜 다들 그것만 써요?" still asks of it.
            return []
        seen += 1
        if seen >= _TURNS:
            break
        answer = ""
    return []


def _opening(answer: str) -> str:
    """The direct answer an assistant turn opens with (its first paragraph)."""
    return answer.strip().split("\n\n")[0]


# A name said only as what the turn's subject is set against ("그럼 GAN보다 나아요?", "better than GAN").
_SET_AGAINST = r"(?:\s*(?:보다|에\s*비해|이랑\s*비교|랑\s*비교|과\s*비교|와\s*비교))"


def _set_against(name: str, text: str) -> bool:
    """Whether ``name`` is said in ``text`` only as what something is compared with."""
    return bool(re.search(re.escape(name) + _SET_AGAINST, text, re.IGNORECASE)
                or re.search(r"\bthan\s+(?:the\s+|a\s+)?" + re.escape(name), text, re.IGNORECASE))


def spelled_out(retriever: Retriever, query: str, history: Sequence[ChatMessage]) -> str:
    """``query`` with the conversation's focus named, when it points back at it
    or leaves its subject unsaid and names nothing of its own; else ``query``."""
    if not history or names_in(retriever, query) or intents.set_aside(query):
        return query
    named = [unit for unit in retriever.analyse(query)
             if not (unit.attribute or unit.predicate or unit.unknown) and not retriever.is_generic(unit)]
    if not intents.points_back(query) and not _POINTER.search(query) and named:
        return query
    things = focus(retriever, history)
    if not things:
        return query
    name = " ".join(things[:2])
    if _POINTER.search(query):
        return _POINTER.sub(lambda _: f" {name} ", query, count=1).strip()
    return f"{name} {query}"
