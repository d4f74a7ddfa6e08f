"""The offline tutor answers the question actually asked, turn after turn.

These are conversations a beginner has: the direct answer comes first (no,
it's per day; a tenth of the price; the document doesn't say), casual
spelling is understood, and nothing is said twice.
"""

from __future__ import annotations

import difflib

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_session
from tutor.knowledge.pack import Fact
from tutor.knowledge.retrieval import Retriever
from tutor.knowledge.text import normalise


def conversation(client: TestClient, *messages: str) -> list[dict]:
    session_id, headers = new_session(client)
    headers = {**headers, "Accept": "application/json"}
    answers = []
    for message in messages:
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": message}, headers=headers)
        assert response.status_code == 200, response.text
        answers.append(response.json())
    return answers


def opening(answer: dict) -> str:
    return answer["content"].split("\n\n")[0]


def test_a_yes_no_detail_about_the_cost_is_answered_no_per_day(client: TestClient) -> None:
    cost, week, cheaper = conversation(
        client, "챗봇 돌리면 비용 얼마나 들어요?", "48,000원은 일주일 치예요?", "더 싼 모델 쓰면 얼마예요?"
    )
    assert "35달러" in opening(cost) and "48,000원" in opening(cost)
    assert opening(week).startswith("아니요") and "하루" in opening(week) and "1,000건" in opening(week)
    assert "GPT-3.5 turbo" in opening(cheaper) and "10분의 1" in opening(cheaper)


def test_what_the_document_does_not_say_is_said_plainly_with_the_nearest_fact(client: TestClient) -> None:
    _, why = conversation(client, "환각이 뭐예요?", "왜 그런 일이 생겨요?")
    assert "나오지 않아요" in opening(why) and "환각" in opening(why)
    encoder = conversation(client, "인코더는 어떻게 작동해요?")[0]
    assert "나오지 않아요" in opening(encoder) and "디코더" in opening(encoder)


def test_a_comparison_follow_up_answers_the_comparison(client: TestClient) -> None:
    _, better = conversation(client, "확산 모델이 뭐예요?", "그럼 GAN보다 나아요?")
    assert opening(better).startswith("네") and "경향" in opening(better)
    assert better["sources"][0]["id"] == "models.diffusion"


@pytest.mark.parametrize(
    ("message", "expected", "passage"),
    [
        ("gpt가머에요", "Generative Pre-trained Transformer", "chatgpt.gpt-name"),
        ("LLM이머에요?", "Large Language Model", "llm.definition"),
        ("llm 이 잘하는게 머에요", "문맥", "llm.abilities"),
        ("요즘 LLM이 왜 이렇게 난리예요?", "LLM", "llm-leads"),
        ("GAN이 뭔지 궁금해서 왔어요, 쉽게 알려 주세요! 제가 문과라서요", "판별", "models.gan"),
    ],
)
def test_casual_typing_and_context_clauses_are_understood(
    client: TestClient, message: str, expected: str, passage: str
) -> None:
    answer = conversation(client, message)[0]
    assert answer["activity"] == "answer", answer["content"]
    assert answer["sources"][0]["id"].startswith(passage)
    assert expected in answer["content"]


def test_a_question_about_other_approaches_does_not_match_on_a_negation(retriever: Retriever) -> None:
    hits = retriever.search("트랜스포머 아닌 방식도 있어요?")
    assert hits and not any(hit.passage.id == "chatgpt.concerns" for hit in hits)


def test_six_turns_on_one_topic_never_repeat_an_answer(client: TestClient) -> None:
    answers = conversation(
        client,
        "트랜스포머가 뭐예요?",
        "그거 언제 나왔어요?",
        "트랜스포머가 뭐라고요?",
        "더 쉽게 설명해 줘",
        "예를 들면요?",
        "트랜스포머 다시 설명해 줘",
    )
    texts = [a["content"] for a in answers]
    for i, later in enumerate(texts):
        for earlier in texts[:i]:
            assert difflib.SequenceMatcher(None, earlier, later).ratio() < 0.8, (earlier, later)
    assert "앞에서 말한 것처럼" in texts[2] or "앞에서 말한 것처럼" in texts[5]


