"""Counting a prompt's tokens the way the model behind it will.

A token budget is only as good as its count. Tokenizers differ a lot on
Korean: OpenAI's and Anthropic's spend about one token per Hangul syllable,
a small local model's byte-level tokenizer two or three (SmolLM2: 67 tokens
for 32 syllables). So each provider gets its own ``TokenCounter``: it counts
characters in two classes (ASCII and the rest), multiplies each by a rate,
and starts from rates chosen for that provider (conservative when the model
is unknown). Whenever the real count becomes known - the ``prompt_tokens`` an
answer reports, or the server's own tokenizer - the rates are rescaled to
match it, with a small margin, so the next prompt is counted right.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import lru_cache

# Counted per message for the chat template's role markers and separators.
MESSAGE_OVERHEAD = 8
# Learned rates keep this much room above what the model really counted.
MARGIN = 1.08


@dataclass(frozen=True, slots=True)
class Rates:
    """Tokens per non-ASCII character and per ASCII character."""

    other: float
    ascii: float


# Hosted vendors' tokenizers: about one token per Hangul syllable, four ASCII characters per token.
HOSTED = Rates(other=1.0, ascii=0.25)
# An unknown model: a byte-level tokenizer may spend one token per UTF-8 byte of Hangul (3 bytes).
UNKNOWN = Rates(other=3.0, ascii=0.5)


@lru_cache(maxsize=256)
def character_classes(text: str) -> tuple[int, int]:
    """(non-ASCII characters, ASCII characters) of ``text``.

    Kept for the last few texts: the whole lesson (tens of kilobytes, the same string
    on every turn, its hash kept by the string) is weighed against the window on every turn."""
    # Encoding drops every non-ASCII character in C: a character loop in Python cost
    # milliseconds per turn on a whole lesson.
    ascii_chars = len(text.encode("ascii", "ignore"))
    return len(text) - ascii_chars, ascii_chars


class TokenCounter:
    """Counts tokens for one model, learning from the real counts it is shown.

    ``learned`` says whether a real count has been seen; until then the rates
    are the starting ones.
    """

    def __init__(self, rates: Rates = UNKNOWN):
        self._rates = rates
        self._lock = threading.Lock()
        self.learned = False

    @property
    def rates(self) -> Rates:
        return self._rates

    def count(self, text: str) -> int:
        other, ascii_chars = character_classes(text)
        rates = self._rates
        return math.ceil(other * rates.other + ascii_chars * rates.ascii)

    def count_messages(self, texts: list[str]) -> int:
        return sum(self.count(text) + MESSAGE_OVERHEAD for text in texts)

    def learn(self, texts: list[str], real_tokens: int) -> None:
        """Rescale the rates so that ``texts`` (a whole prompt) count as the model counted them.

        A single total cannot tell Hangul from ASCII apart, so both rates move
        by the same factor; prompts here are mostly one language, so that is
        close enough, and the margin absorbs the rest.
        """
        if real_tokens <= 0:
            return
        overhead = MESSAGE_OVERHEAD * len(texts)
        estimated = self.count_messages(texts) - overhead
        body = max(real_tokens - overhead, 1)
        if estimated <= 0:
            return
        factor = body / estimated * MARGIN
        with self._lock:
            rates = self._rates
            self._rates = Rates(other=rates.other * factor, ascii=rates.ascii * factor)
            self.learned = True

    def grow(self, factor: float) -> None:
        """Count more generously from now on: the model refused a prompt we thought fit."""
        with self._lock:
            rates = self._rates
            self._rates = Rates(other=rates.other * factor, ascii=rates.ascii * factor)
