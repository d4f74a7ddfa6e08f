"""The alias pass of normalisation looks only where an alias can start: a new
alias whose first character is missing from ``ALIAS_STARTS``, or not written
in its own pattern, or whose second character ``ALIAS_OPENINGS`` does not allow
after its first, would silently never apply ("트랜스포머" and "transformer"
no longer one word)."""

import re
from pathlib import Path
from re import _constants as C  # noqa: N812
from re import _parser

from tutor.knowledge.text import (_ALIAS_REPLACEMENTS, _ALIAS_START, _ALIAS_TABLE, ALIAS_OPENINGS, ALIAS_STARTS,
                                  normalise, replace_aliases)


def _first_chars(items) -> tuple[set[str] | None, bool]:
    """Characters a parsed pattern can start with (None: any), and whether it can match empty."""
    out: set[str] = set()
    for op, av in items:
        if op in (C.AT, C.ASSERT_NOT, C.ASSERT):
            continue  # zero-width
        if op is C.LITERAL:
            return out | {chr(av)}, False
        if op is C.IN:
            for kind, value in av:
                if kind is C.LITERAL:
                    out.add(chr(value))
                elif kind is C.RANGE:
                    out.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return None, False
            return out, False
        if op is C.SUBPATTERN:
            found, empty = _first_chars(av[3])
        elif op is C.BRANCH:
            found, empty = set(), False
            for branch in av[1]:
                chars, can_be_empty = _first_chars(branch)
                if chars is None:
                    return None, False
                found |= chars
                empty |= can_be_empty
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            found, empty = _first_chars(av[2])
            empty = empty or av[0] == 0
        else:
            return None, False
        if found is None:
            return None, False
        out |= found
        if not empty:
            return out, False
    return out, True


ANY = object()  # a character of no listed set: any at all


def _openings(items, room: int = 2) -> set[tuple]:
    """The first ``room`` characters a parsed pattern can match (a tuple shorter than
    ``room``: the match may end there), each a character or ANY."""
    found = {()}
    for op, av in items:
        grown = set()
        for start in found:
            if len(start) >= room:
                grown.add(start)
                continue
            grown |= {start + more for more in _item_openings(op, av, room - len(start))}
        found = grown
    return found


def _item_openings(op, av, room: int) -> set[tuple]:
    if op in (C.AT, C.ASSERT_NOT, C.ASSERT):
        return {()}  # zero-width: it only narrows what may stand there
    if op is C.LITERAL:
        return {(chr(av),)}
    if op is C.IN:
        chars: set = set()
        for kind, value in av:
            if kind is C.LITERAL:
                chars.add(chr(value))
            elif kind is C.RANGE and value[1] - value[0] < 64:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            elif kind is C.CATEGORY and value is C.CATEGORY_SPACE:
                chars.add(" ")  # \s: ALIAS_OPENINGS writes it as \s too
            else:
                return {(ANY,)}
        return {(char,) for char in chars}
    if op is C.SUBPATTERN:
        return _openings(av[3], room)
    if op is C.BRANCH:
        return set().union(*(_openings(branch, room) for branch in av[1]))
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, high, item = av
        return set().union(*(_openings(list(item) * times, room) for times in range(low, min(high, room + 1) + 1)))
    return {(ANY,)}


def test_the_scan_stops_where_every_alias_can_begin():
    for pattern, _ in _ALIAS_TABLE:
        for opening in _openings(list(_parser.parse(pattern))):
            assert len(opening) == 2 and ANY not in opening, (pattern, opening)
            first, second = opening
            assert first in ALIAS_OPENINGS, (pattern, first)
            assert _ALIAS_START.match(first + second), (pattern, first + second)
    assert set(ALIAS_OPENINGS) == set(ALIAS_STARTS)


def test_every_alias_starts_with_a_listed_character():
    for pattern, replacement in _ALIAS_TABLE:
        chars, empty = _first_chars(list(_parser.parse(pattern)))
        assert chars is not None and not empty, pattern
        assert chars <= set(ALIAS_STARTS), (pattern, sorted(chars - set(ALIAS_STARTS)))
        # Only the aliases whose pattern holds a character are tried where it stands.
        assert chars <= set(pattern), (pattern, sorted(chars - set(pattern)))


def test_aliases_replace_as_one_alternation_of_the_table_would():
    whole = re.compile("|".join(f"(?P<a{i}>{pattern})" for i, (pattern, _) in enumerate(_ALIAS_TABLE)))
    lessons = Path(__file__).resolve().parent.parent / "prompts" / "lessons"
    texts = [line.lower() for path in sorted(lessons.glob("*.toml")) for line in path.read_text(encoding="utf-8").splitlines()]
    texts += ["챗gpt랑 지피티4o 차이", "트렌스 포머가머임", "dall-e 3 써 볼 만한 거 추천좀", "할 수 있는 게 뭐예요?",
              "ai 에이아이 aiai", "두 번째 이유", "large language models can do what", "pcs and 개인용 pc",
              "d & d 얘기", "d&d", "4o랑 gpt 4o", "1 번째\t2번째", "챗 gpt\n챗봇", "잘\u3000해요", "돈 벌려면",
              "엘 엘 엠, 에이 아이", "what can you do", "made stuff up", "would you recommend one"]
    passages = [" ".join(texts[i:i + 40]) for i in range(0, len(texts), 40)]  # long joined texts, as the fact choice reads
    texts += passages
    for text in texts:
        assert replace_aliases(text) == whole.sub(lambda m: _ALIAS_REPLACEMENTS[m.lastgroup or ""], text), text


def test_spellings_of_one_name_still_become_one_word():
    assert normalise("트렌스 포머가 뭐예요?") == normalise("transformer가 뭐예요?")
    assert "chatgpt" in normalise("챗지피티 써 봤어요")
    assert "llm" in normalise("엘엘엠은 뭐야")