def test_casual_spellings_are_rewritten_to_the_standard_form() -> None:
    assert "gpt가 뭐예요" in normalise("gpt가머에요") and "llm이 뭐예요" in normalise("LLM이머에요?")
    assert "뭐가 달라요" in normalise("머가 달라요")
    assert "궁금해요" in normalise("궁금해여")
    assert "모델" in normalise("모델이 뭐예요") and "모여요" in normalise("다 모여요")


def test_a_yes_no_fact_must_answer_yes_or_no_first() -> None:
    with pytest.raises(ValueError):
        Fact.model_validate({"kind": "yes_no", "ask": {"ko": "비싸요?", "en": "Expensive?"},
                             "answer": {"ko": "하루 35달러예요.", "en": "It's $35 a day."}})


@pytest.mark.parametrize(
    ("message", "nearest"),
    [("LLM 학습시키는데 전기 얼마나 써요?", "llm"), ("ChatGPT 월 구독료는 얼마예요?", "chatgpt")],
)
def test_a_detail_the_document_does_not_give_is_declined_with_the_nearest_fact(
    client: TestClient, message: str, nearest: str
) -> None:
    answer = conversation(client, message)[0]
    assert answer["activity"] == "decline"
    assert "나오지 않" in answer["content"] and "가장 가까운 내용" in answer["content"]
    assert "달러" not in answer["content"] and "원" not in opening(answer)


def test_an_english_it_does_not_drag_a_clear_question_back_to_the_last_topic(client: TestClient) -> None:
    _, cost = conversation(client, "what does LLM stand for", "how much does it cost to run a support bot on gpt-4o?")
    assert cost["activity"] == "answer" and "$35" in opening(cost)


def test_what_about_another_topic_is_a_new_question_not_a_yes_or_no(client: TestClient) -> None:
    _, diffusion = conversation(client, "GAN이 뭐예요?", "디퓨전 모델은요?")
    assert diffusion["sources"][0]["id"] == "models.diffusion"
    assert not opening(diffusion).startswith("네"), opening(diffusion)


def test_next_alone_after_a_reaction_moves_on(client: TestClient) -> None:
    _, _, nxt = conversation(client, "GAN이 뭐예요?", "좋아요", "좋아 다음")
    assert nxt["activity"] == "answer" and "다음 순서" in opening(nxt)


@pytest.mark.parametrize(
    ("messages", "expected", "first_source"),
    [
        # Both named: the document's sentence setting them against each other opens the answer.
        (("RNN이랑 트랜스포머 차이가 뭐예요?",), ["하나씩", "동시에"], "transformer.vs-rnn"),
        # One named, the other the topic under way.
        (("확산 모델이 뭐야", "GAN보다 좋아?"), ["GAN보다", "경향"], "models.diffusion"),
        (("GAN이 뭐예요", "그거랑 VAE는 뭐가 달라요?"), ["VAE", "GAN", "비해"], "models.vae"),
        (("트랜스포머는 언제 나왔어요", "RNN이랑 뭐가 달라요?"), ["하나씩", "동시에"], "transformer.vs-rnn"),
        (("Is a diffusion model better than a GAN?",), ["better than GANs"], "models.diffusion"),
    ],
)
def test_a_comparison_opens_with_how_the_two_differ(
    client: TestClient, messages: tuple[str, ...], expected: list[str], first_source: str
) -> None:
    answer = conversation(client, *messages)[-1]
    head = answer["content"].split("**")[0]
    assert all(word in head for word in expected), head
    assert answer["sources"][0]["id"] == first_source
    # Short: the comparison, not the passages recited.
    assert len(head) < 300, head


def test_two_things_the_document_never_sets_side_by_side_are_each_explained(client: TestClient) -> None:
    answer = conversation(client, "예측이랑 분류는 뭐가 달라요?")[0]
    assert opening(answer).startswith("글에서 둘을 직접 견주지는 않지만")
    assert "예측" in answer["content"] and "나눠" in answer["content"]
    assert {s["id"] for s in answer["sources"][:2]} == {"traditional-ai.prediction", "traditional-ai.classification"}


