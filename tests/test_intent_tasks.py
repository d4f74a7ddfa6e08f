"""The tutor declines jobs done for the learner, and still answers questions
about what AI does, even when both share words with a lesson."""

from __future__ import annotations

import pytest

from tutor.knowledge import intent as intents
from tutor.knowledge.planner import plan_turn
from tutor.knowledge.retrieval import Retriever
from tutor.providers.base import ChatMessage

JOBS = [
    # Korean: write, code, fix, recommend, draw, translate, solve, "tell me" about nothing in the document.
    "수학 숙제 답 알려줘",
    "영화 추천해 줘",
    "사과 메일 좀 써 줘",
    "내 이력서 고쳐 줘",
    "파이썬 코드 짜 줘",
    "자기소개서 써 주세요",
    "고양이 그림 그려 줘",
    "이 문장 영어로 번역해 줘",
    "주식 종목 추천해 줘",
    "엑셀 함수 짜 주세요",
    "여행 계획 짜 줘",
    "생일 축하 노래 만들어 줘",
    "영어 숙제 좀 해 줘",
    "보고서 요약해 줘",
    "수학 문제 풀어 줘",
    "좋은 영화 알려줘",
    "저녁 메뉴 골라 줄래?",
    "발표 자료 만들어 주실 수 있나요?",
    # English.
    "Recommend me a movie",
    "Write my essay about dogs",
    "Write me a poem about spring",
    "Can you fix my resume?",
    "Solve this math problem for me",
    "Translate this sentence into French",
    "Draw me a cat",
    "Help me write a cover letter",
    "Please proofread my email",
    "Could you code a website for my shop?",
    "Book me a flight to Jeju",
    "Tell me a joke",
    "I need you to plan my trip to Busan",
    "Find me a cheap laptop",
]


@pytest.mark.parametrize("message", JOBS)
def test_a_job_for_the_learner_is_declined(retriever: Retriever, message: str) -> None:
    plan = plan_turn(retriever, message)
    assert plan.activity == "decline", (plan.intent, [h.passage.id for h in plan.hits])
    assert plan.hits == ()
    assert plan.suggestions, "a decline still offers questions about the document"


QUESTIONS_ABOUT_AI = [
    # (message, passages that answer it: one of them must be among the hits)
    ("넷플릭스가 영화 골라주는 것도 AI예요?", {"traditional-ai.prediction"}),
    ("AI가 코드를 짜 준다는 게 무슨 뜻이에요?", {"transformer.impact"}),
    ("챗봇이 상담원을 대신 한다고요?", {"llm-leads.replace-people"}),
    ("번역기도 LLM이에요?", {"llm-leads.replace-people", "llm.abilities"}),
    ("AI가 그림도 그려 줘요?", {"generative-ai.examples", "models.diffusion", "multimodal.definition"}),
    ("LLM이 번역도 해 주나요?", {"llm-leads.replace-people", "llm.abilities"}),
    ("GAN 설명해 줘", {"models.gan"}),
    ("트랜스포머 알려줘", {"transformer.paper", "llm-leads.transformer"}),
    ("어텐션 설명해 주세요", {"transformer.attention"}),
    ("GPT가 뭔지 가르쳐 줘", {"chatgpt.gpt-name"}),
    ("GAN이랑 VAE 비교해 줘", {"models.vae", "models.limits", "models.gan"}),
    ("스팸 필터 알려줘", {"traditional-ai.classification"}),
    ("추천 엔진 설명해 줘", {"traditional-ai.prediction"}),
    ("왜 LLM이 주류가 됐는지 알려줘", {"llm-leads.summary", "llm-leads.data", "llm-leads.demand"}),
    ("LLM 쓰는 데 돈이 얼마나 드는지 알려줘", {"cost.example"}),
    ("Can AI write code?", {"transformer.impact"}),
    ("How does Netflix recommend movies?", {"traditional-ai.prediction"}),
    ("Explain transformers to me", {"transformer.paper", "llm-leads.transformer"}),
    ("Tell me about GANs", {"models.gan"}),
    ("Tell me how attention works", {"transformer.attention"}),
    ("Could you explain what an LLM is?", {"llm.definition"}),
    ("Is a translator an LLM?", {"llm-leads.replace-people", "llm.abilities"}),
]


@pytest.mark.parametrize(("message", "expected"), QUESTIONS_ABOUT_AI)
def test_a_question_about_what_ai_does_is_answered(
    retriever: Retriever, message: str, expected: set[str]
) -> None:
    plan = plan_turn(retriever, message)
    assert plan.intent == "question"
    assert expected & {hit.passage.id for hit in plan.hits}, [h.passage.id for h in plan.hits]


def test_a_request_quoted_in_a_question_is_a_question(retriever: Retriever) -> None:
    plan = plan_turn(retriever, "AI한테 코드 짜 달라고 하면 진짜 짜 줘요?")
    assert plan.intent == "question" and plan.hits


