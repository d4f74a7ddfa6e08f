"""A yes/no fact's 네 or 아니요 answers the learner's claim only when the claim lines up with
what the fact's question claims (its relation, whether it compares, its negation); a claim
that only shares words with a fact gets the document's sentence, and a verdict only from
what settles it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_a_fact_about_sameness_gives_no_verdict_to_a_claim_about_a_core(client: TestClient) -> None:
    core = conversation(client, "트랜스포머의 핵심은 어텐션 메커니즘이죠?")[0]
    assert not opening(core).startswith("아니요") and "핵심" in opening(core)
    # The fact's sentence on sameness goes with its verdict; what it says of the core settles the claim.
    short = conversation(client, "트랜스포머 핵심이 어텐션 맞죠?")[0]
    assert opening(short).startswith("네") and "같은 건 아니" not in opening(short) and "핵심" in opening(short)
    same = conversation(client, "어텐션이랑 트랜스포머는 같은 거죠?")[0]
    assert opening(same).startswith("아니요")
    # Naming only the two things, a claim asks the sameness in other words.
    identity = conversation(client, "어텐션이 곧 트랜스포머죠?")[0]
    assert opening(identity).startswith("아니요")


def test_a_claim_of_likeness_is_not_answered_by_a_comparison_it_does_not_make(client: TestClient) -> None:
    alike = conversation(client, "트랜스포머도 RNN마냥 단어를 하나씩 차례로 처리하죠?")[0]
    assert opening(alike).startswith("아니요") and "동시" in opening(alike)
    # A comparison with its other side unsaid still takes the comparing fact's verdict.
    cheaper = conversation(client, "3.5 터보 쓰면 더 싸다 아이가?")[0]
    assert opening(cheaper).startswith("네") and "10분의 1" in opening(cheaper)
    # As does a plain claim the comparison says most of.
    rnn = conversation(client, "RNN은 긴 문장을 잘 못 다뤘다는 거죠?")[0]
    assert opening(rnn).startswith("네")


def test_a_negation_in_a_granted_condition_does_not_turn_the_claim_over(client: TestClient) -> None:
    code = conversation(client, "프로그래밍 몰라도 AI로 코드 짤 수 있다는 거죠?")[0]
    assert opening(code).startswith("네") and "코드" in opening(code)


def test_a_claim_keeping_to_some_what_the_document_gives_everyone_is_a_no(client: TestClient) -> None:
    only = conversation(client, "LLM은 프로그래머만 쓸 수 있는 거죠?")[0]
    assert opening(only).startswith("아니요") and "누구나" in opening(only)


def test_a_claim_that_both_hold_is_a_no_when_the_document_keeps_one(client: TestClient) -> None:
    both = conversation(client, "GPT는 인코더랑 디코더 둘 다 쓰죠?")[0]
    assert opening(both).startswith("아니요") and "디코더만" in opening(both)


def test_a_comparison_is_checked_against_where_the_document_puts_its_subject_on_the_scale(client: TestClient) -> None:
    harder = conversation(client, "텍스트 데이터가 이미지보다 모으기 어렵죠?")[0]
    assert opening(harder).startswith("아니요") and "쉬운" in opening(harder)
    easier = conversation(client, "텍스트가 이미지보다 모으기 쉽죠?")[0]
    assert opening(easier).startswith("네") and "쉬운" in opening(easier)


def test_a_decade_is_checked_against_the_year_the_document_gives_the_thing(client: TestClient) -> None:
    wrong = conversation(client, "ELIZA는 1970년대 프로그램이죠?")[0]
    assert opening(wrong).startswith("아니요") and "1964" in opening(wrong)


def test_a_negated_claim_is_turned_over_by_a_fact_naming_its_subject_elsewhere(client: TestClient) -> None:
    deepfake = conversation(client, "GAN은 요즘 딥페이크에는 안 쓰이죠?")[0]
    assert opening(deepfake).startswith("아니요") and "딥페이크" in opening(deepfake)


def test_an_amount_counted_per_something_is_not_the_amount_claimed(client: TestClient) -> None:
    tokens = conversation(client, "인풋 토큰은 한 건당 1,000개 맞죠?")[0]
    assert not opening(tokens).startswith("아니요")
    wrong = conversation(client, "인풋 토큰은 한 건당 2,000개 맞죠?")[0]
    assert opening(wrong).startswith("아니요") and "1,000" in opening(wrong)


def test_a_superlative_the_document_never_states_is_said_to_go_further_than_it(client: TestClient) -> None:
    best = conversation(client, "Claude 3.5 Sonnet이 제일 성능 좋은 LLM이죠?")[0]
    assert not opening(best).startswith(("네", "아니요")) and "말하지 않" in opening(best)


def test_a_claim_that_a_thing_is_the_best_is_a_no_when_the_document_sets_another_above_it(client: TestClient) -> None:
    best = conversation(client, "GAN이 이미지 만드는 데 젤 성능 좋은 모델이죠?")[0]
    assert opening(best).startswith("아니요") and "확산 모델이 GAN보다" in opening(best)
    # Nothing set above VAE: the document only does not go as far as 제일.
    vae = conversation(client, "VAE는 의료 분야에서 제일 많이 쓰이는 거죠?")[0]
    assert not opening(vae).startswith(("네", "아니요")) and "제일" in opening(vae)


def test_a_claim_the_learner_heard_is_checked_like_one_they_state(client: TestClient) -> None:
    decoder = conversation(client, "GPT는 디코더만 쓴다면서요?")[0]
    assert opening(decoder).startswith("네") and "디코더만" in opening(decoder)
    medicine = conversation(client, "VAE는 의료 쪽에서도 쓰인다면서요?")[0]
    assert opening(medicine).startswith("네") and "의료" in opening(medicine)
    encoder = conversation(client, "GPT는 인코더만 쓴다면서요?")[0]
    assert opening(encoder).startswith("아니요")


def test_a_comparison_with_its_other_side_unsaid_is_checked_against_one_naming_both(client: TestClient) -> None:
    dearer = conversation(client, "GPT-3.5 turbo가 더 비싸죠?")[0]
    assert opening(dearer).startswith("아니요") and "10분의 1" in opening(dearer)
    cheaper = conversation(client, "GPT-3.5 turbo가 더 싸죠?")[0]
    assert opening(cheaper).startswith("네") and "10분의 1" in opening(cheaper)
