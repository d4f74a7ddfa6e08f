"""A learner checking a claim — "X도 Y예요?", "~인 줄 알았는데", "A가 B보다 먼저죠?", a year
after a name, "So X, right?" — gets 네 or 아니요 first when
the document settles it, then the fact; no verdict when the document does not settle it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_being_a_kind_of_ai_is_not_being_generative_ai(client: TestClient) -> None:
    generative = conversation(client, "추천 엔진도 생성형 AI예요?")[0]
    assert opening(generative).startswith("아니요") and "예측" in opening(generative)
    spam = conversation(client, "스팸 메일 거르는 것도 생성형 AI예요?")[0]
    assert opening(spam).startswith("아니요") and "분류" in opening(spam)
    plain = conversation(client, "추천 엔진도 AI예요?")[0]
    assert opening(plain).startswith("네") and "예측" in opening(plain)


def test_a_belief_with_a_rough_count_gets_a_no_with_the_documents_count(client: TestClient) -> None:
    answer = conversation(client, "LLM 파라미터가 수백만 개 정도인 줄 알았는데")[0]
    assert opening(answer).startswith("아니요") and "수십억" in opening(answer)


def test_which_came_first_is_settled_by_the_documents_dates(client: TestClient) -> None:
    first = conversation(client, "ELIZA가 ChatGPT보다 먼저 나온거죠?")[0]
    assert opening(first).startswith("네") and "1964" in opening(first) and "2022" in opening(first)
    turned = conversation(client, "ChatGPT가 ELIZA보다 먼저 나온거죠?")[0]
    assert opening(turned).startswith("아니요") and "1964" in opening(turned)


def test_a_year_right_after_a_name_dates_it(client: TestClient) -> None:
    right = conversation(client, "ChatGPT 2022년에 나온 거 맞죠?")[0]
    assert opening(right).startswith("네") and "2022" in opening(right)
    wrong = conversation(client, "ChatGPT 2020년에 나온 줄 알았는데")[0]
    assert opening(wrong).startswith("아니요") and "2022" in opening(wrong)


def test_a_year_is_checked_even_when_the_document_says_little_else_of_the_thing(client: TestClient) -> None:
    right = conversation(client, "ELIZA는 1964년 맞아요?")[0]
    assert opening(right).startswith("네") and "1964" in opening(right)
    wrong = conversation(client, "ELIZA는 1970년 맞아요?")[0]
    assert opening(wrong).startswith("아니요") and "1964" in opening(wrong)


def test_an_english_amount_with_right_gets_yes_or_no(client: TestClient) -> None:
    right = conversation(client, "So the support chatbot costs about 35 dollars a day, right?")[0]
    assert opening(right).startswith("Yes") and "$35" in opening(right)
    wrong = conversation(client, "So the support chatbot costs about 350 dollars a day, right?")[0]
    assert opening(wrong).startswith("No") and "$35" in opening(wrong)


def test_a_belief_at_the_other_end_of_the_scale_gets_a_no(client: TestClient) -> None:
    answer = conversation(client, "텍스트 데이터가 모으기 제일 어려운 줄 알았어요")[0]
    assert opening(answer).startswith("아니요") and "쉬운" in opening(answer)


def test_claims_the_document_does_not_settle_get_no_verdict(client: TestClient) -> None:
    for said in ("그러니까 위치 인코딩은 단어 뜻을 알려주는 거죠?", "Stable Diffusion도 GAN 써요?",
                 "GPT-4는 파라미터가 1조 개 맞죠?"):
        answer = conversation(client, said)[0]
        assert not opening(answer).startswith(("네", "아니요")), said
    used = conversation(client, "Stable Diffusion도 확산 모델 써요?")[0]
    assert opening(used).startswith("네") and "Stable Diffusion" in opening(used)
