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
    same = conversation(client, "어텐션이랑 트랜스포머는 같은 거죠?")[0]
    assert opening(same).startswith("아니요")


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
