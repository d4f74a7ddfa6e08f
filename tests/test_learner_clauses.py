"""Talk about the learner around a question, and details the document never gives.

"낼 수행평가라 급한데 llm이 뭐임" asks what an LLM is; "나이 먹어서 그런가
어렵네요 그럼 토큰은 뭐예요" asks what a token is, not for the last answer said
more simply. A time taken, a share or a price per token, which the document
never gives, is said to be unsaid, with the nearest thing it does say.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def _sources(answer: dict) -> list[str]:
    return [source["id"] if isinstance(source, dict) else source for source in answer["sources"]]


@pytest.mark.parametrize(
    ("wrapped", "bare"),
    [("낼 수행평가라 급한데 llm이 뭐임", "llm이 뭐임"),
     ("제가 문과라 잘 모르는데 GAN이 뭐예요?", "GAN이 뭐예요?")],
)
def test_a_clause_joined_by_nde_gets_the_answer_the_question_alone_gets(
    client: TestClient, wrapped: str, bare: str
) -> None:
    with_clause, alone = conversation(client, wrapped)[0], conversation(client, bare)[0]
    assert opening(with_clause) == opening(alone)
    assert _sources(with_clause)[0] == _sources(alone)[0]


def test_a_remark_that_it_is_hard_before_a_new_question_asks_that_question(client: TestClient) -> None:
    _, token = conversation(client, "챗봇 돌리면 비용 얼마나 들어요?", "나이 먹어서 그런가 어렵네요 그럼 토큰은 뭐예요")
    assert "조각" in token["content"] and not opening(token).startswith("더 쉽게")


def test_finding_it_hard_and_asking_for_it_simpler_still_gets_it_simpler(client: TestClient) -> None:
    answer = conversation(client, "LLM 너무 어려운데 좀 쉽게 설명해줄래요?")[0]
    assert opening(answer).startswith("더 쉽게")


@pytest.mark.parametrize(
    ("question", "nearest"),
    [("Stable Diffusion으로 이미지 한장 만드는데 몇초 걸려요?", ("확산", "노이즈")),
     ("예측 AI는 정확도가 몇 퍼센트 정도에요?", ("추천", "날씨")),
     ("트랜스포머 학습시키는데 몇달 걸려요?", ("트랜스포머",))],
)
def test_a_time_taken_or_a_share_the_document_never_gives_is_said_to_be_unsaid(
    client: TestClient, question: str, nearest: tuple[str, ...]
) -> None:
    answer = conversation(client, question)[0]
    assert "나오지 않" in opening(answer)
    assert any(word in answer["content"] for word in nearest), answer["content"]


def test_a_price_per_token_is_unsaid_but_the_tokens_a_chat_uses_are_given(client: TestClient) -> None:
    _, per_token, count = conversation(client, "챗봇 돌리면 비용 얼마나 들어요?", "토큰 1개당 가격은 얼마에요?",
                                       "토큰 몇 개 써요?")
    assert "나오지 않" in opening(per_token)
    assert any(figure in per_token["content"] for figure in ("35달러", "48,000", "5만"))
    assert "1,000개" in opening(count) and "나오지 않" not in count["content"]


def test_a_product_typed_in_hangul_is_the_one_the_document_names(client: TestClient) -> None:
    _, claude = conversation(client, "회사 보고서 써야 돼서 그러는데 LLM 비용 좀", "클로드로 하면 얼마에요?")
    assert "나오지 않" in opening(claude) and "35달러" in claude["content"]


def test_the_nearest_thing_to_who_made_it_is_the_sentence_naming_it(client: TestClient) -> None:
    answer = conversation(client, "ELIZA는 누가 만들었어요?")[0]
    assert "나오지 않" in answer["content"] and "1964" in answer["content"]


def test_a_question_pointing_at_the_clause_keeps_the_clause(client: TestClient) -> None:
    # "그것" is the app the clause tells of: the answer is about making pictures, and says yes.
    answer = conversation(client, "애들이 말하면 그림 그려주는 앱이 있던데 그것도 생성형이에요?")[0]
    assert opening(answer).startswith("네") and "generative-ai.examples" in _sources(answer)


def test_a_question_that_names_nothing_but_its_clause_asks_about_the_clause(client: TestClient) -> None:
    # "원인 뭐같아요" asks the cause of the warning light the clause tells of: outside the document.
    answer = conversation(client, "LLM이 뭐예요?", "제 차 엔진오일 경고등 뜨는데 원인 뭐같아요")[1]
    assert answer["activity"] == "decline" and not answer["sources"]