def test_a_greeting_with_a_word_about_oneself_is_a_greeting(client: TestClient) -> None:
    hello, question = conversation(client, "안녕하세요 저 완전 컴맹인데 AI 공부해보려구요", "안녕하세요 GAN이 뭐예요?")
    assert hello["activity"] == "greeting"
    assert question["activity"] == "answer" and question["sources"][0]["id"] == "models.gan"


def test_an_elliptical_why_after_an_answer_leans_on_what_that_answer_said(client: TestClient) -> None:
    # "틀린 말도 해요?" never names hallucination; the answer does, so "그건 왜 그래요" asks its cause,
    # which the document does not give.
    *_, why = conversation(client, "llm이뭐임", "틀린 말도 해요?", "그건 왜 그러는거에요")
    assert "나오지 않아요" in opening(why) and "환각" in opening(why)


def test_a_detail_the_document_does_not_give_names_the_nearest_sentence_not_the_passage_opening(
    client: TestClient,
) -> None:
    answer = conversation(client, "LLM 학습에 전기 얼마나 써요?")[0]
    assert "나오지 않아서" in answer["content"]


def test_who_made_something_the_document_never_credits_is_said_plainly(client: TestClient) -> None:
    # The document names the 2017 paper, never its authors: a quoted title is not a maker.
    # It says so first and gives the nearest thing the document does say: the paper that made it known.
    answer = conversation(client, "트랜스포머는 누가 만들었어요?")[0]
    assert "나오지 않" in opening(answer) and "2017" in opening(answer)
    assert "트랜스포머" in answer["content"]


def test_who_with_more_is_a_comparison() -> None:
    from tutor.knowledge.answering import question_kind

    assert question_kind("GAN이랑 VAE 중에 누가 더 오래됐어요?") == "difference"
    assert question_kind("누가 더 오래됐어요?") == "difference"
    assert question_kind("트랜스포머는 누가 만들었어요?") == "who"


def test_short_follow_ups_that_point_back_stay_on_the_topic(client: TestClient) -> None:
    *_, after = conversation(client, "생성형 AI는 언제부터 있었어요?", "그 다음엔?")
    assert after["activity"] == "answer" and after["sources"][0]["id"] == "history.2010s"
    *_, who = conversation(client, "프로그래밍 몰라도 AI로 코드를 쓸 수 있어요?", "전에는 누가 했는데요?")
    assert who["activity"] == "answer" and "개발자" in who["content"]


def test_a_request_for_examples_is_not_a_question_of_how_many(client: TestClient) -> None:
    answer = conversation(client, "classification 예시 몇개만")[0]
    assert answer["activity"] == "answer" and answer["sources"][0]["id"] == "traditional-ai.classification"


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (("회사 보고서때문에 그런데 챗봇 상담 llm으로 돌리면 비용 얼마정도 나와요?",), "35달러"),
        (("챗봇 비용이 궁금해요", "상담 한건에 토큰 몇개 쓰는걸로 계산한거에요?"), "1,000개"),
    ],
)
def test_a_detail_question_opens_with_the_sentence_holding_the_detail(
    client: TestClient, messages: tuple[str, ...], expected: str
) -> None:
    answer = conversation(client, *messages)[-1]
    assert expected in opening(answer), opening(answer)


def test_there_after_the_course_contents_starts_the_first_lesson(client: TestClient) -> None:
    _, first = conversation(client, "여기서 뭐 배울수있어요?", "ㅇㅋ 그럼 거기부터 알려줘요")
    assert first["activity"] == "answer" and first["sources"][0]["id"] == "intro.why-distinguish"


def test_a_bare_and_x_follow_up_asks_the_earlier_question_of_x(client: TestClient) -> None:
    # "원화로는요?" after "how much?" asks how much in won; its everyday noun
    # (원화) is not a subject of its own, and it is not declined.
    _, won = conversation(client, "상담 챗봇은 토큰을 몇 개 쓴다고 계산했어요?", "원화로는요?")
    assert won["activity"] == "answer" and won["sources"][0]["id"] == "cost.example"
    assert "48,000원" in opening(won)