@pytest.mark.parametrize(
    ("message", "intent"),
    [("예를 들어 줘", "example"), ("더 쉽게 설명해 줘", "simpler"), ("Give me an example", "example")],
)
def test_teaching_requests_keep_working_on_the_current_topic(
    retriever: Retriever, message: str, intent: str
) -> None:
    history = [ChatMessage("user", "GAN이 뭐예요?"), ChatMessage("assistant", "GAN은 두 모델이 겨루며 배워요.")]
    plan = plan_turn(retriever, message, history, covered=["models.gan"])
    assert plan.intent == intent
    assert plan.hits


@pytest.mark.parametrize("message", ["두 번째 이유 알려줘", "나머지도 알려줘", "좀 더 자세히 알려줘", "수요 얘기 더 해 줘"])
def test_a_follow_up_request_continues_the_lesson(retriever: Retriever, message: str) -> None:
    first = "LLM이 주류가 된 이유가 뭐예요?"
    history = [ChatMessage("user", first), ChatMessage("assistant", "이유는 네 가지예요. 데이터가 많고…")]
    plan = plan_turn(retriever, message, history, covered=["llm-leads.summary"])
    assert plan.intent == "question" and plan.hits


@pytest.mark.parametrize("message", ["좋은 영화 알려줘", "넷플릭스 영화 추천해 줘"])
def test_a_job_mid_conversation_is_still_declined(retriever: Retriever, message: str) -> None:
    history = [ChatMessage("user", "기존 AI는 뭘 했어요?"), ChatMessage("assistant", "예측과 분류를 했어요.")]
    plan = plan_turn(retriever, message, history, covered=["traditional-ai.prediction"])
    assert plan.activity == "decline" and plan.hits == ()


def test_a_road_is_not_long(retriever: Retriever) -> None:
    """"AGI로 가는 길" (the road to AGI) is not about long sentences, and back."""
    long_text = [hit.passage.id for hit in retriever.search("길고 복잡한 문장도 이해해요?")]
    assert "agi.why-multimodal" not in long_text
    assert "transformer.attention" in long_text
    road = retriever.search("AGI로 가는 길은 뭐예요?")
    assert road and road[0].passage.lesson_id == "agi"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("회사 보고서때문에 그런데 챗봇 비용 얼마예요?", "챗봇 비용 얼마예요?"),
        ("디자이너인데요 그림 만드는 ai 종류가 뭐예요?", "그림 만드는 ai 종류가 뭐예요?"),
        ("애가 물어봐서요 챗gpt가 거짓말한다던데 진짜에요?", "챗gpt가 거짓말한다던데 진짜에요?"),
    ],
)
def test_a_clause_saying_why_the_learner_asks_is_set_aside(text: str, question: str) -> None:
    assert intents.without_context_clause(text) == question


@pytest.mark.parametrize("text", ["GAN 때문에 그런데 뭐예요?", "LLM은 큰데 왜 빨라요?", "어디서요 그거 들었어요?"])
def test_a_clause_that_is_part_of_the_question_stays(text: str) -> None:
    assert intents.without_context_clause(text) == text


@pytest.mark.parametrize(
    ("message", "simpler"),
    [
        ("Diffusion이 뭐예요? 이름이 어려워요", False),
        ("ㅠㅠ 어렵네요 더 쉽게요", True),
        ("이거 한국어로 다시 설명해 줄래요? 좀 어렵네", True),
        ("그게 뭐예요? 어려워요", True),
        ("트랜스포머가 뭐예요? 너무 어려워요 쉽게 설명해 주세요", True),
    ],
)
def test_finding_a_name_hard_beside_a_question_of_its_own_asks_that_question(message: str, simpler: bool) -> None:
    assert intents.wants_simpler(message)[1] is simpler


@pytest.mark.parametrize(
    ("message", "progress"),
    [
        ("저 오늘 얼마나 한 거예요?", True),
        ("지금까지 몇 개나 배운 거예요?", True),
        ("제가 지금까지 어느 부분을 공부했는지 알 수 있을까요?", True),
        ("학습을 얼마나 한 거예요?", False),
        ("트랜스포머는 몇 개나 배운 거예요?", False),
    ],
)
def test_how_much_the_learner_has_done_asked_with_any_verb_is_progress(message: str, progress: bool) -> None:
    assert intents.wants_progress(message) is progress


@pytest.mark.parametrize("message", ["고맙다 손녀한테도 알려줘야겠네", "감사해요 다음에 또 올게요"])
def test_thanks_with_what_the_learner_means_to_do_next_is_thanks(message: str) -> None:
    assert intents.is_acknowledgement(message)


def test_thanks_with_a_request_is_not_only_thanks() -> None:
    assert not intents.is_acknowledgement("감사해요 그럼 다음은 뭐 배워요?")
    assert not intents.is_acknowledgement("고마워요 근데 GAN도 알려줘")


def test_a_greeting_with_the_learners_own_next_thing_is_still_a_greeting() -> None:
    from tutor.knowledge.intent import is_greeting_with_context

    assert is_greeting_with_context("hey! quick q before my next class")
    assert not is_greeting_with_context("hi, next please") and not is_greeting_with_context("hello what is next")
