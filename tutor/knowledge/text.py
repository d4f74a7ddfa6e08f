"""Text handling for Korean beginners: language, normalisation, word units.

Learners type "트랜스포머가요?", "트랜스 포머", "attention이 뭐예요": the same
idea in many surface forms. This module turns text into comparable word
units without a morphological analyser (kiwipiepy costs ~3 s and ~500 MB to
start): Unicode normalisation, a few spelling aliases, script splitting and
the stripping of Korean particles and endings. Which stripped form to keep is
decided against the index vocabulary by ``Vocabulary.resolve``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Literal

Language = Literal["ko", "en"]

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# A run of Hangul, or of Latin letters/digits: mixed tokens like "GPT는" split here.
_UNIT = re.compile(r"[\uac00-\ud7a3]+|[a-z0-9]+")

# Names learners type in either script, mapped to one spelling. Kept small:
# the pack indexes both languages, so only loanword spellings are listed.
_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"챗\s*(?:gpt|지피티)|chat\s*-?\s*gpt|쳇\s*(?:gpt|지피티)", " chatgpt "),
        (r"지\s?피\s?티", " gpt "),
        (r"엘\s?엘\s?엠", " llm "),
        (r"에이\s?지\s?아이", " agi "),
        (r"에이\s?아이", " ai "),
        (r"large\s+language\s+models?", " llm "),
        (r"artificial\s+general\s+intelligence", " agi "),
        (r"generative\s+adversarial\s+networks?", " gan "),
        (r"variational\s+auto\s*-?\s*encoders?", " vae "),
        (r"recurrent\s+neural\s+networks?", " rnn "),
        (r"long\s+short\s*-?\s*term\s+memory", " lstm "),
        (r"트랜스\s*포머|트렌스\s*포머|트랜스\s*퍼머", " 트랜스포머 "),
        (r"어텐션|어탠션|attention", " 어텐션 attention "),
        (r"트랜스포머|transformers?", " 트랜스포머 transformer "),
        (r"디퓨전|디퓨젼|diffusion", " 디퓨전 diffusion 확산 "),
        (r"멀티\s*모달|multi\s*-?\s*modal(?:ity)?", " 멀티모달 multimodal "),
        (r"멀티\s*헤드|multi\s*-?\s*head", " 멀티헤드 multihead "),
        (r"딥\s*페이크|deep\s*-?\s*fakes?", " 딥페이크 deepfake "),
        (r"파라미터|매개\s*변수|parameters?", " 파라미터 parameter "),
        (r"할루시네이션|hallucinat\w*", " 환각 hallucination "),
        (r"토큰|tokens?", " 토큰 token "),
        (r"챗봇|chat\s*bots?", " 챗봇 chatbot "),
        (r"마르코프|마코프|markov", " 마르코프 markov "),
        (r"일라이자|엘리자|eliza", " 일라이자 eliza "),
        (r"인코딩|encoding", " 인코딩 encoding "),
        (r"디코더|decoders?", " 디코더 decoder "),
        (r"인코더|encoders?", " 인코더 encoder "),
    )
)

# Korean particles and endings, longest first. Stripping is tried in this
# order; the vocabulary decides which stem is real (see Vocabulary.resolve).
_KO_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            # particles, alone and stacked
            "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "한테", "께",
            "으로", "로", "와", "과", "도", "만", "랑", "이랑", "하고", "보다", "처럼",
            "까지", "부터", "마다", "이나", "나", "이든", "든", "조차", "밖에",
            "에는", "에서는", "에게는", "으로는", "로는", "와는", "과는", "에도", "에서도",
            "으로도", "로도", "까지는", "부터는", "보다는", "만은", "만의", "에서의",
            "으로의", "로의", "과의", "와의", "이라도", "라도", "에선", "에서부터",
            "으로부터", "로부터", "으로서", "로서", "으로써", "로써", "이란", "란",
            "이라는", "라는", "이라고", "라고", "이라", "라", "이며", "이고", "이지만",
            "이었", "였", "이야", "야", "이요", "요", "가요", "는요", "은요", "이랑요",
            "랑요", "에요", "이에요", "예요", "인가요", "인가", "인데", "인데요", "이죠",
            "죠", "이지", "지요", "이냐", "냐", "이니", "니", "이래요", "래요", "이었어요",
            "였어요", "이었나요", "였나요", "이었던", "였던", "인지", "인지요", "인",
            "은데", "는데", "은지", "는지", "적인", "적으로", "적", "들", "들은", "들이",
            "들을", "들의", "들도", "들에", "들과", "들로",
            # verb and adjective endings after a noun stem (학습하다, 생성된 ...)
            "하다", "해요", "했어요", "했나요", "하나요", "하는", "한", "할", "해서",
            "하면", "합니다", "했다", "하지", "해", "하고요", "하죠", "하게", "했던",
            "하려면", "할까요", "하니", "하는데", "했는데", "시키는", "시켜", "시킨",
            "되다", "되는", "된", "될", "돼요", "되요", "됐어요", "되어", "돼", "되나요",
            "되죠", "되고", "됐나요", "되었", "됩니다", "된다", "받는", "받은", "받아",
            "스러운", "스럽게", "없이", "같은", "같이", "처럼요", "어요", "아요", "었어요",
            "았어요", "습니다", "었나요", "았나요", "었던", "았던", "는다", "ㄴ다",
        },
        key=len,
        reverse=True,
    )
)

_KO_SUFFIX_SET = frozenset(_KO_SUFFIXES)

# Words that carry no topic: question frames, politeness, chit-chat.
_KO_STOP = frozenset(
    """
    뭐 뭘 뭔 뭔가 뭐예요 뭐에요 뭐야 뭐죠 뭐지 뭐가 뭐라고 무엇 무엇인 무슨 어떤 어떻게 어떡 왜 왜요
    언제 누가 누구 어디 얼마 얼마나 몇 좀 잘 더 또 그 이 저 그리고 그런데 근데 그래서 그러면 그럼
    그거 그건 그게 그걸 그것 이거 이건 이게 이걸 이것 저거 저건 거 것 건 게 걸 수 때 등 및 좀요
    있 있어 있어요 있나요 있는 있을 있다 없 없어 없어요 없나 하 해 해줘 해주세요 해줘요 했 합
    되 돼 됐 안 못 제 저 나 내 저는 나는 우리 너 당신 선생님 님 요 네 예 응 아 아니 음 혹시
    설명 설명해 설명해줘 설명해주세요 설명해요 알려 알려줘 알려주세요 알려줄래 가르쳐 가르쳐줘
    궁금 궁금해 궁금해요 궁금한 궁금합니다 알고 알고싶어요 싶어요 싶어 싶은 모르겠어요 모르겠어
    모르 몰라 몰라요 정확히 자세히 간단히 대해 대해서 대한 관해 관해서 관한 말 말해 말해줘 뜻 의미
    이야기 얘기 질문 질문이 답 대답 정말 진짜 그냥 다시 한번 조금 많이 너무 아주 꼭 제발 부탁
    해요 했어요 인가요 건가요 거예요 거에요 건데 거죠 건지 건가 인지 이에요 예요 입니다 이죠
    """.split()
)

_EN_STOP = frozenset(
    """
    a an the and or but if so of to in on at by for with from about as into than then there
    is are was were be been being am do does did doing done have has had having can could
    will would should shall may might must i me my you your we our us he she they them their
    it its this that these those what which who whom whose when where why how whats what's
    please tell explain describe mean means meaning again more some any just really very
    also too not no yes ok okay hi hey hello thanks thank like know want wanted need let
    show give say said something thing things kind sort way about get got one
    """.split()
)

# One-syllable nouns worth keeping as stems ("전에는" -> "전"); other one-syllable
# leftovers are usually a noun cut in half ("차이에요" must stay "차이").
_ONE_SYLLABLE_NOUNS = frozenset("전 후 앞 뒤 글 값 돈 일 뜻 책 뇌 눈 귀 손 빛 꿈 맛 힘 답".split())


def is_hangul_word(word: str) -> bool:
    return bool(word) and _HANGUL.match(word[0]) is not None


def detect_language(text: str) -> Language:
    """Korean when Hangul carries the message, English when English words do.

    "What does 어텐션 mean?" is English; "GPT-4o랑 Claude 3.5 Sonnet 차이" is
    Korean (a Korean sentence naming English products). Text with neither
    defaults to Korean, the learners' usual language.
    """
    korean_words = 0
    english_words = 0
    for word in text.split():
        if _HANGUL.search(word):
            korean_words += 1
        elif len("".join(_LATIN_WORD.findall(word))) >= 2:
            english_words += 1
    if korean_words == 0:
        return "en" if english_words else "ko"
    if english_words >= 3 and english_words >= 2 * korean_words:
        return "en"
    return "ko"


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


def normalise(text: str) -> str:
    """NFKC, lower case, loanword spellings unified, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    for pattern, replacement in _ALIASES:
        text = pattern.sub(replacement, text)
    return text