def test_asking_for_the_conditions_of_the_topic_under_way_is_answered_from_it(client: TestClient) -> None:
    _, conditions = conversation(client, "챗봇 돌리면 비용 얼마나 들어요?", "그 계산 기준이 뭐예요?")
    assert conditions["activity"] == "answer" and conditions["sources"][0]["id"] == "cost.example"


@pytest.mark.parametrize(
    "message",
    ["LLM 추천해 주세요", "LLM 뭐 써보면 좋아요? 추천좀", "LLM 써볼만한거 뭐 있어요?", "Which LLM would you recommend?"],
)
def test_asking_which_ai_to_try_gets_the_models_the_document_names(client: TestClient, message: str) -> None:
    # A recommendation of an AI to try is answered from the document (GPT-4o,
    # Claude, Llama 3), not declined as an errand nor sent to recommendation engines.
    answer = conversation(client, message)[0]
    assert answer["activity"] == "answer", answer["content"]
    assert answer["sources"][0]["id"] == "llm.abilities"
    assert "Claude" in opening(answer) and "Llama" in opening(answer)


@pytest.mark.parametrize("message", ["영화 추천해 줘", "주식 종목 추천해 줘", "Recommend me a movie"])
def test_a_recommendation_of_anything_else_is_still_an_errand(client: TestClient, message: str) -> None:
    assert conversation(client, message)[0]["activity"] == "decline"


def test_the_asking_clause_of_a_long_message_is_found_after_clauses_that_set_the_scene(client: TestClient) -> None:
    # Two clauses about the learner's day before the question: the question is still answered.
    answer = conversation(
        client, "드라마 대본 쓰는 걸 준비하고 있는데요, 요즘 작가들 사이에서 말이 많아서 찾아봤는데, GAN은 어떻게 그림을 만들어요?"
    )[0]
    assert answer["activity"] == "answer", answer["content"]
    assert answer["sources"][0]["id"] == "models.gan"


def test_an_ai_that_recommends_things_is_about_recommendation_engines(client: TestClient) -> None:
    # "추천해주는 AI" names what an AI does, not a request for a recommendation.
    answer = conversation(client, "쇼핑몰에서 옷 추천해주는 AI 있잖아요, 그것도 생성형이에요?")[0]
    assert answer["activity"] == "answer" and answer["sources"][0]["id"] == "traditional-ai.prediction"


def test_a_question_naming_a_year_already_taught_points_back_to_what_it_was(client: TestClient) -> None:
    _, year = conversation(client, "생성형 AI는 언제부터 있었어요?", "1906년이면 뭐가 나온건가요")
    assert "1906" in opening(year) and "마르코프" in opening(year)


def test_a_question_between_chatter_and_laughter_is_answered(client: TestClient) -> None:
    answer = conversation(client, "편의점 야간 근무중인데 심심해서 ㅋㅋ GAN이 뭐에요?? 친구가 자꾸 얘기함")[0]
    assert answer["activity"] == "answer" and answer["sources"][0]["id"] == "models.gan"


def test_criticism_after_the_impact_is_the_concerns(client: TestClient) -> None:
    # "비판" (criticism) is what the document calls concerns; "반대로" (on the other hand) names nothing.
    _, criticism = conversation(client, "ChatGPT의 가장 큰 임팩트는 뭐라고 해요?", "반대로 비판은 없어요?")
    assert criticism["activity"] == "answer" and criticism["sources"][0]["id"] == "chatgpt.concerns"
    assert "환각" in criticism["content"]


def test_the_people_addressed_are_not_a_new_topic(client: TestClient) -> None:
    # "독자들한테는": to the readers; the question goes on with the author's advice.
    _, readers = conversation(client, "글쓴이의 마지막 조언은 뭐예요?", "그럼 독자들한테는 뭘 하라고 해요?")
    assert readers["activity"] == "answer" and readers["sources"][0]["id"] == "closing.advice"


def test_thanks_with_what_the_learner_can_now_do_is_thanks(client: TestClient) -> None:
    _, thanks = conversation(client, "GAN이 뭐예요?", "감사합니다 덕분에 애들한테 설명할 수 있을 것 같아요")
    assert thanks["activity"] == "thanks"


