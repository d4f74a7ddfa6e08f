"""A comparison is answered about the two things the learner set side by side.

"그냥 AI" set against generative AI is the older AI the document contrasts
it with; "which is the bigger concept" asks which term is broader, not about
LLM's size; a closing "그런건가?" asks about the learner's own clause, not
the earlier topic.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge.text import normalise


def test_plain_ai_set_against_generative_ai_is_the_older_ai(client: TestClient) -> None:
    answer = conversation(client, "심심해서요 ㅋㅋ 생성형 AI랑 그냥 AI랑 뭐가 달라요?")[0]
    assert answer["sources"][0]["id"] == "traditional-ai.difference"
    assert "예측" in opening(answer) and "LLM" not in opening(answer)


def test_plain_ai_alone_is_only_just_ai() -> None:
    assert "기존" not in normalise("그냥 AI가 다 해 주는 거예요?")
    assert "older" in normalise("how is generative AI different from normal AI?")


def test_which_is_the_bigger_concept_asks_which_term_is_broader(client: TestClient) -> None:
    _, bigger = conversation(client, "LLM은 왜 거대하다고 해요?",
                             "트럭으로 치면 LLM이 대형이고 생성형AI가 소형 그런건가? 누가 더 큰 개념임")
    assert bigger["sources"][0]["id"] in ("generative-ai.definition", "intro.why-distinguish")
    assert "범주" in opening(bigger) or "넓은" in opening(bigger)


def test_which_is_the_bigger_category_in_english_after_the_two_were_named(client: TestClient) -> None:
    _, bigger = conversation(client, "Is an LLM the same thing as generative AI?", "So which one is the bigger category?")
    assert "broader" in opening(bigger) and "generative AI" in opening(bigger)


def test_explain_it_easily_please_is_a_request_for_a_simple_answer(client: TestClient) -> None:
    answer = conversation(client, "안녕하세요", "생성형에이아이 라는게 뭔지 쉽게좀 알려주세요")[1]
    assert answer["sources"][0]["id"] in ("generative-ai.definition", "intro.why-distinguish")
    assert "새로운" in answer["content"] or "새로" in answer["content"]


def test_two_names_compared_after_another_topic_get_their_own_comparison(client: TestClient) -> None:
    _, compared = conversation(client, "LLM이 사람 대신 무슨 일을 해요?", "그럼 DALL-E랑 ChatGPT-3.5는 뭐가 달라요?")
    assert compared["sources"][0]["id"] == "multimodal.definition"
    assert "그림" in opening(compared) and "DALL-E" in opening(compared)


def test_what_one_design_changed_of_the_other_answers_how_they_differ(client: TestClient) -> None:
    answer = conversation(client, "GPT 구조와 Attention is All You Need 논문의 원래 구조는 어떤 차이가 있나요?")[0]
    assert answer["sources"][0]["id"] == "chatgpt.decoder-only"
    assert "인코더" in opening(answer) and "디코더" in opening(answer)


def test_casual_da_reum_asks_a_difference(client: TestClient) -> None:
    from tutor.knowledge.answering import question_kind

    assert question_kind("챗지피티랑 AGI는 뭐가 다름?") == "difference"
    assert question_kind("다름이 아니라 GAN이 뭔지 궁금해서요") != "difference"
    _, answer = conversation(client, "AGI가 뭐예요?", "그럼 지금 챗지피티랑 AGI는 뭐가 다름?")
    assert {"agi.definition"} & {source["id"] for source in answer["sources"]}
    assert "ChatGPT" in answer["content"] and "목표" in answer["content"]


def test_easier_than_compares_and_is_no_request_for_a_simpler_answer() -> None:
    from tutor.knowledge import intent
    from tutor.knowledge.answering import question_kind

    assert not intent.wants_simpler("So text is easier to handle than images or video?")[1]
    assert intent.wants_simpler("Can you say it in an easier way?")[1]
    assert intent.wants_simpler("make it easier to understand")[1]
    assert question_kind("So text is easier to handle than images or video?") == "difference"
    assert question_kind("Is a GAN more creative than a VAE?") == "difference"


def test_the_two_things_named_decide_which_comparison_answers(client: TestClient) -> None:
    english = conversation(client, "What's the difference between generative AI and regular AI?")[0]
    assert english["sources"][0]["id"] == "traditional-ai.difference"
    assert "LLM" not in opening(english) and "predict" in opening(english)
    korean = conversation(client, "기존 AI가 만든 결과랑 생성형 AI 결과는 뭐가 다른 거예요?")[0]
    assert korean["sources"][0]["id"] == "traditional-ai.difference"
    assert "새로운" in opening(korean)


def test_which_came_first_gives_each_ones_year(client: TestClient) -> None:
    english = conversation(client, "Which came first, the Transformer paper or ChatGPT?")[0]
    assert "2017" in english["content"] and "2022" in english["content"]
    korean = conversation(client, "트랜스포머 논문이랑 ChatGPT 중에 뭐가 먼저 나왔어요?")[0]
    assert "2017" in korean["content"] and "2022" in korean["content"]


def test_compared_with_names_both_things_not_the_word_for_comparing(client: TestClient) -> None:
    answer = conversation(client, "VAE는 GAN이랑 비교하면 어때요?")[0]
    assert "주목" in opening(answer) and "GAN" in opening(answer)
    assert "VAE" in answer["sources"][0]["title"]
