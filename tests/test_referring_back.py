"""Follow-ups that refer back to the conversation get what they point at.

"그걸로 뭘 할 수 있어요?" and "그 덕분에 뭐가 가능해졌어요?" ask what the thing
just taught brought about; "그게 왜 중요해요?" asks about the last answer's
point; "둘이 뭐가 달라요?" sets the last two things taught side by side; "the
RNN thing you mentioned earlier" reaches back to something an earlier answer
drew on; "그걸 쓰는 서비스는" asks about what uses the topic under way.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_what_it_can_do_is_what_the_thing_just_taught_changed(client: TestClient) -> None:
    answers = conversation(client, "트랜스포머가 머에요?", "그걸로 뭘 할 수 있는데요?")
    assert sources(answers[-1])[0] == "transformer.impact"
    assert "누구나" in opening(answers[-1])


def test_what_became_possible_thanks_to_it_after_the_paper(client: TestClient) -> None:
    answers = conversation(client, "2017년에 나온 그 논문이 뭐예요?", "그 덕분에 뭐가 가능해졌어요?")
    assert sources(answers[-1])[0] == "transformer.impact"
    assert "컴퓨터" in opening(answers[-1])


def test_what_got_better_is_how_it_differs_from_what_came_before(client: TestClient) -> None:
    answers = conversation(client, "트랜스포머가 뭐예요?", "그래서 그게 뭐가 좋아진 건데요?")
    assert sources(answers[-1])[0] == "transformer.vs-rnn"
    assert "긴" in answers[-1]["content"]


def test_why_it_matters_stays_on_the_last_answer(client: TestClient) -> None:
    # "중요" does not lead to the passage naming the key reasons LLMs lead.
    answers = conversation(client, "트랜스포머가 머에요?", "그걸로 뭘 할 수 있는데요?", "그게 왜 중요해요?")
    assert sources(answers[-1])[0] == "transformer.impact"
    assert "llm-leads.summary" != sources(answers[-1])[0]


def test_the_two_are_the_last_two_things_taught(client: TestClient) -> None:
    answers = conversation(client, "GAN이 뭐예여", "디퓨전 모델은요?", "둘이 뭐가 달라요?")
    difference = answers[-1]["content"]
    assert {"models.gan", "models.diffusion"} <= set(sources(answers[-1]))
    # Which does better, and what each one is: the maker and the judge, the noise.
    assert "경향" in difference and "판별자" in difference and "노이즈" in difference


def test_which_is_better_names_the_two_just_taught(client: TestClient) -> None:
    answers = conversation(client, "GAN이 뭐예여", "디퓨전 모델은요?", "그럼 어느 쪽이 더 나아요?")
    assert sources(answers[-1])[0] == "models.diffusion"
    assert "GAN보다" in opening(answers[-1])


def test_the_two_inside_one_thing_are_not_the_last_two_topics(client: TestClient) -> None:
    # "둘이 싸운다" after GAN is its maker and judge, not the overview and GAN.
    answers = conversation(client, "그림 만드는 모델 뭐 있어요?", "GAN은 어케 만드는데요?", "둘이 싸운다는 거예요?")
    assert sources(answers[-1])[0] == "models.gan"


def test_a_difference_asked_in_english_gives_each_side(client: TestClient) -> None:
    answers = conversation(client, "whats the diff between gan and diffusion")
    text = answers[-1]["content"]
    assert "better" in text and "discriminator" in text and "noise" in text


def test_reaching_back_to_a_thing_an_earlier_answer_drew_on(client: TestClient) -> None:
    answers = conversation(client, "what is attention in transformers?", "and positional encoding?",
                           "go back to the RNN thing you mentioned earlier, what was its problem?")
    assert sources(answers[-1])[0] == "transformer.vs-rnn"
    assert "long" in opening(answers[-1])


def test_what_uses_the_topic_under_way(client: TestClient) -> None:
    answers = conversation(client, "디퓨전 모델이 뭐예요?", "그걸 쓰는 서비스는 뭐 있어요")
    assert sources(answers[-1])[0] == "models.diffusion"


def test_why_a_named_thing_is_a_big_deal_is_what_it_changed(client: TestClient) -> None:
    answers = conversation(client, "챗GPT가 뭐가 그렇게 대단했던거에요?")
    assert sources(answers[-1])[0] == "chatgpt.impact"
    assert "연구실" in opening(answers[-1])
    english = conversation(client, "why was chatgpt such a big deal")
    assert sources(english[-1])[0] == "chatgpt.impact"


def test_any_downsides_after_what_it_changed_are_the_worries_around_it(client: TestClient) -> None:
    answers = conversation(client, "챗GPT가 뭐가 그렇게 대단했던거에요?", "단점은 없어요?")
    assert sources(answers[-1])[0] == "chatgpt.concerns"
    # The downsides themselves, not a yes about the growth it brought anyway.
    assert "환각" in opening(answers[-1])