def test_how_much_the_learner_has_covered_is_progress_but_how_much_a_model_learned_is_not(
    client: TestClient,
) -> None:
    _, progress = conversation(client, "GAN이 뭐예요?", "저 지금까지 얼마나 배운 거예요?")
    assert progress["activity"] == "progress"
    model = conversation(client, "LLM은 얼마나 배운 거예요?")[0]
    # How much an LLM learned is told by what the document says of its scale.
    assert model["activity"] != "progress" and model["sources"][0]["id"] in ("llm.definition", "llm.scale")


def test_the_weather_as_an_example_in_a_question_about_ai_is_not_a_weather_request(client: TestClient) -> None:
    _, forecast = conversation(client, "기존 AI랑 생성형 AI는 뭐가 달라요?",
                               "근데 날씨예보도 내일 날씨를 새로 만들어내는 거니까 생성형 AI 아님?")
    assert forecast["activity"] == "answer"
    assert opening(forecast).startswith("아니요") and "예측" in opening(forecast)
    assert conversation(client, "AI야 내일 날씨 알려줘")[0]["activity"] == "decline"


def test_a_pointer_to_what_the_message_itself_just_named_does_not_reach_back(client: TestClient) -> None:
    # "…AI 있잖아요, 그것도 생성형이에요?" points at the AI it has just described, not at GANs.
    _, shop = conversation(client, "GAN이 뭐예요?", "쇼핑몰에서 옷 추천해주는 AI 있잖아요, 그것도 생성형이에요?")
    assert shop["activity"] == "answer" and shop["sources"][0]["id"] == "traditional-ai.prediction"
    assert opening(shop).startswith("아니요")


def test_demand_is_a_word_not_grammar_and_a_phrase_asked_about_is_not_a_price(retriever: Retriever) -> None:
    from tutor.knowledge.answering import question_kind

    hits = retriever.search("수요 측면이랑 비용 측면 얘기가 나오던데 그건 무슨 말이에요?")
    assert hits and hits[0].passage.id == "llm-leads.summary"
    assert question_kind("비용 측면 얘기가 나오던데 그건 무슨 말이에요?") != "how_much"


def test_asking_in_english_whether_chatgpt_never_makes_mistakes_gets_no_and_hallucination(client: TestClient) -> None:
    _, mistakes = conversation(client, "What did ChatGPT change?", "Is it true that ChatGPT never makes mistakes?")
    assert mistakes["sources"][0]["id"] == "chatgpt.concerns"
    assert opening(mistakes).startswith("No") and "hallucination" in mistakes["content"]


def test_frequency_adverbs_and_humble_pronouns_name_no_topic(retriever: Retriever) -> None:
    # "저희 팀장님이 맨날 … 하시는데, 가끔 …": the learner's setting, not what they ask about.
    assert retriever.analyse("저희 맨날 항상 가끔 하시는데") == ()
    assert retriever.analyse("반대로 진짜로") == ()


def test_what_else_besides_the_thing_set_aside_is_not_that_thing_again(client: TestClient) -> None:
    # "예측 말고 또 뭐 있어요?": the passage about prediction does not lead; classification does.
    _, other = conversation(client, "기존 AI는 주로 뭘 했어요?", "예측 말고 또 뭐 있어요?")
    assert other["activity"] == "answer" and other["sources"][0]["id"] == "traditional-ai.classification"


def test_what_else_about_a_topic_partly_told_goes_on_with_its_rest(client: TestClient) -> None:
    # "음악 말고 또 뭐에 써요?" right after RNNs: the rest of that passage (text, time series).
    _, more = conversation(client, "순서가 있는 데이터를 다루는 모델도 있어요?", "그 모델은 음악 말고 또 뭐에 써요?")
    assert more["sources"][0]["id"] == "models.rnn-lstm"
    assert "시계열" in more["content"] or "텍스트" in more["content"]


