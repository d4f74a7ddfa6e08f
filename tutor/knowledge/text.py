"""Text handling for Korean beginners: language, normalisation, word units.

Learners type "트랜스포머가요?", "트랜스 포머", "attention이 뭐예요": the same
idea in many surface forms. This module turns text into comparable word
units without a morphological analyser (kiwipiepy 0.24 costs 4-6 s and
+510 MB per process with its dictionaries, 1.3-1.8 s and +255 MB without
them, and still reads "gpt가머에요" as a noun 가머): Unicode normalisation, a
few spelling aliases, script splitting and the stripping of Korean particles
and endings. Which stripped form to keep is decided against the index
vocabulary (``Retriever._resolve``); grammar glued to a known word that no
single ending explains ("한국말로는요", "거짓말한다던데") is cut off there too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Literal

Language = Literal["ko", "en"]

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# A run of Hangul, or of Latin letters/digits: mixed tokens like "GPT는" split here.
_UNIT = re.compile(r"[\uac00-\ud7a3]+|[a-z0-9]+")

# Names learners type in either script, mapped to one spelling. Kept small:
# the pack indexes both languages, so only loanword spellings are listed.
_ALIAS_TABLE: tuple[tuple[str, str], ...] = (
    (r"챗\s*(?:gpt|지피티)|chat\s*-?\s*gpt|쳇\s*(?:gpt|지피티)", " chatgpt "),
    (r"지\s?피\s?티", " gpt "),
    (r"엘\s?엘\s?엠", " llm "),
    (r"에이\s?지\s?아이", " agi "),
    (r"에이\s?아이", " ai "),
    (r"dall\s*-?\s*e\b|달리\b", " dalle "),
    (r"large\s+language\s+models?", " llm large language model "),
    (r"잘\s*(?:하|해|할|한|했)\S*|\bgood\s+at\b|\bbest\s+at\b", " 능력 "),
    (r"(?:다들|모두들|너도\s*나도|everyone|everybody)\s*(?:\S+\s+){0,2}?(?:얘기|이야기|말하|쓰|써|사용|관심|talk|us)\S*", " 인기 "),
    (r"할\s*수\s*있는\s*(?:것|거|일|게)|(?:뭘|뭐|무엇을|뭐를)\s*할\s*수\s*있|\b(?:can|could)\s+(?:[a-z]+\s+){0,3}do\b|\bgood\s+for\b", " 활용 "),
    (r"(?<![가-힣])(?:첫\s*번\s*째|첫째|1\s*번\s*째)", " 첫번째 "),
    (r"(?<![가-힣])(?:두\s*번\s*째|둘째|2\s*번\s*째)", " 두번째 "),
    (r"(?<![가-힣])(?:세\s*번\s*째|셋째|3\s*번\s*째)", " 세번째 "),
    (r"(?<![가-힣])(?:네\s*번\s*째|넷째|4\s*번\s*째)", " 네번째 "),
    (r"(?<![가-힣])(?:언제|몇\s*년도?|연도|시기)(?=\s|$|[가-힣?.!,])", " 언제 "),
    (r"돈\s*(?:을|이)?\s*(?:벌|버는|번다|되는|될|된다|되)", " 수익 "),
    # What is worth trying ("써 볼 만한", "써볼만한거") and a request for a
    # recommendation ("추천좀", "추천해 주세요", "would you recommend"), which
    # asks the same: one word in each language.
    (r"(?:써\s*볼\s*만|쓸\s*만한)[가-힣]*|추천\s*(?:좀|해\s*(?:줘|주세요|주실|주시|줄래|줄\s*수|달|봐)|부탁|해요|하시|할\s*만|할만|하나요|할까)[가-힣]*", " 써볼 "),
    (r"\b(?:(?:would|do|can|could|will)\s+you\s+recommend|recommend\s+(?:me|one|some|any|an?)\b)", " worth trying "),
    (r"\b(?:mak\w*|made)\s+(?:things|stuff|facts|it|something|answers?)?\s*up\b", " 환각 hallucination "),
    (r"artificial\s+general\s+intelligence", " agi "),
    (r"generative\s+adversarial\s+networks?", " gan "),
    (r"variational\s+auto\s*-?\s*encoders?", " vae "),
    (r"recurrent\s+neural\s+networks?", " rnn "),
    (r"long\s+short\s*-?\s*term\s+memory", " lstm "),
    (r"어텐션|어탠션|attention", " 어텐션 attention "),
    (r"트랜스\s*포머|트렌스\s*포머|트랜스\s*퍼머|transformers?", " 트랜스포머 transformer "),
    (r"디퓨전|디퓨젼|diffusion", " 디퓨전 diffusion 확산 "),
    (r"멀티\s*모달|multi\s*-?\s*modal(?:ity)?", " 멀티모달 multimodal "),
    (r"멀티\s*헤드|multi\s*-?\s*head", " 멀티헤드 multihead "),
    (r"딥\s*페이크|deep\s*-?\s*fakes?", " 딥페이크 deepfake "),
    (r"파라미터|매개\s*변수|parameters?", " 파라미터 parameter "),
    (r"할루시네이션|hallucinat\w*", " 환각 hallucination "),
    (r"토큰|tokens?", " 토큰 token "),
    (r"d\s*&\s*d|던전\s*앤\s*드래곤|dungeons?\s*(?:&|and)\s*dragons?", " dnd "),
    (r"임팩트|impacts?", " 영향 impact "),
    (r"챗봇|chat\s*bots?", " 챗봇 chatbot "),
    (r"터보|turbo", " turbo "),
    (r"(?<![a-z0-9.\-])(?<!gpt\s)4o(?![a-z0-9])", " gpt4o "),
    # A bare "3.5" ("3.5는 왜 그렇게 싸요?") is GPT-3.5, the version the document prices; not
    # Claude 3.5, nor an amount ("3.5센트", "3.5배").
    (r"(?<![a-z0-9.\-])(?<!gpt\s)(?<!claude\s)(?<!드\s)3\.5(?![\d.]|\s*(?:배|달러|원|%|퍼센트|년|개|시간|센트|cents?|dollars?|times|x\b))", " gpt35 "),
    (r"마르코프|마코프|markov", " 마르코프 markov "),
    (r"일라이자|엘리자|eliza", " 일라이자 eliza "),
    # Products the document names, typed in Hangul ("클로드로 하면 얼마에요?").
    (r"클로드|claude", " 클로드 claude "),
    (r"미드\s*저니|midjourney", " 미드저니 midjourney "),
    (r"(?<![가-힣])라마", " 라마 llama "),
    (r"제미나이|제미니|gemini", " 제미나이 gemini "),
    # "인공지능" is what "AI" is called in Korean, as common a word; weighed as a rare one it
    # pulled every question saying it to the few passages that spell it out (AGI's).
    (r"인공\s*지능", " ai "),
    (r"인코딩|encoding", " 인코딩 encoding "),
    (r"디코더|decoders?", " 디코더 decoder "),
    (r"인코더|encoders?", " 인코더 encoder "),
    (r"개인용\s*(?:컴퓨터|pc)|personal\s+computers?|(?<![a-z0-9])pcs?(?![a-z0-9])", " pc 개인용 컴퓨터 "),
)
# Every character an alias above can start with (tests/test_text_aliases.py
# checks the table against it): the engine then tries the 37 alternatives only
# where one may begin, about five times faster on a new message.
ALIAS_STARTS = "1234abcdeghilmprtvw클미제개너네넷다달돈두둘디딥라마매멀몇모무뭐뭘세셋시어언에엘연인일잘지챗첫쳇토트파할터써쓸추임던"
# Each alternative is a named group, earlier ones win. At a character that may
# start one, only the aliases whose pattern holds that character are tried (an
# alias's first characters are written in its pattern: tests/test_text_aliases.py),
# in table order: the same match as all 37 tried there, at a tenth of the cost.
_ALIASES_AT = {
    start: re.compile("|".join(f"(?P<a{i}>{pattern})" for i, (pattern, _) in enumerate(_ALIAS_TABLE) if start in pattern))
    for start in ALIAS_STARTS
}
# Where an alias may begin: a character it starts with, followed by one its second character
# can be (\s: any space; tests/test_text_aliases.py works these out from the table). Tried at
# every "e", "t", "a" or "에" alone, an English passage cost a failed try per letter (36,682
# tries for 799 aliases over the pack's texts), and the fact choice reads the closest
# passages' texts joined, new text on most turns.
ALIAS_OPENINGS = {
    "1": r"\s번", "2": r"\s번", "3": r"\s번.", "4": r"\so번", "a": "rt", "b": "e", "c": "ahlo", "d": r"\s&aeiou",
    "e": "lnv", "g": "eo", "h": "a", "i": "m", "l": "ao", "m": "aiu", "p": "ace", "r": "e", "t": "oru", "v": "a",
    "w": "io", "클": "로", "미": "드", "제": "미", "개": "인", "너": "도", "네": r"\s번", "넷": "째", "다": "들",
    "달": "리", "라": "마", "돈": r"\s되된될버번벌을이", "두": r"\s번", "둘": "째", "디": "코퓨", "딥": r"\s페", "마": "르코",
    "매": "개", "멀": "티", "몇": r"\s년", "모": "두", "무": "엇", "뭐": r"\s를할", "뭘": r"\s할", "세": r"\s번",
    "셋": "째", "시": "기", "어": "탠텐", "언": "제", "에": "이", "엘": r"\s리엘", "연": "도", "인": "코공", "일": "라",
    "잘": r"\s하한할해했", "지": r"\s피", "챗": r"\sg봇지", "첫": r"\s번째", "쳇": r"\sg지", "토": "큰", "트": "랜렌",
    "파": "라", "할": r"\s루수", "터": "보", "써": r"\s볼", "쓸": r"\s만", "추": "천", "임": "팩", "던": "전",
}
_ALIAS_START = re.compile("|".join(f"{start}(?=[{seconds}])" for start, seconds in ALIAS_OPENINGS.items()))
_ALIAS_REPLACEMENTS = {f"a{i}": replacement for i, (_, replacement) in enumerate(_ALIAS_TABLE)}


def replace_aliases(text: str) -> str:
    """Every alias in ``text`` replaced, left to right, as one ``re.sub`` over
    the alternation of the whole table would."""
    out: list[str] = []
    done = position = 0
    while (start := _ALIAS_START.search(text, position)) is not None:
        at = start.start()
        found = _ALIASES_AT[text[at]].match(text, at)
        if found is None or found.end() == at:
            position = at + 1
            continue
        out += (text[done:at], _ALIAS_REPLACEMENTS[found.lastgroup or ""])
        done = position = found.end()
    out.append(text[done:])
    return "".join(out)


# Korean particles and endings. Stripping is tried from the longest ending;
# at query time the index vocabulary decides which stem is real
# (Retriever._resolve), at index time the longest strip is kept.
_PARTICLES = """
은 는 이 가 을 를 의 에 에서 에게 한테 께 으로 로 와 과 도 만 랑 이랑 하고 보다 처럼 까지 부터 마다
이나 나 이든 든 캉 이캉 캉은 이캉은 조차 밖에 에는 엔 에서는 에게는 으로는 로는 와는 과는 에도 에서도 으로도 로도 까지는
부터는 보다는 만은 만의 에서의 으로의 로의 과의 와의 이라도 라도 에선 에서부터 으로부터 로부터 으로서
로서 으로써 로써 이란 란 이라는 라는 이라고 라고 이라 라 이며 이고 이지만 이었 였 이야 야 이요 요 가요
는요 은요 이랑요 랑요 에요 이에요 예요 인가요 인가 인데 인데요 이죠 죠 이지 지요 이냐 냐 이니 니 이래요
래요 이었어요 였어요 이었나요 였나요 이었던 였던 인지 인지요 인 은데 는데 은지 는지 적인 적으로 적
들 들은 들이 들을 들의 들도 들에 들과 들로 들이랑 같이 처럼요 만큼 이잖아요 잖아요 쯤 쯤에 쯤은 쯤이
"""
_ENDINGS = """
다 어요 아요 여요 해요 었어요 았어요 였어요 했어요 었다 았다 였다 했다 는다 었 았 였 했 던 었던 았던 했던
고 고요 고서 어서 아서 해서 면 으면 면서 으면서 니까 으니까 지만 게 도록 려고 으려고 려면 으려면 을지
는가 나요 까요 을까 을까요 네요 군요 구나 잖아 거든요 다는 다고 대요 세요 으세요 줘 줘요 주세요 주는 준
줄 주고 줄래 줄래요 줄까요 봐 봐요 보세요 하기 되기 게요 습니다 었나요 았나요 했나요 는거 는건 는게 는걸
은거 은건 은게 거에요 거예요 거야 건가요 건지 건데 거죠 는거에요 는거예요 는거야 는건가요 는건지 은거에요
은거예요 던거 할까 할까요 한지 된지 했는지 됐는지 인지도 하다 하는 한 할 하면 합니다 하지 해 하고요 하죠 하게 하려면 하니 하는데 했는데
하나요 시키는 시켜 시킨 되다 되는 된 될 돼요 되요 됐어요 되어 돼 되나요 되죠 되고 됐나요 되었 됩니다 된다
받는 받은 받아 입니다 이었습니다 였습니다 이에요 스러운 스럽게 없이 같은 내는 낸 내요 냈어요 낸다 내고 주나요 하나 하는지 되는지
겠 겠어 겠어요 겠네 겠네요 겠죠 겠지 겠다 겠습니다
는디 은디 인디 던디 든디 라든디 라던디 당가 는당가 한당가 랑가 라요 다요 한다요 했당가
길래 길래요 이길래 던데 던데요 다던데 라던데 이라던데 다더라 라더라 이라더라 다던가 라던가 다며 라며 이라며 다면서 라면서
"""
# The same grammar as regional speech and quick notes type it: 나왔노, 썼는교,
# 했심더, 하나예, 고맙데이, 한다카던데 (경상); 뭐래유, 했슈, 쓰는겨, 참말이여 (충청);
# 맹글어부러요 (전라); 신기함, 안됨 (a note's ㅁ ending). Read off a learner's
# word only (Retriever.analyse), never off the pack's: 노, 유, 여, 함 also close
# nouns the pack writes (노을, 이유, 함께), and a word the pack knows keeps its form.
_REGIONAL_ENDINGS = tuple(sorted(set("""
노 나예 요예 예 교 능교 는교 인교 은교 꼬 심더 심니더 십니더 습니더 데이 카이 카던데 카더라 카는 칸다 카대 카노
유 슈 래유 대유 어유 아유 여유 겨 는겨 은겨 이여 여 부러 부러요 부렀어 부렀어요 불고 시여 당가 는디
함 됨 음 했음 됐음 었음 았음 였음
""".split()), key=len, reverse=True))
_KO_SUFFIXES: tuple[str, ...] = tuple(sorted(set((_PARTICLES + _ENDINGS).split()), key=len, reverse=True))
_KO_ENDING_SET = frozenset(_ENDINGS.split())
# Endings that only a verb or adjective takes (은/는/을 are particles too).
_PREDICATE_ENDINGS = _KO_ENDING_SET - frozenset("는 은 을 던 다는 들".split())
_SUFFIX_LENGTHS = tuple(sorted({len(x) for x in _KO_SUFFIXES}, reverse=True))
_KO_SUFFIX_SET = frozenset(_KO_SUFFIXES)

# Everyday words beginners use for the document's ideas, one group a line,
# in both languages. A word in a group also counts as the group's first word
# (at a discount), so "골라 주는 AI" reaches "추천" and "병원" reaches "의료".
# Bare one-syllable stems that are also nouns stay out: "길" is the road in
# "AGI로 가는 길", so "long" lists only the inflected forms (길어요, 길게, 길면).
# "Cheap" is a group apart from "cost": asking what something costs (비용, 얼마,
# 비싸요?) is not asking for a cheaper way (더 싼 모델, 저렴한), which is a
# comparison of its own.
_SYNONYM_GROUPS = """
추천 골라주 골라 권해 권하 권유 recommend suggest suggestion
예측 예보 예상 맞히 맞추 점치 predict prediction forecast guess
분류 나누 나눠 구분 골라내 걸러 걸러내 가려내 필터 classify classification sort categori filter
경쟁 겨루 겨뤄 대결 싸우 싸움 맞서 적대 대립 compete competition fight battle adversarial rival
크기 큰 크다 커 커요 커서 클 거대 대형 대규모 규모 라지 방대 엄청난 어마어마 large big huge massive scale size giant
텍스트 글 글자 문장 문자 단어 낱말 글씨 text word sentence writing written
이미지 사진 그림 화상 image picture photo drawing illustration
영상 동영상 비디오 영화 video movie film clip
음악 노래 작곡 곡 music song compose
학습 배우 배워 배운 배웠 공부 익히 훈련 트레이닝 learn train study training
비용 돈 가격 요금 값 금액 얼마 비싸 운영비 cost price money expensive fee pay
저렴 싼 싸게 싸요 싸다 싸고 cheap cheaper inexpensive
산업 시장 사업 비즈니스 회사 기업 업계 수익 돈벌이 industri busi market compani profit
대체 대신 대신하 자동화 replace instead automate
고객 손님 소비자 이용자 customer client consumer
상담 응대 문의 고객센터 콜센터 support consult
일자리 직업 직장 직원 상담원 알바 아르바이트 인력 노동 인건비 해고 job employment staff employee worker labour labor
의료 병원 의사 환자 진료 진찰 의학 medical medicine hospital doctor patient health
코딩 코드 프로그래밍 프로그램 개발 개발자 프로그래머 앱 어플 소프트웨어 code program programming developer app software
누구나 컴맹 비전공자 일반인 문과 초보 초보자 아무나 비개발자 anyone everyone ordinary beginner layperson non-technical
무료 공짜 오픈소스 free open-source
챗봇 채팅 챗 대화 말벗 chat chatbot conversation talk
이전 예전 옛날 과거 기존 전통 전통적 old older previous past earlier traditional former before prior
성능 나은 낫 뛰어난 좋아진 우수 못한 이겼 이긴 better worse superior inferior performance beat beats outperform outperforms
처음 최초 시작 기원 탄생 역사 first origin history begin start invent
환각 거짓말 거짓 지어내 지어 틀린 틀리 엉터리 오답 실수 오류 hallucination lie false fabricate wrong mistake error
위험 걱정 우려 논란 부작용 비판 비난 반발 불만 리스크 악재 risk concern worry danger controversi critic complaint
단점 약점 한계 문제점 나쁜점 안좋은점 weakness drawback limitation downside limit flaw
순서 차례 순차 순차적 어순 order sequence sequential
위치 자리 position place
문맥 맥락 흐름 앞뒤 context
핵심 중요 key important main core essential crucial
미래 앞으로 전망 장래 future outlook
영향 임팩트 파급 파장 impact influence
만능 뭐든 무엇이든 다재다능 범용 general versatile all-purpose
감각 시각 청각 촉각 sense sight hearing touch
번역 통역 번역기 translate translation interpret
연구 연구실 실험실 학계 research lab laboratori
데이터 자료 data dataset
빠르 빨라 빠른 속도 신속 fast speed quick
효율 효율적 efficient efficiency
노이즈 잡음 지지직 흐릿 뿌연 noise static blur
가짜 딥페이크 조작 합성 fake deepfake forge
게임 게이머 던전 보드게임 game gamer dungeon
커피 카페인 에스프레소 아메리카노 coffee caffeine espresso
쉬운 쉬워 쉬울 쉬움 수월 수월한 easy easier easiest
비유 빗대 비교하면 analogy metaphor
약자 줄임말 풀네임 약어 풀이 abbreviation acronym stand
만들 만드 만든 만들어 생성 창작 제작 그려 그리 작성 써주 create make generate produce draw build
출시 나오 나와 나왔 나온 등장 발표 출범 공개 release launch appear announce introduce
사람 인간 human person people
생산성 도움 편리 편하 도와 productivity help convenient useful
똑똑 지능 지식 똑똑한 smart intelligent intelligence clever knowledge
영어 회화 english speaking
우리말 한국말 한국어 국어 모국어 korean
수학 계산 산수 math maths calculation arithmetic
로봇 로보틱스 robot robotic
자막 대본 스크립트 캡션 subtitle caption script transcript
다리 연결 잇 이어주 매개 bridge connect link
동시 한꺼번 한번에 병렬 동시다발 동시다발적 simultaneous parallel once
긴 길어 길어요 길게 길고 길면 길다 길어서 길어지 길수록 길었 장문 long length lengthy
종류 가지 유형 kind type sort variety
능력 강점 장점 좋은점 특기 재능 ability strength capable capability skill
이름 명칭 불러 부르 부르는 불리 불려 불러요 name named call
사용 쓰 써 썼 쓰는 쓸 쓴 쓰이 쓰여 쓰였 쓰인 활용 이용 use utilize employ
차이 차이점 다르 달라 다른 달라요 다른가 difference different differ distinguish versus
같은 같아 같아요 같다 똑같 동일 동일한 same identical
인기 유행 대세 주류 유명 인기있 popular dominant everywhere mainstream famous trend
이유 까닭 원인 근거 reason cause
조건 기준 가정 전제 condition assumption assume basis baseline
통화 원화 환율 달러 원 currency won dollar
생기 생겨 생긴 생길 생기는 생겼 발생 happen occur arise
대단 대단한 엄청 혁명 혁명적 획기적 창세기 revolutionary groundbreaking
여전 여전히 아직 아직도 지금도 still
마무리 결론 맺음말 끝맺 conclusion conclude ending end closing
"""

# Words that carry no topic: question frames, politeness, chit-chat.
_KO_STOP = frozenset(
    """
    뭐 뭘 뭔 뭔가 뭐예요 뭐에요 뭐야 뭐죠 뭐지 뭐가 뭐라고 무엇 무엇인 무슨 어느 어떤 어떻게 어떡 왜 왜요
    언제 누가 누구 어디 얼마 얼마나 몇 좀 잘 더 또 그 이 저 그리고 그런데 근데 그래서 그러면 그럼
    그거 그건 그게 그걸 그것 이거 이건 이게 이걸 이것 저거 저건 거 것 건 게 걸 수 때 등 및 좀요
    있 있어 있어요 있나요 있는 있을 있다 없 없어 없어요 없나 하 해 해줘 해주세요 해줘요 했 합
    되 돼 됐 안 못 제 저 나 내 저는 나는 우리 너 당신 선생님 님 요 네 예 응 아 아니 음 혹시
    설명 설명해 설명해줘 설명해주세요 설명해요 알려 알려줘 알려주세요 알려줄래 가르쳐 가르쳐줘
    궁금 궁금해 궁금해요 궁금한 궁금합니다 알고 알고싶어요 싶어요 싶어 싶은 모르겠어요 모르겠어
    모르 몰라 몰라요 정확히 자세히 간단히 대해 대해서 대한 관해 관해서 관한 말 말해 말해줘 뜻 의미
    이야기 얘기 질문 질문이 답 대답 정말 진짜 그냥 다시 한번 조금 많이 너무 아주 꼭 제발 부탁
    해요 했어요 인가요 건가요 거예요 거에요 건데 거죠 건지 건가 인지 이에요 예요 입니다 이죠
    알 알아 알아요 알아서 아는 알지 알까 알게 알려면 알았 알고요 둘 셋 넷 하나 두 세 만한 만큼 정도
    아닌 아닌데 아니라 아니고 아니면 않 않은 않는 않고 않아 않아요 않나요 없는
    벌써 계속 나중 나중에 일단 우선 역시 확실히 당연히 제대로 되게 굉장히 거의 별로 아예 어쨌든 아무튼 암튼
    그래도 그러니까 그니까 같이 이제야 드디어 아까 방금 여전히 자꾸 어차피 그나마 차라리 오히려 설마 물론 정작
    뭐요 머요 허허 하하 호호 헤헤 히히 반대로 거꾸로 실제로 정말로 진짜로 절대로 대체로 솔직히 저희 맨날 만날 항상 늘 자주 종종 가끔 하시
    대충 금세 얼른 게다가 또한 한편 아님 아님요 맞음 있음 없음 됨 아닌가 아닌지 아닌가요
    근디 그란디 근께 긍께 그니께 그라믄 글믄
    문서 본문 독자 독자들 독자분들 읽는이
    머 머시 머시기 거시기 그기 이기 머꼬 뭐꼬 우째 우예 와이라노
    나서 나면 나니까 나니 나서는 나서야
    쪽 쪽은 쪽은요 쪽이 쪽으로 쪽으로는 쪽에서 쪽에서는 쪽도
    거기 거기서 거기에 거기에서 거기엔 거기선 여기 여기서 여기에 여기엔 저기
    어때 어때요 어땠 어땠어 어땠어요 어땠는데 어땠는데요 어땠나요 어땠죠 어떤가요 어떤지 어떠 어떠한 어떻던
    반대 반대는 반면 반면에
    요즘 최근 요새 이제 현재 오늘날 아무 아무도 누구도 다들 모두 전부 제일 가장 중 중에 중에서 특히 뭔지 뭔지도 뭐였 뭐였지 법 방법 뭐임 뭐냐 뭔데 머야 머임 뭐여 뭐니 뭐래 뭐하는 도대체 대체 하필 과연 아마 혹은 또는 다른데 경우 때문 위해 통해 보면 보니 보고 하나요 있죠 맞죠 맞아요
    """.split()
)

_EN_STOP = frozenset(
    """
    a an the and or but if so of to in on at by for with from about as into than then there
    is are was were be been being am do does did doing done have has had having can could
    will would should shall may might must i me my you your we our us he she they them their
    it its this that these those what which who whom whose when where why how whats what's
    please pls plz tell explain describe mean means meaning again more some any just really very
    also too not no yes ok okay hi hey hello thanks thank like know want wanted need let
    show give say said something thing things about get got one whole entire all
    every everything full complete stuff right now lot lots much many us up out sometimes always
    often usually actually even still already ever never maybe perhaps own basically exactly
    document article reader readers between
    else somewhere anywhere
    doc docs lol lmao haha btw ppl u ur im quick q though tho anyway anyways matter matters
    way ways option options alternative alternatives
    id ive ill youre theyre dont doesnt didnt cant wont isnt arent wasnt theres thats hows whos wanna gonna
    """.split()
)


@lru_cache(maxsize=4096)
def near_english_stopword(word: str) -> bool:
    """"wats", "abt", "wich": an English function word typed with one letter
    dropped, added, swapped or changed (whats, about, which). Only where one
    of the two has five letters or more: one typo in a shorter word may make
    another word (dune, done)."""
    if len(word) < 3 or not word.isascii() or not word.isalpha() or word in _EN_STOP:
        return False
    return any(max(len(word), len(stop)) >= 5 and one_edit(word, stop) for stop in _EN_STOP)


def one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by one substitution, insertion, deletion or
    transposition of neighbours."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


# One-syllable nouns worth keeping as stems ("전에는" -> "전"); other one-syllable
# leftovers are usually a noun cut in half ("차이에요" must stay "차이").
_ONE_SYLLABLE_NOUNS = frozenset(
    "전 후 앞 뒤 글 값 돈 일 뜻 책 뇌 눈 귀 손 빛 꿈 맛 힘 답 큰 긴 곡 칩 앱 개 건 번 명 년 분 초 배 곳 쪽 편 장 권".split()
)
# One-syllable nouns that are also a verb stem: "길에" is the road, "길게" is
# long. Only a particle after them leaves the noun.
_NOUNS_BEFORE_PARTICLES = frozenset("길".split())
_PARTICLE_SET = frozenset(_PARTICLES.split())


def is_hangul_word(word: str) -> bool:
    return bool(word) and "\uac00" <= word[0] <= "\ud7a3"


def detect_language(text: str) -> Language:
    """Korean when Hangul carries the message, English when English words do.

    "What does 어텐션 mean?" is English; "GPT-4o랑 Claude 3.5 Sonnet 차이" and
    "Attention is All You Need 논문은 뭐예요?" are Korean (a Korean sentence
    ends on a Korean predicate). Text with neither defaults to Korean, the
    learners' usual language.
    """
    korean_words = 0
    english_words = 0
    last_is_korean = False
    for word in text.split():
        if _HANGUL.search(word):
            korean_words += 1
            last_is_korean = True
        elif len("".join(_LATIN_WORD.findall(word))) >= 2:
            english_words += 1
            last_is_korean = False
    if korean_words == 0:
        return "en" if english_words else "ko"
    if last_is_korean and korean_words >= 2:
        return "ko"
    if english_words >= 3 and english_words >= 2 * korean_words:
        return "en"
    return "ko"


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


# "GPT-4o", "GPT 3.5", "Llama 3" are one name each: GPT-5 is not GPT-4o.
# ("ChatGPT 2022년에 나온거죠?": a year after a name dates it; it is no version.)
_VERSIONED = re.compile(r"(?<![a-z])(chatgpt|gpt|llama|claude|gemini|dalle)\s*-?\s*(?!(?:19|20)\d\d\s*년)(\d+(?:\.\d+)?[a-z]?)(?![a-z0-9])")


_BEFORE_DOING = re.compile(r"기\s+(?:전에|전)(?=\s|$|[,.!?])")
# Set against generative AI, "그냥 AI", "보통 AI", "평범한 AI", "regular AI"
# is the AI that came before it, which the document calls 기존 AI. Alone,
# "그냥"/"보통" are only "just"/"usually" ("그냥 AI가 해 줘요?").
_PLAIN_AI = re.compile(
    r"(?<![가-힣a-z])(?:그냥|보통|평범한|일반적인|흔한|ordinary|regular|normal|plain|conventional|classical|classic|non-generative)"
    r"\s*(?:ai|에이\s?아이|인공\s?지능)(?![a-z])"
)
_PLAIN_AI_EN = re.compile(r"(?<![a-z])(?:ordinary|regular|normal|conventional|classical|classic|non-generative)\s*(?:ai)(?![a-z])")
_GENERATIVE = re.compile(r"생성|generative")
# "what do (ordinary) people use ChatGPT for", "why do ppl like it": people in
# general as the subject of a question frame name no topic (not the people an
# LLM stands in for, nor the person AGI is measured against).
_GENERIC_SUBJECT = re.compile(r"\b(do|did|can|could|would|will|should)\s+(?:(?:ordinary|regular|normal|most|other|everyday)\s+)?"
                              r"(?:people|ppl|folks|users|others)\b")
# "누가 더 큰 개념임", "which one is the bigger category?": the size of an
# idea is how much it takes in (상위 개념, a broader term), not size (LLM's 거대).
# (Each English word opens on its first letter and then checks what stands before
# it, as \b would: the regex engine then scans for the first letters quickly.)
_BIGGER_IDEA = re.compile(
    r"(?:큰|커다란|넓은|포괄적인)\s*(?:개념|범주|카테고리|분류|용어|말|단어|범위)|(?:개념|범주|범위)\s*(?:이|가)?\s*(?:더\s*)?(?:커|크|넓)\S*"
    r"|(?:" + "|".join(f"{w[0]}(?<!\\w{w[0]}){w[1:]}" for w in ("bigger", "larger", "broader", "wider", r"more\s+general")) + ")"
    r"\s+(?:category|concept|term|idea|notion|group|umbrella|class)\b"
)
# 쓰다 is both "use" and "write": after something written ("글을 쓰는",
# "메일을 써", "코드를 쓸", "글쓰기") it is writing, a word of its own (작문),
# so "AI를 어디에 써요?" (≈사용) does not match passages about writing text.
# Not ≈만들 (making): that pulled other "만들" questions off course.
# "글쓴이" is the author and "쓸모" use: both stay.
# (Each noun is written before its check that no syllable precedes it, for speed.)
_WRITING = re.compile(
    "((?:" + "|".join(f"{noun}(?<![가-힣]{noun})" for noun in
                      "글 글자 문장 문구 메일 이메일 편지 답장 코드 소설 보고서 기사 일기 에세이 작문 대본 가사 숙제".split()) + ")"
    r"(?:을|를|도|만|은|는|이|가|로|으로)?)\s*(?:써|쓰|썼|쓴(?!이)|쓸(?!모))[가-힣]*"
)


# Casual spellings beginners type, rewritten to the standard form before
# anything else: a particle glued between a Latin name and a question word
# ("gpt가머에요" -> "gpt가 뭐예요", after a name the aliases set apart too), 머/모 for 뭐, 여 for the polite 요
# ("궁금해여"), 왜케 for 왜 이렇게. Each is a spelling rule, not a phrase.
# "머(?<![가-힣]머)" is "머 not after a Hangul syllable" written with the
# syllable first, so the regex engine scans for it quickly (every new message
# goes through these rules twice).
_CASUAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile("(" + "|".join(f"{p}(?<=[a-z0-9\\s]{p})" for p in "이랑 랑 이란 란 으로 로 이 가 은 는 을 를 도 에 의".split()) + ")"
                r"(?=(?:뭐|머|모|무엇|무슨|왜|어떻|어떤|언제|얼마|몇|누가|누구|어디))"), r"\1 "),
    (re.compile(r"머(?<![가-힣]머)(?=에요|예요|에여|예여|에용|예용|야|임|냐|죠|지\?|여|의|를|가\s|\s*\?|\s*$)"), "뭐"),
    (re.compile(r"모(?<![가-힣]모)(?=에요|예요|에여|예여|야\b|임|냐)"), "뭐"),
    # 머 with a particle and nothing after ("머에 써요", "머로 만든거"): 뭐.
    (re.compile(r"머(?<![가-힣]머)(?=(?:에|에서|로|가|를|랑|하고|도|든|라고|나)(?![가-힣]))"), "뭐"),
    # 기 for the bound noun 것 in regional speech ("하는기고", "바뀐기가", "그기는",
    # "한다카는 기"): after an adnominal 는/던/ㄹ or 그/이 and before grammar.
    # (Not 이기: 이기다 is to win.) After ㄴ or ㄹ only before 고/교/예: 인기가,
    # 연기가, 만들기가 are words of their own.
    # (Each of these starts with its 기, what comes before it looked back at from after it:
    # the engine then looks for 기 alone, not for the lookbehinds at every character.)
    (re.compile(r"기(?:(?<=[는던]기)|(?<![가-힣]기)(?=\s)"
                r"|(?<![가-힣]그기)(?<=그기))(?=(?:고|가|교|요|는|도|다|예|라|란)?(?![가-힣]))"), "거"),
    (re.compile(r"기(?<=[" + "".join(chr(0xAC00 + 28 * i + c) for i in range(399) for c in (4, 8))
                + r"]기)(?<![인전연단]기)(?=(?:고|교|예)(?![가-힣]))"), "거"),
    (re.compile(r"뭐(?:에요|에여|예여|에용|예용|여)(?![가-힣])"), "뭐예요"),
    (re.compile(r"여(?<=[해예에나까어아봐돼워져죠네데]여)(?=\s*[?!.~ㅋㅎㅠ]|\s*$)"), "요"),
    # A question word glued to what it asks about ("왜필요한건데요", "언제나왔어요").
    (re.compile("(" + "|".join(f"{w}(?<![가-힣]{w})" for w in ("왜", "언제", "어떻게", "얼마나", "어디서")) + ")(?=[가-힣]{2})"), r"\1 "),
    (re.compile(r"왜케|왜캐|왜이케"), "왜 이렇게"),
    # 와 for 왜 in speech and dialect ("와 그래요?", "단점을 와 알아야 되노"): a word
    # of its own before a question that closes the same sentence; "와, 대박" and
    # "와 신기하다" end in no question, and "GPT 와 BERT" joins two names.
    # (Nor "와 진짜요?", "와 그럼 뭐예요?": wonder, then another question.)
    (re.compile(r"와(?<![가-힣a-z0-9]와)(?<![a-z0-9]\s와)(?!\s+(?:진짜|정말|대박|신기|대단|멋|놀라|헐|그럼|그러면|그렇구|완전|짱|쩐))"
                r"(?=\s+[가-힣a-z](?:(?![뭐뭘뭔]|무엇|무슨|어떻|어떤|언제|어디|누가|누구|몇|얼마)[^.!?,~ㅋㅎ\n])*?"
                r"(?:\?|(?:노|고|꼬|능교|는교|는데)\s*$))"), "왜"),
    # 어케 for 어떻게, 걍 for 그냥, 첨 for 처음 ("어케 만드는 거예요", "첨에 말한").
    (re.compile(r"어(?<![가-힣]어)(?:케|캐|떠케|뜨케)"), "어떻게 "),
    (re.compile(r"걍(?<![가-힣]걍)(?![가-힣])"), "그냥"),
    # 글고 for 그리고, 글케 for 그렇게, 글치 for 그렇지: 그 run into 글, not 글 (text).
    (re.compile(r"글(?<![가-힣]글)(?:고|구)(?![가-힣])"), "그리고"),
    (re.compile(r"글(?<![가-힣]글)케(?![가-힣])"), "그렇게"),
    (re.compile(r"글(?<![가-힣]글)(?:치|쵸|죠)(?![가-힣])"), "그렇지"),
    (re.compile(r"글(?<![가-힣]글)(?:쿠나|쿤)(?![가-힣])"), "그렇구나"),
    (re.compile(r"첨(?<![가-힣]첨)(?=에|엔|부터|이|으로)"), "처음"),
    # 겟 for 겠 ("모르겟어요", "있겟네"), 몬 for 뭔 ("몬말인지").
    (re.compile(r"겟(?=어|다|네|지|습|죠|는|음)"), "겠"),
    (re.compile(r"몬(?<![가-힣]몬)(?=\s*(?:말|소리|뜻|얘기|지))"), "뭔"),
    (re.compile(r"마니(?<![가-힣]마니)(?![가-힣])"), "많이"),
    # 머 before 하다 is 뭐 ("머하는거에요", "머해요", "머할수있어요").
    (re.compile(r"머(?<![가-힣]머)(?=하|해|할|함|했|합)"), "뭐 "),
    # 딴 for 다른 before a word ("딴 사람들은"), 그리 for 그렇게 before a verb
    # ("뭐가 그리 달라졌어요"): a verb never stands bare, so these are not 따다 / 그리다.
    (re.compile(r"딴(?<![가-힣]딴)(?=\s+[가-힣])"), "다른"),
    (re.compile(r"그리(?<![가-힣]그리)(?=\s+[가-힣])"), "그렇게"),
    # 갠 for GAN, with or without a particle ("갠은", "갠이랑"); 갠적으로 is 개인적으로.
    (re.compile(r"갠(?<![가-힣]갠)(?=(?:은|는|이|가|을|를|도|만|과|와|이랑|랑|의|이요|요|이에요|으로|로)?(?![가-힣]))"), "gan "),
    # "만들수있어요", "클수밖에": the verb's ㄹ form, 수 and 있다/없다/밖에 apart.
    (re.compile("수(?<=[" + "".join(chr(0xAC00 + 28 * i + 8) for i in range(399)) + r"]수)(?=\s*(?:있|없|밖에|도\s*있))"),
     " 수 "),
)


def _alias_canon() -> dict[str, str]:
    """Each word an alias writes ("트랜스포머 transformer") to the first one."""
    canon: dict[str, str] = {}
    for replacement in _ALIAS_REPLACEMENTS.values():
        words = replacement.split()
        for word in words:
            canon.setdefault(word, words[0])
    return canon


def _alias_phrase_words() -> frozenset[str]:
    """The words an alias writes out as a phrase after its name ("large language
    model" after "llm", "개인용 컴퓨터" after "pc"): right after that name they
    are the name again; alone, "model" or "language" is an ordinary word, no LLM."""
    found: set[str] = set()
    for replacement in _ALIAS_REPLACEMENTS.values():
        rest = replacement.split()[1:]
        for word in rest:
            if sum(1 for other in rest if is_hangul_word(other) == is_hangul_word(word)) > 1:
                found.add(word)
    return frozenset(found)


ALIAS_CANON = _alias_canon()
ALIAS_PHRASE_WORDS = _alias_phrase_words()


# Chat spellings English-speaking beginners type ("wats", "u", "diff", "convos",
# "ppl", "pls"), each a whole lower-case word, written out: a spelling rule, as
# 머 for 뭐 is in Korean, so the rest of the tutor reads the standard words.
_EN_CASUAL_WORDS = {
    "wat": "what", "wut": "what", "wot": "what", "wats": "what is", "whats": "what is", "wuts": "what is",
    "u": "you", "ya": "you", "ur": "your", "r": "are", "y": "why",
    "pls": "please", "plz": "please", "plss": "please", "thx": "thanks", "thnx": "thanks", "tnx": "thanks",
    "diff": "difference", "diffs": "differences", "convo": "conversation", "convos": "conversations",
    "tho": "though", "rn": "right now", "tmrw": "tomorrow", "tmr": "tomorrow",
    "bc": "because", "cuz": "because", "coz": "because", "cos": "because", "abt": "about", "b4": "before",
    "smth": "something", "sth": "something", "rly": "really", "prob": "probably", "probs": "probably",
    "gimme": "give me", "lemme": "let me", "wanna": "want to", "pic": "picture", "pics": "pictures",
    "vid": "video", "vids": "videos", "w/": "with", "w": "with", "info": "information", "gen": "generative",
}
_EN_CASUAL = re.compile(r"(?<![\w'/-])(?:" + "|".join(sorted(map(re.escape, _EN_CASUAL_WORDS), key=len, reverse=True))
                        + r")(?![\w'-])", re.I)


def english_casual_to_standard(text: str) -> str:
    """Text with English chat spellings written out ("wats the diff" -> "what
    is the difference"); a message with Hangul is left as it is."""
    if _HANGUL.search(text):
        return text  # Latin words in a Korean message are names ("GPT-4o랑 w 차이")
    return _EN_CASUAL.sub(lambda m: _EN_CASUAL_WORDS[m.group(0).lower()], text)


# A closing "…아니에요?" after a bare noun ("한 종류 아니에요?", "쓰는 거 아니에요?") asks the
# learner's guess to be confirmed: it negates nothing. After a particle ("같은 건 아니죠?",
# "AI가 아니에요?") it may well negate, and is left as it is.
_PARTICLE_END = ("은", "는", "이", "가", "건", "게", "도")
_CONFIRMING_TAG = re.compile(r"(?<=\S)\s+(?:아니에요|아니예요|아닌가요|아닌가|아니죠|아니지요|아니야|아냐|아님|아닙니까)"
                             r"(\s*[?？]+[\sㅋㅎㅠㅜ~^]*)$")


# "Isn't GPT made by Google?", "Aren't diffusion models worse?": the same guess put forward in English.
_EN_NEGATED_ASK = re.compile(r"^(\W*)(is|are|was|were|does|do|did|can|has|have)n[’']?t\b", re.I)


def _copula(word_end: str) -> str:
    """"예요" after a Hangul vowel ("종류예요"), "이에요" otherwise ("어텐션이에요", "LLM이에요")."""
    code = ord(word_end) - 0xAC00
    return "예요" if 0 <= code < 11172 and code % 28 == 0 else "이에요"


def tag_as_claim(text: str) -> str:
    """A confirming question said as the claim it confirms ("LLM이 생성형 AI의 한 종류
    아니에요?" -> "LLM이 생성형 AI의 한 종류예요?", "isn't X?" -> "is X?"): the learner puts X forward, so a yes
    says X holds. Search and fact choice then read the claim, not a negation."""
    if _EN_NEGATED_ASK.match(text):
        return _EN_NEGATED_ASK.sub(r"\1\2", text, count=1)  # "isn't GPT made by Google?" -> "is GPT …"
    found = _CONFIRMING_TAG.search(text)
    if found is None:
        return text
    head = text[: found.start()]
    if head.endswith(_PARTICLE_END):
        return text
    return head + _copula(head[-1]) + found.group(1)


def casual_to_standard(text: str) -> str:
    text = english_casual_to_standard(text)
    for pattern, replacement in _CASUAL:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """NFKC, lower case, casual spellings and loanword spellings unified,
    versioned names joined."""
    text = casual_to_standard(unicodedata.normalize("NFKC", text).lower())
    # "설명하기 전에" is "before explaining", not the time before something.
    text = _BEFORE_DOING.sub("기 ", text)
    text = _BIGGER_IDEA.sub(lambda m: " broader term " if m.group(0).isascii() else " 넓은 상위 개념 ", text)
    if _GENERATIVE.search(text):
        text = _PLAIN_AI.sub(lambda m: " older ai " if m.group(0).isascii() else " 기존 ai ", text)
    else:
        # In English the adjective alone says it ("whats the diff from normal ai"): the AI before generative AI.
        text = _PLAIN_AI_EN.sub(" older ai ", text)
    text = _WRITING.sub(r"\1 작문 ", text)
    text = _GENERIC_SUBJECT.sub(r"\1", text)
    text = replace_aliases(text)
    # "트랜스포머가머임": once the name stands apart, its particle and 머 do too.
    text = casual_to_standard(text)
    return _VERSIONED.sub(lambda m: " " + m.group(1) + m.group(2).replace(".", "") + " ", text)


def regional_stem(word: str) -> str | None:
    """What is left of a learner's word once a regional or note-style ending
    is cut off ("나왔노" -> 나왔, "썼는교" -> 썼는, "신기함" -> 신기, "머꼬" -> 머),
    or None when it has none. A stem of one syllable is kept only when it is a
    question word (머, 뭐, 왜): otherwise the cut is more likely a noun's last
    syllable (이유, 노을)."""
    if not is_hangul_word(word):
        return None
    for ending in _REGIONAL_ENDINGS:
        if len(word) > len(ending) and word.endswith(ending):
            rest = word[: -len(ending)]
            if len(rest) >= 2 or rest in ("뭐", "머", "왜", "와"):
                return rest
    # "큰데요", "긴데요", "싼데": an adjective in its ㄴ form before -데요; the stem
    # keeps the ㄴ (큰, 긴), which the pack's words resolve.
    for ending in ("데요", "데"):
        rest = word[: -len(ending)]
        if word.endswith(ending) and rest and _ends_in_nieun(rest):
            return rest
    return None


def _ends_in_nieun(syllables: str) -> bool:
    """Whether the last Hangul syllable closes on ㄴ (큰, 긴, 싼)."""
    code = ord(syllables[-1]) - 0xAC00
    return 0 <= code < 11172 and code % 28 == 4


_DEGREE_ADVERBS = frozenset("지금 완전 엄청 겁나 무지 디게 되게 졸라 존나 넘 너무 매우 무척 워낙 꽤 상당히 훨씬 자주 맨날 만날 항상 늘 종종 가끔 계속 맨날천날 허구한날".split())


def is_degree_adverb(word: str) -> bool:
    """"완전 신기해요", "엄청 빨라요", "맨날 써요", "지금 사도 돼요": how much,
    how often or when, as a bare word before what it qualifies; it names no
    topic (완전한, 엄청난 do)."""
    return word in _DEGREE_ADVERBS


def raw_words(text: str) -> list[str]:
    """Script-homogeneous word pieces of normalised text, in order."""
    return _UNIT.findall(normalise(text))


def strip_candidates(word: str) -> Iterator[str]:
    """Possible stems of a word, longest stem first, ending with the word itself."""
    if not is_hangul_word(word):
        stem = english_stem(word)
        if stem != word:
            yield stem
        yield word
        return
    for length in reversed(_SUFFIX_LENGTHS):
        if len(word) > length and word[-length:] in _KO_SUFFIX_SET and _stem_ok(word[:-length], word[-length:]):
            yield word[:-length]
    if _contracted_seo(word):
        yield word[:-1]  # "비싸서": 비싸 + 아서, the 아 merged into the stem
    yield word


# Vowels a stem's 아/어 merges into before 서 ("비싸서", "나빠서", "해서"): ㅏ ㅐ ㅓ ㅔ ㅕ ㅘ ㅙ ㅝ.
_MERGING_VOWELS = frozenset((0, 1, 4, 5, 6, 9, 10, 14))


def _contracted_seo(word: str) -> bool:
    """Whether a word is a stem of two syllables or more, ending in a vowel, then "서"
    ("비싸서", "어려워서"), as 아서/어서 is said after such a stem."""
    if len(word) < 3 or not word.endswith("서"):
        return False
    code = ord(word[-2]) - _SYLLABLE_BASE
    return 0 <= code < 11172 and code % _CODA_COUNT == _CODA_NONE and (code // _CODA_COUNT) % 21 in _MERGING_VOWELS


_SYLLABLE_BASE, _CODA_COUNT = 0xAC00, 28
_CODA_NONE, _CODA_N, _CODA_L, _CODA_B = 0, 4, 8, 17
# Endings before which a verb stem ending in ㄹ loses it: 만들다 -> 만드는, 만드니까, 만드세요.
# Longest first, in a fixed order: "만드시는" is read by 시는 before 는, the same in every process.
_L_DROPPING_ENDINGS = tuple(sorted("는 는데 는지 는가 는거 는건 는게 는걸 니까 나요 네요 세요 시는 셔서 십니다".split(),
                                   key=lambda ending: (-len(ending), ending)))


def _coda(syllable: str) -> int | None:
    code = ord(syllable) - _SYLLABLE_BASE
    return code % _CODA_COUNT if 0 <= code < 11172 else None


def _with_coda(syllable: str, coda: int) -> str:
    code = ord(syllable) - _SYLLABLE_BASE
    return chr(_SYLLABLE_BASE + code - code % _CODA_COUNT + coda)


def l_drop_variants(word: str) -> list[str]:
    """The other spellings of a verb whose stem ends in ㄹ, read from the
    syllables themselves: ㄹ falls before ㄴ, ㅂ and ㅅ, so 만드는, 만든 and
    만듭니다 are 만들다, and 만들다's stem 만들 is also spelt 만드/만든.
    Only stems of two syllables or more: one-syllable ones (사는: 사다 or
    살다?) are too ambiguous."""
    if not is_hangul_word(word) or len(word) < 2:
        return []
    found: list[str] = []
    for ending in _L_DROPPING_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 2 and _coda(stem[-1]) == _CODA_NONE:
            found.append(stem[:-1] + _with_coda(stem[-1], _CODA_L))
    if word.endswith(("니다", "니까")) and len(word) >= 4 and _coda(word[-3]) == _CODA_B:
        found.append(word[:-3] + _with_coda(word[-3], _CODA_NONE))  # 다룹니다: 다루다
        found.append(word[:-3] + _with_coda(word[-3], _CODA_L))  # 만듭니다: 만들다
    for stem in (word, word[:-1] if word.endswith("다") else ""):
        if len(stem) < 2:
            continue
        coda = _coda(stem[-1])
        if coda == _CODA_N and stem[-1] not in "는은인":
            found.append(stem[:-1] + _with_coda(stem[-1], _CODA_L))
        elif coda == _CODA_L:
            found.append(stem[:-1] + _with_coda(stem[-1], _CODA_NONE))
            found.append(stem[:-1] + _with_coda(stem[-1], _CODA_N))
    return [v for v in dict.fromkeys(found) if v != word]


@lru_cache(maxsize=65536)
def default_stem(word: str) -> str:
    """The one stem a word is indexed under: the longest known ending removed."""
    if not is_hangul_word(word):
        return english_stem(word)
    for length in _SUFFIX_LENGTHS:
        if len(word) > length and word[-length:] in _KO_SUFFIX_SET and _stem_ok(word[:-length], word[-length:]):
            return word[:-length]
    return word


def _stem_ok(stem: str, suffix: str) -> bool:
    return (
        len(stem) >= 2
        or stem in _ONE_SYLLABLE_NOUNS
        or (stem in _NOUNS_BEFORE_PARTICLES and suffix in _PARTICLE_SET)
    )


_VOWELS = frozenset("aeiou")


def _has_vowel(stem: str) -> bool:
    return any(ch in _VOWELS or (ch == "y" and i > 0) for i, ch in enumerate(stem))


def _cvc(stem: str) -> bool:
    return (
        len(stem) >= 3
        and stem[-1] not in _VOWELS | {"w", "x", "y"}
        and stem[-2] in _VOWELS
        and stem[-3] not in _VOWELS
    )


@lru_cache(maxsize=65536)
def english_stem(word: str) -> str:
    """Porter's step 1 (plurals, -ed, -ing, final y): models -> model,
    trained/training -> train, making -> make, companies/company -> compani."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("eed", "ed", "ing"):
        if not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        if suffix == "eed":
            word = stem + "ee" if len(stem) > 1 else word
        elif _has_vowel(stem) and len(stem) >= 2:
            if stem.endswith(("at", "bl", "iz")):
                stem += "e"
            elif len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]
            elif (_cvc(stem) and len(stem) <= 4) or len(stem) == 2:
                stem += "e"
            word = stem
        break
    if word.endswith("y") and _has_vowel(word[:-1]) and len(word) > 3:
        word = word[:-1] + "i"
    return word


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _SYNONYM_GROUPS.strip().splitlines():
        words = line.split()
        canonical = "≈" + words[0]
        for word in words:
            key = word if is_hangul_word(word) else english_stem(word.replace("-", ""))
            table.setdefault(key, canonical)
    return table


_SYNONYMS = _build_synonyms()


@lru_cache(maxsize=4096)
def synonym_members(word: str) -> tuple[str, ...]:
    """The Korean words of the synonym group a word belongs to ("텍스트" -> 텍스트, 글, …)."""
    group = synonym_exact(word)
    if group is None:
        return ()
    return tuple(key for key, value in _SYNONYMS.items() if value == group and is_hangul_word(key))


@lru_cache(maxsize=65536)
def synonym(word: str) -> str | None:
    """The synonym group ("≈…") a word or one of its stems belongs to, if any.
    One-syllable verb stems count here ("써요" -> 쓰다 -> ≈사용)."""
    group = _SYNONYMS.get(word)
    if group is not None:
        return group
    for candidate in strip_candidates(word):
        group = _SYNONYMS.get(candidate)
        if group is not None:
            return group
    if is_hangul_word(word):
        for n in _SUFFIX_LENGTHS:
            if len(word) > n and word[-n:] in _KO_SUFFIX_SET:
                group = _SYNONYMS.get(word[:-n])
                if group is not None:
                    return group
    return None


def synonym_exact(word: str) -> str | None:
    """The synonym group of exactly this word (no ending stripped)."""
    return _SYNONYMS.get(word)


_NOT_STOP = frozenset(("같은", "같아", "같다", "다른"))


# Years in a passage answer "when" questions: 2017 -> ≈언제.
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
WHEN = "≈언제"
_WHEN_WORDS = frozenset(("언제", "when", "year"))


def is_when(word: str) -> bool:
    """"언제", "when", "몇 년": a question about time, answered by years."""
    return word in _WHEN_WORDS


@lru_cache(maxsize=65536)
def is_stopword(word: str) -> bool:
    if is_hangul_word(word):
        return word in _KO_STOP or (word in _KO_SUFFIX_SET and word not in _NOT_STOP)
    return word in _EN_STOP or len(word) < 2 or english_stem(word) in _EN_STOP


@lru_cache(maxsize=65536)
def looks_inflected(word: str) -> bool:
    """A Korean word ending like a verb or adjective ("바뀌면", "말할"): when
    the index does not know it, it is more likely grammar than a topic."""
    return is_hangul_word(word) and any(
        len(word) > n and word[-n:] in _KO_ENDING_SET for n in _SUFFIX_LENGTHS
    )


@lru_cache(maxsize=65536)
def is_predicate(word: str) -> bool:
    """"유명해요", "나왔어요", "좋은가요": a verb or adjective form, which says
    what is asked about a topic rather than naming one."""
    return is_hangul_word(word) and (any(
        len(word) > n and word[-n:] in _PREDICATE_ENDINGS for n in _SUFFIX_LENGTHS
    ) or _contracted_before_yo(word) or _contracted_before_seo(word) or _past_quoted(word))


def _past_quoted(word: str) -> bool:
    """"달라졌다는", "나왔다는": a past verb quoted (ㅆ before 다는); 다는 alone may
    close a noun and a particle (바다는)."""
    return len(word) >= 3 and word.endswith("다는") and _coda(word[-3]) == _CODA_SS


# 와 / 워 / 돼: a verb stem and its 아/어 contracted into one syllable ("나와요",
# "배워요", "돼요"); a noun seldom ends in one.
_CONTRACTED_VOWELS = frozenset((9, 10, 14))  # ㅘ ㅙ ㅝ


def _contracted_before_yo(word: str) -> bool:
    if len(word) < 2 or word[-1] != "요" or not "가" <= word[-2] <= "힣":
        return False
    code = ord(word[-2]) - 0xAC00
    return code % 28 == 0 and (code // 28) % 21 in _CONTRACTED_VOWELS


def _contracted_before_seo(word: str) -> bool:
    """"나와서", "배워서", "돼서": a verb joined to the next clause (아서/어서 contracted
    into one syllable); "트랜스포머가 나와서 뭐가 바뀌었어요?" asks what changed, the
    coming out only sets the scene."""
    return len(word) >= 3 and word[-1] == "서" and _contracted_before_yo(word[:-1] + "요")


# Groups whose members that read as stop words are verb forms ("만들", "나와",
# "도와", "나은"): those stay out of the exception in is_stop_stem.
_VERB_GROUPS = frozenset(("≈만들", "≈출시", "≈생산성", "≈성능"))


# Nouns that read as a stopword and an ending ("수요" = 수 + 요, demand).
_LOOKS_GRAMMATICAL = frozenset(("수요",))


@lru_cache(maxsize=65536)
def is_stop_stem(word: str) -> bool:
    """The word, or what is left after an ending, is a stopword ("말에서" -> 말)."""
    if is_stopword(word):
        return True
    if not is_hangul_word(word) or word in _LOOKS_GRAMMATICAL:
        return False
    if word in _SYNONYMS and not is_predicate(word) and _SYNONYMS[word] not in _VERB_GROUPS:
        # "뭐든", "누구나", "해고": a word of a synonym group as written is that
        # idea, though it reads as a stop word and an ending. Verb forms
        # ("만들", "나와") stay grammar-like: 만들다 is asked of every kind of AI.
        return False
    # "대체할" is to replace (≈대체), though a bare "대체" is "on earth": a
    # word of a synonym group made a verb names that idea.
    return any(
        len(word) > n and word[-n:] in _KO_SUFFIX_SET and is_stopword(word[:-n])
        and not (word[:-n] in _SYNONYMS and makes_verb(word[-n:]))
        for n in _SUFFIX_LENGTHS
    )


@lru_cache(maxsize=65536)
def is_all_endings(text: str) -> bool:
    """Whether ``text`` is nothing but particles and endings one after another
    ("로는요" = 로 + 는요, "이라서요"): grammar, not a word of its own."""
    return _splits_into(text, _KO_SUFFIX_SET)


@lru_cache(maxsize=65536)
def is_all_particles(text: str) -> bool:
    """Whether ``text`` is particles only ("로는요", "이랑은"): what they follow is a noun."""
    return _splits_into(text, _PARTICLE_SET)


def _splits_into(text: str, pieces: frozenset[str]) -> bool:
    """Whether ``text`` is ``pieces`` one after another, found from the end
    backwards: a loop, not a recursion, so a 4,000-letter message is no deeper
    than a short one."""
    fits = [False] * len(text) + [True]  # fits[i]: text[i:] splits into pieces
    for start in range(len(text) - 1, -1, -1):
        fits[start] = any(
            start + n <= len(text) and fits[start + n] and text[start:start + n] in pieces for n in _SUFFIX_LENGTHS
        )
    return fits[0]


# 하다/되다 in a casual spoken form ("된거", "안됐음", "함", "한건"): only grammar,
# whatever the verb it stands for; the endings a casual question closes on.
_BARE_VERB_HEADS = frozenset("하한할함합했해되된될됨됐돼됩")
_CASUAL_CLOSING = frozenset("거 건 게 걸 음 듯 지 냐 죠".split())


@lru_cache(maxsize=65536)
def is_bare_verb(word: str) -> bool:
    """"된거", "안됐음", "한건가": 하다 or 되다 (maybe after 안/못) and endings,
    which names nothing."""
    if not is_hangul_word(word) or len(word) > 5:
        return False
    core = word[1:] if len(word) >= 2 and word[0] in "안못" else word
    if not core or core[0] not in _BARE_VERB_HEADS:
        return False
    rest = core[1:]
    return not rest or _splits_into(rest, _KO_ENDING_SET | _CASUAL_CLOSING)


# Syllables that close a word only as grammar: a noun seldom ends in them
# (a noun does end in 가, 이, 도: 주가, 나이, 포도).
_SHORT_ROOT_TAILS = frozenset("은 는 을 를 던 거 건 걸".split())


@lru_cache(maxsize=65536)
def short_root(word: str) -> bool:
    """"꼽은", "갠은", "싼거": one syllable and then a particle, an ending or a
    casual closing. What it stands for is a one-syllable verb or noun, too
    short to say what a message is about; a longer word ("와인바") is not this."""
    return is_hangul_word(word) and len(word) == 2 and word[1] in _SHORT_ROOT_TAILS


# Particles after a noun closed by a consonant ("꽃이", "밤에", "약으로"): not 도,
# 과 or 만, which close nouns of their own (속도, 결과, 불만).
_AFTER_CLOSED_NOUN = frozenset("""
이 에 에서 에는 엔 에도 에서는 으로 으로는 으론 으로도 이랑 이나 이든 한테 한테는 에게 까지 부터 처럼
보다 이라도 이라서 이라 이란 이라는 이야 이에요 이요 이랑은 으
""".split())  # (으: what is left of 으로 once 로 is cut off)


@lru_cache(maxsize=65536)
def one_syllable_noun(word: str) -> bool:
    """"꽃이", "밤에", "약으로": a one-syllable noun under a particle, too short
    to say what a message is about (as short_root's "꽃을"); the rest of the
    message says it. Two-syllable words made so (길이, 높이) are the pack's or rare."""
    return (is_hangul_word(word) and len(word) >= 2 and _coda(word[0]) not in (None, _CODA_NONE)
            and word[1:] in _AFTER_CLOSED_NOUN)


def makes_verb(tail: str) -> bool:
    """"한다던데", "됐대요": 하다/되다 after a noun, making a verb of it."""
    return tail.startswith(_VERB_MAKERS)


# What may follow a noun inside one written word and still be grammar: 하다/되다
# and friends turn a noun into a verb ("거짓말한다던데", "학습됐대요").
_VERB_MAKERS = tuple("하한할함합했해되된될됨됐돼됩") + ("시키", "시켜", "시킨", "스럽", "스러", "당하", "당한", "받")


@lru_cache(maxsize=65536)
def is_grammar_tail(tail: str) -> bool:
    """Whether ``tail``, the rest of a word after a noun, is grammar: particles
    and endings ("로는요"), a verb made of the noun ("한다던데"), or one bound
    syllable and then particles ("쪽은요", "팀이라", "수있어요")."""
    if not tail or not is_hangul_word(tail):
        return False
    if is_all_endings(tail) or is_stop_stem(tail) or tail.startswith(_VERB_MAKERS):
        return True
    rest = tail[1:]
    return is_all_endings(rest) or is_stop_stem(rest)


def strip_particles(word: str) -> str:
    """A noun under several particles ("김치찌개로는요" -> 김치찌개): strip them
    one after another while two syllables or a known one-syllable noun remain."""
    stem = word
    while True:
        shorter = default_stem(stem)
        if shorter == stem:
            return stem
        stem = shorter


def hangul_bigrams(word: str) -> list[str]:
    """Overlapping two-syllable pieces: "트랜스포머" -> 트랜, 랜스, 스포, 포머."""
    if len(word) < 2:
        return []
    return [word[i : i + 2] for i in range(len(word) - 1)]


def index_terms(text: str) -> Iterator[str]:
    """Terms a passage field is indexed under: each word's stem, its synonym
    group ("≈"), the stem's Hangul bigrams ("§") for partial and spacing
    matches, and neighbouring Hangul stems joined ("⊕") so a compound typed
    without spaces is told apart from its pieces lying in different places."""
    previous = ""
    for word in raw_words(text):
        if is_when(word):
            yield WHEN
        if is_stop_stem(word):
            previous = ""
            continue
        stem = default_stem(word)
        if is_stopword(stem):
            previous = ""
            continue
        yield stem
        if is_hangul_word(stem):
            if previous:
                yield "⊕" + previous + stem
            # Only a bare noun starts a compound: "거대 언어" yes, "강화된 학습" no.
            previous = stem if stem == word else ""
        else:
            previous = ""
        group = synonym(word)
        if group is not None:
            yield group
        if is_hangul_word(stem):
            for gram in hangul_bigrams(stem):
                yield "§" + gram


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# A one-syllable verb stem and 아/어 contract into one syllable, and the past
# adds ㅆ to it: 빼 -> 빼(서)/뺐, 쓰 -> 써/썼, 보 -> 봐/봤, 주 -> 줘/줬, 키 -> 켜/켰,
# 되 -> 돼/됐, 하 -> 해/했. By vowel index: the contracted vowel and the stem's.
_CONTRACTION = {0: (0,), 1: (1,), 4: (18, 4), 6: (20, 6), 9: (8,), 10: (11,), 14: (13,), 2: (2,)}
_STEM_TO_CONTRACTED = {18: 4, 8: 9, 13: 14, 20: 6, 11: 10, 0: 0, 1: 1, 4: 4, 2: 2}
# The endings a one-syllable stem meets in the pack's sentences ("빼고", "쓰는", "보기").
_STEM_ENDINGS = ("고", "는", "면", "기", "게", "다", "지", "던")
_CODA_SS = 20
# Words glued before a verb in a quick question ("왜뺐어요", "머썼는데", "안봤어요");
# the past markers themselves are endings, not stems.
_GLUED_ADVERBS = frozenset("뭐머왜안못잘또다")
_PAST_MARKERS = frozenset("었았였겠")


def _jamo(syllable: str) -> tuple[int, int, int] | None:
    code = ord(syllable) - _SYLLABLE_BASE
    if not 0 <= code < 11172:
        return None
    return code // 588, (code // 28) % 21, code % 28


def _syllable(initial: int, vowel: int, coda: int = 0) -> str:
    return chr(_SYLLABLE_BASE + initial * 588 + vowel * 28 + coda)


@lru_cache(maxsize=65536)
def one_syllable_verb_forms(word: str) -> tuple[str, ...]:
    """Other spellings of a one-syllable verb stem, read from the syllables:
    "뺐어요" and "뺐다" are 빼다, also written 빼고, 빼는, 빼서; "썼는데" is
    쓰다 (쓰고, 쓰는, 써요); "봤어요" is 보다. The word is the stem's
    syllable, maybe with ㅆ (past), then endings only; a leading stop word
    glued on ("왜뺐어요", "머썼는데") is set aside. Forms, not known words:
    the caller keeps those its index holds."""
    if not is_hangul_word(word):
        return ()
    starts = [0] + ([1] if len(word) >= 2 and word[0] in _GLUED_ADVERBS else [])
    forms: list[str] = []
    for start in starts:
        head, rest = word[start], word[start + 1:]
        jamo = _jamo(head)
        if jamo is None or head in _PAST_MARKERS or (rest and not is_all_endings(rest) and rest not in ("어", "음")):
            continue
        initial, vowel, coda = jamo
        if coda == _CODA_SS:
            stems = [_syllable(initial, v) for v in _CONTRACTION.get(vowel, ())]
        elif coda == 0 and rest and not is_all_particles(rest):  # "주가" is a noun and 가
            stems = [_syllable(initial, vowel)]
        else:
            continue
        for stem in stems:
            i, v, _ = _jamo(stem)  # type: ignore[misc]
            contracted = _syllable(i, _STEM_TO_CONTRACTED.get(v, v))
            forms += [stem + ending for ending in _STEM_ENDINGS]
            forms += [_syllable(i, v, _CODA_N), _syllable(i, v, _CODA_N) + "다", stem]
            forms += [contracted, contracted + "서", contracted + "요", contracted + "도"]
            forms += [_syllable(i, _STEM_TO_CONTRACTED.get(v, v), _CODA_SS) + e for e in ("", "다", "어", "어요")]
    return tuple(f for f in dict.fromkeys(forms) if f != word and not is_stopword(f))


# ㅝ and ㅘ are ㅜ/ㅗ run together with 어/아 (맞춰 = 맞추 + 어, 바꿨 = 바꾸 + 었):
# unlike ㅓ or ㅕ they never stand in a stem of their own at its end.
_UNCONTRACTED = {14: 13, 9: 8}
_CASUAL_NOUN_ENDINGS = frozenset("건 거 게 걸 데".split())


@lru_cache(maxsize=65536)
def contracted_stem_forms(word: str) -> tuple[str, ...]:
    """The stem of a longer verb whose last syllable ran together with 어/아
    ("맞춰서" -> 맞추, "바꿨어요" -> 바꾸) and of a one-syllable one before ㄴ
    and a casual 건/거 ("싼건" -> 싸), with the forms the pack may write it in
    (맞추고, 맞추는, 싸서, 싸요 …). Forms, not known words."""
    if not is_hangul_word(word) or len(word) < 2:
        return ()
    forms: list[str] = []
    for k in range(1, len(word)):
        jamo = _jamo(word[k])
        rest = word[k + 1:]
        if jamo is None or jamo[1] not in _UNCONTRACTED or jamo[2] not in (0, _CODA_SS):
            continue
        if rest and not is_all_endings(rest) and rest not in ("서", "요", "도"):
            continue
        i, v, _ = jamo
        stem = word[:k] + _syllable(i, _UNCONTRACTED[v])
        forms += [stem, *(stem + e for e in _STEM_ENDINGS), stem[:-1] + _syllable(i, _UNCONTRACTED[v], _CODA_N)]
        forms += [word[:k] + _syllable(i, v) + e for e in ("", "서", "요", "도")]
        break
    jamo = _jamo(word[0])
    if not forms and jamo is not None and jamo[2] == _CODA_N and word[1:] in _CASUAL_NOUN_ENDINGS:
        stem = _syllable(jamo[0], jamo[1])
        forms += [stem + e for e in (*_STEM_ENDINGS, "서", "요")]
    return tuple(f for f in dict.fromkeys(forms) if f != word and not is_stopword(f))


# How Latin letters are said in Korean: learners type acronyms as they sound
# ("엘엘엠", "피시", "엘엠"), so a word made only of letter names may be one.
_LETTER_NAMES: dict[str, str] = {
    "에이": "a", "비": "b", "삐": "b", "씨": "c", "시": "c", "디": "d", "이": "e", "에프": "f", "지": "g",
    "쥐": "g", "에이치": "h", "에치": "h", "아이": "i", "제이": "j", "케이": "k", "엘": "l", "엠": "m",
    "엔": "n", "오": "o", "피": "p", "큐": "q", "알": "r", "아르": "r", "에스": "s", "티": "t", "유": "u",
    "브이": "v", "뷔": "v", "더블유": "w", "엑스": "x", "와이": "y", "제트": "z", "젯": "z",
}


@lru_cache(maxsize=4096)
def spelled_letters(word: str) -> tuple[str, ...]:
    """Every way ``word`` reads as two or more Latin letter names ("엘엘엠" ->
    llm, "피시" -> pc); () when it is not made of letter names only."""
    if not is_hangul_word(word) or len(word) > 12:
        return ()

    def readings(rest: str) -> list[str]:
        if not rest:
            return [""]
        found = []
        for size in (1, 2, 3):
            letter = _LETTER_NAMES.get(rest[:size])
            if letter is not None:
                found += [letter + tail for tail in readings(rest[size:])]
        return found

    return tuple(unique(reading for reading in readings(word) if len(reading) >= 2))


def ends_closed(word: str) -> bool:
    """Whether a Korean word ends on a final consonant ("모델"), which picks 은/을/이/이랑
    over 는/를/가/랑 after it."""
    last = word.strip()[-1:]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
