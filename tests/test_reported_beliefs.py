"""A belief the learner heard elsewhere ("…다고 들었어요", "…라던데요?", "I heard …")
is a claim to check: the answer opens with yes or no and the fact that decides it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_a_comparison_heard_the_wrong_way_round_gets_a_no_in_either_language(client: TestClient) -> None:
    korean = conversation(client, "확산 모델은 GAN보다 성능이 떨어진다고 들었어요")[0]
    assert opening(korean).startswith("아니요") and "GAN보다" in opening(korean)
    english = conversation(client, "I heard diffusion models are worse than GANs")[0]
    assert opening(english).startswith("No") and "better than GANs" in opening(english)


def test_a_heard_belief_with_words_of_its_own_is_still_corrected(client: TestClient) -> None:
    answer = conversation(client, "텍스트 데이터는 모으기 제일 어렵고 비싸서 LLM이 힘들다던데요?")[0]
    assert opening(answer).startswith("아니요") and "쉬운" in opening(answer)
    friend = conversation(client, "My friend says ChatGPT never makes mistakes")[0]
    assert opening(friend).startswith("No") and "hallucination" in opening(friend)


def test_a_belief_with_a_must_clause_is_answered_from_the_fact(client: TestClient) -> None:
    answer = conversation(client, "Llama 3는 돈 내야만 쓸 수 있는 비공개 모델이죠?")[0]
    assert opening(answer).startswith("아니요") and "오픈 소스" in opening(answer)


def test_dropping_the_encoder_is_fine_and_costs_nothing_for_writing_text(client: TestClient) -> None:
    _, fine, worse = conversation(client, "GPT는 뭘 뺐어요?", "빼도 괜찮아요?", "그럼 빼면 성능 떨어지는거 아니에요?")
    assert opening(fine).startswith("네") and "문제가 없" in opening(fine)
    assert opening(worse).startswith("아니요") and "텍스트 생성" in opening(worse)


def test_whether_the_author_sees_it_positively_is_a_yes_with_what_he_sees_ahead(client: TestClient) -> None:
    _, positive = conversation(client, "ChatGPT 문제점은 없어요?", "그래도 글쓴이는 긍정적으로 봐요?")
    assert opening(positive).startswith("네") and ("성장" in opening(positive) or "밝" in opening(positive))


def test_a_yes_no_about_a_measure_is_answered_on_that_measure(client: TestClient) -> None:
    faster = conversation(client, "Transformer는 RNN보다 학습이 빨라요?")[0]
    assert opening(faster).startswith("네") and "빠르" in opening(faster)


def test_a_short_yes_no_is_not_answered_by_a_yes_no_about_something_else(client: TestClient) -> None:
    _, problems = conversation(client, "ChatGPT 언제 나왔어요?", "문제점은 없어요?")
    assert not opening(problems).startswith("네, ChatGPT는") and "LLM으로 돌아가는 서비스" not in opening(problems)
