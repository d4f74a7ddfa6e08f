"""How passages and learner text are framed as data for a chat model.

Every vendor sends the same thing: the system field holds only our
instructions; the lesson passages and the learner's current message travel
inside the last user message, each in a clearly marked block. Earlier
learner turns are framed the same way, and earlier answers are replayed as
plain text.

Text inside a block cannot close or forge a block. Before a tag is looked
for, the text is normalised the way a reader (or a tokenizer) would see it:
NFKC (full-width ＜ becomes <), invisible characters removed (zero-width,
bidi controls, Unicode tag characters, Hangul fillers), and look-alikes of
our delimiters and of the letters of our tag names folded (Unicode's
confusables: ‹, ᐸ, Cyrillic а ...). Any tag-like sequence found that way
loses its opening bracket.
"""

from __future__ import annotations

import re
import unicodedata

from confusable_homoglyphs.confusables import confusables_data

from .base import ChatMessage, ChatRequest, Passage

BLOCK_NAMES = ("reference_passages", "passage", "learner_message")

# Blank-looking characters that are not format characters (category Cf).
_BLANK_LETTERS = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2800, 0x3164, 0xFFA0}


def _is_invisible(ch: str) -> bool:
    code = ord(ch)
    return (unicodedata.category(ch) == "Cf" or code in _BLANK_LETTERS
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)  # variation selectors


def strip_invisible(text: str) -> str:
    """The text without characters that show nothing (zero-width, bidi, tags, fillers)."""
    return "".join(ch for ch in text if not _is_invisible(ch))


def _fold_table() -> dict[int, str]:
    """Look-alike -> ASCII, for the characters our tags are made of (one character each)."""
    targets = set("<>/_-|") | {c for name in BLOCK_NAMES for c in name + name.upper()}
    table: dict[int, str] = {}
    for target in targets:
        for glyph in confusables_data.get(target, ()):
            if len(glyph["c"]) == 1 and glyph["c"] not in targets:
                table[ord(glyph["c"])] = target
    # Angle brackets that confusables.txt does not map to < and >.
    table.update({ord(c): "<" for c in "〈〈⟨⧼❬❰"})
    table.update({ord(c): ">" for c in "〉〉⟩⧽❭❱"})
    return table


_FOLD = _fold_table()
_SEPARATOR = r"[\s_\-.]*"
_TAG = re.compile(
    r"<\s*/?\s*(?:" + "|".join(_SEPARATOR.join(name.split("_")) for name in BLOCK_NAMES) + r")"
    r"|<\s*\|",  # chat-template tokens such as <|im_end|>
    re.IGNORECASE,
)
NEUTRAL_BRACKET = "["


def neutralise(text: str) -> str:
    """Stop data from opening or closing one of our blocks, however it is disguised."""
    visible = strip_invisible(unicodedata.normalize("NFKC", text))
    skeleton = visible.translate(_FOLD)  # one character for one: positions still match
    starts = [match.start() for match in _TAG.finditer(skeleton)]
    if not starts:
        return visible
    out = list(visible)
    for start in starts:
        out[start] = NEUTRAL_BRACKET
    return "".join(out)


def _attr(value: str) -> str:
    return neutralise(value).replace('"', "'").replace("\n", " ")


def passages_block(passages: tuple[Passage, ...]) -> str:
    if not passages:
        return "<reference_passages>\n(none: the lesson pack has nothing relevant to this message)\n</reference_passages>"
    parts = ["<reference_passages>"]
    for passage in passages:
        parts.append(f'<passage id="{_attr(passage.id)}" title="{_attr(passage.title)}">')
        parts.append(neutralise(passage.text.strip()))
        parts.append("</passage>")
    parts.append("</reference_passages>")
    return "\n".join(parts)


def learner_block(text: str) -> str:
    return f"<learner_message>\n{neutralise(text)}\n</learner_message>"


def frame_user_message(text: str, passages: tuple[Passage, ...]) -> str:
    return f"{passages_block(passages)}\n\n{learner_block(text)}"


def replayed(message: ChatMessage) -> ChatMessage:
    """An earlier turn as it is sent again: learner text framed, answers neutralised."""
    if message.role == "user":
        return ChatMessage("user", learner_block(message.content))
    return ChatMessage(message.role, neutralise(message.content))


def wire_messages(request: ChatRequest) -> list[ChatMessage]:
    """The conversation as a vendor should send it: earlier turns replayed
    safely, the last user message framed with the passages."""
    messages = list(request.messages)
    if not messages or messages[-1].role != "user":
        raise ValueError("a ChatRequest must end with the learner's message")
    last = messages[-1]
    return [*(replayed(m) for m in messages[:-1]),
            ChatMessage("user", frame_user_message(last.content, request.passages))]