def test_how_many_people_is_not_answered_by_another_number(client: TestClient) -> None:
    # "몇 명" wants a count of people; "24시간" counts hours. The document gives none: it says so.
    _, people = conversation(client, "챗봇이 사람 대신 상담도 해요?", "우리 회사에 챗봇 들이면 상담원 몇 명이 필요 없어져요?")
    assert "나오지 않" in people["content"]


def test_whether_a_model_is_still_used_is_answered_by_the_sentence_saying_it_still_is(client: TestClient) -> None:
    # "아직도" is "still" (지금도, 여전히); "그래서 지금도 …" opens the answer without its "그래서".
    _, still = conversation(client, "GAN이 뭐예요?", "그거 아직도 쓰여요?")
    assert still["sources"][0]["id"] == "models.gan"
    assert "지금도" in opening(still) or "여전히" in opening(still)
    assert not opening(still).startswith("그래서")


@pytest.mark.parametrize(
    ("lesson", "story", "expected"),
    [("트랜스포머 논문이 뭐예요?", "커피 얘기는 뭐예요 허허", "커피"), ("AGI가 뭐예요?", "D&D 비유는 뭐임 ㅋㅋ", "D&D")],
)
def test_a_story_the_lesson_told_is_explained_when_asked_about(
    client: TestClient, lesson: str, story: str, expected: str
) -> None:
    # "X 얘기는 뭐예요?": what the comparison naming X means, not the passage's opening again.
    _, told = conversation(client, lesson, story)
    assert told["activity"] == "answer" and expected in opening(told), opening(told)


def test_a_count_asked_of_one_named_model_is_not_answered_with_the_figure_for_all_llms(client: TestClient) -> None:
    # The document gives "billions" for LLMs in general, never GPT-4o's own count: it says so first.
    _, exact = conversation(client, "LLM은 왜 거대하다고 해요?", "GPT-4o는 파라미터 정확히 몇개야")
    assert "나오지 않" in opening(exact)
    assert "수십억" in exact["content"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # Recalled without a question word, in the reader's own words for the story.
        ("게임 비유 있었잖아요 AGI 설명할 때", "D&D"),
        ("친구랑 수다 떠는 거에 비유한 거 있었죠?", "아이디어"),
        ("카페인 비유 있었잖아요", "커피"),
        ("해봐야 안다는 얘기는 뭐예요?", "직접"),
        ("5만원도 안 든다는 계산 얘기요", "5만 원"),
    ],
)
def test_a_story_the_reader_half_remembers_is_found_and_explained(client: TestClient, message: str, expected: str) -> None:
    # Not declined, not "the document doesn't say": the story itself, in the opening lines.
    told = conversation(client, message)[0]
    assert told["activity"] == "answer", told["content"]
    assert "나오지 않" not in opening(told)
    assert expected in "\n\n".join(told["content"].split("\n\n")[:2]), told["content"]


@pytest.mark.parametrize(
    ("message", "passage", "expected"),
    [
        # The learner only half-remembers the line and says so: what they remember finds it.
        ("미래는 혁신에 의해 어쩌고 하는 말이 있었는데 뒷부분이 기억이 안 나요", "chatgpt.concerns", "돈"),
        # A comparison recalled and asked to be told again, in the learner's own verb (파는).
        ("장사 얘기 하다가요, 물건 파는 거에 비유한 게 있었는데 그거 다시 설명해줘요", "llm-leads.demand", "프로그래머"),
    ],
)
def test_a_line_the_learner_half_remembers_is_found_not_declined(
    client: TestClient, message: str, passage: str, expected: str
) -> None:
    told = conversation(client, message)[0]
    assert told["activity"] == "answer", told["content"]
    assert told["sources"][0]["id"] == passage
    assert expected in told["content"]


@pytest.mark.parametrize(
    ("message", "verdict"),
    [
        # The document says text is the easiest kind of data to collect, store and process.
        ("글이 그림보다 쉬워요?", "네"),
        ("텍스트 데이터가 이미지보다 모으기 쉬워요?", "네"),
        ("그림이 글보다 모으기 쉬워요?", "아니요"),
        ("So text is easier to handle than images or video?", "Yes"),
    ],
)
def test_a_comparison_is_answered_from_what_the_document_says_is_the_most(
    client: TestClient, message: str, verdict: str
) -> None:
    answer = conversation(client, message)[0]
    assert opening(answer).startswith(verdict), answer["content"]
    assert any(word in opening(answer) for word in ("가장 쉬운", "easiest"))
    assert answer["sources"][0]["id"] == "llm-leads.data"


