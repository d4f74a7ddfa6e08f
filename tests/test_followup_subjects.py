"""A follow-up is asked of the thing last named, even when another passage answers it.

After "LLM이 뭐예요?" and two more turns about LLMs, "그거 쓰면 돈 많이 들어요?"
asks what an LLM costs: the passage under way (why LLMs lead) gives no amount,
the cost passage does, so the learner gets the cost, not "that is not in the
document". After "GPT-4o가 뭐예요?", "그거 만든 회사는 어디예요?" asks whose GPT-4o
is, which the document says (OpenAI's latest model). A detail the document
never gives of the thing (who wrote the 2017 paper) is still said to be missing.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening

NOT_IN_THE_DOCUMENT = "나오지 않"


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_what_it_costs_is_asked_of_the_llm_named_three_turns_back(client: TestClient) -> None:
    answers = conversation(client, "LLM이 뭐예요?", "그게 뭘 잘해요?", "근데 왜 다들 그것만 써요?",
                           "그거 쓰면 돈 많이 들어요?")
    assert sources(answers[-1])[:1] == ["cost.example"]
    assert NOT_IN_THE_DOCUMENT not in answers[-1]["content"]
    assert "35" in opening(answers[-1]) or "48,000" in opening(answers[-1])


def test_the_company_of_it_is_the_company_of_gpt_4o(client: TestClient) -> None:
    answers = conversation(client, "GPT-4o가 뭐예요?", "그거 만든 회사는 어디예요?")
    assert "OpenAI" in opening(answers[-1])
    assert NOT_IN_THE_DOCUMENT not in answers[-1]["content"]


def test_whose_model_gpt_4o_is_is_answered_when_asked_outright(client: TestClient) -> None:
    answers = conversation(client, "GPT-4o 만든 회사는 어디예요?")
    assert "OpenAI" in opening(answers[-1])


def test_who_wrote_the_paper_is_still_not_in_the_document(client: TestClient) -> None:
    answers = conversation(client, "Attention is All You Need가 뭐예요?", "그거 누가 썼어요?")
    assert NOT_IN_THE_DOCUMENT in answers[-1]["content"]
    assert "OpenAI" not in answers[-1]["content"]
