"""What a letter of a name the document spells out stands for.

The document spells out its short names (GPT is "Generative Pre-trained Transformer", GAN
"Generative Adversarial Networks", ...). A learner checking one letter ("GPT에서 T는 트랜스포머
맞죠?", "GPT의 P는 프롬프트 아니에요?", "The T in GPT is for text, right?") is answered from the
spelled-out name itself, letter by letter, rather than from whichever passage on the name
the search ranks first. The words are matched in English, through the pack's aliases
(트랜스포머 = Transformer) or through the Korean words the lesson gives beside the name
("생성형 사전학습 트랜스포머").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answering import has_question_word
from .pack import LessonPack, per_pack
from .text import ALIAS_CANON

# "Generative Pre-trained Transformer", "Long Short-Term Memory": capitalised words in a row.
_CAPITALISED = re.compile(r"[A-Z][A-Za-z]*(?:-[A-Za-z]+)*(?:\s+[A-Z][A-Za-z]*(?:-[A-Za-z]+)*)+")
_SHORT_NAME = re.compile(r"\b[A-Z]{2,5}\b")
# Korean words given beside the name: "(…, 생성적 적대 신경망)" or "우리말로는 '생성형 사전학습 트랜스포머'".
_GLOSS = re.compile(r"[,'‘]\s*([가-힣]+(?:\s+[가-힣]+)*)\s*[)'’]")
_GLOSS_REACH = 80
# "GPT에서 T는 …", "GPT의 P가 …", "GPT T는 …": a short name, then one of its letters.
_KO_LETTER = re.compile(r"(?<![A-Za-z])(?P<name>[A-Za-z]{2,5})(?:\s*(?:의|에서|에서의)\s*|\s+)(?P<letter>[A-Za-z])\s*(?:는|은|가|이|도)\s*(?P<rest>.+)$")
_EN_LETTER = re.compile(r"\bthe\s+(?P<letter>[A-Za-z])\s+in\s+(?P<name>[A-Za-z]{2,5})\b(?P<rest>.+)$", re.I)
# Words of a claim that say nothing of what the letter stands for.
_FILLER = re.compile(
    r"^(?:맞\S*|아니\S*|아님|거\S*|그\S*|뜻\S*|의미\S*|약자\S*|말\S*|단어\S*|글자\S*|이죠|죠|예요|이에요|에요|인가요|임|야|이야|이고|고"
    r"|stand\S*|for|is|it|right|correct|the|a|an|does|mean\S*|short|of|yes|true|isn't|is\s*it)$", re.I)
_KO_ENDING = re.compile(r"(?:이|가|의|은|는|을|를|이라는|라는|이란|란|라고|이라고|예요|이에요|에요|이죠|죠|인가요|이야|야|임|요|인|이고)+$")


@dataclass(frozen=True)
class Spelled:
    """A short name and the words its letters stand for."""

    name: str
    words: tuple[str, ...]  # one per letter, "Short-Term" given for both S and T
    gloss: tuple[str, ...]  # the Korean words given beside it, one per word of the name, or ()
    full: str


@dataclass(frozen=True)
class LetterClaim:
    """A claim about what a letter of a short name stands for, and whether the document agrees."""

    spelled: Spelled
    letter: str
    holds: bool | None  # None: the learner's Korean word cannot be set against the English name
    word: str  # what the letter stands for


def _initials(phrase: str) -> list[tuple[str, str]]:
    """Each capital that starts a word or a hyphenated part, with the word it starts."""
    found = []
    for word in phrase.split():
        for part in word.split("-"):
            if part[:1].isupper():
                found.append((part[0], word))
    return found


@per_pack
def _spelled(pack: LessonPack) -> dict[str, Spelled]:
    """Every short name the pack's Korean texts spell out, with its Korean words when given."""
    found: dict[str, Spelled] = {}
    for passage in pack.passages.values():
        text = passage.text.ko
        for phrase in _CAPITALISED.finditer(text):
            initials = _initials(phrase.group(0))
            name = "".join(letter for letter, _ in initials)
            if name in found or not _SHORT_NAME.fullmatch(name) or name not in text.replace(phrase.group(0), ""):
                continue
            words = tuple(word for _, word in initials)
            near = text[phrase.end(): phrase.end() + _GLOSS_REACH]
            gloss = next((tuple(g.group(1).split()) for g in _GLOSS.finditer(near)
                          if len(g.group(1).split()) == len(phrase.group(0).split())), ())
            found[name] = Spelled(name, words, gloss, phrase.group(0))
    return found


def _means(said: str, word: str, gloss: str) -> bool:
    """Whether what the learner said is the word (in English, through an alias, or the Korean word given)."""
    said = said.strip("'\"‘’“”()").lower()
    if not said:
        return False
    bare = word.lower().rstrip("s")
    if said.rstrip("s") == bare or said.startswith(bare) and len(said) - len(bare) <= 1:
        return True
    if ALIAS_CANON.get(said) and ALIAS_CANON.get(said) == ALIAS_CANON.get(word.lower()):
        return True
    return bool(gloss) and len(said) >= 2 and (gloss.startswith(said) or said.startswith(gloss))


def letter_claim(pack: LessonPack, claim: str) -> LetterClaim | None:
    """The claim "GPT에서 T는 트랜스포머 맞죠?" checked against the spelled-out name; None when the
    message asks rather than claims, names no spelled-out name and letter of it, or says no word."""
    text = claim.strip()
    found = _KO_LETTER.search(text) or _EN_LETTER.search(text)
    if found is None or has_question_word(text):
        return None
    spelled = _spelled(pack).get(found.group("name").upper())
    letter = found.group("letter").upper()
    if spelled is None or letter not in spelled.name:
        return None
    said = [_KO_ENDING.sub("", w) if re.search(r"[가-힣]", w) else w
            for w in re.findall(r"[A-Za-z][\w'-]*|[가-힣]+", found.group("rest"))]
    said = [w for w in said if w and not _FILLER.match(w)]
    if not said:
        return None
    places = [i for i, own in enumerate(_letters(spelled)) if own == letter]
    for i in places:
        word = spelled.words[i]
        gloss = _gloss_of(spelled, word)
        if any(_means(w, word, gloss) for w in said):
            return LetterClaim(spelled, letter, True, word)
    others = [w for w in said if re.search(r"[A-Za-z]", w) or spelled.gloss]
    return LetterClaim(spelled, letter, False if others else None, spelled.words[places[0]])


def _letters(spelled: Spelled) -> list[str]:
    return [letter for letter, _ in _initials(spelled.full)]


def _gloss_of(spelled: Spelled, word: str) -> str:
    words = spelled.full.split()
    return spelled.gloss[words.index(word)] if spelled.gloss and word in words else ""
