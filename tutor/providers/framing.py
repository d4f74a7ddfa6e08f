"""How passages and learner text are framed as data for a chat model.

Every vendor sends the same thing: the system field holds only what is
ours - our instructions and, with whole-document grounding, the whole lesson
(``fixed_prefix``); this turn's passages, a summary of older turns and the
learner's current message travel inside the last user message, each in a
clearly marked block. Earlier learner turns are framed the same way, and
earlier answers are replayed neutralised.

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
from functools import lru_cache

from confusable_homoglyphs.confusables import confusables_data

from .base import ChatMessage, ChatRequest, Passage

BLOCK_NAMES = ("reference_passages", "passage", "learner_message", "lesson_document",
               "conversation_summary", "tutor_note")

# Blank-looking characters that are not format characters (category Cf).
_BLANK_LETTERS = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2800, 0x3164, 0xFFA0}


def _is_invisible(ch: str) -> bool:
    code = ord(ch)
    return (unicodedata.category(ch) == "Cf" or code in _BLANK_LETTERS
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)  # variation selectors


# Characters already found visible: most of a turn's text is made of the same few hundred.
_VISIBLE: set[str] = set()
_VISIBLE_LIMIT = 65_536


def strip_invisible(text: str) -> str:
    """The text without characters that show nothing (zero-width, bidi, tags, fillers).

    Only distinct characters not seen before are looked at, and the text is only
    rebuilt when one of them is invisible: a per-character loop over every prompt
    cost more CPU than the rest of a turn.
    """
    unseen = set(text).difference(_VISIBLE)
    if not unseen:
        return text
    hidden = [ch for ch in unseen if _is_invisible(ch)]
    if len(_VISIBLE) < _VISIBLE_LIMIT:
        _VISIBLE.update(unseen.difference(hidden))
    return text.translate(dict.fromkeys(map(ord, hidden))) if hidden else text


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


@lru_cache(maxsize=2048)
def neutralise(text: str) -> str:
    """Stop data from opening or closing one of our blocks, however it is disguised.

    Cached: a turn frames the same earlier messages three times (to fit the window, to
    send, to learn the model's count from its usage), and the next turn frames them again."""
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
    return _passages_in("reference_passages", passages)


@lru_cache(maxsize=8)
def document_block(passages: tuple[Passage, ...]) -> str:
    """The whole lesson, every passage with its id: the same bytes for every turn of every session.

    Cached: neutralising the whole lesson costs tens of milliseconds, and every
    turn asks for it (to weigh it against the window, to send it, to key the cache).
    """
    return _passages_in("lesson_document", passages)


def _passages_in(tag: str, passages: tuple[Passage, ...]) -> str:
    parts = [f"<{tag}>"]
    for passage in passages:
        parts.append(f'<passage id="{_attr(passage.id)}" title="{_attr(passage.title)}">')
        parts.append(neutralise(passage.text.strip()))
        parts.append("</passage>")
    parts.append(f"</{tag}>")
    return "\n".join(parts)


def learner_block(text: str) -> str:
    return f"<learner_message>\n{neutralise(text)}\n</learner_message>"


def relevant_block(passages: tuple[Passage, ...], scope_hint: str = "") -> str:
    """With the whole lesson in the prefix: which of its passages a search found for this message."""
    if passages:
        ids = ", ".join(_attr(p.id) for p in passages)
        line = f"(the whole lesson is in <lesson_document>; most relevant to this message: {ids})"
    else:
        line = "(the whole lesson is in <lesson_document>; a search found no passage close to this message)"
    hint = f"\n{neutralise(scope_hint)}" if scope_hint else ""
    return f"<reference_passages>\n{line}{hint}\n</reference_passages>"


def summary_block(summary: str) -> str:
    """Earlier turns that no longer fit the window, summarised; data like the rest of the conversation."""
    return f"<conversation_summary>\n{neutralise(summary.strip())}\n</conversation_summary>\n\n" if summary else ""


def note_block(note: str) -> str:
    """The turn's activity (a quiz, a recap, ...), from the planner, not the learner."""
    return f"<tutor_note>\n{neutralise(note)}\n</tutor_note>\n\n" if note else ""


def frame_user_message(text: str, passages: tuple[Passage, ...], note: str = "") -> str:
    return f"{passages_block(passages)}\n\n{note_block(note)}{learner_block(text)}"


def replayed(message: ChatMessage) -> ChatMessage:
    """An earlier turn as it is sent again: learner text framed, answers neutralised."""
    if message.role == "user":
        return ChatMessage("user", learner_block(message.content))
    return ChatMessage(message.role, neutralise(message.content))


def frame_turn(request: ChatRequest, text: str) -> str:
    """The learner's current message as sent: the summary of older turns, then the
    passages (or, with the whole lesson in the prefix, their ids), then the message."""
    note = request.hints.get("activity_note", "")
    if request.document:
        block = relevant_block(request.passages, request.scope_hint)
        framed = f"{block}\n\n{note_block(note)}{learner_block(text)}"
    else:
        framed = frame_user_message(text, request.passages, note)
    return summary_block(request.summary) + framed


def fixed_prefix(request: ChatRequest) -> list[str]:
    """What comes before the conversation, in order: our instructions, then (with
    whole-document grounding) the whole lesson. Both are ours and the same bytes
    on every turn of every session, which is what vendors' prompt caches need."""
    parts = [request.system] if request.system else []
    if request.document:
        parts.append(document_block(request.document))
    return parts


def wire_messages(request: ChatRequest) -> list[ChatMessage]:
    """The conversation as a vendor should send it: earlier turns replayed
    safely, the last user message framed with the passages."""
    messages = list(request.messages)
    if not messages or messages[-1].role != "user":
        raise ValueError("a ChatRequest must end with the learner's message")
    last = messages[-1]
    return [*(replayed(m) for m in messages[:-1]),
            ChatMessage("user", frame_turn(request, last.content))]