def test_the_author_as_the_subject_of_a_claim_is_not_a_question_of_who(client: TestClient) -> None:
    # "글 쓴 사람이 … 했다던데 그게 뭔 얘기예요?" asks what the claim means; who wrote it is not asked.
    told = conversation(client, "글 쓴 사람이 3번 4번이 핵심이라 했다던데 그게 뭔 얘기예요?")[0]
    assert told["activity"] == "answer"
    assert "나오지 않" not in told["content"]
    assert told["sources"][0]["id"] == "llm-leads.summary"


def test_a_label_before_the_question_is_not_part_of_it(client: TestClient) -> None:
    # "Quick one in English:" says how the question comes, not what it is about.
    told = conversation(client, "Quick one in English: what did the author find so creative about GANs?")[0]
    assert told["activity"] == "answer", told["content"]
    assert told["sources"][0]["id"] == "models.gan"
    assert "generator" in told["content"] and "discriminator" in told["content"]


def test_a_thing_explained_under_its_everyday_name_is_not_said_to_be_unexplained(client: TestClient) -> None:
    # The lesson says "글은 … 다리 역할을 해요"; asked of 텍스트, that is the answer, not "the document doesn't say".
    _, role = conversation(client, "GPT-4나 Gemini 같은 모델은 ChatGPT-3.5랑 뭐가 달라요?",
                           "그러면 그런 모델에서 텍스트는 무슨 역할을 해요?")
    assert "나오지 않" not in role["content"]
    assert "다리" in opening(role)


def test_where_the_learner_remembers_it_from_does_not_steer_the_answer(client: TestClient) -> None:
    # "자기 얘기 하는 부분이 있던데" only says where it was; the question before it is what is asked.
    told = conversation(client, "글쓴이 본인은 ChatGPT를 어디에 쓴다고 했었죠? 자기 얘기 하는 부분이 있던데")[0]
    assert told["sources"][0]["id"] == "chatgpt.impact"
    assert "코딩" in opening(told)


def test_the_dominant_species_line_names_learning(client: TestClient) -> None:
    told = conversation(client, "인간이 왜 지구에서 제일 우세한 종이 됐다고 했더라")[0]
    assert "학습" in told["content"]


def test_examples_come_from_the_passage_the_question_names(client: TestClient) -> None:
    # The passage on LLMs is found first, but the examples asked for are those of prediction.
    answer = conversation(client, "도서 대출 예측은 예측 쪽이겠지요. 글에서 예측의 예시로는 무엇이 나오나요?")[0]
    assert "추천" in opening(answer) and "날씨" in opening(answer)
    classification = conversation(client, "기존 AI가 하던 '분류'에는 어떤 예가 있나요?")[0]
    assert "스팸" in opening(classification)


def test_a_simpler_restatement_sums_up_the_point_the_learner_stumbled_on(client: TestClient) -> None:
    _, simpler = conversation(client, "확산 모델이 뭐예요?", "음 노이즈를 넣었다 뺐다 한다는게 잘 이해가 안 가요 ㅠ")
    assert simpler["content"].startswith("더 쉽게")
    summary = next(block for block in simpler["content"].split("\n\n") if block.startswith("**한 줄로"))
    assert "노이즈" in summary and "복원" in summary


def test_a_pointer_back_keeps_a_bracketed_name_whole() -> None:
    from tutor.providers.offline import _clauses

    sentence = "AI 가운데 GAN(Generative Adversarial Networks, 생성적 적대 신경망)이라는 모델이 있어요, 그리고 더 있어요"
    assert _clauses(sentence) == ["AI 가운데 GAN(Generative Adversarial Networks, 생성적 적대 신경망)이라는 모델이 있어요",
                                  "그리고 더 있어요"]