def raw_words(text: str) -> list[str]:
    """Script-homogeneous word pieces of normalised text, in order."""
    return _UNIT.findall(normalise(text))


def strip_candidates(word: str) -> Iterator[str]:
    """Every stem left by removing a known ending, longest stem first, then the word."""
    if not is_hangul_word(word):
        yield from _english_stems(word)
        yield word
        return
    for suffix in reversed(_KO_SUFFIXES):
        if word.endswith(suffix) and _stem_ok(word[: -len(suffix)]):
            yield word[: -len(suffix)]
    yield word


def default_stem(word: str) -> str:
    """The one stem a word is indexed under: the longest known ending removed."""
    if not is_hangul_word(word):
        return next(iter(_english_stems(word)), word)
    for suffix in _KO_SUFFIXES:
        if word.endswith(suffix) and _stem_ok(word[: -len(suffix)]):
            return word[: -len(suffix)]
    return word


def _stem_ok(stem: str) -> bool:
    return len(stem) >= 2 or stem in _ONE_SYLLABLE_NOUNS


def _english_stems(word: str) -> Iterator[str]:
    if len(word) <= 3 or word.isdigit():
        return
    if word.endswith("ies"):
        yield word[:-3] + "y"
    elif word.endswith("es") and word[-3:-2] in ("s", "x", "h"):
        yield word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        yield word[:-1]
    elif word.endswith("'s"):
        yield word[:-2]


def is_stopword(word: str) -> bool:
    if is_hangul_word(word):
        return word in _KO_STOP or word in _KO_SUFFIX_SET
    return word in _EN_STOP or (word.isdigit() and len(word) < 2) or len(word) < 2


def hangul_bigrams(word: str) -> list[str]:
    """Overlapping two-syllable pieces: "트랜스포머" -> 트랜, 랜스, 스포, 포머."""
    if len(word) < 2:
        return []
    return [word[i : i + 2] for i in range(len(word) - 1)]


def index_terms(text: str) -> Iterator[str]:
    """Terms a passage field is indexed under: each word, its default stem, and
    the stem's Hangul bigrams (prefixed "§") for partial and spacing matches."""
    for word in raw_words(text):
        if is_stopword(word):
            continue
        stem = default_stem(word)
        if is_stopword(stem):
            continue
        yield stem
        if is_hangul_word(stem):
            for gram in hangul_bigrams(stem):
                yield "§" + gram


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
