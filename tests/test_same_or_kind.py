"""Whether two things are one, or one is a kind of the other: answered yes or no with
the document's relation, not with a yes or no given to the other question."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge.answering import question_kind, relation_asked


def test_sameness_and_kind_of_are_told_apart() -> None:
    assert relation_asked("ChatGPT랑 GPT 같은 거죠?") == "same"
    assert relation_asked("LLM = 생성형 AI 맞죠?") == "same"
    assert relation_asked("Is ChatGPT the same thing as an LLM?") == "same"
    assert relation_asked("LLM이 생성형 AI의 일종이에요?") == "kind"
    assert relation_asked("Is GPT a kind of LLM?") == "kind"
    assert relation_asked("GPT는 무슨 뜻이에요?") == ""


def test_a_kind_of_question_is_not_answered_by_the_sameness_no(client: TestClient) -> None:
    answer = conversation(client, "LLM이 생성형 AI의 일종이에요?")[0]
    assert opening(answer).startswith("네") and "한 종류" in opening(answer)
    _, gpt = conversation(client, "GPT는 무슨 뜻이에요?", "GPT가 LLM의 일종이에요?")
    assert opening(gpt).startswith("네") and "LLM" in opening(gpt)


def test_a_sameness_question_gets_a_no_with_the_relation(client: TestClient) -> None:
    chatgpt = conversation(client, "ChatGPT랑 GPT 같은 거죠? 맨날 헷갈려요")[0]
    assert opening(chatgpt).startswith("아니요") and "서비스" in opening(chatgpt)
    agi = conversation(client, "AGI랑 LLM 같은거에요?")[0]
    assert opening(agi).startswith("아니요") and "목표" in opening(agi)
    attention = conversation(client, "어텐션이랑 트랜스포머는 같은 거예요?")[0]
    assert opening(attention).startswith("아니요") and "핵심" in opening(attention)


def test_a_yes_no_asked_before_where_it_was_heard_is_still_a_yes_no(client: TestClient) -> None:
    assert question_kind("LLM = 생성형 AI 맞죠? 병원에서 다들 그렇게 말하던데") == "yes_no"
    assert question_kind("환각 현상이 정확히 뭡니까? 정의를 알려주십시오") != "yes_no"
    answer = conversation(client, "LLM = 생성형 AI 맞죠? 병원에서 다들 그렇게 말하던데")[0]
    assert opening(answer).startswith("아니요") and "한 종류" in opening(answer)


def test_a_year_claimed_after_the_launch_is_checked(client: TestClient) -> None:
    right = conversation(client, "ChatGPT 나온 게 2022년 맞죠?")[0]
    assert opening(right).startswith("네") and "2022" in opening(right)
    wrong = conversation(client, "ChatGPT 나온 게 2017년 맞죠?")[0]
    assert opening(wrong).startswith("아니요") and "2022" in opening(wrong)


def test_a_corrected_belief_is_not_called_unsaid(client: TestClient) -> None:
    answer = conversation(client, "생성형 AI는 ChatGPT 나오고 처음 생긴 거죠?")[0]
    assert "나오지 않아요" not in answer["content"]
    assert opening(answer).startswith("아니요") and "1906" in answer["content"]


def test_an_exact_figure_the_document_gives_only_roughly_is_said_so(client: TestClient) -> None:
    parameters = conversation(client, "GPT-4o 파라미터는 정확히 몇 개예요?")[0]
    assert "나오지 않" in opening(parameters) and "수십억" in parameters["content"]
    price = conversation(client, "How much does GPT-4o cost per token exactly?")[0]
    assert "exact" in opening(price) and "$35" in price["content"]
    plain = conversation(client, "챗봇 돌리면 비용 얼마나 들어요?")[0]
    assert "나오지 않" not in plain["content"] and "35달러" in opening(plain)


def test_asking_the_difference_gets_what_the_sameness_fact_tells_apart(client: TestClient) -> None:
    # The fact "ChatGPT와 GPT는 같은 거예요? 아니요, GPT는 …, ChatGPT는 …" says how the two
    # differ: asked for the difference, the tutor says it instead of "the document never
    # sets them side by side", and without a yes or no nobody asked for.
    korean = opening(conversation(client, "GPT랑 ChatGPT 차이가 뭐예요?")[0])
    assert "서비스" in korean and "모델" in korean and not korean.startswith(("아니요", "글에서 둘을"))
    english = opening(conversation(client, "whats the diff between gpt and chatgpt")[0])
    assert "service" in english and "model" in english and not english.startswith(("No,", "The document doesn't"))
