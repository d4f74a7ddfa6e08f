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


def test_a_thing_said_to_be_in_one_of_the_documents_categories_is_checked_where_it_is_listed(client: TestClient) -> None:
    weather = conversation(client, "날씨 예보는 분류죠?")[0]
    assert opening(weather).startswith("아니요") and "예측" in opening(weather) and "날씨 예보" in opening(weather)
    credit = conversation(client, "신용평가는 예측 쪽이겠네요?")[0]
    assert opening(credit).startswith("아니요") and "분류" in opening(credit)
    clicks = conversation(client, "광고 클릭율 맞히는 건 예측이고요?")[0]
    assert opening(clicks).startswith("네") and "예측" in opening(clicks)
    english = conversation(client, "So weather forecasting is classification, right?")[0]
    assert opening(english).startswith("No") and "prediction" in opening(english)


def test_two_categories_or_the_whole_they_belong_to_are_not_a_listed_thing(client: TestClient) -> None:
    for said in ("VAE는 확산 모델이죠?", "GAN은 확산 모델이죠?"):
        answer = conversation(client, said)[0]
        assert "의 예로 나와요" not in opening(answer), said
    narrow = conversation(client, "기존 AI는 예측만 하는 거 맞죠?")[0]
    assert opening(narrow).startswith("아니요") and "분류" in opening(narrow) and "의 예로" not in opening(narrow)


def test_amounts_said_as_shares_multiples_or_bounds_are_compared_by_value(client: TestClient) -> None:
    half = conversation(client, "GPT-3.5 turbo 쓰면 절반 가격이죠?")[0]
    assert opening(half).startswith("아니요") and "10분의 1" in opening(half)
    tenfold = conversation(client, "GPT-3.5 turbo가 열 배 싸다는 거네요?")[0]
    assert opening(tenfold).startswith("네") and "10분의 1" in opening(tenfold)
    over = conversation(client, "챗봇 상담 하루 5만원은 넘는 거죠?")[0]
    assert opening(over).startswith("아니요") and "48,000" in opening(over)


def test_of_several_amounts_the_one_said_of_the_same_thing_settles_the_claim(client: TestClient) -> None:
    tokens = conversation(client, "상담 한 건에 인풋 토큰 2,000개 쓰는 조건이었죠?")[0]
    assert opening(tokens).startswith("아니요") and "1,000" in opening(tokens)
    answers = conversation(client, "LLM 파라미터가 수십억 개 넘는다는 거죠?", "몇백만 개 수준 아니었음?")
    assert opening(answers[1]).startswith("아니요") and "수십억" in opening(answers[1])


def test_a_claim_about_the_passages_own_topic_is_checked_without_naming_it_again(client: TestClient) -> None:
    gan = conversation(client, "GAN은 생성자랑 판별자가 서로 경쟁하는 구조 그런거죠?")[0]
    assert opening(gan).startswith("네") and "판별자" in opening(gan)
    agi = conversation(client, "AGI는 사람처럼 여러 일을 고루 할 수 있는 AI라는 거죠?")[0]
    assert opening(agi).startswith("네")


def test_a_model_in_the_documents_list_of_a_kind_belongs_to_it_whichever_way_the_claim_is_said(client: TestClient) -> None:
    gan = conversation(client, "GAN도 생성형 AI예요?")[0]
    assert opening(gan).startswith("네") and "GAN" in opening(gan)
    negated = conversation(client, "GAN은 생성형 AI가 아니죠?")[0]
    assert opening(negated).startswith("아니요") and "GAN" in opening(negated)
    multimodal = conversation(client, "GPT-4는 멀티모달 모델이 아니죠?")[0]
    assert opening(multimodal).startswith("아니요") and "멀티모달" in opening(multimodal)
    english = conversation(client, "Is GAN a kind of generative AI?")[0]
    assert opening(english).startswith("Yes")
    only = conversation(client, "생성형 AI 모델은 LLM 하나뿐이에요?")[0]
    assert opening(only).startswith("아니요") and "GAN" in opening(only)


def test_a_korean_yes_or_no_agrees_with_a_claim_said_in_the_negative(client: TestClient) -> None:
    hallucination = conversation(client, "ChatGPT는 환각 문제는 없죠?")[0]
    assert opening(hallucination).startswith("아니요") and "환각" in opening(hallucination)
    encoder = conversation(client, "GPT는 인코더를 안 쓰죠?")[0]
    assert opening(encoder).startswith("네") and "디코더" in opening(encoder)
    data = conversation(client, "생성형 AI가 만드는 건 학습한 데이터랑 상관없죠?")[0]
    assert opening(data).startswith("아니요") and "학습" in opening(data)
    # A fact about another thing (the transformer) does not turn a claim about RNN over.
    rnn = conversation(client, "RNN은 긴 문장을 잘 못 다뤘다는 거죠?")[0]
    assert not opening(rnn).startswith("아니요")


def test_a_letter_of_a_spelled_out_name_is_checked_letter_by_letter(client: TestClient) -> None:
    right, wrong = conversation(client, "GPT에서 T는 트랜스포머 맞죠?", "GPT에서 P는 프롬프트 아니에요?")
    assert opening(right).startswith("네") and "Transformer" in opening(right)
    assert opening(wrong).startswith("아니요") and "Pre-trained" in opening(wrong)
    english = conversation(client, "The T in GPT is for text, right?")[0]
    assert opening(english).startswith("No") and "Transformer" in opening(english)


def test_a_superlative_the_document_does_not_state_gets_no_yes(client: TestClient) -> None:
    answer = conversation(client, "VAE는 의료 분야에서 제일 많이 쓰이는 거죠?")[0]
    assert not opening(answer).startswith(("네", "아니요")) and "제일" in opening(answer)
    assert "의료" in opening(answer) and "주류" in opening(answer)
    stated = conversation(client, "텍스트 데이터가 제일 모으기 쉬운 거죠?")[0]
    assert opening(stated).startswith("네") and "가장 쉬운" in opening(stated)
    core = conversation(client, "즉 어텐션이 제일 핵심이라는 거네요?")[0]
    assert opening(core).startswith("네") and "핵심" in opening(core)
