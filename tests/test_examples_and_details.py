"""An example, a size, a count or a change to come is answered as asked.

"예시 하나만 더요" names no topic: it asks for an example of what was just
taught. "얼마나 거대한데요?" asks how big, which a count gives; "몇 개나
나와요?" of a list the document gives is answered by its items. A change to
come that the document never speaks of is said to be unsaid, with the nearest fact.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_an_example_asked_with_how_it_should_come_is_of_the_topic_under_way(client: TestClient) -> None:
    _, example = conversation(client, "트랜스포머가 긴 문맥을 잘 본다는게 무슨말이에요?",
                              "예를 들면요? 병원 얘기 말고 그냥 쉬운 예시 하나만")
    assert sources(example)[0] in ("transformer.attention", "transformer.vs-rnn")
    assert "예를 들어" in example["content"] and "의료" not in example["content"]


def test_one_more_example_split_around_its_count_is_an_example(client: TestClient) -> None:
    _, example = conversation(client, "텍스트가 다리 역할을 한다는게 무슨 뜻이에요?", "다리 역할 예를 하나만 더 들어봐")
    assert sources(example)[0] == "multimodal.text-bridge" and "자막" in example["content"]


def test_how_big_is_answered_by_the_count_the_document_gives(client: TestClient) -> None:
    _, size = conversation(client, "LLM이 뭐예요?", "거대하다는게 얼마나 거대한데요")
    assert size["activity"] == "answer" and "수십억" in size["content"] and "나오지 않" not in opening(size)


def test_how_many_of_a_list_is_answered_by_its_items(client: TestClient) -> None:
    _, listed = conversation(client, "ChatGPT가 바꾼 건 뭐예요?", "산업적 가치 있다는 분야는 몇 개나 나와요?")
    assert listed["activity"] == "answer" and "반도체" in opening(listed) and "로보틱스" in opening(listed)


def test_a_change_to_come_the_document_never_speaks_of_is_said_to_be_unsaid(client: TestClient) -> None:
    _, jobs = conversation(client, "트랜스포머 덕분에 뭐가 달라졌어요?", "그럼 개발자는 이제 필요 없어지는 거에요?")
    assert "나오지 않" in opening(jobs) and jobs["sources"]


def test_what_the_document_leaves_to_the_reader_is_said_plainly(client: TestClient) -> None:
    _, answer = conversation(client, "생성 모델에는 어떤 게 있어요?", "그 모델들 단점은 뭐예요?")
    assert opening(answer).startswith("모델마다 단점은 이 글에 나오지 않아요") and "RNN" in opening(answer)


def test_a_topic_asked_through_an_analogy_gets_the_documents_analogy(client: TestClient) -> None:
    _, demand = conversation(client, "요즘 왜 다 LLM LLM 해요?", "수요 얘긴 비유로 한번만요")
    assert sources(demand)[0] == "llm-leads.demand" and "가게" in demand["content"]
    _, coffee = conversation(client, "트랜스포머가 뭐예요?", "트랜스포머 덕분에 뭐가 달라졌는지 비유로 하나만요")
    assert "커피" in coffee["content"]


def test_who_a_simpler_wording_is_for_is_no_topic(client: TestClient) -> None:
    _, simpler = conversation(client, "2010년대에 무슨 일이 있었어요?", "애들한테 말할거라 한 줄로 줄여 주세요")
    assert simpler["activity"] == "answer" and sources(simpler)[0] == "history.2010s"
    _, english = conversation(client, "What is generative AI?", "simpler pls, like for a 10 year old")
    assert sources(english)[0].startswith("generative-ai.")


def test_how_many_hours_is_answered_by_the_hours_the_document_gives(client: TestClient) -> None:
    _, hours = conversation(client, "LLM이 사람 일도 대신해요?", "몇시간이나요? 밤에도?")
    assert hours["activity"] == "answer" and "24시간" in opening(hours)


def test_whether_the_document_speaks_of_a_thing_is_not_answered_by_the_word_document(client: TestClient) -> None:
    _, captions = conversation(client, "텍스트가 다리 역할을 한다는게 무슨 뜻이에요?",
                               "그럼 소리 듣고 자막 달아주는 AI도 글에 나와요?")
    assert "나오지 않" in opening(captions) and captions["sources"]


def test_a_count_of_something_no_list_names_is_still_unsaid(client: TestClient) -> None:
    _, heads = conversation(client, "멀티헤드 어텐션이 글에서 어떻게 설명돼 있어요?", "헤드는 몇 개 써요?")
    assert "나오지 않" in opening(heads) and "토큰" not in heads["content"]
