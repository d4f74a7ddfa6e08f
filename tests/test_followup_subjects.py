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


# Follow-ups that inherit the previous turn's subject or question kind.


def test_how_many_a_day_after_the_cost_is_the_count_it_assumes(client: TestClient) -> None:
    answers = conversation(client, "챗봇 하나 돌리는데 돈 얼마나 들어요?", "하루에 몇 건이에요?")
    assert NOT_IN_THE_DOCUMENT not in answers[-1]["content"]
    assert "1,000건" in opening(answers[-1])


def test_before_it_after_what_the_transformer_is_is_the_rnn(client: TestClient) -> None:
    answers = conversation(client, "트랜스포머가 뭐예요?", "그 전에는요?")
    assert sources(answers[-1])[:1] == ["transformer.vs-rnn"]
    assert "RNN" in opening(answers[-1])


def test_before_it_after_why_an_event_mattered_is_what_that_answer_tells(client: TestClient) -> None:
    answers = conversation(client, "트랜스포머 등장을 '창세기적 사건'이라고까지 부른 이유는요?", "그럼 그 전엔?")
    assert sources(answers[-1])[:1] == ["transformer.impact"]
    assert "개발자" in answers[-1]["content"] or "엔지니어" in answers[-1]["content"]


def test_and_x_asks_the_last_question_again_of_x(client: TestClient) -> None:
    korean = conversation(client, "GAN은 어디에 써요?", "VAE는요?")
    english = conversation(client, "What is GAN used for?", "What about VAE?")
    # Where VAEs are used (medicine, research labs), not what a VAE is.
    assert "의료" in opening(korean[-1]) and "연구" in opening(korean[-1])
    assert "medicine" in opening(english[-1]) and "lab" in opening(english[-1])


def test_and_x_of_another_sort_is_not_swapped_into_the_question(client: TestClient) -> None:
    answers = conversation(client, "ChatGPT가 뭐가 그렇게 대단하다는 거예요?", "그럼 비판은요?")
    assert "chatgpt.concerns" in sources(answers[-1])
    assert "환각" in answers[-1]["content"]
