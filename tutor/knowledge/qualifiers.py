"""A claim that goes further than the document: a superlative it does not state.

"VAE는 의료 분야에서 제일 많이 쓰이는 거죠?" shares nearly every word with the document's
"의료 같은 특정 분야에서는 VAE가 주류인 것 같다", yet the document never says 제일. A yes to
it would confirm more than the document says; the answer says what the document does say
instead. Only superlatives are read here (제일, 가장, 최고, most, best, ...): the sentence
answering must state one too ("가장 쉬운", "처음으로", "핵심은"), not as a guess, for a yes to stand.
"""

from __future__ import annotations

import re

# A claim's superlative ("제일 많이", "젤 유명한", "가장 좋은", "the best", "most used").
_CLAIMED = re.compile(r"제일|가장|젤(?=\s)|최고|최대|최초|으뜸|\b(?:most|best|biggest|largest|greatest|first)\b", re.I)
# A sentence stating a superlative, a first or a core of its own ("트랜스포머의 핵심은 어텐션").
_STATED = re.compile(r"제일|가장|젤|최고|최대|최초|최신|으뜸|처음|핵심|주류|대표|\b(?:most|best|biggest|largest|greatest|first|latest)\b|\w+est\b", re.I)


# A sentence that only reports how things seem ("주류로 쓰이는 것으로 보여요") states nothing for sure.
_HEDGE = re.compile(r"것으로\s*보|것\s*같|짐작|추측|\b(?:seems?|probably|apparently)\b", re.I)


def unstated(claim: str, sentence: str) -> str:
    """The superlative the claim says and the sentence answering it does not state, or only
    says seems so ("제일"); "" otherwise."""
    found = _CLAIMED.search(claim)
    if found is None or _STATED.search(sentence) and not _HEDGE.search(sentence):
        return ""
    return found.group(0)


def claims_most(claim: str) -> bool:
    """Whether a claim says a thing is the most of something ("제일 성능 좋은", "the best")."""
    return _CLAIMED.search(claim) is not None
