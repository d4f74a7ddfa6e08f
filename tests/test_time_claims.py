"""A claim about when things came out is answered with their dates, yes or no first."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge.answering import question_kind, time_verdict


def test_a_wrong_claim_that_two_things_came_out_together_gets_a_no_and_both_years(client: TestClient) -> None:
    answer = conversation(client, "트랜스포머 논문은 ChatGPT 나온 해에 같이 발표됐잖아요")[0]
    assert opening(answer).startswith("아니요")
    assert "2017" in opening(answer) and "2022" in opening(answer)


def test_which_came_first_asked_as_yes_or_no_in_english(client: TestClient) -> None:
    answer = conversation(client, "Is ChatGPT older than the transformer?")[0]
    assert opening(answer).startswith("No") and "2017" in opening(answer) and "2022" in opening(answer)
    told = conversation(client, "My husband says ChatGPT came out in 2017 together with that paper.")[0]
    assert opening(told).startswith("No") and "2022" in opening(told)


def test_a_right_claim_gets_a_yes() -> None:
    dates = "5년 뒤예요. 트랜스포머 논문은 2017년에, ChatGPT는 2022년에 나왔어요."
    assert time_verdict("ChatGPT가 트랜스포머보다 나중에 나왔어요?", dates) == "yes"
    assert time_verdict("트랜스포머는 그거보다 먼저 나온거죠?", dates) == "yes"
    assert time_verdict("ChatGPT는 2017년에 나왔죠?", "2022년이에요.") == "no"


def test_other_questions_are_not_read_as_claims_about_dates() -> None:
    assert question_kind("LSTM도 RNN이랑 같이 묶여 나오던데 걔도 순서 있는 데이터 처리하는 거 맞죠?") == "yes_no"
    assert question_kind("ChatGPT가 나온 뒤에 산업이 성장했죠?") == "yes_no"
