""""Which is better?" is answered with what the document says, or with the plain fact that it does not say.

Played through the real service (offline tutor), as a learner would see it.
In Korean the two things come before 보다 ("LLM이 VAE보다 좋아요?": LLM set
against VAE); a sentence that only names both ("GPT-4o나 Claude를 써 보셨다면")
does not rank them; a "more" the document does give ("LLM의 기능을 넓혀 더
풍부한 …") answers it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_two_things_the_document_never_ranks_are_said_to_be_unranked(client: TestClient) -> None:
    answer = conversation(client, "LLM이 VAE보다 좋아요?")[0]
    assert "나오지 않" in opening(answer) and not opening(answer).startswith(("네", "아니요"))
    # What it does say of each: the LLM's definition and where VAEs are still used.
    assert "거대언어모델" in answer["content"] and "의료" in answer["content"]
    english = conversation(client, "Is an LLM smarter than a VAE?")[0]
    assert "doesn't say which" in opening(english)
    assert "Large Language Model" in english["content"] and "medicine" in english["content"]


def test_a_better_the_document_gives_is_answered_with_it(client: TestClient) -> None:
    # Diffusion against GAN, the subject before 보다: the document's own comparison.
    diffusion = conversation(client, "확산 모델이 GAN보다 좋아요?")[0]
    assert "GAN보다" in opening(diffusion) and "나오지 않" not in opening(diffusion)
    # Multimodal against LLM, the one the conversation is on being named again.
    _, multimodal = conversation(client, "멀티모달이 뭐예요?", "그럼 멀티모달이 LLM보다 좋은거에요?")
    assert "풍부" in opening(multimodal) and "나오지 않" not in opening(multimodal)


def test_better_than_the_earlier_models_after_the_transformer_paper(client: TestClient) -> None:
    # The lesson's title names LLMs after its colon; the paper is about the Transformer, not LLMs.
    _, better = conversation(client, "Attention is All You Need 논문이 뭐예요?", "그럼 기존 모델보다 뭐가 나아졌는데요")
    assert "복잡한 구조" in opening(better) and "성능" in opening(better)


def test_the_two_just_compared_are_what_which_of_the_two_asks_about(client: TestClient) -> None:
    # "둘 중에": the two the last question set side by side; what is new of them, not the same sentence again.
    first, which = conversation(client, "GAN이랑 확산모델 뭐가 달라요?", "둘 중에 뭐가 더 좋아요?")
    assert "GAN보다" in opening(first)
    assert "GAN보다" in opening(which) and "노이즈" in opening(which) and opening(which) != opening(first)
    # A message naming nothing but "the two" is no question outside the lessons.
    _, better = conversation(client, "RNN이랑 트랜스포머 차이가 뭐예요", "그래서 둘중에 뭐가 더 나아요?")
    assert opening(better).startswith("트랜스포머") and "긴" in opening(better)
    _, english = conversation(client, "What's the difference between a GAN and a VAE?", "which of the two is better?")
    assert "doesn't say which" in opening(english) and "medicine" in english["content"]


def test_why_it_is_better_asks_the_reason_of_the_comparison_just_made(client: TestClient) -> None:
    # "더" here is the comparison's "more", not a request for more models; the document gives no cause.
    _, why = conversation(client, "GAN이랑 확산모델 뭐가 달라요?", "왜 더 좋은건데요??")
    assert {"models.diffusion"} & {source["id"] for source in why["sources"][:1]}
    assert "나오지 않" in opening(why) and "GAN보다" in opening(why)
