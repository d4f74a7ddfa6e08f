"""A follow-up that reaches back past the last answer ("처음에 말한 노이즈
그거", "아까 친구 얘기", "going back to …") is about the earlier topic it names,
not the one just taught, and is not declined for the words the search does not know."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_a_word_said_several_turns_back_finds_that_topic(client: TestClient) -> None:
    answers = conversation(client, "확산 모델이 뭐예요?", "GAN은 뭐예요?", "딥페이크도 GAN으로 만들어요?",
                           "처음에 말한 노이즈 그거 다시 설명해 주세요")
    assert answers[-1]["activity"] == "answer" and sources(answers[-1])[0] == "models.diffusion"
    assert "노이즈" in answers[-1]["content"]


def test_an_analogy_recalled_after_other_topics_is_told_again(client: TestClient) -> None:
    answers = conversation(client, "LLM이 친구랑 비슷하다는 게 무슨 뜻이에요?", "LLM은 뭘 잘해요?",
                           "아까 친구 얘기 그거 다시 한번만요")
    assert answers[-1]["activity"] == "answer" and sources(answers[-1])[0] == "llm.friend-analogy"


def test_going_back_in_english_leads_with_the_earlier_topic(client: TestClient) -> None:
    answers = conversation(client, "What did ChatGPT change for ordinary people?", "What is generative AI?",
                           "Going back to the English practice, what else do people use ChatGPT for?")
    assert answers[-1]["activity"] == "answer" and sources(answers[-1])[0] == "chatgpt.impact"


def test_a_passage_the_words_find_better_than_the_earlier_topic_leads(client: TestClient) -> None:
    # "앞에서" reaches back, yet the words themselves are the comparison of RNN and the Transformer.
    answers = conversation(client, "RNN이 뭐예요?", "LLM은 뭐예요?",
                           "앞에서 RNN이 긴 문장의 앞부분을 잘 기억 못한다고 했죠? 트랜스포머는 어떻게 해결했어요?")
    assert sources(answers[-1])[0] != "llm.definition"


def test_a_pointer_to_what_the_message_itself_named_is_answered(client: TestClient) -> None:
    # After turns about something else, "it" stands for what the first sentence named.
    answers = conversation(client, "LLMs are just for programmers, right?", "Which LLM is best for learning Korean?",
                           "The text says some people practice English conversation with ChatGPT. "
                           "What else do people use it for?")
    assert answers[-1]["activity"] == "answer" and sources(answers[-1])[0] == "chatgpt.impact"


def test_at_first_is_not_reaching_back(retriever) -> None:
    from tutor.knowledge.follow_up_resolution import reached_back
    from tutor.knowledge.turn_plan import Earlier
    from tutor.providers.base import ChatMessage

    history = [ChatMessage("user", "확산 모델이 뭐예요?"), ChatMessage("assistant", "확산 모델은 …"),
               ChatMessage("user", "GAN은 뭐예요?"), ChatMessage("assistant", "GAN은 …")]
    earlier = Earlier(activity="answer", topics=("models.diffusion", "models.gan"))
    # "처음에" as "at the start" of making a picture, not "what you said at first".
    assert reached_back(retriever, "그럼 노이즈는 처음에 어디서 생겨요?", earlier, history) is None
    reached = reached_back(retriever, "처음에 말한 노이즈 그거 다시요", earlier, history)
    assert reached is not None and reached.id == "models.diffusion"
