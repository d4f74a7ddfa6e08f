"""A bare "and X?" asks the learner's last whole question again, of X.

After "음악 만드는 AI는 뭘로 만들어요?" the learner's "이미지는요?" and then
"영상은요?" ask what video AIs are made with; after "Is diffusion better than
GAN?", "And VAE?" asks whether VAE is. Searched as it stands, "영상은요?" finds
whatever passage says 영상 most (subtitles for video), not the model that makes
video. So the turn is spelled out as that question with its subject swapped
for X ("영상 만드는 AI는 뭘로 만들어요?"), and searched and answered as such.
"원화로는요?" (the same thing in another form) keeps its own handling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tutor.providers.base import ChatMessage

from . import answering, conversation_focus
from . import intent as intents
from .retrieval import Retriever
from .text import ends_closed, is_predicate, is_stopword, looks_inflected, strip_particles

# How many learner turns back the whole question is looked for, newest first.
_TURNS = 3
# "영상은요?", "그럼 VAE는요?", "And GAN?", "what about VAE?": the thing X.
_KOREAN = re.compile(r"^\W*(?:그럼|그러면|그리고|근데|그럼\s*또)?\s*(?P<thing>\S+?)(?:은|는)\s*요?\s*[?？]*\s*$")
_ENGLISH = re.compile(r"^\W*(?:and|so)?\s*(?:what|how)\s+about\s+(?:the\s+)?(?P<thing>[^?]+?)\s*\?*\s*$"
                      r"|^\W*and\s+(?:the\s+)?(?P<bare>[^\s?]+(?:\s+[^\s?]+)?)\s*\?+\s*$", re.IGNORECASE)
# "원화로는요?", "영어로는요?": the same answer in another form, not another subject.
_IN_A_FORM = re.compile(r"(?:으로|로|에서|에선|에게|한테|쪽|쪽으로)$")
# A Latin name with Korean particles on it ("VAE는", "GPT-4o가").
_LATIN_HEAD = re.compile(r"^([A-Za-z][A-Za-z0-9.\-]*)([가-힣]*)$")
# Particles setting a thing aside ("LLM말고", "GAN 빼고", "외에"): it is not the question's subject.
_SET_ASIDE = re.compile(r"^(?:말고|말구|빼고|외에|제외)")
# A verb's or adjective's ending ("배워요", "만들죠"): no noun to swap.
_VERB_END = re.compile(r"(?:요|다|죠|까|니|냐|지|데)$")
# Particles that change with the final consonant of the noun before them.
_PAIRED = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"),
           "을": ("을", "를"), "를": ("을", "를"), "과": ("과", "와"), "와": ("과", "와")}


def spelled_out(retriever: Retriever, query: str, history: Sequence[ChatMessage]) -> str:
    """``query`` as the learner's last whole question asked of the thing it names,
    when it is a bare "and X?" naming a thing the pack knows; else ``query``."""
    thing = _thing(retriever, query)
    if thing is None:
        return query
    whole = _last_whole_question(history)
    if whole is None:
        return query
    # Of the question itself, not the clause that sets its scene ("게임 대사 검수하는데 …").
    whole = intents.without_context_clause(whole, keep_ideas=False)
    named = bool(conversation_focus.names_in(retriever, thing))
    words = whole.split()
    for index, word in enumerate(words):
        stem, particle = _split(word)
        if stem and _SET_ASIDE.match(particle):
            return query  # "llm말고 다른 모델 뭐 있어요?" / "vae는요": not "vae말고 …"
        if not stem or is_predicate(word) or looks_inflected(word) or _VERB_END.search(stem) \
                or not _names_a_thing(retriever, stem, generic=True):
            continue
        if _same(retriever, stem, thing):
            return query  # "Is it better than GAN?" / "And GAN?": not this question again
        if bool(conversation_focus.names_in(retriever, stem)) != named:
            # Like for like only: a model for a model (GAN -> VAE), a kind of data for
            # another (음악 -> 영상); "비판은요?" after "ChatGPT가 왜 대단해요?" asks no such thing.
            return query
        words[index] = thing + _particle_after(thing, particle)
        return " ".join(words)
    return query


def _thing(retriever: Retriever, query: str) -> str | None:
    """The X of a bare "and X?", when it names a particular thing of the pack."""
    text = query.strip()
    found = _KOREAN.match(text)
    if found:
        thing = found.group("thing")
        if _IN_A_FORM.search(thing):
            return None
        stem, _ = _split(thing)
    else:
        found = _ENGLISH.match(text)
        if not found:
            return None
        stem = (found.group("thing") or found.group("bare") or "").strip()
    if not stem or is_stopword(stem.lower()) or not _names_a_thing(retriever, stem):
        return None
    return stem


def _last_whole_question(history: Sequence[ChatMessage]) -> str | None:
    """The newest learner turn that was a question of its own, not a bare "and X?"."""
    seen = 0
    for message in reversed(history):
        if message.role != "user":
            continue
        if not answering.asks_what_about(message.content):
            return message.content
        seen += 1
        if seen >= _TURNS:
            break
    return None


def _split(word: str) -> tuple[str, str]:
    """A word as its noun and the particles after it ("텍스트는" -> 텍스트, 는)."""
    word = word.strip("?？!.,~\"'()")
    latin = _LATIN_HEAD.match(word)
    if latin:
        return latin.group(1), latin.group(2)
    stem = strip_particles(word)
    return (stem, word[len(stem):]) if word.startswith(stem) else (word, "")


def _names_a_thing(retriever: Retriever, word: str, generic: bool = False) -> bool:
    """Whether ``word`` names something particular the pack speaks of (음악, GAN),
    not a question word, a verb or a word it never uses; nor, unless ``generic``,
    a word most passages use (LLM, AI)."""
    if is_stopword(word.lower()):
        return False
    units = retriever.analyse(word)
    return bool(units) and all(not (unit.attribute or unit.predicate or unit.unknown)
                               and (generic or not retriever.is_generic(unit)) for unit in units)


def _same(retriever: Retriever, one: str, other: str) -> bool:
    """Whether two words name the same thing (GAN and gan, 트랜스포머 and Transformer)."""
    terms = {term for unit in retriever.analyse(one) for term, _ in unit.terms}
    return bool(terms & {term for unit in retriever.analyse(other) for term, _ in unit.terms})


def _particle_after(noun: str, particle: str) -> str:
    """``particle`` in the form that follows ``noun`` (이미지 + 은 -> 이미지는)."""
    pair = _PAIRED.get(particle[:1])
    if not pair:
        return particle
    return (pair[0] if ends_closed(noun) else pair[1]) + particle[1:]
