"""A learner checking their understanding — restating what they learnt ("그러니까 …라는 거죠?"),
piling up or misspelling confirmation words ("맞죠 그쵸?", "맞져"), stating a number or a year,
narrowing with 만, or saying something does not hold — gets the verdict first, then the fact."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_a_restatement_that_swaps_in_a_word_the_document_never_uses_gets_no_yes(client: TestClient) -> None:
    answer = conversation(client, "그러니까 GAN은 생성자랑 판별자가 서로 협력하는 구조라는 거죠?")[0]
    assert not opening(answer).startswith("네") and "경쟁" in opening(answer)
    meaning = conversation(client, "그러니까 위치 인코딩은 단어 뜻을 알려주는 거죠?")[0]
    assert not opening(meaning).startswith("네") and "자리" in opening(meaning)


def test_confirmation_words_piled_after_a_true_claim_still_get_a_yes(client: TestClient) -> None:
    answer = conversation(client, "RNN은 시퀀스 데이터 처리에 강했던 모델 맞죠 그쵸?")[0]
    assert opening(answer).startswith("네") and "시퀀스" in opening(answer)


def test_a_wrong_count_gets_a_no_with_the_documents_count(client: TestClient) -> None:
    answer = conversation(client, "LLM 파라미터는 한 1억 개 정도 되죠?")[0]
    assert opening(answer).startswith("아니요") and "수십억" in opening(answer)


def test_a_wrong_year_gets_a_no_and_a_right_one_no_no(client: TestClient) -> None:
    wrong = conversation(client, "엘리자는 1946년에 나온 거죠?")[0]
    assert opening(wrong).startswith("아니요") and "1964" in opening(wrong)
    paper = conversation(client, "트랜스포머 논문은 2015년에 나온 거 맞죠?")[0]
    assert opening(paper).startswith("아니요") and "2017" in opening(paper)
    right = conversation(client, "트랜스포머 논문은 2017년에 나온 거 맞죠?")[0]
    assert not opening(right).startswith("아니요") and "2017" in opening(right)


def test_a_wrong_price_gets_a_no_and_the_right_one_a_yes(client: TestClient) -> None:
    wrong, right = (conversation(client, said)[0] for said in (
        "하루 상담 천 건이면 48만원 정도 드는 거 맞죠?", "하루 천 건 상담에 48,000원 정도 드는 거죠?"))
    assert opening(wrong).startswith("아니요") and "48,000원" in wrong["content"]
    assert opening(right).startswith("네") and "48,000원" in right["content"]


def test_a_claim_narrowed_with_man_gets_a_no_naming_the_rest(client: TestClient) -> None:
    answer = conversation(client, "기존 AI는 예측만 하는 거죠?")[0]
    assert opening(answer).startswith("아니요") and "분류" in opening(answer)


def test_an_english_so_basically_restatement_gets_a_yes(client: TestClient) -> None:
    answer = conversation(client, "so an LLM is basically a kind of generative AI, right?")[0]
    assert opening(answer).startswith("Yes") and "generative AI" in opening(answer)
