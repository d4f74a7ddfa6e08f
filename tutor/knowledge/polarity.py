"""A Korean claim said in the negative, and the same claim said plainly.

A Korean 네 or 아니요 agrees or disagrees with the question as it was asked: "GAN은 생성형
AI가 아니죠?" is answered "아니요" when GAN is generative AI, and "GPT는 인코더를 안 쓰죠?"
"네" when it does not use one. Rather than teach every way of judging a claim about
negation, the claim is judged said plainly ("GAN은 생성형 AI죠?", "GPT는 인코더를 쓰죠?")
and its verdict turned over. Only the negations that close the claim itself are read:
"~가 아니죠?", "~지 않죠?", "~지 못하죠?", "안/못 ~죠?", "~없죠?". A closing "~ 아니에요?",
"~거 아님?" or "~지 않아요?" asks for agreement with the plain claim ("스팸 필터도 생성형 AI
아니에요?", "더 좋지 않아요?") and is left alone, as is a negation inside the claim
("안 쓰이는 모델도 있어요?") and anything in English.
"""

from __future__ import annotations

import re

# The endings that ask agreement with the claim as said ("…죠?", "…거죠?", "…맞죠?", "…는 거예요?").
_AGREE = r"(?:(?:는|은)?\s*(?:거|것|건)\s*)?(?:죠|지요|겠죠|잖아요|지|고요|네요|군요|(?:거|것)\s*맞죠)"
_END = r"[\s?？~!.ㅋㅎ]*$"
# "…가 아니죠?", "…이 아니잖아요?": the claim that a thing is not something.
_NOT_BEING = re.compile(rf"(?:이|가)?\s*아니(?:죠|지요|겠죠|잖아요|라는\s*(?:거|것)\s*(?:죠|지요))(?={_END})")
# "…하지 않죠?", "…하지 못하죠?", "…하지 않는 거죠?": a verb said in the negative.
_NOT_DOING = re.compile(rf"지\s*(?:않|못하|못해)(?:는|은)?\s*(?=(?:거|것|건)?\s*(?:죠|지요|겠죠|잖아요){_END})")
_NOT_DOING_END = re.compile(rf"지\s*(?:않|못하|못해)(?:는\s*(?:거|것|건)\s*)?(?P<end>죠|지요|겠죠|잖아요)(?={_END})")
# "…안 쓰죠?", "…못 알아듣는 거죠?": 안 or 못 before the closing verb.
_SHORT_NOT = re.compile(rf"(?:^|\s)(?:안|못)\s+(?P<verb>[가-힣]+?\s*{_AGREE}){_END}")
# "…없죠?", "…상관없죠?": there is none of it.
_NONE = re.compile(rf"(?<=[가-힣\s])없(?P<end>{_AGREE}){_END}")
# "아무도 안 쓰죠?", "전혀 없죠?": words that only go with a negation; said plainly they say nothing.
_ONLY_NEGATED = re.compile(r"아무|전혀|하나도|별로|절대|결코")


def affirmed(question: str) -> str | None:
    """The claim said plainly when the question closes on a negation a Korean 네/아니요 agrees
    with ("GAN은 생성형 AI가 아니죠?" -> "GAN은 생성형 AI이죠?", "인코더를 안 쓰죠?" ->
    "인코더를 쓰죠?", "환각 문제는 없죠?" -> "환각 문제는 있죠?"); None for any other question."""
    text = question.strip()
    if not re.search(r"[가-힣]", text) or _ONLY_NEGATED.search(text):
        return None
    if (found := _NOT_BEING.search(text)) is not None:
        before = text[: found.start()].rstrip()
        # "그림만 있는 거 아니죠?" -> "그림만 있는 거죠?"
        return before + ("죠?" if re.search(r"(?:거|것|건)$", before) else "이죠?")
    if (found := _NOT_DOING_END.search(text)) is not None:
        return text[: found.start()] + found.group("end") + "?"
    if (found := _SHORT_NOT.search(text)) is not None:
        start = found.start() + (1 if text[found.start()].isspace() else 0)
        return text[:start] + found.group("verb").strip() + "?"
    if (found := _NONE.search(text)) is not None:
        return text[: found.start()] + "있" + found.group("end") + "?"
    return None