def test_what_a_thing_is_opens_with_a_sentence_naming_it(client: TestClient) -> None:
    rnn = conversation(client, "RNN이 뭐예요?")[0]
    assert opening(rnn).startswith("RNN") and "순환" in opening(rnn) and "단점" not in opening(rnn)
    gan = conversation(client, "GAN이 뭐예요?")[0]
    assert opening(gan).startswith("GAN은 ")


def test_a_why_question_is_not_answered_by_what_the_document_leaves_out_of_how(client: TestClient) -> None:
    # "VAE는 어떻게 작동해요?" is left out by the document; it is no answer to why VAE gets less use.
    _, why = conversation(client, "VAE가 뭐예요?", "근데 왜 요즘은 덜 써요?")
    assert "어떻게 작동" not in opening(why) and "GAN" in opening(why)


def test_whether_something_is_certain_is_answered_with_how_sure_the_document_is(client: TestClient) -> None:
    _, sure = conversation(client, "VAE가 뭐예요?", "아까 VAE가 의료에서는 주류라고 했잖아요 그건 확실한 거예요?")
    assert opening(sure).startswith("글도 단정하지는 않아요") and "의료" in opening(sure)
    # Said plainly of Stable Diffusion, guessed of Midjourney: only the guess is hedged.
    plain = conversation(client, "Stable Diffusion은 확실히 확산 모델 쓰는거죠?")[0]
    assert "단정하지는 않아요" not in opening(plain)
    guessed = conversation(client, "미드저니도 디퓨전 쓰는 거 확실하죠?")[0]
    assert opening(guessed).startswith("글도 단정하지는 않아요") and "짐작" in opening(guessed)


def test_words_only_a_comparison_uses_ask_about_that_comparison(client: TestClient) -> None:
    _, coffee = conversation(client, "트랜스포머 논문 제목이 뭐예요?", "커피 마신 인간 이건 뭔 소리임 ㅋㅋ")
    assert "비유" in opening(coffee) and "빠르" in opening(coffee)
    # A word of the comparison in a context clause does not make it the question.
    agi = conversation(client, "AGI가 머에요 ㅋㅋ 게임하다 들었는데")[0]
    assert opening(agi).startswith("AGI는")


def test_what_a_claim_means_comes_from_the_passage_about_that_claim(client: TestClient) -> None:
    claim = conversation(client, "트랜스포머가 일을 쉽게 만들었다는 건 무슨 뜻이에요?")[0]
    assert "추론" in opening(claim) and "네 가지" not in opening(claim)


def test_asked_for_more_of_a_list_already_given_the_tutor_says_that_was_all(client: TestClient) -> None:
    _, more = conversation(client, "글에 ChatGPT의 산업적 가치 이야기가 있습니까?", "그 밖에 또 어떤 분야가 있습니까?")
    assert opening(more).startswith("글에 나오는 건 앞에서 말한 것이 다예요") and "반도체" in opening(more)
    # "또 뭐예요?" about a new thing is not more of a list.
    _, sequence = conversation(client, "RNN이 뭐예요?", "시퀀스 데이터는 또 뭐예요~?")
    assert "앞에서 말한 것이 다예요" not in sequence["content"]


def test_asked_whether_others_than_the_one_set_aside_do_it_when_only_that_one_is_said_to(client: TestClient) -> None:
    _, others = conversation(client, "GAN이 뭐예요?", "GAN 말고 다른 모델도 딥페이크에 쓰입니까?")
    assert opening(others).startswith("그 질문의 답은 글에 나오지 않아요")
    # Other generative models are named by the document: no such opening.
    _, models = conversation(client, "GAN이 뭐예요?", "GAN 말고 다른 생성 모델도 있어요?")
    assert not opening(models).startswith("그 질문의 답은 글에 나오지 않아요")


def test_an_example_asked_of_what_the_document_leaves_out_says_so(client: TestClient) -> None:
    _, weak = conversation(client, "GAN이 뭐예요?", "그래서 그 단점이 구체적으로 뭔데요? 예를 들어 GAN 단점 같은 거요")
    assert "나오지 않아요" in opening(weak) and "GAN" in opening(weak)
